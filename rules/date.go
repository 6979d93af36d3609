package rules

import "github.com/finsam/finsam/civil"

// Date is a calendar date without a time of day or a time zone, kept as a
// day number (see package civil) so that the engine counts days with
// integer arithmetic. The zero Date means "no date" and marshals as JSON
// null. It is the same type as certificate.Date.
type Date = civil.Date

// NewDate returns the date year-month-day and whether it exists. Years
// outside 1–9999 are rejected so that every Date has a four-digit form.
func NewDate(year, month, day int) (Date, bool) { return civil.New(year, month, day) }

// ParseDate parses a date written as YYYY-MM-DD, and nothing else: no time,
// no zone, no shortened form.
func ParseDate(s string) (Date, error) { return civil.Parse(s) }

// mustDate is for dates written in the code and the tests.
func mustDate(s string) Date { return civil.MustParse(s) }

var (
	errDateSyntax  = civil.ErrSyntax
	errDateInvalid = civil.ErrInvalid
)
