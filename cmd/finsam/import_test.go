package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestImportCertificates(t *testing.T) {
	dir := t.TempDir()
	// The demo's organisations; its own certificates have another seed.
	if code, _, e := finsam(t, nil, "demo", "--data", dir); code != 0 {
		t.Fatal(e)
	}
	files := t.TempDir()
	certs := demo.Certificates(99, 120, demo.Persons(99, 20), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	var lines []string
	for _, c := range certs {
		b, _ := json.Marshal(c)
		lines = append(lines, string(b))
	}
	lines = append(lines[:60], append([]string{`{"id":"broken"}`, `not json at all`, ``}, lines[60:]...)...)
	if err := os.WriteFile(filepath.Join(files, "a.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	xml, err := os.ReadFile(filepath.Join("..", "..", "certificate", "testdata", "depression-good.xml"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(files, "sub"), 0o700)
	os.WriteFile(filepath.Join(files, "sub", "b.xml"), xml, 0o600)
	os.WriteFile(filepath.Join(files, "sub", "notes.txt"), []byte("ignored in a folder"), 0o600)

	code, out, errOut := finsam(t, nil, "import", "certificates", "--data", dir, "--org", "region-gotland", "--batch", "50", "--quiet", files)
	if code != 0 || !strings.Contains(out, "121 accepted, 0 duplicates, 2 rejected (1 malformed, 1 invalid, 0 conflicts)") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	// Again: everything is a duplicate, nothing new is stored (resumable).
	// Without --quiet, but not in a terminal: no progress line (its \r
	// would land in a log file).
	code, out, errOut = finsam(t, nil, "import", "certificates", "--data", dir, "--org", "region-gotland", files)
	if code != 0 || !strings.Contains(out, "0 accepted, 121 duplicates, 2 rejected") {
		t.Fatalf("second import: %d %s", code, out)
	}
	if errOut != "" {
		t.Errorf("progress outside a terminal: %q", errOut)
	}
	// Bad usage and bad input.
	if code, _, _ := finsam(t, nil, "import", "certificates", "--data", dir, files); code != 2 {
		t.Error("import without --org did not exit 2")
	}
	if code, _, e := finsam(t, nil, "import", "certificates", "--data", dir, "--org", "nope", files); code != 1 || !strings.Contains(e, "no organisation") {
		t.Errorf("unknown org: %d %q", code, e)
	}
	// Försäkringskassan sends no certificates, here as in the API; nothing
	// is stored for it.
	if code, out, e := finsam(t, nil, "import", "certificates", "--data", dir, "--org", "fk", files); code != 1 ||
		!strings.Contains(e, `organisation "fk" is a fk, not a care provider or region`) || strings.Contains(out, "accepted") {
		t.Errorf("an organisation that is not a care provider: %d %q %q", code, out, e)
	}
	if code, _, e := finsam(t, nil, "import", "certificates", "--data", dir, "--org", "region-gotland", filepath.Join(files, "sub", "notes.txt")); code != 1 || !strings.Contains(e, "unknown kind of file") {
		t.Errorf("a .txt file: %d %q", code, e)
	}
	if code, _, _ := finsam(t, nil, "import", "certificates", "--data", dir, "--org", "region-gotland", filepath.Join(files, "missing.jsonl")); code != 1 {
		t.Error("a missing file did not fail")
	}
}

func TestDemoCertificatesOutFeedsImport(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "certs.jsonl")
	if code, o, e := finsam(t, nil, "demo", "--certificates-out", out, "--count", "40", "--seed", "3"); code != 0 || !strings.Contains(o, "wrote 40") {
		t.Fatalf("certificates-out: %d %s %s", code, o, e)
	}
	if code, _, _ := finsam(t, nil, "demo", "--certificates-out", out); code != 1 {
		t.Error("an existing file was overwritten")
	}
	finsam(t, nil, "demo", "--data", dir)
	code, o, e := finsam(t, nil, "import", "certificates", "--data", dir, "--org", "region-gotland", "--quiet", out)
	if code != 0 || !strings.Contains(o, "40 accepted, 0 duplicates, 0 rejected") {
		t.Fatalf("import of generated certificates: %d %s %s", code, o, e)
	}
}

func TestImportRefusesAnOrganisationThatSendsNoCertificates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		storetest.Write(t, st, func(tx *store.Tx) error {
			for _, o := range []organisation.Organisation{{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK},
				{Slug: "kommun", Name: "Kommunen", Type: organisation.Municipality},
				{Slug: "vardgivare", Name: "Vårdgivaren", Type: organisation.CareProvider}} {
				if _, err := store.CreateOrganisation(ctx, tx, o); err != nil {
					return err
				}
			}
			return nil
		})
		_, db := handOver(t, st)
		files := t.TempDir()
		xml, err := os.ReadFile(filepath.Join("..", "..", "certificate", "testdata", "depression-good.xml"))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(files, "a.xml"), xml, 0o600)
		secret := filepath.Join(t.TempDir(), "finsam.key")
		os.WriteFile(secret, []byte(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32)))+"\n"), 0o600)
		args := func(org string) []string {
			a := append([]string{"import", "certificates", "--secret-file", secret, "--org", org, "--quiet"}, db...)
			return append(a, files)
		}
		for _, org := range []string{"fk", "kommun"} {
			code, out, errOut := finsam(t, nil, args(org)...)
			if code != 1 || !strings.Contains(errOut, "not a care provider or region") || out != "" {
				t.Errorf("%s: %d %q %q", org, code, out, errOut)
			}
		}
		code, out, errOut := finsam(t, nil, args("vardgivare")...)
		if code != 0 || !strings.Contains(out, "1 accepted") {
			t.Fatalf("a care provider: %d %q %q", code, out, errOut)
		}
	})
}
