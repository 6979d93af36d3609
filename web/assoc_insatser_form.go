package web

// Reading the insats and participant forms, and the form model the
// templates draw them with (the case pages' "case-field" partial).

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
)

func init() {
	for _, p := range []string{"assoc_ins_form", "assoc_ins_show", "assoc_ins_participant_new", "assoc_ins_participant", "assoc_ins_list", "assoc_ins_codes"} {
		pagePartials[p+".html"] = append(pagePartials[p+".html"], "case_fields.html", "assoc_ins_fields.html")
	}
}

// insForm is one form of the insatser pages: the values to show (the
// submitted ones after a problem) and the errors by field.
type insForm struct {
	Lang, Prefix string
	Values       url.Values
	Errors       map[string]string
	// Problems are every error for the summary, in order.
	Problems []problemLink
}

func newInsForm(lang, prefix string, values url.Values, errs association.Errors) insForm {
	f := insForm{Lang: lang, Prefix: prefix, Values: values, Errors: map[string]string{}}
	for _, e := range errs {
		msg := e.MessageSV
		if lang == "en" {
			msg = e.Message
		}
		field := e.Field
		if f, ok := consentFormField[field]; ok {
			field = f
		}
		if i := strings.IndexAny(field, ".["); i > 0 && !strings.HasPrefix(field, "consent.") {
			field = field[:i] // a row's error is shown at the table
		}
		if _, ok := f.Errors[field]; !ok {
			f.Errors[field] = msg
		} else {
			f.Errors[field] += "; " + msg
		}
		f.Problems = append(f.Problems, problemLink{ID: f.ID(field), Text: translate(lang, "assoc.ins.field."+labelField(field)) + ": " + msg})
	}
	return f
}

// consentFormField is the form input of a consent error's field.
var consentFormField = map[string]string{"consent.recorded_by": "consent_by", "consent.on": "consent_on",
	"consent.covers": "consent_covers", "consent.document": "consent_document"}

// labelField maps an error's field to the label id that names it.
func labelField(field string) string {
	switch field {
	case "consent_by", "consent_on", "consent_covers", "consent_document", "mode", "income_source", "income_extent", "occupation", "education",
		"not_reached", "public", "doc_title", "doc_ref", "budget_year", "budget_financier", "budget_amount", "year",
		"budgets", "documents", "measurements", "person", "status", "insats", "phase", "file", "consent", "version",
		"name", "description", "kind", "target_group", "responsible", "parties", "start", "end", "planned", "follow_up",
		"personnummer", "sex", "age_group", "end_reason", "on", "referral":
		return field
	}
	return "other"
}

func (f insForm) V(field, def string) string {
	if f.Values != nil {
		if _, ok := f.Values[field]; ok {
			return f.Values.Get(field)
		}
	}
	return def
}

func (f insForm) ID(field string) string {
	return f.Prefix + "-" + strings.NewReplacer(".", "-", "_", "-").Replace(field)
}

// Input is a text, date, textarea or checkbox control.
func (f insForm) Input(field, kind, def string) caseInput {
	in := caseInput{ID: f.ID(field), Name: field, Kind: kind, Value: f.V(field, def), Error: f.Errors[field],
		Label: translate(f.Lang, "assoc.ins.field."+labelField(field)), Max: 200}
	switch kind {
	case "date":
		in.Max = 10
		in.Hint = translate(f.Lang, "assoc.ins.hint.date")
	case "textarea":
		in.Max = association.MaxTextLen
	case "checkbox":
		in.Checked = f.V(field, def) == "on"
	}
	return in
}

// Select is a select of options; the current value is selected.
func (f insForm) Select(field, def string, options []choice) caseInput {
	return caseInput{ID: f.ID(field), Name: field, Kind: "select", Error: f.Errors[field],
		Label: translate(f.Lang, "assoc.ins.field."+labelField(field)), Options: selecting(options, f.V(field, def))}
}

// selecting is a copy of options with the one whose value is cur selected.
func selecting(options []choice, cur string) []choice {
	out := make([]choice, len(options))
	for i, o := range options {
		o.Selected = o.Value == cur
		out[i] = o
	}
	return out
}

// E is a field's error.
func (f insForm) E(field string) string { return f.Errors[field] }

// Row is the i-th value of a repeated field.
func (f insForm) Row(field string, i int, def string) string {
	if f.Values != nil {
		if vs, ok := f.Values[field]; ok {
			if i < len(vs) {
				return vs[i]
			}
			return ""
		}
	}
	return def
}

// codeChoices are a code list's codes as options, with an empty first one
// when blank is set.
func codeChoices(cl *association.CodeLists, list, lang string, blank bool) []choice {
	var out []choice
	if blank {
		out = append(out, choice{Value: "", Label: "–"})
	}
	for _, c := range cl.List(list).Codes {
		label := c.SV
		if lang == "en" {
			label = c.EN
		}
		out = append(out, choice{Value: c.Code, Label: label})
	}
	return out
}

// readInsatsForm reads the insats form into in (whose id, association and
// version are kept). Input that cannot be read (a date, a number, an
// amount) is reported in the errors.
func readInsatsForm(f url.Values, in association.Insats) (association.Insats, association.Errors) {
	var errs association.Errors
	in.Name = f.Get("name")
	in.Description = f.Get("description")
	in.Kind = association.Kind(f.Get("kind"))
	in.TargetGroup = f.Get("target_group")
	in.ResponsibleOrgID, _ = strconv.ParseInt(f.Get("responsible"), 10, 64)
	in.PartyOrgIDs = nil
	for _, v := range f["parties"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.PartyOrgIDs = append(in.PartyOrgIDs, id)
		}
	}
	in.Start = parseDateField(&errs, "start", strings.TrimSpace(f.Get("start")))
	in.End = parseDateField(&errs, "end", strings.TrimSpace(f.Get("end")))
	in.Planned = 0
	if v := strings.TrimSpace(f.Get("planned")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, assocFieldError(codeInvalidNumber, "planned", "write a whole number", "skriv ett heltal"))
		}
		in.Planned = n
	}
	in.FollowUp = association.FollowUp(f.Get("follow_up"))
	in.Status = association.InsatsStatus(f.Get("status"))
	in.Public = f.Get("public") == "on"
	in.Budgets = nil
	years, fins, amounts := f["budget_year"], f["budget_financier"], f["budget_amount"]
	for i := range years {
		y, fin, amt := strings.TrimSpace(years[i]), at(fins, i), strings.TrimSpace(at(amounts, i))
		if y == "" && amt == "" {
			continue
		}
		b := association.YearBudget{Financier: association.Financier(fin)}
		field := "budgets[" + strconv.Itoa(len(in.Budgets)) + "]"
		var err error
		if b.Year, err = strconv.Atoi(y); err != nil {
			errs = append(errs, assocFieldError(association.CodeInvalidYear, field+".year", "write the year as four digits", "skriv året med fyra siffror"))
		}
		if b.Amount, err = association.ParseOre(amt); err != nil {
			errs = append(errs, assocFieldError(association.CodeInvalidAmount, field+".amount", "write the amount in kronor", "skriv beloppet i kronor"))
		}
		in.Budgets = append(in.Budgets, b)
	}
	in.Documents = nil
	titles, refs := f["doc_title"], f["doc_ref"]
	for i := range titles {
		t, r := strings.TrimSpace(titles[i]), strings.TrimSpace(at(refs, i))
		if t == "" && r == "" {
			continue
		}
		in.Documents = append(in.Documents, association.Document{Title: t, Ref: r})
	}
	return in, errs
}

func at(vs []string, i int) string {
	if i < len(vs) {
		return vs[i]
	}
	return ""
}

// insatsFormValues are the form's values for a stored insats.
func insatsFormValues(in association.Insats) url.Values {
	v := url.Values{}
	v.Set("name", in.Name)
	v.Set("description", in.Description)
	v.Set("kind", string(in.Kind))
	v.Set("target_group", in.TargetGroup)
	v.Set("responsible", itoa(in.ResponsibleOrgID))
	for _, p := range in.PartyOrgIDs {
		v.Add("parties", itoa(p))
	}
	v.Set("start", dateValue(in.Start))
	v.Set("end", dateValue(in.End))
	v.Set("planned", strconv.Itoa(in.Planned))
	v.Set("follow_up", string(in.FollowUp))
	v.Set("status", string(in.Status))
	if in.Public {
		v.Set("public", "on")
	}
	for _, b := range in.Budgets {
		v.Add("budget_year", strconv.Itoa(b.Year))
		v.Add("budget_financier", string(b.Financier))
		v.Add("budget_amount", b.Amount.Number())
	}
	for _, d := range in.Documents {
		v.Add("doc_title", d.Title)
		v.Add("doc_ref", d.Ref)
	}
	v.Set("version", strconv.Itoa(in.Version))
	return v
}

// readMeasurement reads the income sources (rows of income_source and
// income_extent), occupation and education of a measurement form.
func readMeasurement(f url.Values, errs *association.Errors) association.Measurement {
	var m association.Measurement
	srcs, exts := f["income_source"], f["income_extent"]
	for i := range srcs {
		src, ext := strings.TrimSpace(srcs[i]), strings.TrimSpace(at(exts, i))
		if src == "" && ext == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(ext), "%"))
		if err != nil {
			*errs = append(*errs, assocFieldError(association.CodeInvalidExtent, "measurements", "write the extent as a whole number of per cent",
				"skriv omfattningen som ett heltal procent"))
		}
		m.IncomeSources = append(m.IncomeSources, association.IncomeShare{Source: src, Extent: n})
	}
	m.Occupation = f.Get("occupation")
	m.Education = f.Get("education")
	m.NotReached = f.Get("not_reached") == "on"
	return m
}

// readParticipantForm reads the registration form.
func readParticipantForm(f url.Values, recordedBy int64) participantInput {
	var in participantInput
	in.WithConsent = f.Get("mode") == "consent"
	in.Start = parseDateField(&in.Errors, "start", strings.TrimSpace(f.Get("start")))
	if in.Start.IsZero() && len(in.Errors) == 0 {
		in.Errors = append(in.Errors, assocFieldError(association.CodeStartRequired, "start", "give the start date", "ange startdatum"))
	}
	in.Personnummer = f.Get("personnummer")
	in.Name = f.Get("name")
	if in.WithConsent {
		in.Consent = association.Consent{RecordedBy: recordedBy, RecordedByName: strings.TrimSpace(f.Get("consent_by")),
			On:     parseDateField(&in.Errors, "consent.on", strings.TrimSpace(f.Get("consent_on"))),
			Covers: f.Get("consent_covers"), DocumentRef: f.Get("consent_document")}
	} else {
		in.Sex, in.AgeGroup = f.Get("sex"), f.Get("age_group")
	}
	if m := readMeasurement(f, &in.Errors); measured(m) {
		in.Measure = &m
	}
	return in
}

func dateValue(d interface {
	IsZero() bool
	String() string
}) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// T translates a message id into the form's language.
func (f insForm) T(id string) string { return translate(f.Lang, id) }

// measured tells whether a measurement form was filled in at all: an empty
// one is not stored (no measurement is not a measurement of nothing).
func measured(m association.Measurement) bool {
	return len(m.IncomeSources) > 0 || m.Occupation != "" || m.Education != "" || m.NotReached
}
