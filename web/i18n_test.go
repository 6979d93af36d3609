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
	goID := regexp.MustCompile(`(?:translate\([a-zA-Z.]+, |\.T\()"([a-z0-9_.]+)"\)`)
	// The templates and Go files of this package and of the packages
	// below it (the core and the features).
	fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var re *regexp.Regexp
		switch {
		case filepath.Ext(p) == ".html" && filepath.Base(filepath.Dir(p)) == "templates":
			re = tmplID
		case filepath.Ext(p) == ".go":
			re = goID
		default:
			return nil
		}
		b, _ := os.ReadFile(p)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return nil
	})
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
