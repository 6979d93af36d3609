package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain fails the run when a test left a data folder (a database or the
// secret file finsam.key) in the source tree: every test works in a
// temporary folder, whichever database it uses.
func TestMain(m *testing.M) {
	_, err := os.Stat("data")
	existed := err == nil
	code := m.Run()
	if _, err := os.Stat("data"); err == nil && !existed {
		fmt.Fprintln(os.Stderr, "a test wrote ./data (a database or finsam.key) into the source tree; give it --data with a temporary folder")
		os.RemoveAll("data")
		code = 1
	}
	os.Exit(code)
}
