package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/finsam/finsam/account"
)

// TestMessagesComplete fails when a message id used in a template or in Go
// code is missing in a language, or when the languages have different ids.
func TestMessagesComplete(t *testing.T) {
	for id := range messages["sv"] {
		if _, ok := messages["en"][id]; !ok {
			t.Errorf("%s: Swedish only", id)
		}
	}
	for id := range messages["en"] {
		if _, ok := messages["sv"][id]; !ok {
			t.Errorf("%s: English only", id)
		}
	}
	used := map[string]bool{}
	tmplID := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(p)
		for _, m := range tmplID.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return nil
	})
	goID := regexp.MustCompile(`(?:translate\([a-zA-Z.]+, |\.T\()"([a-z0-9_.]+)"\)`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range goID.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	// Role names are shown as "role." + the role.
	for _, r := range account.AllRoles() {
		used["role."+r.String()] = true
	}
	// Error pages show "err." + the API error code.
	for code := range apiMessages {
		used["err."+code] = true
	}
	if len(used) < 20 {
		t.Fatalf("found only %d message ids in use: the scan is broken", len(used))
	}
	for id := range used {
		for _, lang := range []string{"sv", "en"} {
			if _, ok := messages[lang][id]; !ok {
				t.Errorf("%s used but missing in %s", id, lang)
			}
		}
	}
}
