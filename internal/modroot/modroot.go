// Package modroot finds the root folder of the finsam module for test
// helpers that run or read something of the source tree (the server, the
// axe script, the replica script), whichever package's folder `go test`
// runs them in.
package modroot

import (
	"errors"
	"os"
	"path/filepath"
)

// Dir is the folder of the go.mod above the working directory, which
// `go test` sets to the package being tested.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
