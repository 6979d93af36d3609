package web

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/finsam/finsam"

// featureImports are the imports allowed from one feature package of web
// to another, one way only: the importer on the left. What two features
// share goes into web/internal instead; an entry here is a decision.
var featureImports = map[string][]string{}

// knownFeatures are feature packages the graph must hold, one a line: a
// feature moved or renamed by mistake is noticed here.
var knownFeatures = []string{
	"account",
	"admin",
	"calculator",
	"cases",
	"certificates",
	"coordination",
	"dashboards",
	"forbund",
	"publicsite",
	"quality",
	"search",
	"signin",
}

// TestImportDirection reads the import graph with go list and checks the
// layout the packages follow: the domain never imports web; web's feature
// and internal packages never import web itself (it is the composition
// root that imports them; only the test harness, webtest, builds the whole
// server); a feature imports another feature only as featureImports
// allows; internal packages import no feature.
func TestImportDirection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	web := module + "/web"
	isWeb := func(p string) bool { return p == web || strings.HasPrefix(p, web+"/") }
	isInternal := func(p string) bool { return strings.HasPrefix(p, web+"/internal/") }
	isFeature := func(p string) bool { return isWeb(p) && p != web && !isInternal(p) }
	features := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		if isFeature(pkg) {
			features[rel(pkg)] = true
		}
		for _, imp := range imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			switch {
			case !isWeb(pkg) && !strings.HasPrefix(pkg, module+"/cmd/") && isWeb(imp):
				t.Errorf("%s imports %s: the domain never imports web", pkg, imp)
			case isWeb(pkg) && pkg != web && pkg != web+"/internal/webtest" && imp == web:
				t.Errorf("%s imports %s: only the composition root imports the features, never the reverse", pkg, imp)
			case isInternal(pkg) && isFeature(imp):
				t.Errorf("%s imports the feature %s: the core is shared by the features and imports none", pkg, imp)
			case isFeature(pkg) && isFeature(imp) && !slices.Contains(featureImports[rel(pkg)], rel(imp)):
				t.Errorf("%s imports %s: features import each other only as featureImports allows", pkg, imp)
			}
		}
	}
	if len(features) == 0 {
		t.Fatal("no feature packages found under web/: the test reads the wrong graph")
	}
	for _, f := range knownFeatures {
		if !features[f] {
			t.Errorf("feature package web/%s not found", f)
		}
	}
	for from, tos := range featureImports {
		for _, to := range tos {
			if slices.Contains(featureImports[to], from) {
				t.Errorf("features %s and %s import each other", from, to)
			}
		}
	}
}

func rel(pkg string) string { return strings.TrimPrefix(pkg, module+"/web/") }
