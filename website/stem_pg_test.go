package website

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestStemAgreesWithPostgreSQL compares Stem with the stems PostgreSQL's
// swedish_stem dictionary gave for the same words (testdata, made with
// SELECT ts_lexize('swedish_stem', w)); an empty stem there is a stop word.
func TestStemAgreesWithPostgreSQL(t *testing.T) {
	f, err := os.Open("testdata/stems_postgres.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		word, want, _ := strings.Cut(sc.Text(), " ")
		got := Stem(word)
		if IsStopWord(word) {
			got = ""
		}
		if got != want {
			t.Errorf("%q: got %q, PostgreSQL %q", word, got, want)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d words", n)
	}
}
