package storetest

import (
	"context"
	"testing"

	"github.com/finsam/finsam/store"
)

// Write runs write in one transaction of s, as a test's setup does; an
// error fails the test.
func Write(t testing.TB, s *store.Store, write func(tx *store.Tx) error) {
	t.Helper()
	if err := s.Tx(context.Background(), write); err != nil {
		t.Fatal(err)
	}
}

// Made runs make in one transaction of s and returns what it made; an
// error fails the test.
func Made[T any](t testing.TB, s *store.Store, make func(tx *store.Tx) (T, error)) T {
	t.Helper()
	var out T
	Write(t, s, func(tx *store.Tx) error {
		var err error
		out, err = make(tx)
		return err
	})
	return out
}
