package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/finsam/finsam"

// pkg is a package of the module as go list describes it, with paths made
// relative to the module ("store", "web", "cmd/finsam").
type pkg struct {
	ImportPath   string
	Deps         []string // everything the package's code needs, transitively
	TestImports  []string
	XTestImports []string
}

// layerRule forbids the packages that from selects to depend on any package
// that forbidden selects.
type layerRule struct {
	why       string
	from      func(path string) bool
	forbidden func(path string) bool
	// tests: a package's tests may not break the rule either (their direct
	// imports are checked; what those import is checked as a package).
	tests bool
}

// pureDomain are the packages that hold rules and types of the domain and
// nothing else: no database, no HTTP, no clock of their own.
var pureDomain = []string{
	"account", "association", "audit", "certificate", "civil", "coordination", "organisation",
	"organisation/codelist", "personnummer", "policy", "rules", "validation",
}

var layerRules = []layerRule{
	{
		why:       "nothing imports the commands: cmd is the outermost layer",
		from:      anyPackage,
		forbidden: under("cmd"),
		tests:     true,
	},
	{
		why:       "only the commands import the web server: the domain, the store and the rest never do",
		from:      not(under("web", "cmd")),
		forbidden: under("web"),
		tests:     true,
	},
	{
		why:  "the pure domain packages hold no database access: the store imports them, not the other way round",
		from: in(pureDomain...),
		forbidden: func(p string) bool {
			return under("store")(p) || p == "database/sql" || strings.HasPrefix(p, "github.com/jackc/pgx") || strings.HasPrefix(p, "modernc.org/sqlite")
		},
	},
}

func TestImportsPointInward(t *testing.T) {
	pkgs := listPackages(t)
	paths := map[string]bool{}
	for _, p := range pkgs {
		paths[p.ImportPath] = true
	}
	for _, want := range append([]string{"store", "web", "web/cases", "cmd/finsam"}, pureDomain...) {
		if !paths[want] {
			t.Fatalf("go list did not report package %s: the rules would check nothing", want)
		}
	}
	for _, r := range layerRules {
		for _, p := range pkgs {
			if !r.from(p.ImportPath) {
				continue
			}
			check := func(kind string, imports []string) {
				for _, imp := range imports {
					if imp != p.ImportPath && r.forbidden(imp) {
						t.Errorf("%s %s %s; but %s", p.ImportPath, kind, imp, r.why)
					}
				}
			}
			check("depends on", p.Deps)
			if r.tests {
				check("has tests that import", p.TestImports)
				check("has tests that import", p.XTestImports)
			}
		}
	}
}

// listPackages runs go list over the whole module.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Deps,TestImports,XTestImports", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		p.ImportPath = local(p.ImportPath)
		for _, list := range []*[]string{&p.Deps, &p.TestImports, &p.XTestImports} {
			for i := range *list {
				(*list)[i] = local((*list)[i])
			}
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// local makes a path of the module relative to it; other paths stay as
// they are.
func local(path string) string {
	if path == module {
		return "."
	}
	if rest, ok := strings.CutPrefix(path, module+"/"); ok {
		return rest
	}
	return path
}

func anyPackage(string) bool { return true }

// under selects the module's packages at or below any of the folders.
func under(dirs ...string) func(string) bool {
	return func(p string) bool {
		for _, d := range dirs {
			if p == d || strings.HasPrefix(p, d+"/") {
				return true
			}
		}
		return false
	}
}

func in(paths ...string) func(string) bool {
	return func(p string) bool { return slices.Contains(paths, p) }
}

func not(f func(string) bool) func(string) bool {
	return func(p string) bool { return !f(p) }
}
