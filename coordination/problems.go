package coordination

import "strings"

// Problem is one invalid field: the field's name (the form input's and the
// API's JSON name) and a stable code.
type Problem struct {
	Field, Code string
}

// Problems are a validation's findings, the first of a field winning. It
// is an error.
type Problems []Problem

func (ps *Problems) add(field, code string) {
	for _, p := range *ps {
		if p.Field == field {
			return
		}
	}
	*ps = append(*ps, Problem{Field: field, Code: code})
}

func (ps Problems) Error() string {
	var b strings.Builder
	b.WriteString("invalid:")
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
