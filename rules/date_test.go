package rules

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDateAgreesWithTimePackageEveryDay2000To2100(t *testing.T) {
	tm := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	prev, _ := NewDate(1999, 12, 31)
	for ; tm.Year() < 2100; tm = tm.AddDate(0, 0, 1) {
		s := tm.Format(time.DateOnly)
		d, err := ParseDate(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if d.String() != s || d.Sub(prev) != 1 {
			t.Fatalf("%s: got %s, %d days after the previous", s, d, d.Sub(prev))
		}
		prev = d
	}
}

func TestParseDateRejectsWhatIsNotACalendarDate(t *testing.T) {
	for _, s := range []string{"", "2014-1-01", "2014/01/01", "2014-02-29", "2000-02-30", "2014-00-10",
		"2014-13-01", "0000-01-01", "20140101", "2014-01-01T00:00", " 2014-01-01", "２０１４-01-01", "2014-01-0x"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	for _, s := range []string{"2000-02-29", "2024-02-29", "0001-01-01", "9999-12-31"} {
		if d, err := ParseDate(s); err != nil || d.String() != s {
			t.Errorf("%q: %v %v", s, d, err)
		}
	}
}

func TestZeroDateIsJSONNull(t *testing.T) {
	b, _ := json.Marshal(struct{ A, B Date }{A: mustDate("2020-01-02")})
	if string(b) != `{"A":"2020-01-02","B":null}` {
		t.Errorf("got %s", b)
	}
	var v struct{ A, B Date }
	if err := json.Unmarshal(b, &v); err != nil || v.A != mustDate("2020-01-02") || !v.B.IsZero() {
		t.Errorf("got %+v %v", v, err)
	}
}
