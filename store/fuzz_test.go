package store

import "testing"

// FuzzParseCursor: a worklist cursor comes from the query string; an
// accepted one prints back to a cursor that parses to the same position.
func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"", "2026-11-23.42", "2026-02-30.1", "2026-11-23.-1", "2026-11-23.0x10", "2026-11-23. 7", "x.1", "2026-11-23.99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor(s)
		if err != nil || s == "" {
			return
		}
		if c.ID <= 0 {
			t.Fatalf("%q: id %d", s, c.ID)
		}
		back, err := ParseCursor(c.String())
		if err != nil || back.ID != c.ID || !back.Due.Equal(c.Due) {
			t.Fatalf("%q → %q → %+v, %v", s, c.String(), back, err)
		}
	})
}
