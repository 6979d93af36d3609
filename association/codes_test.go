package association

import (
	"slices"
	"strings"
	"testing"
)

func TestDefaultCodeListsParseAndSayTheirSource(t *testing.T) {
	cl, err := DefaultCodeLists()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range listNames {
		l := cl.List(name)
		if l == nil || l.Source == "" || l.Description == "" {
			t.Errorf("%s: missing or without source", name)
			continue
		}
		if !l.Complete && !strings.Contains(l.Note, "unconfirmed") && !strings.Contains(l.Note, "ours") {
			t.Errorf("%s is not confirmed complete but its note does not say so", name)
		}
	}
	for _, c := range []string{"salary", "sickness_benefit", "activity_compensation", "unemployment_benefit", "income_support", "none", "other"} {
		if !cl.Has(ListIncomeSource, c) {
			t.Errorf("income source %s missing", c)
		}
	}
	for _, c := range []string{"work", "studies", "other_insats", "moved", "illness", "wrong_registration", "other"} {
		if !cl.Has(ListEndReason, c) {
			t.Errorf("end reason %s missing", c)
		}
	}
	if w := cl.WithFlag(ListOccupation, FlagWork); !slices.Equal(w, []string{"employed", "employed_subsidised", "self_employed"}) {
		t.Errorf("work occupations = %v", w)
	}
	if cl.Label(ListSex, "female") != "Kvinna" || cl.Label(ListSex, "gone") != "gone" {
		t.Error("labels")
	}
}

func TestAssociationReplacesAList(t *testing.T) {
	cl := MustDefaultCodeLists()
	own, err := ParseCodeList([]byte(`{"name": "age_group", "source": "förbundets beslut 2025-01-01", "codes": [
		{"code": "16-29", "sv": "16–29", "en": "16–29", "min_age": 16, "max_age": 29},
		{"code": "30-", "sv": "30+", "en": "30+", "min_age": 30}]}`))
	if err != nil {
		t.Fatal(err)
	}
	mine := cl.With(own)
	if mine.AgeGroup(45) != "30-" || cl.AgeGroup(45) != "40-49" {
		t.Errorf("With changed the wrong value: %q, %q", mine.AgeGroup(45), cl.AgeGroup(45))
	}
	for name, data := range map[string]string{
		"unknown list":  `{"name": "colours", "source": "x", "codes": [{"code": "a", "sv": "a", "en": "a"}]}`,
		"no source":     `{"name": "sex", "codes": [{"code": "a", "sv": "a", "en": "a"}]}`,
		"code twice":    `{"name": "sex", "source": "x", "codes": [{"code": "a", "sv": "a", "en": "a"}, {"code": "a", "sv": "b", "en": "b"}]}`,
		"bands overlap": `{"name": "age_group", "source": "x", "codes": [{"code": "a", "sv": "a", "en": "a", "min_age": 16, "max_age": 30}, {"code": "b", "sv": "b", "en": "b", "min_age": 30}]}`,
		"unknown field": `{"name": "sex", "source": "x", "colour": 1, "codes": [{"code": "a", "sv": "a", "en": "a"}]}`,
	} {
		if _, err := ParseCodeList([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
