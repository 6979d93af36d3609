package certificates_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/certificates"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

// certTokens are the tokens the intake tests send with: Region Gotland's
// that writes and one that only reads, and one of FK, which is no care
// provider, that writes.
type certTokens struct{ writer, reader, notCareProvider string }

func certSetup(t *testing.T, st *store.Store) (*webtest.Server, certTokens) {
	t.Helper()
	s := webtest.Demo(t, st)
	return s, certTokens{s.Token(t, "region-gotland", account.ScopeCertificatesWrite), s.Token(t, "region-gotland", account.ScopeCertificatesRead),
		s.Token(t, "fk", account.ScopeCertificatesWrite)}
}

func TestCertificateIntakeAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, tok := certSetup(t, st)
		body := sampleCertificates(1)[0]

		rec := send(s, tok.writer, "application/json", body)
		if rec.Code != http.StatusCreated {
			t.Fatalf("first send: %d %s", rec.Code, rec.Body)
		}
		var receipt struct {
			ID      int64 `json:"id"`
			CaseID  int64 `json:"case_id"`
			Quality struct {
				Score    int               `json:"score"`
				Findings []json.RawMessage `json:"findings"`
			} `json:"quality"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &receipt); err != nil || receipt.ID == 0 || receipt.CaseID == 0 ||
			receipt.Quality.Score < 0 || receipt.Quality.Score > 100 || receipt.Quality.Findings == nil {
			t.Fatalf("receipt %s: %v", rec.Body, err)
		}
		// The same certificate again: 200, the same receipt, nothing stored twice.
		again := send(s, tok.writer, "application/json; charset=utf-8", body)
		if again.Code != http.StatusOK || again.Body.String() != rec.Body.String() {
			t.Fatalf("resend: %d %s, want 200 %s", again.Code, again.Body, rec.Body)
		}
		if n := s.Count(t, "SELECT count(*) FROM certificates"); n != 1 {
			t.Fatalf("%d certificates stored, want 1", n)
		}
		// Another body under the same id: 409, kept among the rejected.
		other := strings.Replace(string(body), `"functional_impairment":"`, `"functional_impairment":"Ändrad: `, 1)
		if rec := send(s, tok.writer, "application/json", []byte(other)); rec.Code != http.StatusConflict {
			t.Fatalf("changed body under the same id: %d %s", rec.Code, rec.Body)
		}
		// The periods are stored for the person's case, and the receipt is audited.
		if n := s.Count(t, "SELECT count(*) FROM sick_leave_periods"); n < 1 {
			t.Fatal("no sick-leave periods stored")
		}
		var c struct {
			Patient struct{ Personnummer string } `json:"patient"`
		}
		json.Unmarshal(body, &c)
		key := webtest.Keys(t).PersonKey(personnummer.Number(c.Patient.Personnummer))
		var n int
		st.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE action = 'receive_certificate' AND person_key = $1", key).Scan(&n)
		if n != 1 {
			t.Fatalf("%d audit entries for the receipt, want 1", n)
		}
		if n := s.Count(t, "SELECT count(*) FROM rejected_certificates"); n != 1 {
			t.Fatalf("%d rejected, want 1 (the conflict)", n)
		}
	})
}

func TestCertificateIntakeRefusals(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, tok := certSetup(t, st)
	body := sampleCertificates(1)[0]
	tests := []struct {
		name      string
		token, ct string
		body      []byte
		status    int
		code      string
	}{
		{"no token", "", "application/json", body, 401, "unauthenticated"},
		{"unknown token", account.NewSecret(account.TokenPrefix), "application/json", body, 401, "invalid_token"},
		{"wrong scope", tok.reader, "application/json", body, 403, "forbidden"},
		{"not a care provider", tok.notCareProvider, "application/json", body, 403, "forbidden"},
		{"other content type", tok.writer, "text/plain", body, 415, "unsupported_media_type"},
		{"no content type", tok.writer, "", body, 415, "unsupported_media_type"},
		{"too large", tok.writer, "application/json", []byte(`{"id":"` + strings.Repeat("x", certificates.MaxCertificateBytes) + `"}`), 413, "too_large"},
		{"empty certificate", tok.writer, "application/json", []byte(`{"id":"contract-empty"}`), 422, "validation_failed"},
	}
	for _, tc := range tests {
		rec := send(s, tc.token, tc.ct, tc.body)
		var e struct {
			Error site.APIError `json:"error"`
		}
		json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != tc.status || e.Error.Code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, rec.Code, e.Error.Code, tc.status, tc.code)
		}
		if tc.code == "validation_failed" && len(e.Error.Fields) < 3 {
			t.Errorf("%s: want every problem listed at once, got %d", tc.name, len(e.Error.Fields))
		}
	}
	if n := s.Count(t, "SELECT count(*) FROM certificates"); n != 0 {
		t.Fatalf("refused certificates were stored: %d", n)
	}
}

// TestMalformedCertificatesAre400 sends twenty kinds of broken body: each
// gets 400 with the error shape, nothing is stored, and each is kept among
// the rejected with its reason.
func TestMalformedCertificatesAre400(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, tok := certSetup(t, st)
	good := string(sampleCertificates(1)[0])
	bodies := []struct{ ct, body string }{
		{"application/json", ``},
		{"application/json", `{`},
		{"application/json", `{oops`},
		{"application/json", `[]`},
		{"application/json", `null`},
		{"application/json", `42`},
		{"application/json", `"a string"`},
		{"application/json", `{"id": 17}`},
		{"application/json", `{"id": "x", "signed_at": true}`},
		{"application/json", `{"id": "x", "no_such_field": 1}`},
		{"application/json", good + ` trailing`},
		{"application/json", good + good},
		{"application/json", `{"id": "a", "id": "b"}`},
		{"application/json", strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200)},
		{"application/json", "{\"id\": \"\xff\xfe\"}"},
		{"application/json", `{"id": "x", "sick_leave": {"degree": "HELT_NEDSATT"}}`},
		{"application/xml", `<not-xml`},
		{"application/xml", `<html><body>hello</body></html>`},
		{"application/xml", `<?xml version="1.0"?><RegisterCertificate xmlns="urn:riv:clinicalprocess:healthcond:certificate:RegisterCertificateResponder:3"></RegisterCertificate>`},
		{"application/xml", `{"id": "json sent as xml"}`},
	}
	for i, b := range bodies {
		rec := send(s, tok.writer, b.ct, []byte(b.body))
		var e struct {
			Error site.APIError `json:"error"`
		}
		if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code == "" {
			t.Errorf("body %d (%.40q): %d %s", i, b.body, rec.Code, rec.Body)
		}
	}
	if n := s.Count(t, "SELECT count(*) FROM certificates"); n != 0 {
		t.Fatalf("malformed bodies were stored: %d", n)
	}
	if n := s.Count(t, "SELECT count(*) FROM rejected_certificates"); n != len(bodies) {
		t.Fatalf("%d rejected kept, want %d", n, len(bodies))
	}
}
