package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// relatedBody is the original certificate of the supplement answer in the
// certificate package's test data under id, with the relation typ to the
// original, or none when typ is "".
func relatedBody(t *testing.T, id, typ, to string, edit func(c map[string]any)) []byte {
	t.Helper()
	answer, err := os.ReadFile(filepath.Join("..", "certificate", "testdata", "exhaustion-v2-supplement.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(answer, &c); err != nil {
		t.Fatal(err)
	}
	delete(c, "relation")
	c["activity_limitation"] = "Trött."
	c["id"] = id
	if typ != "" {
		c["relation"] = map[string]any{"type": typ, "certificate_id": to}
	}
	if edit != nil {
		edit(c)
	}
	b, _ := json.Marshal(c)
	return b
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
