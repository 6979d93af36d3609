// Package form is how the pages of several features draw a form: one
// control (Input) as the partial template "case-field" of
// templates/case_fields.html draws it, with its label, hint, value and
// error, and the links of an error summary (Link). What is wrong with the
// submitted values is site.Problems; this package only shows it.
package form

import (
	"embed"
	"strings"

	"github.com/finsam/finsam/web/internal/site"
)

// Templates holds the partial templates pages include: "case-field",
// "select-icon" and "select-plain".
//
//go:embed templates/*.html
var Templates embed.FS

// Input is one control of a form as the template "case-field" draws it: a
// text, date, textarea, select or checkbox with its label, hint, value and
// error.
type Input struct {
	ID, Name, Kind, Value, Error, Label, Hint string
	Max                                       int
	Checked                                   bool
	// Count, Left and Over are a textarea's limit in words ("Högst 4000
	// tecken.") and, for the counter that finsam-forms.js keeps beside it,
	// what is left and how much it is over ("{n} tecken kvar.").
	Count, Left, Over string
	// Autofocus puts the cursor in the control when the page opens: the
	// first field of a page that is there to fill in one form.
	Autofocus bool
	Options   []site.Choice
	Groups    []site.ChoiceGroup
}

// ErrorID is the id of the element holding the error message.
func (c Input) ErrorID() string { return c.ID + "-error" }

// Counted is a textarea's input with its limit of max characters and,
// in lang, the words of its counter.
func (c Input) Counted(lang string, max int) Input {
	c.Max = max
	c.Count, c.Left, c.Over = site.TextCounter(lang, max)
	return c
}

// CountID is the id of the element holding a textarea's limit or
// characters left.
func (c Input) CountID() string { return c.ID + "-count" }

// DescribedBy is the ids of what describes the control: its error and a
// textarea's count.
func (c Input) DescribedBy() string {
	var ids []string
	if c.Error != "" {
		ids = append(ids, c.ErrorID())
	}
	if c.Count != "" {
		ids = append(ids, c.CountID())
	}
	return strings.Join(ids, " ")
}

// Link is one line of a form's error summary: a link to the input.
type Link struct{ ID, Text string }

// Summary is the error summary of a form's problems, one line per problem
// in the order found: "Label: message", linked to the input's id, so that
// each line names its field.
func Summary(ps site.Problems, id, label func(field string) string, message func(site.Problem) string) []Link {
	out := make([]Link, 0, len(ps))
	for _, p := range ps {
		out = append(out, Link{ID: id(p.Field), Text: label(p.Field) + ": " + message(p)})
	}
	return out
}

// Selecting is a copy of options with the one whose value is cur selected.
func Selecting(options []site.Choice, cur string) []site.Choice {
	out := make([]site.Choice, len(options))
	for i, o := range options {
		o.Selected = o.Value == cur
		out[i] = o
	}
	return out
}
