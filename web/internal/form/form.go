// Package form is how the pages of several features draw a form: one
// control (Input) as the partial template "case-field" of
// templates/case_fields.html draws it, with its label, hint, value and
// error, and the links of an error summary (Link). What is wrong with the
// submitted values is site.Problems; this package only shows it.
package form

import (
	"embed"

	"github.com/finsam/finsam/web/internal/site"
)

// Templates holds the partial templates pages include: "case-field" and
// "select-icon".
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
	Options                                   []site.Choice
	Groups                                    []site.ChoiceGroup
}

// ErrorID is the id of the element holding the error message.
func (c Input) ErrorID() string { return c.ID + "-error" }

// Link is one line of a form's error summary: a link to the input.
type Link struct{ ID, Text string }
