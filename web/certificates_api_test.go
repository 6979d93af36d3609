package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// certTokens creates the tokens the intake tests send with.
type certTokens struct{ writer, reader, notCareProvider string }

func certSetup(t *testing.T, st *store.Store) (*Server, certTokens) {
	t.Helper()
	s, _ := demoServer(t, st)
	s.now = func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	s.intake = nil
	s2, err := New(Config{Store: st, Version: "test", AuditKeys: testKeys(t), Now: s.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s2.Close)
	checkAnswersAgainstDocument(t, s2)
	ctx := context.Background()
	tok := certTokens{account.NewSecret(account.TokenPrefix), account.NewSecret(account.TokenPrefix), account.NewSecret(account.TokenPrefix)}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		region, _ := store.OrganisationBySlug(ctx, tx, "region-gotland")
		fk, _ := store.OrganisationBySlug(ctx, tx, "fk")
		for _, c := range []struct {
			org    int64
			scope  account.Scope
			secret string
		}{{region.ID, account.ScopeCertificatesWrite, tok.writer}, {region.ID, account.ScopeCertificatesRead, tok.reader},
			{fk.ID, account.ScopeCertificatesWrite, tok.notCareProvider}} {
			if _, err := store.CreateToken(ctx, tx, store.Token{OrgID: c.org, Name: "t", Scopes: []account.Scope{c.scope}}, c.secret); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s2, tok
}

func sampleCertificates(n int) [][]byte {
	persons := demo.Persons(7, 5)
	certs := demo.Certificates(7, n, persons, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	out := make([][]byte, n)
	for i := range certs {
		out[i], _ = json.Marshal(certs[i])
	}
	return out
}

func post(s *Server, token, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/api/v1/certificates", strings.NewReader(string(body)))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func countRows(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCertificateIntakeAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, tok := certSetup(t, st)
		body := sampleCertificates(1)[0]

		rec := post(s, tok.writer, "application/json", body)
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
		again := post(s, tok.writer, "application/json; charset=utf-8", body)
		if again.Code != http.StatusOK || again.Body.String() != rec.Body.String() {
			t.Fatalf("resend: %d %s, want 200 %s", again.Code, again.Body, rec.Body)
		}
		if n := countRows(t, st, "certificates"); n != 1 {
			t.Fatalf("%d certificates stored, want 1", n)
		}
		// Another body under the same id: 409, kept among the rejected.
		other := strings.Replace(string(body), `"functional_impairment":"`, `"functional_impairment":"Ändrad: `, 1)
		if rec := post(s, tok.writer, "application/json", []byte(other)); rec.Code != http.StatusConflict {
			t.Fatalf("changed body under the same id: %d %s", rec.Code, rec.Body)
		}
		// The periods are stored for the person's case, and the receipt is audited.
		if n := countRows(t, st, "sick_leave_periods"); n < 1 {
			t.Fatal("no sick-leave periods stored")
		}
		var c struct {
			Patient struct{ Personnummer string } `json:"patient"`
		}
		json.Unmarshal(body, &c)
		key := s.audit.Keys().PersonKey(personnummer.Number(c.Patient.Personnummer))
		var n int
		st.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE action = 'receive_certificate' AND person_key = $1", key).Scan(&n)
		if n != 1 {
			t.Fatalf("%d audit entries for the receipt, want 1", n)
		}
		if n := countRows(t, st, "rejected_certificates"); n != 1 {
			t.Fatalf("%d rejected, want 1 (the conflict)", n)
		}
	})
}

func TestCertificateIntakeRefusals(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
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
		{"too large", tok.writer, "application/json", []byte(`{"id":"` + strings.Repeat("x", maxCertificateBytes) + `"}`), 413, "too_large"},
		{"empty certificate", tok.writer, "application/json", []byte(`{"id":"contract-empty"}`), 422, "validation_failed"},
	}
	for _, tc := range tests {
		rec := post(s, tc.token, tc.ct, tc.body)
		var e struct {
			Error APIError `json:"error"`
		}
		json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != tc.status || e.Error.Code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, rec.Code, e.Error.Code, tc.status, tc.code)
		}
		if tc.code == "validation_failed" && len(e.Error.Fields) < 3 {
			t.Errorf("%s: want every problem listed at once, got %d", tc.name, len(e.Error.Fields))
		}
	}
	if n := countRows(t, st, "certificates"); n != 0 {
		t.Fatalf("refused certificates were stored: %d", n)
	}
}

// TestMalformedCertificatesAre400 sends twenty kinds of broken body: each
// gets 400 with the error shape, nothing is stored, and each is kept among
// the rejected with its reason.
func TestMalformedCertificatesAre400(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
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
		rec := post(s, tok.writer, b.ct, []byte(b.body))
		var e struct {
			Error APIError `json:"error"`
		}
		if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code == "" {
			t.Errorf("body %d (%.40q): %d %s", i, b.body, rec.Code, rec.Body)
		}
	}
	if n := countRows(t, st, "certificates"); n != 0 {
		t.Fatalf("malformed bodies were stored: %d", n)
	}
	if n := countRows(t, st, "rejected_certificates"); n != len(bodies) {
		t.Fatalf("%d rejected kept, want %d", n, len(bodies))
	}
}
