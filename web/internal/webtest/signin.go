package webtest

import (
	"net/http"
	"strings"
	"testing"
)

// SignedInWith is a client signed in as user with password: a user a test
// added, or a demo user whose password it changed.
func (s *Server) SignedInWith(t testing.TB, user, password string) *Client {
	t.Helper()
	c := s.Client(t)
	if rec := c.Login(user, password); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", user, rec.Code)
	}
	return c
}

// ShownTo fails t for each demo user of shown whose page at path holds
// text when shown says it must not, or lacks it when it must: what a
// page offers each role.
func (s *Server) ShownTo(t testing.TB, path, text string, shown map[string]bool) {
	t.Helper()
	for user, want := range shown {
		body := s.SignedIn(t, user).Do("GET", path, nil).Body.String()
		if got := strings.Contains(body, text); got != want {
			t.Errorf("%s: %s shows %s: %v, want %v", user, path, text, got, want)
		}
	}
}
