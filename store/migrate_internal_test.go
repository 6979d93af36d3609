package store

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestMigrationVersionsRunFromOneWithoutGaps(t *testing.T) {
	if len(migrations) == 0 {
		t.Fatal("no migrations")
	}
	for i, m := range migrations {
		if m.version != i+1 {
			t.Errorf("migrations[%d] has version %d, want %d", i, m.version, i+1)
		}
		if m.name == "" || m.up == nil {
			t.Errorf("migration %d has no name or no statements", m.version)
		}
	}
	if LatestVersion() != len(migrations) {
		t.Errorf("LatestVersion() = %d, want %d", LatestVersion(), len(migrations))
	}
}

var migrationFile = regexp.MustCompile(`^migration_(\d{4})_[a-z0-9_]+\.go$`)

// TestMigrationFiles holds the layout the package documentation promises:
// every migration is declared in a file of its own named after its version,
// as a variable of that name, and appears in the list at its version.
func TestMigrationFiles(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		decls := migrationDecls(t, name)
		m := migrationFile.FindStringSubmatch(name)
		if m == nil {
			if len(decls) > 0 {
				t.Errorf("%s declares migration %s: migrations belong in files named migration_NNNN_topic.go", name, decls[0].varName)
			}
			continue
		}
		files++
		version, _ := strconv.Atoi(m[1])
		if len(decls) != 1 {
			t.Errorf("%s declares %d migrations, want exactly 1", name, len(decls))
			continue
		}
		d := decls[0]
		if want := fmt.Sprintf("migration%04d", version); d.varName != want {
			t.Errorf("%s declares %s, want %s", name, d.varName, want)
		}
		if d.version != version {
			t.Errorf("%s declares version %d, want %d as in its name", name, d.version, version)
		}
		if version < 1 || version > len(migrations) {
			t.Errorf("%s: version %d is not in the migrations list", name, version)
		} else if got := migrations[version-1]; got.name != d.name {
			t.Errorf("migrations[%d] is %q, but %s declares %q: the list is out of order", version-1, got.name, name, d.name)
		}
	}
	if files != len(migrations) {
		t.Errorf("%d migration files, %d migrations in the list", files, len(migrations))
	}
}

type migrationDecl struct {
	varName string
	version int
	name    string
}

// migrationDecls returns the package-level variables of type migration that
// the file declares, with the version and name of their literals.
func migrationDecls(t *testing.T, file string) []migrationDecl {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []migrationDecl
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.VAR {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, value := range vs.Values {
				lit, ok := value.(*ast.CompositeLit)
				if !ok {
					continue
				}
				if typ, ok := lit.Type.(*ast.Ident); !ok || typ.Name != "migration" {
					continue
				}
				d := migrationDecl{varName: vs.Names[i].Name}
				for _, elt := range lit.Elts {
					kv, ok := elt.(*ast.KeyValueExpr)
					if !ok {
						t.Errorf("%s: %s: write the migration with field names", file, d.varName)
						continue
					}
					key, _ := kv.Key.(*ast.Ident)
					val, _ := kv.Value.(*ast.BasicLit)
					if key == nil || val == nil {
						continue
					}
					switch key.Name {
					case "version":
						d.version, _ = strconv.Atoi(val.Value)
					case "name":
						d.name, _ = strconv.Unquote(val.Value)
					}
				}
				out = append(out, d)
			}
		}
	}
	return out
}
