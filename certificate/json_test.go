package certificate

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseJSONRefusesMalformedBodies(t *testing.T) {
	tests := []struct {
		name, body, field, code string
	}{
		{"empty body", ``, "", ParseInvalidJSON},
		{"not JSON", `id=1`, "", ParseInvalidJSON},
		{"array at the root", `[]`, "", ParseInvalidType},
		{"null at the root", `null`, "", ParseInvalidType},
		{"string at the root", `"x"`, "", ParseInvalidType},
		{"unterminated object", `{"id":"a"`, "", ParseInvalidJSON},
		{"trailing comma", `{"id":"a",}`, "", ParseInvalidJSON},
		{"trailing data", `{"id":"a"} {}`, "", ParseTrailingData},
		{"two objects", `{}{}`, "", ParseTrailingData},
		{"unknown field", `{"id":"a","ID":"b"}`, "ID", ParseUnknownField},
		{"unknown nested field", `{"patient":{"personnummer":"x","name":"y"}}`, "patient.name", ParseUnknownField},
		{"unknown field in a list element", `{"sick_leave":[{"degree":"HALFTEN"},{"grade":50}]}`, "sick_leave[1].grade", ParseUnknownField},
		{"duplicate key", `{"id":"a","id":"b"}`, "id", ParseDuplicateField},
		{"duplicate nested key", `{"prognosis":{"type":"X","type":"Y"}}`, "prognosis.type", ParseDuplicateField},
		{"number for a string", `{"id":7}`, "id", ParseInvalidType},
		{"string for a boolean", `{"smittskydd":"true"}`, "smittskydd", ParseInvalidType},
		{"object for a list", `{"diagnoses":{"code":"F321"}}`, "diagnoses", ParseInvalidType},
		{"string in a list of objects", `{"basis":["UNDERSOKNING"]}`, "basis[0]", ParseInvalidType},
		{"number in a list of strings", `{"occupation":["STUDIER",4]}`, "occupation[1]", ParseInvalidType},
		{"nested too deep", `{"diagnoses":[[[[[[[[{"code":"F321"}]]]]]]]]}`, "diagnoses[0]", ParseInvalidType},
		{"bad date", `{"sick_leave":[{"from":"2026-02-30"}]}`, "sick_leave[0].from", ParseInvalidDate},
		{"date with time", `{"basis":[{"date":"2026-02-03T00:00:00Z"}]}`, "basis[0].date", ParseInvalidDate},
		{"date-time without seconds", `{"signed_at":"2026-03-02T10:15"}`, "signed_at", ParseInvalidDateTime},
		{"unsupported version", `{"version":"3.0"}`, "version", ParseUnsupportedVersion},
		{"version not a number", `{"version":"v1"}`, "version", ParseUnsupportedVersion},
		{"fractional days", `{"prognosis":{"type":"ATER_X_ANTAL_DGR","days":30.5}}`, "prognosis.days", ParseInvalidNumber},
		{"days as exponent", `{"prognosis":{"days":3e1}}`, "prognosis.days", ParseInvalidNumber},
		{"huge number", `{"prognosis":{"days":12345678901234567890}}`, "prognosis.days", ParseInvalidNumber},
		{"leading zero", `{"prognosis":{"days":030}}`, "", ParseInvalidJSON},
		{"invalid UTF-8", "{\"id\":\"\xff\"}", "", ParseInvalidJSON},
		{"control character", "{\"id\":\"a\nb\"}", "", ParseInvalidJSON},
		{"NUL escape", `{"other":"a\u0000b"}`, "", ParseInvalidJSON},
		{"lone surrogate", `{"other":"\ud800"}`, "", ParseInvalidJSON},
		{"bad escape", `{"other":"\x41"}`, "", ParseInvalidJSON},
		{"bad literal", `{"smittskydd":tru}`, "", ParseInvalidJSON},
		{"single quotes", `{'id':'a'}`, "", ParseInvalidJSON},
		{"too many list elements", `{"occupation":[` + strings.Repeat(`"STUDIER",`, 100) + `"STUDIER"]}`, "occupation", ParseTooManyElements},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseJSON([]byte(tc.body))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, %v; want a *ParseError", c, err)
			}
			if pe.Code != tc.code || pe.Field != tc.field || pe.Message == "" {
				t.Fatalf("got %q %q (%s), want %q %q", pe.Field, pe.Code, pe.Message, tc.field, tc.code)
			}
		})
	}
}

func TestParseJSONAcceptsNullAsAbsentAndEscapes(t *testing.T) {
	c, err := ParseJSON([]byte(` { "id" : "a\u00e5\"\\\/\n" , "patient": null, "basis": null, "prognosis": null,
		"working_time_distribution": null, "relation": null, "smittskydd": null, "signed_at": null,
		"other": "\ud83d\ude00 \t", "prognosis": null } `))
	if err == nil {
		t.Fatal("a repeated prognosis was accepted")
	}
	c, err = ParseJSON([]byte(` { "id" : "a\u00e5\"\\\/\n" , "patient": null, "basis": null, "prognosis": null,
		"working_time_distribution": null, "relation": null, "smittskydd": null, "signed_at": null,
		"other": "\ud83d\ude00 \t" } `))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "aå\"\\/\n" || c.Other != "😀 \t" || c.Basis != nil || c.Prognosis != nil || c.WorkingTimeDistribution != nil {
		t.Fatalf("got %+v", c)
	}
}

func TestParseJSONReadsEveryField(t *testing.T) {
	c, err := ParseJSON(readExample(t, "exhaustion-v2-supplement", "json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer.CareProviderName != "Region Gotland" || len(c.Basis) != 2 || c.Basis[1].Description == "" ||
		len(c.Occupation) != 2 || c.Diagnoses[1].Code != "G47.0" || c.SickLeave[1].To != MustDate("2026-08-09") ||
		c.EarlyStartReason == "" || c.FMBMotivation == "" || c.WorkingTimeDistribution == nil || *c.WorkingTimeDistribution ||
		!c.TravelToWork || c.Prognosis.Months != 3 || c.WorkMeasuresText == "" || c.Other == "" || c.Version != "2.0" ||
		!c.ContactFK || c.ContactReason == "" || c.Relation.Type != RelationSupplement ||
		c.SignedAt.Format("2006-01-02T15:04:05Z07:00") != "2026-06-15T14:30:00+02:00" {
		t.Fatalf("got %+v", c)
	}
}

func TestPeriodsInPercent(t *testing.T) {
	c := base(t)
	c.SickLeave = append(c.SickLeave, SickLeave{DegreeThreeQuarters, MustDate("2026-04-20"), MustDate("2026-04-30")},
		SickLeave{DegreeOneQuarter, MustDate("2026-05-01"), MustDate("2026-05-10")}, SickLeave{"X", today, today})
	got := c.Periods()
	want := []Period{{MustDate("2026-03-02"), MustDate("2026-03-22"), 100}, {MustDate("2026-03-23"), MustDate("2026-04-19"), 50},
		{MustDate("2026-04-20"), MustDate("2026-04-30"), 75}, {MustDate("2026-05-01"), MustDate("2026-05-10"), 25}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestParseJSONSignedAtWithoutOffsetIsSwedishLocalTime(t *testing.T) {
	for local, utc := range map[string]string{
		"2026-03-02T10:15:00":       "2026-03-02T09:15:00Z", // winter, +01:00
		"2026-06-15T14:30:00":       "2026-06-15T12:30:00Z", // summer, +02:00
		"2026-03-29T03:30:00":       "2026-03-29T01:30:00Z", // just after the spring change
		"2026-10-25T02:30:00":       "2026-10-25T00:30:00Z", // the repeated hour: summer-time reading
		"2026-06-15T14:30:00Z":      "2026-06-15T14:30:00Z", // an offset is taken as given
		"2026-06-15T14:30:00-05:00": "2026-06-15T19:30:00Z",
	} {
		c, err := ParseJSON([]byte(`{"signed_at":"` + local + `"}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.SignedAt.UTC().Format(time.RFC3339); got != utc {
			t.Errorf("%s: got %s, want %s", local, got, utc)
		}
	}
}

func TestParseJSONVersionDefaultsToTheNewest(t *testing.T) {
	for body, want := range map[string]string{`{}`: NewestVersion, `{"version":"1"}`: "1.0", `{"version":"1.3"}`: "1.3",
		`{"version":"2.0"}`: "2.0", `{"version":""}`: NewestVersion} {
		c, err := ParseJSON([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != want {
			t.Errorf("%s: version %q, want %q", body, c.Version, want)
		}
	}
}
