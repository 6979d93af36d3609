package deploy

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildFinsam builds the static binary the unit and the image ship.
func buildFinsam(t *testing.T, out string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, "../cmd/finsam")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
}

// TestSystemdUnitVerifies runs systemd-analyze verify on the unit, pointed at
// a freshly built binary (verify checks that ExecStart exists). Any
// complaint fails the test: verify exits 0 on unknown keys.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the unit is not verified")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "finsam")
	buildFinsam(t, bin)
	unit, err := os.ReadFile("finsam.service")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(unit, []byte("ExecStart=/usr/local/bin/finsam serve")) {
		t.Fatal("the unit no longer starts /usr/local/bin/finsam serve: update this test")
	}
	unit = bytes.ReplaceAll(unit, []byte("/usr/local/bin/finsam"), []byte(bin))
	path := filepath.Join(dir, "finsam.service")
	if err := os.WriteFile(path, unit, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestContainerImageBuildsFromScratch builds the image with docker, which
// needs no download for FROM scratch, and runs `finsam version` in it.
func TestContainerImageBuildsFromScratch(t *testing.T) {
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("docker is not installed: the container image is not built")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, docker, "info").CombinedOutput(); err != nil {
		t.Skipf("docker cannot reach a daemon, the container image is not built: %v\n%s", err, lastLine(out))
	}
	containerfile, err := os.ReadFile("Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(containerfile, []byte("\nFROM scratch\n")) {
		t.Fatal("the image must be built FROM scratch")
	}
	// A context of its own: the binary where the Containerfile expects it.
	buildDir := t.TempDir()
	buildFinsam(t, filepath.Join(buildDir, "bin", "finsam"))
	if err := os.WriteFile(filepath.Join(buildDir, "Containerfile"), containerfile, 0o644); err != nil {
		t.Fatal(err)
	}
	tag := "finsam-test:" + strings.ToLower(filepath.Base(buildDir))
	if out, err := exec.Command(docker, "build", "--pull=false", "-f", filepath.Join(buildDir, "Containerfile"), "-t", tag, buildDir).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	defer exec.Command(docker, "image", "rm", "-f", tag).Run()
	out, err := exec.Command(docker, "run", "--rm", tag, "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "finsam") {
		t.Fatalf("docker run %s version: %v\n%s", tag, err, out)
	}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
