package civil

import (
	"encoding/json"
	"testing"
	"time"
)

// Every day from 1900 to 2100 round-trips through the day number, and day
// numbers count days as time.Time does.
func TestDaysAgreeWithTime(t *testing.T) {
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	first, _ := New(1900, 1, 1)
	for i := 0; i < 73049; i++ {
		tm := start.AddDate(0, 0, i)
		d := Of(tm)
		y, m, day := d.Civil()
		if y != tm.Year() || m != int(tm.Month()) || day != tm.Day() || d.Sub(first) != i || !d.Time().Equal(tm) {
			t.Fatalf("%v: got %04d-%02d-%02d, offset %d", tm, y, m, day, d.Sub(first))
		}
		if FromDays(d.Days()) != d {
			t.Fatalf("%v: FromDays(Days) differs", tm)
		}
		if s := tm.Format(time.DateOnly); d.String() != s {
			t.Fatalf("%v: String = %s", tm, d)
		} else if p, err := Parse(s); err != nil || p != d {
			t.Fatalf("Parse(%q) = %v, %v", s, p, err)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in  string
		err error
	}{
		{"2024-02-29", nil}, {"2023-02-29", ErrInvalid}, {"2024-13-01", ErrInvalid}, {"0000-01-01", ErrInvalid},
		{"2024-1-01", ErrSyntax}, {"2024/01/01", ErrSyntax}, {"2024-01-01T00:00", ErrSyntax}, {"", ErrSyntax}, {"abcd-ef-gh", ErrSyntax},
		{"2000-02-29", nil}, {"0001-01-01", nil}, {"9999-12-31", nil},
		{"2000-02-30", ErrInvalid}, {"2014-00-10", ErrInvalid},
		{"20140101", ErrSyntax}, {" 2014-01-01", ErrSyntax}, {"２０１４-01-01", ErrSyntax}, {"2014-01-0x", ErrSyntax},
	} {
		d, err := Parse(tc.in)
		if err != tc.err || (err == nil && d.String() != tc.in) {
			t.Errorf("Parse(%q) = %v, %v; want error %v", tc.in, d, err, tc.err)
		}
	}
	if d, err := Parse([]byte("2026-11-23")); err != nil || d.String() != "2026-11-23" {
		t.Errorf("Parse([]byte) = %v, %v", d, err)
	}
}

func TestJSON(t *testing.T) {
	type s struct {
		A Date `json:"a"`
		B Date `json:"b"`
	}
	in := s{A: MustParse("2008-07-01")}
	b, err := json.Marshal(in)
	if err != nil || string(b) != `{"a":"2008-07-01","b":null}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var out s
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Fatalf("Unmarshal = %+v, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"a":"2008-7-1"}`), &out); err == nil {
		t.Fatal("a short date was accepted")
	}
}

// A year of age is added on the birthday, not the day before.
func TestAgeOn(t *testing.T) {
	birth := MustParse("2000-03-15")
	if a := birth.AgeOn(MustParse("2025-03-14")); a != 24 {
		t.Errorf("age the day before the birthday = %d", a)
	}
	if a := birth.AgeOn(MustParse("2025-03-15")); a != 25 {
		t.Errorf("age on the birthday = %d", a)
	}
}
