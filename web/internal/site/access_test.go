package site

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestFailAsksForSignIn: a request that needs someone signed in gets 401
// with the scheme to use from the API, and people are sent to sign in and
// back to the page (the start page after a POST).
func TestFailAsksForSignIn(t *testing.T) {
	s := testSite(t)
	signIn := &Error{Status: http.StatusUnauthorized, Code: "unauthenticated"}
	rec := httptest.NewRecorder()
	s.Fail(rec, httptest.NewRequest("GET", "/api/v1/cases", nil), signIn)
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
		t.Errorf("API: %d %v", rec.Code, rec.Header())
	}
	for method, want := range map[string]string{"GET": "/login?next=%2Farenden%2F7", "POST": "/login?next=%2F"} {
		rec = httptest.NewRecorder()
		s.Fail(rec, httptest.NewRequest(method, "/arenden/7", nil), signIn)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("%s page: %d %q, want 303 %q", method, rec.Code, rec.Header().Get("Location"), want)
		}
	}
}
