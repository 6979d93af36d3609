package association

import (
	"errors"
	"math"
	"testing"
)

func TestOreFormatsSwedish(t *testing.T) {
	for _, tc := range []struct {
		in   Ore
		want string
	}{
		{0, "0,00 kr"},
		{5, "0,05 kr"},
		{100, "1,00 kr"},
		{123456789, "1 234 567,89 kr"},
		{100000, "1 000,00 kr"},
		{99999, "999,99 kr"},
		{-123450, "-1 234,50 kr"},
		{math.MinInt64, "-92 233 720 368 547 758,08 kr"},
	} {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("Ore(%d) = %q, want %q", int64(tc.in), got, tc.want)
		}
	}
}

func TestParseOreReadsWhatPeopleType(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Ore
	}{
		{"1 234,50", 123450},
		{"1234.5", 123450},
		{"1\u00a0234\u00a0567,89 kr", 123456789},
		{"  12 kr ", 1200},
		{"12:-", 1200},
		{"-50", -5000},
		{"\u2212 7,05", -705},
		{"+3", 300},
		{"0,1", 10},
	} {
		got, err := ParseOre(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseOre(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestParseOreRefusesAmbiguousAndBadInput(t *testing.T) {
	for _, in := range []string{"", "kr", "1,234,5", "1.234,50", "12,345", "1e3", "abc", ",50", "12,", "--1", "1 2a"} {
		_, err := ParseOre(in)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalidAmount {
			t.Errorf("ParseOre(%q) = %v, want %s", in, err, CodeInvalidAmount)
		}
	}
	_, err := ParseOre("100000000000000000000")
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeAmountOverflow {
		t.Errorf("huge amount: %v, want %s", err, CodeAmountOverflow)
	}
}

func TestParseOreRoundTripsString(t *testing.T) {
	for _, o := range []Ore{0, 1, 99, 100, 123456789, -42, 92233720368547758} {
		got, err := ParseOre(o.String())
		if err != nil || got != o {
			t.Errorf("ParseOre(%q) = %d, %v", o.String(), got, err)
		}
	}
}
