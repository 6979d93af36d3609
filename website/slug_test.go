package website

import "testing"

func TestSlugFoldsSwedishLettersAndPunctuation(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Möten och föreläsningar", "moten-och-forelasningar"},
		{"Finsam på Gotland", "finsam-pa-gotland"},
		{"(H)järnkoll", "h-jarnkoll"},
		{"  Tips & råd!  ", "tips-rad"},
		{"Ärende 2026", "arende-2026"},
		{"<script>alert(1)</script>", "script-alert-1-script"},
	} {
		if got := Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
		if !ValidSlug(Slug(c.in)) {
			t.Errorf("Slug(%q) not valid", c.in)
		}
	}
	for _, bad := range []string{"", "-a", "a-", "Åre", "a/b", "a b"} {
		if ValidSlug(bad) {
			t.Errorf("ValidSlug(%q)", bad)
		}
	}
}
