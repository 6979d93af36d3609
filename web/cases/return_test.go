package cases

import "testing"

func TestSafeReturn(t *testing.T) {
	for in, want := range map[string]string{
		"/arenden/kontor?scope=office-3&after=2026-12-01.5": "/arenden/kontor?scope=office-3&after=2026-12-01.5",
		"/arenden/7":                   "/arenden/7",
		"/arenden/8":                   "/arenden/kontor",
		"//evil.example/arenden":       "/arenden/kontor",
		"https://evil.example/arenden": "/arenden/kontor",
		"/admin/users":                 "/arenden/kontor",
		"":                             "/arenden/kontor",
	} {
		if got := safeReturn(in, 7); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}
