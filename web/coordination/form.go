package coordination

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/web/internal/site"
)

// form is a submitted form: what was typed, to show again, and its
// problems, shown at their fields and in the page's summary.
type form struct {
	Values   url.Values
	Problems site.Problems
	// Key says which of several forms of its kind it is (a meeting's id).
	Key  int64
	lang string
}

func newForm(lang string) *form { return &form{Values: url.Values{}, lang: lang} }

// V is a field's value.
func (f *form) V(name string) string { return f.Values.Get(name) }

// Has reports whether a checkbox group's field holds value.
func (f *form) Has(name, value string) bool { return slices.Contains(f.Values[name], value) }

// E is the message of a field's problem, "" when it has none.
func (f *form) E(name string) string {
	for _, p := range f.Problems {
		if p.Field == name {
			return p.Message(feature.Words, f.lang, "coord.err.")
		}
	}
	return ""
}

// textProblems are the fields whose text is not valid UTF-8 or holds
// control characters other than line breaks and tabs (a NUL byte, which
// PostgreSQL refuses, among them): invalid_text, nothing written.
func (f *form) textProblems() site.Problems {
	var ps site.Problems
	names := make([]string, 0, len(f.Values))
	for k := range f.Values {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range f.Values[k] {
			bad := func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
			if !utf8.ValidString(v) || strings.IndexFunc(v, bad) >= 0 {
				ps.Add(k, "invalid_text")
			}
		}
	}
	return ps
}

// fieldLabel is a field's name for people: a consent's parts are its
// parties, an agreed action's numbered fields are the action's, and a
// field without a name of its own is "the field", never its code.
func fieldLabel(lang, field string) string {
	if strings.HasPrefix(field, "parts_") || strings.HasPrefix(field, "parties") {
		field = "parties"
	}
	id := "coord.field." + strings.TrimRight(field, "0123456789")
	if l := translate(lang, id); l != id {
		return l
	}
	return translate(lang, "coord.field.other")
}

// summaryLine is one line of the error summary.
type summaryLine struct{ InputID, Label, Message string }

// Summary lists the problems with their fields' labels; prefix makes the
// input ids of this form.
func (f *form) Summary(prefix string) []summaryLine {
	var out []summaryLine
	for _, p := range f.Problems {
		out = append(out, summaryLine{InputID: prefix + p.Field, Label: fieldLabel(f.lang, p.Field),
			Message: p.Message(feature.Words, f.lang, "coord.err.")})
	}
	return out
}
