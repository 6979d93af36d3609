package rules

import (
	"errors"
	"strconv"
)

// Date is a calendar date without a time of day or a time zone, stored as a
// day number so that the engine can count days with integer arithmetic
// instead of time.Time. The zero Date means "no date" and marshals as JSON
// null.
type Date struct {
	// n is the number of days since 0001-01-01 plus one, so that the zero
	// value is free to mean "no date".
	n int32
}

// epochShift converts between n and the days-from-civil count below.
var epochShift = daysFromCivil(1, 1, 1) - 1

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's "days_from_civil" algorithm,
// rewritten here).
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

// civilFromDays is the inverse of daysFromCivil.
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
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
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

// NewDate returns the date year-month-day and whether it exists. Years
// outside 1–9999 are rejected so that every Date has a four-digit form.
func NewDate(year, month, day int) (Date, bool) {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return Date{}, false
	}
	return Date{n: int32(daysFromCivil(year, month, day) - epochShift)}, true
}

// mustDate is for dates written in the code and the tests.
func mustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var errDateSyntax = errors.New("date must be YYYY-MM-DD")
var errDateInvalid = errors.New("no such calendar date")

// ParseDate parses a date written as YYYY-MM-DD, and nothing else: no time,
// no zone, no shortened form.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, errDateSyntax
	}
	num := func(b string) int {
		v := 0
		for i := 0; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := num(s[0:4]), num(s[5:7]), num(s[8:10])
	if y < 0 || m < 0 || d < 0 {
		return Date{}, errDateSyntax
	}
	dt, ok := NewDate(y, m, d)
	if !ok {
		return Date{}, errDateInvalid
	}
	return dt, nil
}

// IsZero reports whether d is the zero "no date" value.
func (d Date) IsZero() bool { return d.n == 0 }

// Civil returns the year, month and day of d.
func (d Date) Civil() (year, month, day int) {
	return civilFromDays(int(d.n) + epochShift)
}

// Year returns the calendar year of d.
func (d Date) Year() int {
	y, _, _ := d.Civil()
	return y
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// Sub returns the number of days from o to d.
func (d Date) Sub(o Date) int { return int(d.n - o.n) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.n < o.n }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.n > o.n }

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var b [10]byte
	return string(d.appendTo(b[:0]))
}

// appendTo appends YYYY-MM-DD without allocating.
func (d Date) appendTo(b []byte) []byte {
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
	b = d.appendTo(b)
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
		return errDateSyntax
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
