package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

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
		err = s.Tx(ctx, func(tx *store.Tx) error {
			for _, sess := range []store.Session{{IDHash: "a1", UserID: a.ID}, {IDHash: "a2", UserID: a.ID}, {IDHash: "a3", UserID: a.ID}, {IDHash: "b1", UserID: b.ID}} {
				sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = now, now, now.Add(time.Hour)
				if err := store.CreateSession(ctx, tx, sess); err != nil {
					return err
				}
			}
			return store.DeleteOtherSessions(ctx, tx, a.ID, "a2")
		})
		if err != nil {
			t.Fatal(err)
		}
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

func TestCountPersons(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if n, err := store.CountPersons(ctx, s); err != nil || n != 0 {
			t.Fatalf("CountPersons of an empty database = %d, %v", n, err)
		}
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		err := s.Tx(ctx, func(tx *store.Tx) error {
			for _, pnr := range []string{"197001019801", "197001029800", "197001019801"} {
				if _, err := store.EnsurePerson(ctx, tx, pnr, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := store.CountPersons(ctx, s); err != nil || n != 2 {
			t.Errorf("CountPersons = %d, %v; want 2 (one personnummer given twice)", n, err)
		}
	})
}
