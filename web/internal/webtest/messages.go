package webtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/finsam/finsam/web/internal/site"
)

var (
	templateID = regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	goID       = regexp.MustCompile(`(?:translate\([a-zA-Z.]+, |\.T\()"([a-z0-9_.]+)"\)`)
)

// MessagesComplete fails t when c's languages have different ids, or when
// an id that the Go files or templates in dir use (a literal id given to
// translate or T, in Go or in a template) is missing from c: a package's
// code must find its words in its own catalogue and the ones it merges.
func MessagesComplete(t *testing.T, dir string, c site.Catalogue) {
	t.Helper()
	for _, pair := range [][2]string{{"sv", "en"}, {"en", "sv"}} {
		for id := range c[pair[0]] {
			if _, ok := c[pair[1]][id]; !ok {
				t.Errorf("%s: in %s only", id, pair[0])
			}
		}
	}
	used := map[string]bool{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var re *regexp.Regexp
		switch filepath.Ext(p) {
		case ".html":
			re = templateID
		case ".go":
			re = goID
		default:
			return nil
		}
		b, err := os.ReadFile(filepath.Join(dir, p))
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) == 0 {
		t.Fatalf("no message ids found in %s: the scan is broken", dir)
	}
	for id := range used {
		for _, lang := range site.Languages {
			if _, ok := c[lang][id]; !ok {
				t.Errorf("%s used but missing in %s", id, lang)
			}
		}
	}
}
