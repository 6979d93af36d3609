package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
)

// The helpers of the tests that stay in this package because they test the
// server as a whole (the route table, the access matrix, the middleware);
// the features' own tests are in their packages, over web/internal/webtest.

// caseVersionOf reads a case's version.
func caseVersionOf(t *testing.T, st *store.Store, id int64) int {
	t.Helper()
	c, err := store.CaseByID(context.Background(), st, id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}

// signedIn is a browser signed in as user.
func signedIn(t *testing.T, s *Server, user, password string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	if rec := b.Login(user, password); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", user, rec.Code)
	}
	return b
}

// count runs a count(*) query.
func count(t *testing.T, st *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := st.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// sampleCertificates are n synthetic certificates as JSON.
func sampleCertificates(n int) [][]byte {
	persons := demo.Persons(7, 5)
	certs := demo.Certificates(7, n, persons, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	out := make([][]byte, n)
	for i := range certs {
		out[i], _ = json.Marshal(certs[i])
	}
	return out
}

// post sends a certificate to the intake with an API token.
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
