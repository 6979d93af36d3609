package website

import (
	"os"
	"slices"
	"strings"
	"testing"
)

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

// TestMatchWordsMarksWhatWordsStems compares MatchWords with Words on
// texts of mixed case, Swedish letters, digits, punctuation and invalid
// UTF-8: the same words (at the same places, counted in bytes instead of
// runes) and a word marked exactly when its stem is a term. It also checks
// the premise MatchWords rests on, that a stem begins its word, for every
// word PostgreSQL's stems are compared on.
func TestMatchWordsMarksWhatWordsStems(t *testing.T) {
	words, err := os.ReadFile("testdata/stems_postgres.txt")
	if err != nil {
		t.Fatal(err)
	}
	var corpus []string
	for _, line := range strings.Split(strings.TrimSpace(string(words)), "\n") {
		w := strings.Fields(line)[0]
		if !strings.HasPrefix(w, Stem(w)) {
			t.Errorf("Stem(%q) = %q does not begin the word", w, Stem(w))
		}
		corpus = append(corpus, w)
	}
	texts := []string{
		"Arbetsträningen på Gotland för UNGA och unga: arbetsträning, ARBETSTRÄNING!",
		"Ett dokument om ar, ör och or. År 2026 – 18–64 år.",
		"Föreläsningar om psykisk ohälsa; föreläsningen handlar om hälsa och Hälsan.",
		"Ogiltig \xff byte mitt i arbets\xfeträning och stöd.",
		"",
		strings.Join(corpus, " "),
		strings.ToUpper(strings.Join(corpus, ", ")),
	}
	termSets := [][]string{
		Terms("arbetsträning unga"), Terms("år ör"), Terms("föreläsningar hälsa"), Terms("stöd"), {"arbet", "arbetsträning"},
		Terms(strings.Join(corpus[:len(corpus)/2], " ")), nil,
	}
	for _, text := range texts {
		for _, terms := range termSets {
			got := MatchWords(text, terms, nil)
			want := Words(text)
			if len(got) != len(want) {
				t.Fatalf("%q: %d words, Words gives %d", text, len(got), len(want))
			}
			rs := []rune(text)
			for i, w := range want {
				hit := w.Stem != "" && slices.Contains(terms, w.Stem)
				if g := got[i]; text[g.Start:g.End] != string(rs[w.Start:w.End]) || g.Hit != hit {
					t.Errorf("%q, terms %q: word %d is %q (hit %v), Words gives %q (hit %v)", text, terms, i, text[g.Start:g.End], g.Hit,
						string(rs[w.Start:w.End]), hit)
				}
			}
		}
	}
}
