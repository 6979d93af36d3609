package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestWorklistCountUpTo: the bounded count agrees with WorklistCount below
// the limit, for every filter, and stops at it.
func TestWorklistCountUpTo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		// A state for the filters: every second case overdue with a
		// warning, every fourth in phase 91-180.
		cases := visbyWorklist{n: 30,
			mine:   func(i int) bool { return i%3 == 0 },
			closed: func(i int) bool { return i%5 == 0 },
			state: func(i int) store.CaseState {
				st := store.CaseState{EvalDate: now, NextDue: now.AddDate(0, 0, 10), Phase: "1-90"}
				if i%2 == 0 {
					st.NextDue, st.WarningCount = now.AddDate(0, 0, -3), 1
				}
				if i%4 == 0 {
					st.Phase = "91-180"
				}
				return st
			},
			staff: []store.User{{Username: "d", Name: "Disa", Roles: account.RolesOf(account.CaseWorker), Disabled: true}},
		}
		v := cases.seed(t, s, now)
		office, worker, other := v.office, v.worker, v.staff[0]
		today := now.Truncate(24 * time.Hour)
		for _, q := range []store.WorklistQuery{
			{OfficeID: office},
			{AssignedUserID: worker},
			{OfficeID: office, Unassigned: true},
			{OfficeID: office, Overdue: true, Today: today},
			{OfficeID: office, Warnings: true, Phase: "91-180"},
			{OfficeID: office, Status: store.CaseClosed},
		} {
			want, err := store.WorklistCount(ctx, s, q)
			if err != nil {
				t.Fatal(err)
			}
			got, more, err := store.WorklistCountUpTo(ctx, s, q, 100)
			if err != nil || got != want || more {
				t.Errorf("%+v: %d %v %v, want %d", q, got, more, err, want)
			}
			if want > 3 {
				got, more, err = store.WorklistCountUpTo(ctx, s, q, 3)
				if err != nil || got != 3 || !more {
					t.Errorf("%+v up to 3: %d %v %v", q, got, more, err)
				}
			}
		}
		if _, _, err := store.WorklistCountUpTo(ctx, s, store.WorklistQuery{}, 10); err == nil {
			t.Error("a count without a scope")
		}
		users, err := store.OfficeUsers(ctx, s, office)
		if err != nil || len(users) != 1 || users[0].ID != worker || other == 0 {
			t.Errorf("office users %v %v: want the active one", users, err)
		}
	})
}

func TestOrganisationByCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		gotland := storetest.Made(t, s, func(tx *store.Tx) (organisation.Organisation, error) {
			return store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "gotlands-kommun", Name: "Gotlands kommun", Type: organisation.Municipality, Code: "0980"})
		})
		o, err := store.OrganisationByCode(ctx, s, organisation.Municipality, "0980")
		if err != nil || o.ID != gotland.ID {
			t.Errorf("by code: %+v %v", o, err)
		}
		if _, err := store.OrganisationByCode(ctx, s, organisation.Region, "0980"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another type: %v, want ErrNotFound", err)
		}
	})
}
