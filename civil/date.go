// Package civil is a calendar date without a time of day or a time zone,
// kept as a day number so that legislation rules and certificates can count
// days with integer arithmetic instead of time.Time. Both package rules and
// package certificate use it (as their Date), so dates pass between them
// without conversion.
package civil

import (
	"errors"
	"strconv"
	"time"
)

// Date is a calendar date. The zero Date means "no date" and marshals as
// JSON null.
type Date struct {
	// n is the number of days since 0001-01-01 plus one, so that the zero
	// value is free to mean "no date".
	n int32
}

// epochShift converts between n and the days-from-civil count below
// (days since 1970-01-01).
const epochShift = -719162 - 1

// Errors of Parse.
var (
	ErrSyntax  = errors.New("date must be YYYY-MM-DD")
	ErrInvalid = errors.New("no such calendar date")
)

// New returns the date year-month-day and whether it exists. Years outside
// 1–9999 are refused so that every Date has a four-digit form.
func New(year, month, day int) (Date, bool) {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return Date{}, false
	}
	return Date{n: int32(daysFromCivil(year, month, day) - epochShift)}, true
}

// FromDays is the Date with day number n (see Days).
func FromDays(n int32) Date { return Date{n: n} }

// Days is d's day number: days since 0001-01-01 plus one; 0 for the zero
// Date. Day numbers subtract and compare like the dates.
func (d Date) Days() int32 { return d.n }

// Of returns the calendar date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	dt, _ := New(y, int(m), d)
	return dt
}

// Parse reads YYYY-MM-DD and nothing else: no time, no zone, no short form.
func Parse[T string | []byte](s T) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, ErrSyntax
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, ErrSyntax
	}
	dt, ok := New(y, m, d)
	if !ok {
		return Date{}, ErrInvalid
	}
	return dt, nil
}

// MustParse is Parse for dates written in code; it panics on a bad one.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic("civil.MustParse(" + strconv.Quote(s) + "): " + err.Error())
	}
	return d
}

func digits[T string | []byte](s T) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// IsZero reports whether d is the zero "no date" value.
func (d Date) IsZero() bool { return d.n == 0 }

// Civil returns the year, month and day of d.
func (d Date) Civil() (year, month, day int) { return civilFromDays(int(d.n) + epochShift) }

// AgeOn is the age in whole years on day on of someone born on d: one
// more on each birthday.
func (d Date) AgeOn(on Date) int {
	by, bm, bd := d.Civil()
	y, m, day := on.Civil()
	age := y - by
	if m < bm || (m == bm && day < bd) {
		age--
	}
	return age
}

// Year returns the calendar year of d.
func (d Date) Year() int {
	y, _, _ := d.Civil()
	return y
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// Sub returns the number of days from o to d.
func (d Date) Sub(o Date) int { return int(d.n) - int(o.n) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.n < o.n }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.n > o.n }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	y, m, day := d.Civil()
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var b [10]byte
	return string(d.AppendTo(b[:0]))
}

// AppendTo appends YYYY-MM-DD to b without allocating.
func (d Date) AppendTo(b []byte) []byte {
	y, m, day := d.Civil()
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+day/10), byte('0'+day%10))
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.AppendTo(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return ErrSyntax
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil, rewritten).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil (Hinnant's civil_from_days).
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
