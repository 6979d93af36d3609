// Package pgreplica makes a real streaming replica of the local PostgreSQL
// server for tests, with the script .ci/pg-replica: pg_basebackup into a
// new folder and a second server on a free port that follows the first.
//
// Where it cannot be made (no PostgreSQL test server, no superuser, tools
// missing) the test is skipped with the reason, except when the environment
// variable CI is true: there it fails, so that CI never passes by skipping.
package pgreplica

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/internal/loopback"
	"github.com/finsam/finsam/internal/modroot"
)

// EnvPostgres names the variable with the primary's URL (the one the store
// tests use).
const EnvPostgres = "FINSAM_TEST_POSTGRES"

// Replica is a running replica of one test. It is removed when the test
// ends.
type Replica struct {
	// Port is the replica's port on 127.0.0.1.
	Port int
	// Dir is the replica's folder (data and log).
	Dir    string
	script string
}

// Start makes a replica of the server FINSAM_TEST_POSTGRES names and waits
// until it answers as a standby. It takes as long as pg_basebackup needs to
// copy the primary's cluster.
func Start(t testing.TB) *Replica {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		unavailable(t, EnvPostgres+" is not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	script, err := scriptPath()
	if err != nil {
		t.Fatal(err)
	}
	port, err := loopback.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	primary := fmt.Sprintf("host=%s port=%s user=%s", u.Hostname(), orDefault(u.Port(), "5432"), orDefault(u.User.Username(), "postgres"))
	cmd := exec.Command(script, "start", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "PGREPLICA_PRIMARY="+primary)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 2:
		unavailable(t, strings.TrimSpace(stderr.String()))
	case err != nil:
		t.Fatalf("%s start: %v\n%s", script, err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	r := &Replica{Port: port, Dir: strings.TrimSpace(lines[len(lines)-1]), script: script}
	t.Logf("replica of %s on port %d, made in %s", primary, port, time.Since(start).Round(100*time.Millisecond))
	t.Cleanup(func() {
		if out, err := exec.Command(script, "remove", r.Dir).CombinedOutput(); err != nil {
			t.Errorf("remove replica %s: %v\n%s", r.Dir, err, out)
		}
	})
	return r
}

// URL is primaryURL (a postgres:// URL of the primary) pointed at the
// replica: the same user, database and parameters.
func (r *Replica) URL(t testing.TB, primaryURL string) string {
	t.Helper()
	u, err := url.Parse(primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(r.Port))
	return u.String()
}

// Stop shuts the replica down (fast shutdown: its sessions are ended), as a
// replica that fails would be.
func (r *Replica) Stop(t testing.TB) {
	t.Helper()
	if out, err := exec.Command(r.script, "stop", r.Dir).CombinedOutput(); err != nil {
		t.Fatalf("stop replica: %v\n%s", err, out)
	}
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("cannot make a PostgreSQL replica in CI: %s", why)
	}
	t.Skipf("PostgreSQL replica tests skipped: %s", why)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// scriptPath finds .ci/pg-replica in the module root.
func scriptPath() (string, error) {
	root, err := modroot.Dir()
	if err != nil {
		return "", fmt.Errorf("pgreplica: %w", err)
	}
	return filepath.Join(root, ".ci", "pg-replica"), nil
}
