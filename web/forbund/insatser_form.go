package forbund

// Reading the insats and participant forms, and the form model the
// templates draw them with (the case pages' "case-field" partial).

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
)

// codeChoices are a code list's codes as options, with an empty first one
// when blank is set.
func codeChoices(cl *association.CodeLists, list, lang string, blank bool) []site.Choice {
	var out []site.Choice
	if blank {
		out = append(out, site.Choice{Value: "", Label: "–"})
	}
	for _, c := range cl.List(list).Codes {
		label := c.SV
		if lang == "en" {
			label = c.EN
		}
		out = append(out, site.Choice{Value: c.Code, Label: label})
	}
	return out
}

// readInsatsForm reads the insats form into in (whose id, association and
// version are kept). Input that cannot be read (a date, a number, an
// amount) is reported in the errors.
func readInsatsForm(f url.Values, in association.Insats) (association.Insats, site.Problems) {
	var errs site.Problems
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
	in.Start = participant.ParseDate(&errs, "start", strings.TrimSpace(f.Get("start")))
	in.End = participant.ParseDate(&errs, "end", strings.TrimSpace(f.Get("end")))
	in.Planned = 0
	if v := strings.TrimSpace(f.Get("planned")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, participant.Problem(participant.CodeInvalidNumber, "planned", "write a whole number", "skriv ett heltal"))
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
			errs = append(errs, participant.Problem(association.CodeInvalidYear, field+".year", "write the year as four digits", "skriv året med fyra siffror"))
		}
		if b.Amount, err = association.ParseOre(amt); err != nil {
			errs = append(errs, participant.Problem(association.CodeInvalidAmount, field+".amount", "write the amount in kronor", "skriv beloppet i kronor"))
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
func readMeasurement(f url.Values, errs *site.Problems) association.Measurement {
	var m association.Measurement
	srcs, exts := f["income_source"], f["income_extent"]
	for i := range srcs {
		src, ext := strings.TrimSpace(srcs[i]), strings.TrimSpace(at(exts, i))
		if src == "" && ext == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(ext), "%"))
		if err != nil {
			*errs = append(*errs, participant.Problem(association.CodeInvalidExtent, "measurements", "write the extent as a whole number of per cent",
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
func readParticipantForm(f url.Values, recordedBy int64) participant.Input {
	var in participant.Input
	in.WithConsent = f.Get("mode") == "consent"
	in.Start = participant.ParseDate(&in.Errors, "start", strings.TrimSpace(f.Get("start")))
	if in.Start.IsZero() && len(in.Errors) == 0 {
		in.Errors = append(in.Errors, participant.Problem(association.CodeStartRequired, "start", "give the start date", "ange startdatum"))
	}
	in.Personnummer = f.Get("personnummer")
	in.Name = f.Get("name")
	if in.WithConsent {
		in.Consent = association.Consent{RecordedBy: recordedBy, RecordedByName: strings.TrimSpace(f.Get("consent_by")),
			On:     participant.ParseDate(&in.Errors, "consent.on", strings.TrimSpace(f.Get("consent_on"))),
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

// measured tells whether a measurement form was filled in at all: an empty
// one is not stored (no measurement is not a measurement of nothing).
func measured(m association.Measurement) bool {
	return len(m.IncomeSources) > 0 || m.Occupation != "" || m.Education != "" || m.NotReached
}
