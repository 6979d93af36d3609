package certificate

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseXMLReadsInerasSchema2016(t *testing.T) {
	doc := exampleXML(t, "RegisterCertificateResponder:3", "RegisterCertificateResponder:2", "types:3", "types:2",
		`xmlns="urn:riv:clinicalprocess:healthcond:certificate:3"`, `xmlns="urn:riv:clinicalprocess:healthcond:certificate:2"`,
		"<version>1.3</version>", "<version>1</version>",
		`<svar id="29">`, `<svar id="28"><instans>2</instans><delsvar id="28.1"><ns3:cv><ns3:code>PROGRAM</ns3:code><ns3:codeSystem>KV_FKMU_0002</ns3:codeSystem></ns3:cv></delsvar></svar>`+
			`<svar id="30"><delsvar id="30.1">Jobb- och utvecklingsgarantin</delsvar></svar><svar id="29">`)
	c, err := ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Schema2016 || c.Version != "1.0" || c.LabourMarketProgramme != "Jobb- och utvecklingsgarantin" {
		t.Fatalf("got schema 2016 %v, version %q, svar 30 %q", c.Schema2016, c.Version, c.LabourMarketProgramme)
	}
	if errs := Validate(c, today); errs != nil {
		t.Fatalf("invalid: %+v", errs)
	}
	// The same in RegisterCertificate v3 has no svar 30 and no PROGRAM.
	c.Schema2016 = false
	codes := map[string]string{}
	for _, e := range Validate(c, today) {
		codes[e.Field] = e.Code
	}
	if codes["occupation[1]"] != CodeInvalidCode || codes["labour_market_programme"] != CodeNotInVersion {
		t.Fatalf("v3 rules: got %v", codes)
	}
	// Canonical keeps what tells the schemas apart, and JSON reads it back.
	back, err := ParseJSON(canonicalOf(t, doc))
	if err != nil || !back.Schema2016 || back.LabourMarketProgramme == "" {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

func canonicalOf(t *testing.T, doc []byte) []byte {
	t.Helper()
	c, err := ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	return c.Canonical()
}

func TestKSH97PIsAcceptedBesideICD10SEButNotMixed(t *testing.T) {
	c, err := ParseXML(exampleXML(t, oidICD10SE, oidKSH97P, "<ns3:code>F321</ns3:code>", "<ns3:code>F32-</ns3:code>"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Diagnoses[0].System != SystemKSH97P || c.Diagnoses[0].Code != "F32-" {
		t.Fatalf("got %+v", c.Diagnoses)
	}
	if errs := Validate(c, today); errs != nil {
		t.Fatalf("invalid: %+v", errs)
	}
	if !bytes.Contains(c.Canonical(), []byte(`"system":"KSH97-P"`)) {
		t.Fatalf("canonical lost the code system: %s", c.Canonical())
	}
	c.Diagnoses = append(c.Diagnoses, Diagnosis{Code: "G470", Text: "Insomni"})
	errs := Validate(c, today)
	if len(errs) != 1 || errs[0].Field != "diagnoses[1].system" || errs[0].Code != CodeMixedCodeSystems ||
		errs[0].Answer != "svar[6].delsvar[6.4]" {
		t.Fatalf("mixed systems: %+v", errs)
	}
	// ICD-10-SE is the default and is not written.
	d := base(t)
	d.Diagnoses[0].System = SystemICD10SE
	if !bytes.Equal(d.Canonical(), base(t).Canonical()) {
		t.Fatal("an explicit ICD-10-SE changes the canonical form")
	}
	d.Diagnoses[0].System = "SNOMED"
	if errs := Validate(d, today); len(errs) != 1 || errs[0].Field != "diagnoses[0].system" || errs[0].Code != CodeInvalidCode {
		t.Fatalf("unknown system: %+v", errs)
	}
}

func TestDiagnosisCodesInIneraForm(t *testing.T) {
	for code, ok := range map[string]bool{"S47-": true, "F32-": true, "M54-P": true, "m545": true, "F3": false,
		"F32": false, "F32A": true, "Z73-": true, "A0-": false, "S4-7": false} {
		c := base(t)
		c.Diagnoses[0].Code = code
		if got := Validate(c, today) == nil; got != ok {
			t.Errorf("%s: valid=%v, want %v (%+v)", code, got, ok, Validate(c, today))
		}
	}
}

func TestAdditionalQuestionsAreAcceptedAndStored(t *testing.T) {
	doc := exampleXML(t, `<svar id="29">`, `<svar id="9001"><delsvar id="9001.1">Ja, sedan januari.</delsvar></svar>`+
		`<svar id="9002"><delsvar id="9002.1">Nej.</delsvar></svar><svar id="29">`)
	c, err := ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []AdditionalAnswer{{"9001", "Ja, sedan januari."}, {"9002", "Nej."}}
	if len(c.Additional) != 2 || c.Additional[0] != want[0] || c.Additional[1] != want[1] {
		t.Fatalf("got %+v", c.Additional)
	}
	if errs := Validate(c, today); errs != nil {
		t.Fatalf("invalid: %+v", errs)
	}
	back, err := ParseJSON(c.Canonical())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Canonical(), c.Canonical()) {
		t.Fatalf("JSON round trip differs:\n%s\n%s", back.Canonical(), c.Canonical())
	}
	if bytes.Contains(base(t).Canonical(), []byte("additional")) {
		t.Fatal("a certificate without additional questions writes them")
	}
	for _, tc := range []struct {
		add         []AdditionalAnswer
		field, code string
	}{
		{[]AdditionalAnswer{{"8999", "x"}}, "additional[0].id", CodeAdditionalID},
		{[]AdditionalAnswer{{"09001", "x"}}, "additional[0].id", CodeAdditionalID},
		{[]AdditionalAnswer{{"9001", "x"}, {"9001", "y"}}, "additional[1].id", CodeAdditionalRepeated},
		{[]AdditionalAnswer{{"9003", " "}}, "additional[0].text", CodeMissing},
	} {
		c := base(t)
		c.Additional = tc.add
		errs := Validate(c, today)
		if len(errs) != 1 || errs[0].Field != tc.field || errs[0].Code != tc.code {
			t.Errorf("%+v: got %+v", tc.add, errs)
		}
	}
}

func TestDatesMayCarryATimeZone(t *testing.T) {
	for _, d := range []string{"2026-02-10+01:00", "2026-02-10Z", " 2026-02-10-05:00 "} {
		c, err := ParseXML(exampleXML(t, `<delsvar id="1.2">2026-02-10</delsvar>`, `<delsvar id="1.2">`+d+`</delsvar>`))
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if c.Basis[1].Date != MustDate("2026-02-10") {
			t.Fatalf("%s: got %v", d, c.Basis)
		}
	}
	_, err := ParseXML(exampleXML(t, `<delsvar id="1.2">2026-02-10</delsvar>`, `<delsvar id="1.2">2026-02-10T00:00</delsvar>`))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Code != ParseInvalidDate {
		t.Fatalf("a date with a time: %v", err)
	}
}

func TestTestEnvironmentIsMarked(t *testing.T) {
	c := base(t)
	if c.TestEnvironment() {
		t.Fatal("a production certificate is marked as test")
	}
	c.Issuer.CareProviderHSAID = "TSTNMT2321000156-102Q"
	if !c.TestEnvironment() {
		t.Fatal("a test-catalogue care provider is not marked")
	}
	if errs := Validate(c, today); errs != nil {
		t.Fatalf("invalid: %+v", errs)
	}
	c.Patient.Personnummer = "191212121213" // the test number with a wrong check digit
	if errs := Validate(c, today); len(errs) != 1 || errs[0].Code != CodeInvalidPersonnr {
		t.Fatalf("wrong check digit in a test certificate: %+v", errs)
	}
}

func TestErrorsNameTheAnswer(t *testing.T) {
	c := base(t)
	c.Occupation[0] = "PENSIONAR"
	c.SickLeave[1].To = Date{}
	got := map[string]string{}
	for _, e := range Validate(c, today) {
		got[e.Field] = e.Answer
	}
	if got["occupation[0]"] != "svar[28].delsvar[28.1]" || got["sick_leave[1].to"] != "svar[32].delsvar[32.2]" {
		t.Fatalf("got %v", got)
	}
	_, err := ParseXML(exampleXML(t, "<ns3:codeSystem>KV_FKMU_0002</ns3:codeSystem>", "<ns3:codeSystem>KV_FKMU_0009</ns3:codeSystem>"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Answer != "svar[28].delsvar[28.1]" || pe.Field != "occupation[0]" {
		t.Fatalf("got %+v", err)
	}
	for path, want := range map[string]string{"basis[2].date": "svar[1].delsvar[1.2]", "diagnoses[2].text": "svar[6].delsvar[6.5]",
		"prognosis.months": "svar[39].delsvar[39.4]", "sick_leave": "svar[32]", "issuer.hsa_id": "", "contact_reason": "svar[26].delsvar[26.2]",
		"work_measures[3]": "svar[40].delsvar[40.1]", "other": "svar[25].delsvar[25.1]"} {
		if got := answerOf(path); got != want {
			t.Errorf("answerOf(%q) = %q, want %q", path, got, want)
		}
	}
	if !strings.Contains(string(mustJSON(t, FieldError{Field: "x", Answer: "svar[1]"})), `"answer":"svar[1]"`) {
		t.Fatal("the answer is not in the JSON of an error")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
