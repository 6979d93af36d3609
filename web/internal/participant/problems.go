package participant

import (
	"errors"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/web/internal/site"
)

// Codes of input problems found by the web layer.
const (
	CodeInvalidDate         = "invalid_date"
	CodeInvalidPersonnummer = "invalid_personnummer"
	CodeInvalidNumber       = association.CodeInvalidNumber
)

// Problem is one input problem the web layer finds itself (a date that
// does not parse, a personnummer with a wrong check digit), with its
// explanation in English and Swedish.
func Problem(code, field, en, sv string) site.Problem {
	return site.Problem{Field: field, Code: code, DetailSV: sv, DetailEN: en}
}

// ProblemOf is a domain error as a field problem, with the domain's
// explanation in both languages.
func ProblemOf(e *association.Error) site.Problem {
	return site.Problem{Field: e.Field, Code: e.Code, DetailSV: e.MessageSV, DetailEN: e.Message, Line: e.Line}
}

// Problems are the field problems of a validation error (the domain's
// association.Error or Errors, or site.Problems); ok is false when err is
// not one.
func Problems(err error) (site.Problems, bool) {
	var es association.Errors
	if errors.As(err, &es) {
		out := make(site.Problems, len(es))
		for i, e := range es {
			out[i] = ProblemOf(e)
		}
		return out, true
	}
	var e *association.Error
	if errors.As(err, &e) {
		return site.Problems{ProblemOf(e)}, true
	}
	var ps site.Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	return nil, false
}

// ParseDate reads an optional date; ps gets a problem for one that does
// not parse.
func ParseDate(ps *site.Problems, field, v string) civil.Date {
	if v == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(v)
	if err != nil {
		*ps = append(*ps, Problem(CodeInvalidDate, field, "write the date as YYYY-MM-DD", "skriv datumet som ÅÅÅÅ-MM-DD"))
	}
	return d
}
