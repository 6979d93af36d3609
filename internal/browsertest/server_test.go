package browsertest

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartServerServesTheStartPageAndStopsOnSIGTERM(t *testing.T) {
	var srv *Server
	ok := t.Run("running", func(t *testing.T) {
		srv = StartServer(t)
		resp, err := http.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "finsam") {
			t.Errorf("GET / = %s, body %.200q", resp.Status, body)
		}
		waitForLog(t, srv, "DEMO MODE")
	})
	if !ok {
		t.FailNow()
	}
	// The subtest's cleanup stopped the server (and would have failed the
	// subtest had it not exited cleanly).
	select {
	case <-srv.exited:
	default:
		t.Fatal("the server still runs after its test ended")
	}
	if !strings.Contains(srv.Log(), `msg=stopped`) {
		t.Errorf("the server did not shut down gracefully; log:\n%s", srv.Log())
	}
	if _, err := http.Get(srv.URL + "/healthz"); err == nil {
		t.Error("the port still answers after the server stopped")
	}
}

func TestStartServerPassesExtraFlags(t *testing.T) {
	srv := StartServer(t, "--log-format", "json")
	waitForLog(t, srv, `"msg":"finsam listening"`)
}

// waitForLog waits for a line in the server's log. The output reaches the
// buffer through a pipe and a copying goroutine, so a line may arrive a
// moment after /healthz answered.
func waitForLog(t *testing.T, srv *Server, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(srv.Log(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never showed %q:\n%s", want, srv.Log())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
