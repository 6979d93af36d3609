package modroot

import (
	"os"
	"path/filepath"
	"testing"
)

// The root found from this package's folder is two folders up and holds
// the module's go.mod.
func TestDirFindsTheModuleRoot(t *testing.T) {
	got, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := filepath.Dir(filepath.Dir(wd)); got != want {
		t.Errorf("Dir() = %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(got, "go.mod")); err != nil {
		t.Error(err)
	}
}
