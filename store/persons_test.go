package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestPersonsByID reads many persons at once, across its chunks, and
// leaves out ids that name nobody.
func TestPersonsByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		var ids []int64
		want := map[int64]string{}
		storetest.Write(t, s, func(tx *store.Tx) error {
			birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range 1203 {
				pnr := string(personnummer.Generate(rng, birth.AddDate(0, 0, i), false))
				id, err := store.SavePerson(ctx, tx, store.Person{Personnummer: pnr, Name: fmt.Sprintf("Test Testsson %d", i)}, now)
				if err != nil {
					return err
				}
				ids = append(ids, id)
				want[id] = fmt.Sprintf("Test Testsson %d", i)
			}
			return nil
		})
		got, err := store.PersonsByID(ctx, s, append(ids, 0, -1))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d persons, want %d", len(got), len(want))
		}
		for id, name := range want {
			if got[id].Name != name || got[id].ID != id {
				t.Fatalf("person %d: %+v, want %s", id, got[id], name)
			}
		}
		if none, err := store.PersonsByID(ctx, s, nil); err != nil || len(none) != 0 {
			t.Errorf("no ids: %v %v", none, err)
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
		storetest.Write(t, s, func(tx *store.Tx) error {
			for _, pnr := range []string{"197001019801", "197001029800", "197001019801"} {
				if _, err := store.EnsurePerson(ctx, tx, pnr, now); err != nil {
					return err
				}
			}
			return nil
		})
		if n, err := store.CountPersons(ctx, s); err != nil || n != 2 {
			t.Errorf("CountPersons = %d, %v; want 2 (one personnummer given twice)", n, err)
		}
	})
}
