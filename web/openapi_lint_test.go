package web

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestOpenAPILint lints the document finsam serves (openapi.json with its
// parts merged in) with Redocly CLI, pinned in package.json, under the rules
// in redocly.yaml. Without node_modules (npm ci) it skips, except in CI.
func TestOpenAPILint(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	redocly := filepath.Join(root, "node_modules", ".bin", "redocly")
	if _, err := os.Stat(redocly); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redocly CLI is not installed (%v): run npm ci", err)
		}
		t.Skipf("Redocly CLI is not installed (%v): run npm ci to lint the OpenAPI document", err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is needed to run Redocly CLI: %v", err)
	}
	doc, err := loadOpenAPI("lint")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), redocly, "lint", "--config", filepath.Join(root, "redocly.yaml"), "--format", "stylish", file)
	// No telemetry, no update check: CI reaches no network but the registries.
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the OpenAPI document does not pass the lint (%v):\n%s", err, out)
	}
}
