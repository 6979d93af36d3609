// Package formfield is one control of a form as the template "case-field"
// draws it (a text, date, textarea, select or checkbox with its label,
// hint, value and problem), shared by the case pages and the associations'
// insatser pages. Pages that draw controls include the file
// case_fields.html of Templates as a partial.
package formfield

import (
	"embed"
	"io/fs"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates hold the "case-field" and "select-icon" templates, for
// site.Pages.Shared.
var Templates fs.FS = templateFS

// Control is one control of a form.
type Control struct {
	ID, Name, Kind, Value, Error, Label, Hint string
	Max                                       int
	Checked                                   bool
	Options                                   []site.Choice
	Groups                                    []site.ChoiceGroup
}

// ErrorID is the id of the element holding the error message.
func (c Control) ErrorID() string { return c.ID + "-error" }

// Selecting is a copy of options with the one whose value is cur selected.
func Selecting(options []site.Choice, cur string) []site.Choice {
	out := make([]site.Choice, len(options))
	for i, o := range options {
		o.Selected = o.Value == cur
		out[i] = o
	}
	return out
}
