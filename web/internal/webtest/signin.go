package webtest

import (
	"net/http"
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
