package account_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

func TestSignOutEverywhere(t *testing.T) {
	s := webtest.Demo(t, webtest.Open(t, store.SQLite))
	laptop, phone := s.Client(t), s.Client(t)
	laptop.Login("admin", "demo")
	phone.Login("admin", "demo")
	if rec := laptop.Do("POST", "/account/sessions/end-all", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("end all: %d", rec.Code)
	}
	if rec := phone.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("the other session survived sign-out everywhere")
	}
}

func TestChangePassword(t *testing.T) {
	s := webtest.Demo(t, webtest.Open(t, store.SQLite))
	b, other := s.Client(t), s.Client(t)
	b.Login("styrelse", "demo")
	other.Login("styrelse", "demo")
	for _, tc := range []struct {
		current, next, repeat string
		status                int
	}{
		{"wrong", "a-long-new-password", "a-long-new-password", 422},
		{"demo", "short", "short", 422},
		{"demo", "a-long-new-password", "another-long-password", 422},
		{"demo", "a-long-new-password", "a-long-new-password", 200},
	} {
		rec := b.Do("POST", "/account/password", url.Values{"current": {tc.current}, "new": {tc.next}, "repeat": {tc.repeat}})
		if rec.Code != tc.status {
			t.Fatalf("%+v: %d", tc, rec.Code)
		}
	}
	if rec := other.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("other sessions survived a password change")
	}
	if rec := s.Client(t).Login("styrelse", "a-long-new-password"); rec.Code != http.StatusSeeOther {
		t.Fatal("new password does not work")
	}
}
