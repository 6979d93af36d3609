package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestLoginFailuresByNameAndAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		fail := func(username, addr string, at time.Time) {
			t.Helper()
			if err := s.Tx(ctx, func(tx *store.Tx) error {
				return store.RecordLoginFailure(ctx, tx, 0, username, addr, at, at.Add(-time.Hour))
			}); err != nil {
				t.Fatal(err)
			}
		}
		fail("anna", "192.0.2.1", t0.Add(-2*time.Hour)) // forgotten by the next record
		fail("anna", "192.0.2.1", t0)
		fail("anna", "192.0.2.1", t0.Add(time.Minute))
		fail("anna", "198.51.100.1", t0.Add(2*time.Minute))
		fail("bo", "192.0.2.1", t0.Add(3*time.Minute))
		got, err := store.LoginFailuresOf(ctx, s, "anna", "192.0.2.1", t0.Add(-3*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := store.LoginFailures{Pair: 2, PairLast: t0.Add(time.Minute), Account: 3, AccountLast: t0.Add(2 * time.Minute), Accounts: 2}
		if got != want {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
		if got, _ := store.LoginFailuresOf(ctx, s, "anna", "192.0.2.1", t0.Add(90*time.Second)); got.Pair != 0 || got.Account != 1 || got.Accounts != 1 {
			t.Errorf("since a later time: %+v", got)
		}
		// A good sign-in from one address forgets that address's failures
		// of the name only.
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.ClearLoginFailures(ctx, tx, 0, "anna", "192.0.2.1") }); err != nil {
			t.Fatal(err)
		}
		got, _ = store.LoginFailuresOf(ctx, s, "anna", "192.0.2.1", t0.Add(-3*time.Hour))
		if got.Pair != 0 || got.Account != 1 || got.Accounts != 1 {
			t.Errorf("after a good sign-in: %+v", got)
		}
	})
}
