package certificate

import (
	"bytes"
	"errors"
	"testing"
)

// checkParsed is what both fuzz targets require of an accepted body:
// Validate and Assess run without panicking, and Canonical is a fixed
// point of ParseJSON: parsing it gives a certificate with the same
// Canonical bytes.
func checkParsed(t *testing.T, c *Certificate) {
	t.Helper()
	Validate(c, today)
	q := Assess(c, DefaultFMB(), 10)
	if q.Score < 0 || q.Score > 100 {
		t.Fatalf("score %d", q.Score)
	}
	first := c.Canonical()
	back, err := ParseJSON(first)
	if err != nil {
		t.Fatalf("Canonical %s does not parse: %v", first, err)
	}
	if second := back.Canonical(); !bytes.Equal(first, second) {
		t.Fatalf("Canonical not stable:\n%s\n%s", first, second)
	}
	c.Periods()
}

func checkError(t *testing.T, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Code == "" || pe.Message == "" {
		t.Fatalf("error %v is not a complete *ParseError", err)
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, ex := range examples {
		f.Add(readExample(f, ex.name, "json"))
	}
	for _, s := range []string{`{}`, `null`, `{"id":"a\u00e5"}`, `{"sick_leave":[{"from":"2026-01-01","to":null}]}`,
		`{"prognosis":{"type":"ATER_X_ANTAL_DGR","days":30}}`, `{"patient":{"personnummer":"850412-9829"}}`,
		`{"other":"\r\n"}`, `{"signed_at":"2026-03-02T10:15:00.123456789-05:30"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseJSON(data)
		if err != nil {
			checkError(t, err)
			return
		}
		checkParsed(t, c)
	})
}

func FuzzParseXML(f *testing.F) {
	for _, ex := range examples {
		f.Add(readExample(f, ex.name, "xml"))
	}
	for _, s := range []string{`<RegisterCertificate/>`, `<a:RegisterCertificate xmlns:a="x"><a:intyg><typ><code>LISJP</code></typ></a:intyg></a:RegisterCertificate>`,
		`<RegisterCertificate><intyg><typ><code>LISJP</code></typ><svar id="25"><delsvar id="25.1">` + prefixEarlyStart + "x\ny" + `</delsvar></svar></intyg></RegisterCertificate>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseXML(data)
		if err != nil {
			checkError(t, err)
			return
		}
		checkParsed(t, c)
	})
}
