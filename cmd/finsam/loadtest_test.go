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
		case r.URL.Path == "/samordning" && r.Header.Get("Cookie") != "":
			w.Write([]byte(`<a href="/samordning/7">x</a> <a href="/samordning/vardenheter">units</a>`))
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
		"insatser", "association reports", "certificate post", "coordinations", "timeline", "start page", "calculator", "all", "static handler", "against the static handler"} {
		if !strings.Contains(out, k) {
			t.Errorf("no %q in the report:\n%s", k, out)
		}
	}
	if posted.Load() == 0 {
		t.Errorf("no certificate posted")
	}
}

// TestLoadtestRolesGivesEveryUserToTheRolesNamed: --roles coordinator
// signs every user in as a coordinator, who opens Mina
// samordningsärenden and the coordinations it links to.
func TestLoadtestRolesGivesEveryUserToTheRolesNamed(t *testing.T) {
	var signIns, timelines atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/login":
			if r.FormValue("username") != "samordnare-af" {
				http.Error(w, "only the coordinator", http.StatusUnauthorized)
				return
			}
			signIns.Add(1)
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s", Path: "/"})
			http.Redirect(w, r, "/", http.StatusSeeOther)
		case r.URL.Path == "/samordning":
			w.Write([]byte(`<a href="/samordning/7">x</a> <a href="/samordning/9">y</a>`))
		case r.URL.Path == "/samordning/7" || r.URL.Path == "/samordning/9":
			timelines.Add(1)
			w.Write([]byte("timeline"))
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	code, out, errOut := finsam(t, nil, "loadtest", "--url", srv.URL, "--users", "6", "--duration", "1s", "--warm", "0s",
		"--roles", "coordinator", "--coordinators", "samordnare-af", "--only", "coordinations,timeline")
	if code != 0 {
		t.Fatalf("loadtest: %d %q %q", code, out, errOut)
	}
	if !strings.Contains(out, "6 users") || !strings.Contains(out, "coordinations") || !strings.Contains(out, "timeline") ||
		strings.Contains(out, "worklist") || strings.Contains(out, "associations") {
		t.Errorf("report:\n%s", out)
	}
	if signIns.Load() != 6 || timelines.Load() == 0 {
		t.Errorf("%d sign-ins, %d timelines", signIns.Load(), timelines.Load())
	}
	code, _, errOut = finsam(t, nil, "loadtest", "--url", srv.URL, "--roles", "nobody", "--duration", "1s")
	if code == 0 || !strings.Contains(errOut, "no such role") {
		t.Errorf("--roles nobody: %d %q", code, errOut)
	}
}
