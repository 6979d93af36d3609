package e2e

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bt "github.com/finsam/finsam/internal/browsertest"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestTwoInstancesOnOneDatabase runs two `finsam serve` on one PostgreSQL
// database, as behind a load balancer: a session begun on one continues on
// the other and ends on both, failed sign-ins on one slow down the other,
// and the nightly recompute that both are due to start runs once.
func TestTwoInstancesOnOneDatabase(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set in CI", storetest.EnvPostgres)
		}
		t.Skipf("two instances need PostgreSQL: %s is not set", storetest.EnvPostgres)
	}
	dbURL := storetest.Config(t, store.Postgres).DatabaseURL
	// One secret for both: the audit log they share is signed with it.
	secret := filepath.Join(t.TempDir(), "finsam.key")
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The first start loads the demo, whose loading recomputes today's
	// cases; the instances under test find no run for today, and 00:00 has
	// passed: each is due to start the day's run when it starts.
	args := []string{"--database", dbURL, "--secret-file", secret}
	bt.StartServer(t, append(args, "--recompute-at", "off")...)
	if _, err := db.Exec("DELETE FROM recompute_runs"); err != nil {
		t.Fatal(err)
	}
	args = append(args, "--recompute-at", "00:00")
	a := bt.StartServer(t, args...)
	b := bt.StartServer(t, args...)
	// The browser's time limit starts now, after the demo data was loaded.
	ctx := bt.NewBrowser(t)

	t.Run("a session begun on one continues on the other", func(t *testing.T) {
		// Cookies do not depend on the port: the browser sends the session
		// begun on a to b, as it would to any instance behind a balancer.
		signIn(t, ctx, a.URL, "handlaggare", "demo")
		bt.Navigate(t, ctx, b.URL+"/arenden")
		if h1 := bt.Text(t, ctx, "h1"); h1 != "Mina ärenden" {
			t.Fatalf("worklist on the second instance: heading %q", h1)
		}
		if n := bt.Eval[int](t, ctx, `document.querySelectorAll('table.finsam-worklist tbody tr').length`); n == 0 {
			t.Fatal("the worklist on the second instance is empty")
		}
		bt.AssertNoConsoleErrors(t, ctx)
		// Signing out on b ends the session on a too.
		bt.ClickAndLoad(t, ctx, `form[action="/logout"] button[type="submit"]`)
		bt.Navigate(t, ctx, a.URL+"/arenden")
		if path := bt.Eval[string](t, ctx, "location.pathname"); path != "/login" {
			t.Errorf("after signing out on the second instance the first shows %s, want /login", path)
		}
	})

	t.Run("failed sign-ins on one slow down the other", func(t *testing.T) {
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		post := func(base, password string) int {
			t.Helper()
			resp, err := client.PostForm(base+"/login", url.Values{"username": {"chef"}, "password": {password}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		for range 5 {
			post(a.URL, "wrong")
		}
		if got := post(b.URL, "demo"); got != http.StatusTooManyRequests {
			t.Errorf("the right password on the second instance right after five failures on the first: status %d, want 429", got)
		}
	})

	t.Run("the nightly recompute runs once", func(t *testing.T) {
		var runs, finished int
		deadline := time.Now().Add(60 * time.Second)
		for {
			err := db.QueryRowContext(context.Background(),
				"SELECT count(*), count(finished_at) FROM recompute_runs").Scan(&runs, &finished)
			if err != nil {
				t.Fatal(err)
			}
			if runs > 0 && finished == runs || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if runs != 1 || finished != 1 {
			t.Errorf("recompute runs: %d, of which %d finished; want one, finished", runs, finished)
		}
		logs := a.Log() + b.Log()
		if n := strings.Count(logs, "nightly recompute finished"); n != 1 {
			t.Errorf("%d instances finished a nightly recompute, want 1", n)
		}
	})
}
