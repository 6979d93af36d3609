package certificate

import (
	"time"

	"github.com/finsam/finsam/civil"
)

// Date is a calendar date without a time of day or a time zone (package
// civil); the same type as rules.Date, so certificate periods go to the
// rules engine as they are. The zero Date means "no date" and marshals as
// JSON null.
type Date = civil.Date

// NewDate returns the date year-month-day and whether it exists. Years
// outside 1–9999 are refused so that every Date has a four-digit form.
func NewDate(year, month, day int) (Date, bool) { return civil.New(year, month, day) }

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date { return civil.Of(t) }

// ParseDate reads YYYY-MM-DD and nothing else.
func ParseDate(s string) (Date, error) { return civil.Parse(s) }

// MustDate is ParseDate for dates written in code; it panics on a bad one.
func MustDate(s string) Date { return civil.MustParse(s) }
