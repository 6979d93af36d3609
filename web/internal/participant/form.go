package participant

import (
	"net/url"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/site"
)

// Form is one form of the insatser pages or the referral: the values to
// show (the submitted ones after a problem) and the problems, shown at
// their fields and in a summary.
type Form struct {
	Lang, Prefix string
	Values       url.Values
	Problems     site.Problems
	// words are what the page translates with (T).
	words site.Catalogue
}

// NewForm is a form of values with their problems; prefix makes its
// controls' ids unique on a page with several forms, and the page's
// words (the site's catalogue) are what T translates with.
func NewForm(words site.Catalogue, lang, prefix string, values url.Values, ps site.Problems) Form {
	return Form{Lang: lang, Prefix: prefix, Values: values, Problems: ps, words: words}
}

// formField is the form input a problem's field is shown at: a consent's
// field by its input's name, a row's (budgets[1].year) at its table.
func formField(field string) string {
	if f, ok := consentFormField[field]; ok {
		field = f
	}
	if i := strings.IndexAny(field, ".["); i > 0 && !strings.HasPrefix(field, "consent.") {
		field = field[:i]
	}
	return field
}

// consentFormField is the form input of a consent problem's field.
var consentFormField = map[string]string{"consent.recorded_by": "consent_by", "consent.on": "consent_on",
	"consent.covers": "consent_covers", "consent.document": "consent_document"}

// labelField maps a problem's field to the label id that names it.
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

// Link is one line of the problems' summary: a link to the field.
type Link struct{ ID, Text string }

// Links are the summary of the problems, in order.
func (f Form) Links() []Link {
	out := make([]Link, 0, len(f.Problems))
	for _, p := range f.Problems {
		field := formField(p.Field)
		out = append(out, Link{ID: f.ID(field), Text: translate(f.Lang, "assoc.ins.field."+labelField(field)) + ": " + p.Message(messages, f.Lang, "")})
	}
	return out
}

// V is the value of field, or def before anything was submitted.
func (f Form) V(field, def string) string {
	if f.Values != nil {
		if _, ok := f.Values[field]; ok {
			return f.Values.Get(field)
		}
	}
	return def
}

// ID is the id of field's control.
func (f Form) ID(field string) string {
	return f.Prefix + "-" + strings.NewReplacer(".", "-", "_", "-").Replace(field)
}

// E is the problems of a field in words, joined.
func (f Form) E(field string) string {
	var msgs []string
	for _, p := range f.Problems {
		if formField(p.Field) == field {
			msgs = append(msgs, p.Message(messages, f.Lang, ""))
		}
	}
	return strings.Join(msgs, "; ")
}

// Input is a text, date, textarea or checkbox control.
func (f Form) Input(field, kind, def string) form.Input {
	in := form.Input{ID: f.ID(field), Name: field, Kind: kind, Value: f.V(field, def), Error: f.E(field),
		Label: translate(f.Lang, "assoc.ins.field."+labelField(field)), Max: 200}
	switch kind {
	case "date":
		in.Max = 10
		in.Hint = translate(f.Lang, "assoc.ins.hint.date")
	case "textarea":
		in = in.Counted(f.Lang, association.MaxTextLen)
	case "checkbox":
		in.Checked = f.V(field, def) == "on"
	}
	return in
}

// Select is a select of options; the current value is selected.
func (f Form) Select(field, def string, options []site.Choice) form.Input {
	return form.Input{ID: f.ID(field), Name: field, Kind: "select", Error: f.E(field),
		Label: translate(f.Lang, "assoc.ins.field."+labelField(field)), Options: form.Selecting(options, f.V(field, def))}
}

// Row is the i-th value of a repeated field.
func (f Form) Row(field string, i int, def string) string {
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

// T translates a message id of the page into the form's language.
func (f Form) T(id string) string { return f.words.T(f.Lang, id) }
