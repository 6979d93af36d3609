// Package personnummer parses and checks Swedish personal identity numbers
// (personnummer, folkbokföringslagen 18 §) and coordination numbers
// (samordningsnummer, 18 a §: the day of birth plus 60), and generates
// synthetic ones for tests and demo data.
//
// Numbers are kept normalised as 12 digits (YYYYMMDDNNNC). They are personal
// data: never log them or put them in URLs.
package personnummer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Number is a normalised personnummer or samordningsnummer: 12 digits.
type Number string

// Errors returned by Parse.
var (
	ErrFormat   = errors.New("not a personnummer: use YYYYMMDD-NNNN or YYMMDD-NNNN")
	ErrDate     = errors.New("the birth date in the personnummer does not exist")
	ErrFuture   = errors.New("the birth date in the personnummer is in the future")
	ErrChecksum = errors.New("the check digit of the personnummer is wrong")
)

// earliest is the earliest birth date accepted, as in Inera's validator
// (PersonnummerValidator: dates before 1840-05-06 are refused).
var earliest = time.Date(1840, 5, 6, 0, 0, 0, 0, time.UTC)

// Parse reads a personnummer or samordningsnummer written as 12 digits
// (YYYYMMDDNNNC) or 10 (YYMMDDNNNC), with or without the separator "-" or
// "+". For 10 digits the century is the latest one that puts the birth date
// on or before today, one century earlier with "+" (the person is 100 or
// older). today is the date the number is read on; it is an input so that
// results never depend on the clock.
func Parse(s string, today time.Time) (Number, error) {
	digits := make([]byte, 0, 12)
	sep := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case (c == '-' || c == '+') && sep == 0 && (len(digits) == 6 || len(digits) == 8):
			sep = c
		default:
			return "", ErrFormat
		}
	}
	if len(digits) == 10 {
		yy := int(digits[0]-'0')*10 + int(digits[1]-'0')
		century := today.Year() / 100 * 100
		year := century + yy
		if md := monthDay(digits[2:6]); year > today.Year() || (year == today.Year() && md > int(today.Month())*100+today.Day()) {
			year -= 100
		}
		if sep == '+' {
			year -= 100
		}
		digits = append([]byte(fmt.Sprintf("%04d", year)[:2]), digits...)
	} else if len(digits) != 12 || sep == '+' {
		return "", ErrFormat
	}
	n := Number(digits)
	birth, ok := n.birthDate()
	if !ok {
		return "", ErrDate
	}
	if birth.Before(earliest) {
		return "", ErrDate
	}
	if birth.After(today) {
		return "", ErrFuture
	}
	if CheckDigit(string(digits[2:11])) != int(digits[11]-'0') {
		return "", ErrChecksum
	}
	return n, nil
}

// monthDay returns MMDD as a number, with the samordningsnummer's +60 on the
// day removed.
func monthDay(b []byte) int {
	m := int(b[0]-'0')*10 + int(b[1]-'0')
	d := int(b[2]-'0')*10 + int(b[3]-'0')
	if d > 60 {
		d -= 60
	}
	return m*100 + d
}

func (n Number) birthDate() (time.Time, bool) {
	if len(n) != 12 {
		return time.Time{}, false
	}
	num := func(i, j int) int {
		v := 0
		for _, c := range n[i:j] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := num(0, 4), num(4, 6), num(6, 8)
	if d > 60 {
		d -= 60
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// BirthDate is the date of birth the number encodes.
func (n Number) BirthDate() time.Time {
	t, _ := n.birthDate()
	return t
}

// IsCoordination reports whether n is a samordningsnummer (day + 60).
func (n Number) IsCoordination() bool { return len(n) == 12 && n[6] >= '6' }

// String formats n as YYYYMMDD-NNNN.
func (n Number) String() string {
	if len(n) != 12 {
		return string(n)
	}
	return string(n[:8]) + "-" + string(n[8:])
}

// Masked hides the last four digits (YYYYMMDD-XXXX), for places where the
// birth date is enough to tell people apart.
func (n Number) Masked() string {
	if len(n) != 12 {
		return "XXXXXXXX-XXXX"
	}
	return string(n[:8]) + "-XXXX"
}

// CheckDigit computes the Luhn (modulus 10, weights 2,1,2,…) check digit
// over digits: for a personnummer the nine digits YYMMDDNNN, as
// Skatteverket describes it; organisation numbers and the organisation
// number in an HSA-id take the same digit over their first nine.
func CheckDigit(digits string) int {
	sum := 0
	for i := 0; i < len(digits); i++ {
		v := int(digits[i]-'0') * (2 - i%2)
		sum += v/10 + v%10
	}
	return (10 - sum%10) % 10
}

// Test numbers. Synthetic persons get birth numbers (the three digits after
// the date) in the series 980–999, the series Skatteverket's published
// test personnummer use, so that they can be recognised as test data
// wherever they end up. IsTestSeries tells such numbers apart.
const (
	testSeriesFirst = 980
	testSeriesLast  = 999
)

// IsTestSeries reports whether n is in the series finsam uses for synthetic
// persons.
func (n Number) IsTestSeries() bool {
	if len(n) != 12 {
		return false
	}
	b := int(n[8]-'0')*100 + int(n[9]-'0')*10 + int(n[10]-'0')
	return b >= testSeriesFirst && b <= testSeriesLast
}

// Generate returns a synthetic personnummer in the test series for a person
// born on birth. The same rng state gives the same number, so demo data is
// reproducible. coordination makes it a samordningsnummer instead.
func Generate(rng *rand.Rand, birth time.Time, coordination bool) Number {
	day := birth.Day()
	if coordination {
		day += 60
	}
	serial := testSeriesFirst + rng.IntN(testSeriesLast-testSeriesFirst+1)
	s := fmt.Sprintf("%04d%02d%02d%03d", birth.Year(), int(birth.Month()), day, serial)
	return Number(s + string(rune('0'+CheckDigit(s[2:]))))
}
