// Package rulestest gives other packages' tests the worked examples of package
// rules.
package rulestest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// GoldenCases are the worked examples of package rules, by name: the
// input and the full output, indented. Tests outside package rules read them
// from rules/testdata, found from this file's place in the module.
func GoldenCases(t testing.TB) map[string][2][]byte {
	t.Helper()
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("rulestest: cannot find its own source file")
	}
	dir := filepath.Join(filepath.Dir(self), "..", "testdata", "evaluate")
	inputs, err := filepath.Glob(filepath.Join(dir, "*.input.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs in %s: %v", dir, err)
	}
	cases := map[string][2][]byte{}
	for _, p := range inputs {
		in, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.ReadFile(strings.TrimSuffix(p, ".input.json") + ".output.json")
		if err != nil {
			t.Fatal(err)
		}
		cases[strings.TrimSuffix(filepath.Base(p), ".input.json")] = [2][]byte{in, out}
	}
	return cases
}
