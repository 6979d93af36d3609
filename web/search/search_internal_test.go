package search

import (
	"testing"
	"time"

	"github.com/finsam/finsam/store"
)

func TestParse(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in      string
		kind    string
		terms   store.SearchTerms
		number  int64
		problem string
	}{
		{in: "19800202-9802", kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: "198002029802"}},
		{in: "198002029802", kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: "198002029802"}},
		{in: "800202-9802", kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: "198002029802"}},
		{in: " 8002029802 ", kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: "198002029802"}},
		{in: "800202 9802", kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: "198002029802"}},
		// Born 1880: "+" says the person is a hundred or older.
		{in: "800202+9802", kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: "188002029802"}},
		// A samordningsnummer: the day plus 60.
		{in: "19800262-9809", kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: "198002629809"}},
		{in: "19800202-9803", problem: problemChecksum},
		{in: "800202-9803", problem: problemChecksum},
		{in: "19801302-9802", problem: problemInvalidPN},
		{in: "2030-0202", problem: problemInvalidPN},
		{in: "1234", kind: kindNumber, number: 1234},
		{in: "0", problem: problemInvalidPN},
		{in: "anna", kind: kindName, terms: store.SearchTerms{Name: "anna"}},
		{in: "  Anna Andersson ", kind: kindName, terms: store.SearchTerms{Name: "Anna Andersson"}},
		{in: "Ö", problem: problemTooShort},
		{in: "a1", problem: problemTooShort},
		{in: "", problem: problemRequired},
		{in: "   ", problem: problemRequired},
		{in: string(make([]byte, 101)) + "x", problem: problemTooLong},
		{in: "\xff\xfeab", problem: problemTooLong},
	} {
		p, problem := parse(tc.in, today)
		if problem != tc.problem || p.kind != tc.kind || p.terms != tc.terms || p.number != tc.number {
			t.Errorf("parse(%q) = %+v, %q; want %s %+v %d, %q", tc.in, p, problem, tc.kind, tc.terms, tc.number, tc.problem)
		}
	}
}
