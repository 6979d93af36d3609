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
			storetest.Write(t, s, func(tx *store.Tx) error {
				return store.RecordLoginFailure(ctx, tx, 0, username, addr, at, at.Add(-time.Hour))
			})
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

func TestDeleteOtherSessionsKeepsTheOneGivenAndOtherUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		adminFixture(t, s)
		a, err := store.UserByName(ctx, s, "a")
		if err != nil {
			t.Fatal(err)
		}
		b, err := store.UserByName(ctx, s, "b")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		storetest.Write(t, s, func(tx *store.Tx) error {
			for _, sess := range []store.Session{{IDHash: "a1", UserID: a.ID}, {IDHash: "a2", UserID: a.ID}, {IDHash: "a3", UserID: a.ID}, {IDHash: "b1", UserID: b.ID}} {
				sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = now, now, now.Add(time.Hour)
				if err := store.CreateSession(ctx, tx, sess); err != nil {
					return err
				}
			}
			return store.DeleteOtherSessions(ctx, tx, a.ID, "a2")
		})
		for user, want := range map[int64][]string{a.ID: {"a2"}, b.ID: {"b1"}} {
			got, err := store.UserSessions(ctx, s, user)
			if err != nil {
				t.Fatal(err)
			}
			var hashes []string
			for _, sess := range got {
				hashes = append(hashes, sess.IDHash)
			}
			if len(hashes) != len(want) || hashes[0] != want[0] {
				t.Errorf("user %d has sessions %v, want %v", user, hashes, want)
			}
		}
	})
}
