// Package validation is the one shape the domain packages give what is
// wrong with an input's fields: a list of problems, each a field's name
// (the form input's and the API's JSON name) and a stable code that the
// web layer words in the reader's language. The list is an error, so that
// a validation inside a transaction rolls it back.
package validation

import "strings"

// Problem is what is wrong with one field.
type Problem struct {
	Field, Code string
}

// Problems are a validation's findings in the order found; the first of a
// field wins.
type Problems []Problem

// Add records code for field unless field already has a problem.
func (ps *Problems) Add(field, code string) {
	for _, p := range *ps {
		if p.Field == field {
			return
		}
	}
	*ps = append(*ps, Problem{Field: field, Code: code})
}

func (ps Problems) Error() string {
	var b strings.Builder
	b.WriteString("invalid input:")
	for _, p := range ps {
		b.WriteString(" " + p.Field + "=" + p.Code)
	}
	return b.String()
}

// Err is ps as an error, nil when there is no problem.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
