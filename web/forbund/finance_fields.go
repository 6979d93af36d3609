package forbund

import "strconv"

// The finance forms' fields are drawn by the partials assoc_fin_text and
// assoc_fin_select (templates/assoc_fin_parts.html); a select field's
// options come from its page's Choices.

// finChoice is one option of a finance form's select field.
type finChoice struct {
	Value, Label string
	Selected     bool
}

// finOptions are the options of pairs (value, label, value, label, …) with
// the one whose value is cur selected. An empty value (the "none" option)
// is never marked: the browser selects the first option anyway.
func finOptions(cur string, pairs ...string) []finChoice {
	out := make([]finChoice, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, finChoice{Value: pairs[i], Label: pairs[i+1], Selected: pairs[i] != "" && pairs[i] == cur})
	}
	return out
}

// Choices are the options of the add-seat form's select field.
func (d boardData) Choices(field string) []finChoice {
	t := func(id string) string { return translate(d.Errs.Lang, id) }
	cur := d.Get(field)
	switch field {
	case "body":
		return finOptions(cur, "board", t("assoc.fin.body.board"), "preparatory", t("assoc.fin.body.preparatory"))
	case "member":
		var pairs []string
		for _, m := range d.Members {
			pairs = append(pairs, strconv.FormatInt(m.ID, 10), m.Name)
		}
		return finOptions(cur, pairs...)
	case "role":
		return finOptions(cur, "ledamot", t("assoc.fin.role.ledamot"), "ersattare", t("assoc.fin.role.ersattare"), "member", t("assoc.fin.role.member"))
	case "position":
		return finOptions(cur, "", "–", "chair", t("assoc.fin.position.chair"), "vice_chair", t("assoc.fin.position.vice_chair"))
	case "user":
		pairs := []string{"", t("assoc.fin.seat.nouser")}
		for _, u := range d.Users {
			pairs = append(pairs, strconv.FormatInt(u.ID, 10), u.Label)
		}
		return finOptions(cur, pairs...)
	}
	return nil
}

// Choices are the options of the add-line form's select field.
func (d budgetData) Choices(field string) []finChoice {
	cur := d.Get(field)
	switch field {
	case "entry":
		return finOptions(cur, "budget", translate(d.Errs.Lang, "assoc.fin.entry.budget"), "outcome", translate(d.Errs.Lang, "assoc.fin.entry.outcome"))
	case "insats":
		pairs := []string{"administration", translate(d.Errs.Lang, "assoc.fin.kind.administration")}
		for _, in := range d.Insatser {
			pairs = append(pairs, strconv.FormatInt(in.ID, 10), in.Name)
		}
		return finOptions(cur, pairs...)
	case "financier":
		var pairs []string
		for _, f := range d.Financiers {
			pairs = append(pairs, f.Value, f.Label)
		}
		return finOptions(cur, pairs...)
	}
	return nil
}

// Choices are the options of the settings form's select field.
func (d settingsData) Choices(field string) []finChoice {
	switch field {
	case "region_code":
		pairs := []string{"", "–"}
		for _, r := range d.Regions {
			pairs = append(pairs, r.Code, r.Name+" ("+r.Code+")")
		}
		return finOptions(d.RegionCode, pairs...)
	case "cost_key":
		return finOptions(d.CostKey, "population", translate(d.Errs.Lang, "assoc.fin.key.population"), "agreed", translate(d.Errs.Lang, "assoc.fin.key.agreed"))
	}
	return nil
}
