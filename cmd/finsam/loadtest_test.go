package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestLoadtestRefusesAServerElsewhere(t *testing.T) {
	for _, u := range []string{"http://192.0.2.1:8080", "http://example.org", "ftp://127.0.0.1"} {
		code, _, errOut := finsam(t, nil, "loadtest", "--url", u, "--duration", "1s")
		if code != 2 || !strings.Contains(errOut, "--url") {
			t.Errorf("%s: %d %q", u, code, errOut)
		}
	}
}

// TestLoadtestSignsInAndReportsEveryKind drives a stand-in server that
// takes any sign-in and answers every page.
func TestLoadtestSignsInAndReportsEveryKind(t *testing.T) {
	var posted atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/login":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s", Path: "/"})
			http.Redirect(w, r, "/", http.StatusSeeOther)
		case r.Method == http.MethodPost && r.URL.Path == "/api/v1/certificates":
			if r.Header.Get("Authorization") != "Bearer tok" {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			posted.Add(1)
			w.WriteHeader(http.StatusCreated)
		case r.URL.Path == "/arenden":
			w.Write([]byte(`<a href="/arenden/12">x</a> <a href="/arenden/13">y</a>`))
		case r.URL.Path != "/" && r.Header.Get("Cookie") == "" && !strings.HasPrefix(r.URL.Path, "/static") && r.URL.Path != "/rakna":
			http.Redirect(w, r, "/login", http.StatusSeeOther)
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	code, out, errOut := finsam(t, nil, "loadtest", "--url", srv.URL, "--users", "20", "--duration", "1s", "--warm", "0s", "--token", "tok")
	if code != 0 {
		t.Fatalf("loadtest: %d %q %q", code, out, errOut)
	}
	for _, k := range []string{"worklist", "case page", "certificate inbox", "office worklist", "quality board", "associations",
		"insatser", "association reports", "certificate post", "start page", "calculator", "all", "static handler", "against the static handler"} {
		if !strings.Contains(out, k) {
			t.Errorf("no %q in the report:\n%s", k, out)
		}
	}
	if posted.Load() == 0 {
		t.Errorf("no certificate posted")
	}
}
