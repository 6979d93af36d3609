package civil

import "testing"

// FuzzParse: Parse accepts only YYYY-MM-DD of a day that exists, and an
// accepted date prints back as the same text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-11-23", "2024-02-29", "2026-02-29", "0001-01-01", "9999-12-31", "2026-13-01", "2026-1-01", "+026-01-01", "２０２６-01-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			if _, errBytes := Parse([]byte(s)); errBytes == nil {
				t.Fatalf("%q: the string is refused (%v) but the same bytes are accepted", s, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q parses to %v", s, d)
		}
		y, m, day := d.Civil()
		if back, ok := New(y, m, day); !ok || back != d {
			t.Fatalf("%q: %d-%d-%d does not make the same date", s, y, m, day)
		}
	})
}
