package storetest

import (
	"context"
	"sync"
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

// Concurrently runs work in workers goroutines at once, w numbering them
// from 0, and once all are done fails the test on the first error any of
// them returned.
func Concurrently(t testing.TB, workers int, work func(w int) error) {
	t.Helper()
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { errs <- work(w) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
