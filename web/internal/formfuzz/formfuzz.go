// Package formfuzz fuzzes a feature's form decoders with one form at a
// time, as a query string or an application/x-www-form-urlencoded body
// (which decode alike). It imports no feature, so a feature's own tests
// may use it.
package formfuzz

import (
	"net/url"
	"slices"
	"testing"
)

// malformed are the forms every fuzz starts from besides its own: broken
// escapes and separators, and no form at all.
var malformed = []string{"a=%ff%fe&&==&%zz", ""}

// Run fuzzes check with forms grown from seeds and the malformed ones.
// check gets the raw form and what of it decodes: a form that does not
// decode whole is served with what did.
func Run(f *testing.F, seeds []string, check func(t *testing.T, raw string, q url.Values)) {
	for _, s := range slices.Concat(seeds, malformed) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		check(t, raw, q)
	})
}
