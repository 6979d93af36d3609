package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
)

// The certificates' fixtures that tests still in this package use; the
// certificates' own tests are in package web/certificates.

// certPagesServer is adminServer with the demo's certificates loaded (all
// for persons on Gotland) and one more certificate for a person in
// Stockholm, whose id it returns.
func certPagesServer(t *testing.T, st *store.Store) (*Server, int64) {
	t.Helper()
	s, _ := adminServer(t, st)
	t.Cleanup(s.Close)
	ctx := context.Background()
	if _, err := demo.LoadCertificates(ctx, st, testKeys(t), demo.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	region := orgNamed(t, st, "region-gotland")
	res, err := s.intake.Submit(ctx, intake.Submission{SenderOrgID: region.ID, Body: sampleCertificates(1)[0], Source: "api"})
	if err != nil || res.Status != intake.Accepted {
		t.Fatalf("Stockholm certificate: %+v %v", res, err)
	}
	if _, err := st.Exec(ctx, `UPDATE persons SET municipality_code = '0180'
		WHERE id = (SELECT person_id FROM certificates WHERE id = $1)`, res.CertificateID); err != nil {
		t.Fatal(err)
	}
	return s, res.CertificateID
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
