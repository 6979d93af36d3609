package publicsite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/finsam/finsam/website"
)

func TestHighlightMarksEveryFormOfTheWordsAndEscapesTheRest(t *testing.T) {
	hl := highlighter{terms: website.Terms("arbetsträning café")}
	got := hl.highlight(`<b>Arbetsträningen</b> & "arbetsträning" i Café Ö`, 0)
	want := `&lt;b&gt;<mark>Arbetsträningen</mark>&lt;/b&gt; &amp; &#34;<mark>arbetsträning</mark>&#34; i <mark>Café</mark> Ö`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestHighlightKeepsASnippetAroundTheFirstHit(t *testing.T) {
	var words []string
	for i := range 100 {
		words = append(words, fmt.Sprintf("ord%d", i))
	}
	words[50] = "Praktiken"
	words[60] = "praktik"
	hl := highlighter{terms: website.Terms("praktik")}
	got := string(hl.highlight(strings.Join(words, " "), 3))
	if want := "… ord47 ord48 ord49 <mark>Praktiken</mark> ord51 ord52 ord53 …"; got != want {
		t.Errorf("snippet %q, want %q", got, want)
	}
	// No hit: the start of the text.
	if got := string(hl.highlight("ett två tre fyra fem sex", 2)); got != "ett två tre …" {
		t.Errorf("snippet without a hit %q", got)
	}
	if got := string(hl.highlight("", 2)); got != "" {
		t.Errorf("empty text %q", got)
	}
}
