package website

// Problem is what is wrong with one field of a form: its name and a
// stable code the web layer words in the visitor's language.
type Problem struct {
	Field, Code string
}

// Problems are a form's problems in the order found; the first of a field
// wins. It is an error so that a validation inside a transaction rolls
// it back.
type Problems []Problem

func (ps *Problems) add(field, code string) {
	for _, p := range *ps {
		if p.Field == field {
			return
		}
	}
	*ps = append(*ps, Problem{field, code})
}

func (ps Problems) Error() string {
	s := "invalid input:"
	for _, p := range ps {
		s += " " + p.Field + "=" + p.Code
	}
	return s
}

// orNil is ps as an error, nil when there are none.
func (ps Problems) orNil() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// The problem codes.
const (
	CodeRequired      = "required"
	CodeTooLong       = "too_long"
	CodeInvalid       = "invalid"
	CodeEmail         = "email"
	CodeUnknown       = "unknown"
	CodeEventPast     = "event_past"
	CodeAlreadySigned = "already_signed_up"
	CodeOrder         = "order"
	CodeSlugTaken     = "slug_taken"
)
