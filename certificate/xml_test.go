package certificate

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// exampleXML returns testdata/depression-good.xml with replacements made.
func exampleXML(t testing.TB, oldnew ...string) []byte {
	t.Helper()
	return []byte(strings.NewReplacer(oldnew...).Replace(string(readExample(t, "depression-good", "xml"))))
}

func TestParseXMLIsTolerantOfNamespacePrefixesAndEnvelopes(t *testing.T) {
	want := base(t).Canonical()
	variants := map[string][]byte{
		"other prefixes": exampleXML(t, "ns2:", "rc:", "xmlns:ns2=", "xmlns:rc=", "ns3:", "tp:", "xmlns:ns3=", "xmlns:tp="),
		"no prefixes": exampleXML(t, "ns2:", "", "ns3:", "", ` xmlns:ns2="urn:riv:clinicalprocess:healthcond:certificate:RegisterCertificateResponder:3"`, "",
			` xmlns:ns3="urn:riv:clinicalprocess:healthcond:certificate:types:3"`, ""),
		"in a SOAP envelope": append(append([]byte(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body>`),
			bytes.TrimPrefix(exampleXML(t), []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`))...),
			`</soapenv:Body></soapenv:Envelope>`...),
		"white space around codes": exampleXML(t, "<ns3:code>HALFTEN</ns3:code>", "<ns3:code>\n  HALFTEN\n</ns3:code>",
			`<delsvar id="1.2">2026-02-10</delsvar>`, `<delsvar id="1.2"> 2026-02-10 </delsvar>`),
		"xs:boolean as 1": exampleXML(t, `<delsvar id="33.1">true</delsvar>`, `<delsvar id="33.1">1</delsvar>`),
	}
	for name, doc := range variants {
		t.Run(name, func(t *testing.T) {
			c, err := ParseXML(doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Canonical(); !bytes.Equal(got, want) {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestParseXMLSplitsSvar25(t *testing.T) {
	tests := []struct {
		svar25, notExamined, earlyStart, other string
	}{
		{"Övrigt.", "", "", "Övrigt."},
		{prefixNotExamined + "Telefonbesök på grund av smitta.", "Telefonbesök på grund av smitta.", "", ""},
		{prefixEarlyStart + "Sökte vård först nu.\nÖvrigt med\nflera rader.", "", "Sökte vård först nu.", "Övrigt med\nflera rader."},
		{prefixNotExamined + "A\n" + prefixEarlyStart + "B\nC", "A", "B", "C"},
		{prefixNotExamined + "A\nB", "A", "", "B"},
		{"Text som nämner " + prefixEarlyStart, "", "", "Text som nämner " + prefixEarlyStart},
	}
	for _, tc := range tests {
		ne, es, o := splitOther(tc.svar25)
		if ne != tc.notExamined || es != tc.earlyStart || o != tc.other {
			t.Errorf("splitOther(%q) = %q %q %q", tc.svar25, ne, es, o)
		}
		if j := JoinOther(ne, es, o); j != tc.svar25 && tc.other != "" && !strings.Contains(tc.other, prefixEarlyStart) {
			t.Errorf("JoinOther gives %q, want %q", j, tc.svar25)
		}
	}
	doc := exampleXML(t, `<svar id="26">`, `<svar id="25"><delsvar id="25.1">`+prefixNotExamined+"Telefon.\n"+prefixEarlyStart+"Sent.\nÖvrigt</delsvar></svar><svar id=\"26\">")
	c, err := ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	if c.NotExaminedReason != "Telefon." || c.EarlyStartReason != "Sent." || c.Other != "Övrigt" {
		t.Fatalf("got %q %q %q", c.NotExaminedReason, c.EarlyStartReason, c.Other)
	}
}

func TestParseXMLSigningTimeIsSwedishLocalTime(t *testing.T) {
	for local, utc := range map[string]string{
		"2026-03-02T10:15:00":       "2026-03-02T09:15:00Z", // winter, +01:00
		"2026-06-15T14:30:00.250":   "2026-06-15T12:30:00.25Z",
		"2026-03-29T03:30:00":       "2026-03-29T01:30:00Z", // just after the spring change
		"2026-10-25T02:30:00":       "2026-10-25T00:30:00Z", // the repeated hour: summer-time reading
		"2026-10-25T03:30:00":       "2026-10-25T02:30:00Z",
		"2026-03-02T10:15:00Z":      "2026-03-02T10:15:00Z", // an explicit offset is honoured
		"2026-03-02T10:15:00+02:00": "2026-03-02T08:15:00Z",
		"1990-10-05T12:00:00":       "1990-10-05T11:00:00Z", // summer time ended in September before 1996
		"1975-07-01T12:00:00":       "1975-07-01T11:00:00Z", // no summer time
	} {
		c, err := ParseXML(exampleXML(t, "<signeringstidpunkt>2026-03-02T10:15:00</signeringstidpunkt>", "<signeringstidpunkt>"+local+"</signeringstidpunkt>"))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.SignedAt.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"); got != utc {
			t.Errorf("%s: got %s, want %s", local, got, utc)
		}
	}
}

func TestParseXMLRefusesMalformedDocuments(t *testing.T) {
	tests := []struct {
		name  string
		doc   []byte
		field string
		code  string
	}{
		{"not XML", []byte(`{"id":"a"}`), "", ParseNotACertificate},
		{"broken XML", []byte(`<RegisterCertificate><intyg>`), "", ParseInvalidXML},
		{"mismatched tags", exampleXML(t, "</skapadAv>", "</skapadav>"), "", ParseInvalidXML},
		{"not a RegisterCertificate", []byte(`<Other><intyg/></Other>`), "", ParseNotACertificate},
		{"no intyg", []byte(`<RegisterCertificate/>`), "", ParseNotACertificate},
		{"another certificate type", exampleXML(t, "<ns3:code>LISJP</ns3:code>", "<ns3:code>LUSE</ns3:code>"), "", ParseUnsupportedType},
		{"no type", exampleXML(t, "<typ>", "<typx>", "</typ>", "</typx>"), "", ParseUnsupportedType},
		{"unknown svar", exampleXML(t, `<svar id="29">`, `<svar id="31"><delsvar id="31.1">x</delsvar></svar><svar id="29">`), "", ParseUnknownAnswer},
		{"svar 30 outside the 2016 schema", exampleXML(t, `<svar id="29">`, `<svar id="30"><delsvar id="30.1">x</delsvar></svar><svar id="29">`), "", ParseUnknownAnswer},
		{"additional question with another delsvar", exampleXML(t, `<svar id="29">`, `<svar id="9001"><delsvar id="9001.2">x</delsvar></svar><svar id="29">`), "", ParseUnknownAnswer},
		{"additional question twice", exampleXML(t, `<svar id="29">`, `<svar id="9001"><delsvar id="9001.1">x</delsvar></svar><svar id="9001"><delsvar id="9001.1">y</delsvar></svar><svar id="29">`), "additional[1]", ParseDuplicateAnswer},
		{"additional question empty", exampleXML(t, `<svar id="29">`, `<svar id="9002"><delsvar id="9002.1"></delsvar></svar><svar id="29">`), "additional[0].text", ParseEmptyAnswer},
		{"delsvar twice", exampleXML(t, `<delsvar id="29.1">`, `<delsvar id="29.1">x</delsvar><delsvar id="29.1">`), "current_work", ParseDuplicateDelsvar},
		{"svar without delsvar", exampleXML(t, `<svar id="34"><delsvar id="34.1">false</delsvar></svar>`, `<svar id="34"></svar>`), "travel_to_work", ParseEmptyAnswer},
		{"svar without its required delsvar", exampleXML(t, `<delsvar id="26.1">false</delsvar>`, `<delsvar id="26.2">Ring mig</delsvar>`), "contact_fk", ParseEmptyAnswer},
		{"empty text", exampleXML(t, `<delsvar id="19.1">Sertralin 50 mg sedan 2026-02-10.</delsvar>`, `<delsvar id="19.1"></delsvar>`), "ongoing_treatment", ParseEmptyAnswer},
		{"element nested in text", exampleXML(t, `<delsvar id="19.1">Sertralin 50 mg sedan 2026-02-10.</delsvar>`, `<delsvar id="19.1">Sertralin <b>50 mg</b></delsvar>`), "ongoing_treatment", ParseNestedElement},
		{"element nested in a boolean", exampleXML(t, `<delsvar id="33.1">true</delsvar>`, `<delsvar id="33.1"><v>true</v></delsvar>`), "working_time_distribution", ParseNestedElement},
		{"element nested in a code", exampleXML(t, "<ns3:code>HALFTEN</ns3:code>", "<ns3:code><x/>HALFTEN</ns3:code>"), "sick_leave[1].degree", ParseNestedElement},
		{"element nested in a date", exampleXML(t, "<ns3:end>2026-04-19</ns3:end>", "<ns3:end><d>2026-04-19</d></ns3:end>"), "sick_leave[1].to", ParseNestedElement},
		{"second displayName", exampleXML(t, "<ns3:codeSystem>KV_FKMU_0002</ns3:codeSystem>", "<ns3:codeSystem>KV_FKMU_0002</ns3:codeSystem><ns3:displayName>a</ns3:displayName><ns3:displayName>b</ns3:displayName>"), "occupation[0]", ParseRepeatedDisplayName},
		{"code list's codeSystem wrong", exampleXML(t, "<ns3:codeSystem>KV_FKMU_0002</ns3:codeSystem>", "<ns3:codeSystem>KV_FKMU_0001</ns3:codeSystem>"), "occupation[0]", ParseInvalidCodeSystem},
		{"code list's codeSystem missing", exampleXML(t, "<ns3:codeSystem>KV_FKMU_0002</ns3:codeSystem>", ""), "occupation[0]", ParseInvalidCodeSystem},
		{"diagnosis codeSystem missing", exampleXML(t, "<ns3:codeSystem>1.2.752.116.1.1.1.1.3</ns3:codeSystem>", ""), "diagnoses[0].code", ParseInvalidCodeSystem},
		{"diagnosis code with a dot", exampleXML(t, "<ns3:code>F321</ns3:code>", "<ns3:code>F32.1</ns3:code>"), "diagnoses[0].code", CodeInvalidDiagnosis},
		{"v1 svar 28 without instans", exampleXML(t, "<svar id=\"28\"><instans>1</instans>", "<svar id=\"28\">"), "occupation[0]", ParseMissingInstance},
		{"instans 0", exampleXML(t, "<svar id=\"28\"><instans>1</instans>", "<svar id=\"28\"><instans>0</instans>"), "occupation[0]", ParseMissingInstance},
		{"unsupported version", exampleXML(t, "<version>1.3</version>", "<version>3.0</version>"), "version", ParseUnsupportedVersion},
		{"no version", exampleXML(t, "<version>1.3</version>", ""), "version", ParseUnsupportedVersion},
		{"v2 in the 2016 schema", exampleXML(t, "<version>1.3</version>", "<version>2.0</version>", "RegisterCertificateResponder:3", "RegisterCertificateResponder:2"), "version", ParseUnsupportedVersion},
		{"another namespace", exampleXML(t, "RegisterCertificateResponder:3", "RegisterCertificateResponder:4"), "", ParseUnsupportedNamespace},
		{"unknown delsvar", exampleXML(t, `<delsvar id="29.1">`, `<delsvar id="29.2">`), "", ParseUnknownAnswer},
		{"svar given twice", exampleXML(t, `<svar id="29">`, `<svar id="29"><delsvar id="29.1">x</delsvar></svar><svar id="29">`), "current_work", ParseDuplicateAnswer},
		{"bad boolean", exampleXML(t, `<delsvar id="33.1">true</delsvar>`, `<delsvar id="33.1">ja</delsvar>`), "working_time_distribution", ParseInvalidBoolean},
		{"bad date", exampleXML(t, "<ns3:end>2026-04-19</ns3:end>", "<ns3:end>2026-04-31</ns3:end>"), "sick_leave[1].to", ParseInvalidDate},
		{"bad signing time", exampleXML(t, "2026-03-02T10:15:00</signeringstidpunkt>", "2026-03-02 10:15</signeringstidpunkt>"), "signed_at", ParseInvalidDateTime},
		{"diagnosis in another code system", exampleXML(t, "1.2.752.116.1.1.1.1.3", "2.16.840.1.113883.6.90"), "diagnoses[0].code", ParseUnsupportedSystem},
		{"cv missing", exampleXML(t, `<delsvar id="28.1"><ns3:cv><ns3:code>NUVARANDE_ARBETE</ns3:code><ns3:codeSystem>KV_FKMU_0002</ns3:codeSystem></ns3:cv></delsvar>`, `<delsvar id="28.1">NUVARANDE_ARBETE</delsvar>`), "occupation[0]", ParseInvalidType},
		{"unknown prognosis days", exampleXML(t, "SEXTIO_DGR", "FEMTIO_DGR"), "prognosis.days", ParseInvalidNumber},
		{"entity declared in a DTD", append([]byte(`<!DOCTYPE r [<!ENTITY x "boom">]>`), exampleXML(t, "Anna Lindqvist", "&x;")...), "", ParseInvalidXML},
		{"NUL character reference", exampleXML(t, "Anna Lindqvist", "Anna&#0;"), "", ParseInvalidXML},
		{"other encoding", exampleXML(t, `encoding="UTF-8"`, `encoding="ISO-8859-1"`), "", ParseInvalidXML},
		{"two relations", exampleXML(t, "<svar id=\"1\">", "<relation/><relation/><svar id=\"1\">"), "relation", ParseDuplicateAnswer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseXML(tc.doc)
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
