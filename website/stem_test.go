package website

import "testing"

func TestStemFindsTheSameStemForInflectedForms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"arbetsträningen", "arbetsträning"},
		{"arbetsträning", "arbetsträning"},
		{"unga", "ung"},
		{"gotland", "gotland"},
		{"kommunerna", "kommun"},
		{"kommunens", "kommun"},
		{"möjligheter", "möj"},
		{"arbetsförmedlingen", "arbetsförmedling"},
		{"föreläsningar", "föreläsning"},
		{"hoppas", "hopp"},
		{"lättläst", "lättläst"},
	} {
		if got := Stem(c.in); got != c.want {
			t.Errorf("Stem(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStemKeepsSwedishLettersDistinct(t *testing.T) {
	if Stem("år") == Stem("ar") || Stem("öga") == Stem("oga") {
		t.Error("å/ö folded into a/o")
	}
}

func TestTermsLeaveOutStopWordsAndLowerCase(t *testing.T) {
	got := Terms("Arbetsträningen på Gotland för unga och Unga")
	want := []string{"arbetsträning", "gotland", "ung"}
	if len(got) != len(want) {
		t.Fatalf("Terms = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Terms = %q, want %q", got, want)
		}
	}
}
