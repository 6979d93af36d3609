package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/finsam/finsam/web/internal/fixture"
)

// The helpers of the tests that stay in this package because they test the
// server as a whole (the route table, the access matrix, the middleware);
// the features' own tests are in their packages, over web/internal/webtest.

// signedIn is a browser signed in as user.
func signedIn(t *testing.T, s *Server, user, password string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	if rec := b.Login(user, password); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", user, rec.Code)
	}
	return b
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

// The fixtures these tests share with the feature packages' tests.
var (
	caseVersionOf      = fixture.CaseVersion
	count              = fixture.Count
	sampleCertificates = fixture.Certificates
)
