// Package archtest holds no code, only the test that keeps finsam's import
// graph pointing inward: the commands and the web server depend on the
// domain and the store, never the other way round. The rules are a table in
// layers_test.go; a new layer or feature package adds a row there.
package archtest
