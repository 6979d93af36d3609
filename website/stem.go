package website

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Stem reduces a lower-case Swedish word to its stem with the Snowball
// Swedish algorithm (https://snowballstem.org/algorithms/swedish/stemmer.html),
// the same stemmer as PostgreSQL's swedish text-search configuration, so
// that a search gives the same answers on SQLite as on PostgreSQL
// ("arbetsträningen" and "arbetsträning" both become "arbetsträning").
// å, ä and ö are letters of their own and are never folded into a and o.
func Stem(word string) string {
	if v, ok := stemCache.Load(word); ok {
		return v.(string)
	}
	st := stem(word)
	if stemCacheSize.Add(1) <= maxStemCache {
		stemCache.Store(word, st)
	}
	return st
}

// stemCache keeps the stems of the words seen, up to maxStemCache words: a
// site's vocabulary is small and search stems the same words again and
// again.
var (
	stemCache     sync.Map
	stemCacheSize atomic.Int64
)

const maxStemCache = 200000

func stem(word string) string {
	w := []rune(word)
	p1 := r1(w)
	// Step 1: the longest main suffix in R1.
	if s := longestSuffix(w, p1, mainSuffixes); s > 0 {
		w = w[:len(w)-s]
	} else if len(w)-1 >= p1 && len(w) >= 2 && w[len(w)-1] == 's' && strings.ContainsRune(sEnding, w[len(w)-2]) {
		w = w[:len(w)-1]
	}
	// Step 2: a double or paired consonant at the end of R1 loses its last
	// letter.
	if longestSuffix(w, p1, consonantPairs) > 0 {
		w = w[:len(w)-1]
	}
	// Step 3: other suffixes.
	if s := longestSuffix(w, p1, []string{"lig", "ig", "els"}); s > 0 {
		w = w[:len(w)-s]
	} else if longestSuffix(w, p1, []string{"löst"}) > 0 {
		w = w[:len(w)-1]
	} else if longestSuffix(w, p1, []string{"fullt"}) > 0 {
		w = w[:len(w)-1]
	}
	return string(w)
}

const vowels = "aeiouyäåö"

// sEnding are the letters before which a final s is removed.
const sEnding = "bcdfghjklmnoprtvy"

var mainSuffixes = []string{
	"a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne",
	"are", "aste", "en", "anden", "aren", "heten", "ern", "ar", "er", "heter",
	"or", "as", "arnas", "ernas", "ornas", "es", "ases", "andes", "ens", "arens",
	"hetens", "erns", "at", "andet", "het", "ast",
}

var consonantPairs = []string{"dd", "gd", "nn", "dt", "gt", "kt", "tt"}

// r1 is where the region R1 starts: after the first non-vowel that follows
// a vowel, but at least three letters in.
func r1(w []rune) int {
	p := len(w)
	for i := 1; i < len(w); i++ {
		if !isVowel(w[i]) && isVowel(w[i-1]) {
			p = i + 1
			break
		}
	}
	return max(p, min(3, len(w)))
}

func isVowel(r rune) bool { return strings.ContainsRune(vowels, r) }

// longestSuffix is the length of the longest of suffixes that w ends with
// inside R1 (starting at p1 or later), or 0.
func longestSuffix(w []rune, p1 int, suffixes []string) int {
	best := 0
	ws := string(w)
	for _, s := range suffixes {
		n := utf8.RuneCountInString(s)
		if n <= best || n > len(w)-p1 {
			continue
		}
		if strings.HasSuffix(ws, s) {
			best = n
		}
	}
	return best
}

// stopWords are PostgreSQL's Swedish stop words (tsearch_data/swedish.stop,
// from Snowball's list): words too common to search for.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`och det att i en jag hon som han på den med var sig för så till är men ett om hade de
		av icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter upp
		vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna själv detta åt utan
		varit hur ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom mellan
		sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas`) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether a lower-case word is a stop word.
func IsStopWord(w string) bool { return stopWords[w] }

// Word is one word of a text: where it is (rune offsets) and its stem ("" for a stop word).
type Word struct {
	Start, End int
	Stem       string
}

// Words splits text into words (runs of letters and digits), lower-cases
// them and stems them.
func Words(text string) []Word {
	var out []Word
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isWordRune(rs[j]) {
			j++
		}
		w := strings.ToLower(string(rs[i:j]))
		stem := ""
		if !stopWords[w] {
			stem = Stem(w)
		}
		out = append(out, Word{Start: i, End: j, Stem: stem})
		i = j
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Terms are the distinct stems of text, in order of first appearance, stop
// words left out: what a search indexes and what a query asks for.
func Terms(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range Words(text) {
		if w.Stem != "" && !seen[w.Stem] {
			seen[w.Stem] = true
			out = append(out, w.Stem)
		}
	}
	return out
}

// Span is a word of a text by byte offsets, and whether its stem is one
// of the terms a search asked for.
type Span struct {
	Start, End int
	Hit        bool
}

// MatchWords splits text into words as Words does (by bytes, not runes)
// and marks each word whose stem is one of terms, appending to spans[:0].
// It stems only the words that begin with one of terms: the stemmer only
// removes endings, so a word's stem always begins it, and a word that
// begins with no term cannot stem to one. Marking the words of a text
// found by a search so costs little more than splitting it.
func MatchWords(text string, terms []string, spans []Span) []Span {
	spans = spans[:0]
	var space [64]byte
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		lower := space[:0]
		j := i
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			lower = utf8.AppendRune(lower, unicode.ToLower(r))
			j += n
		}
		spans = append(spans, Span{Start: i, End: j, Hit: stemsToOneOf(lower, terms)})
		i = j
	}
	return spans
}

// stemsToOneOf reports whether the lower-case word's stem is one of terms.
func stemsToOneOf(word []byte, terms []string) bool {
	for _, t := range terms {
		if len(t) <= len(word) && string(word[:len(t)]) == t {
			w := string(word)
			if stopWords[w] {
				return false
			}
			st := Stem(w)
			for _, t := range terms {
				if st == t {
					return true
				}
			}
			return false
		}
	}
	return false
}
