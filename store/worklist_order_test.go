package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestWorklistOrders pages through an office's worklist in every order,
// both ways, a few rows at a time: forwards to the end and back again
// with the Before cursor must give the whole list in the order sorted
// here, without a case twice or missing.
func TestWorklistOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		// Keys with ties, so that the id breaks them.
		cases := visbyWorklist{n: 17,
			mine: func(i int) bool { return i%2 == 0 },
			state: func(i int) store.CaseState {
				return store.CaseState{EvalDate: now, NextDue: now.AddDate(0, 0, i%4), Phase: "1-90", ChainDay: 10 * (i % 5),
					Degree: []int{25, 50, 75, 100}[i%4], WarningCount: i % 3, Sick: true}
			},
			// The office's manager is no case worker: the load leaves her
			// out, though her name comes first.
			staff: []store.User{{Username: "i", Name: "Ida", Roles: account.RolesOf(account.CaseWorker)},
				{Username: "c", Name: "Cecilia Chef", Roles: account.RolesOf(account.Manager)}},
		}
		v := cases.seed(t, s, now)
		office, worker, idle := v.office, v.worker, v.staff[0]
		all, _, err := store.Worklist(ctx, s, store.WorklistQuery{OfficeID: office, Limit: store.MaxWorklistPage})
		if err != nil || len(all) != 17 {
			t.Fatalf("%d cases, %v", len(all), err)
		}
		// A page's brief rows carry what a worklist row shows, as the full
		// rows do, and leave the rest zero.
		brief, _, err := store.Worklist(ctx, s, store.WorklistQuery{OfficeID: office, Limit: store.MaxWorklistPage, Brief: true})
		if err != nil || len(brief) != len(all) {
			t.Fatalf("brief: %d cases, %v", len(brief), err)
		}
		for i, b := range brief {
			c := all[i].Case
			shown := store.Case{ID: c.ID, Version: c.Version, AssignedUserID: c.AssignedUserID, Assignee: c.Assignee,
				Personnummer: c.Personnummer, PersonName: c.PersonName, ProtectedIdentity: c.ProtectedIdentity,
				CaseState: store.CaseState{EvalDate: c.EvalDate, EvalError: c.EvalError, Sick: c.Sick, ChainDay: c.ChainDay,
					Phase: c.Phase, Degree: c.Degree, NextDue: c.NextDue, NextKind: c.NextKind, WarningCount: c.WarningCount}}
			if b.Case != shown || !slices.Equal(b.Warnings, all[i].Warnings) || c.Assignee == "" && c.AssignedUserID != 0 {
				t.Errorf("brief row %d:\n%+v\nwant\n%+v", i, b, shown)
			}
		}
		key := map[string]func(c store.Case) int{
			store.SortDue:      func(c store.Case) int { return int(c.NextDue.Unix() / 86400) },
			store.SortChainDay: func(c store.Case) int { return c.ChainDay },
			store.SortDegree:   func(c store.Case) int { return c.Degree },
			store.SortWarnings: func(c store.Case) int { return c.WarningCount },
		}
		for sort, k := range key {
			for _, desc := range []bool{false, true} {
				t.Run(fmt.Sprintf("%q desc=%v", sort, desc), func(t *testing.T) {
					want := slices.Clone(all)
					slices.SortFunc(want, func(a, b store.WorklistRow) int {
						c := cmp.Or(cmp.Compare(k(a.Case), k(b.Case)), cmp.Compare(a.ID, b.ID))
						if desc {
							return -c
						}
						return c
					})
					q := store.WorklistQuery{OfficeID: office, Sort: sort, Desc: desc, Limit: 4}
					var forward []int64
					var pages []store.WorklistPage
					for range 10 {
						p, err := store.WorklistPageOf(ctx, s, q)
						if err != nil {
							t.Fatal(err)
						}
						if (len(pages) == 0) != p.Prev.IsZero() {
							t.Errorf("page %d: previous cursor %v", len(pages)+1, p.Prev)
						}
						pages = append(pages, p)
						for _, r := range p.Rows {
							forward = append(forward, r.ID)
						}
						if p.Next.IsZero() {
							break
						}
						q.After = p.Next
					}
					if got := ids(want); !slices.Equal(forward, got) {
						t.Fatalf("forwards %v, want %v", forward, got)
					}
					// Back from the last page with the previous cursors.
					q.After = store.Cursor{}
					for i := len(pages) - 1; i > 0; i-- {
						q.Before = pages[i].Prev
						p, err := store.WorklistPageOf(ctx, s, q)
						if err != nil {
							t.Fatal(err)
						}
						if !slices.Equal(ids(p.Rows), ids(pages[i-1].Rows)) || p.Next != pages[i-1].Next || (i == 1) != p.Prev.IsZero() {
							t.Errorf("back to page %d: %v next %v prev %v, want %v", i, ids(p.Rows), p.Next, p.Prev, ids(pages[i-1].Rows))
						}
					}
				})
			}
		}
		if _, err := store.WorklistPageOf(ctx, s, store.WorklistQuery{OfficeID: office, Sort: store.SortDegree, After: store.Cursor{Due: now, ID: 1}}); err == nil {
			t.Error("a date cursor in the order by degree")
		}
		if _, err := store.WorklistPageOf(ctx, s, store.WorklistQuery{OfficeID: office, Sort: "name"}); err == nil {
			t.Error("an unknown order")
		}
		load, err := store.OfficeCaseLoad(ctx, s, office, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(load) != 2 || load[0].UserID != worker || load[0].Open != 5 || !load[0].More || load[1].UserID != idle || load[1].Open != 0 || load[1].More {
			t.Errorf("load %+v", load)
		}
		load, _ = store.OfficeCaseLoad(ctx, s, office, 100)
		if load[0].Open != 9 || load[0].More {
			t.Errorf("load up to 100: %+v", load)
		}
	})
}

func TestCursorText(t *testing.T) {
	for _, c := range []store.Cursor{{}, {Due: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), ID: 12}, {N: 0, ID: 3}, {N: 181, ID: 99}} {
		got, err := store.ParseCursor(c.String())
		if err != nil || got != c {
			t.Errorf("%+v: %q read back as %+v %v", c, c.String(), got, err)
		}
	}
	for _, bad := range []string{"x", "12", "2026-13-01.4", "-3.4", "3.0", "3.x", "a.1"} {
		if _, err := store.ParseCursor(bad); err == nil {
			t.Errorf("%q read as a cursor", bad)
		}
	}
}

func ids(rows []store.WorklistRow) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// fkVisby creates Försäkringskassan and its local office in Visby, the
// setting of the worklist and start-view tests.
func fkVisby(ctx context.Context, tx *store.Tx) (fkID, officeID int64, err error) {
	fk, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK})
	if err != nil {
		return 0, 0, err
	}
	officeID, err = store.CreateOffice(ctx, tx, store.Office{OrgID: fk.ID, Slug: "visby", Name: "Visby", Kind: store.OfficeLocal})
	return fk.ID, officeID, err
}

// staffAt creates a user with role at an office of org.
func staffAt(ctx context.Context, tx *store.Tx, orgID, officeID int64, username, name string, role account.Role) (int64, error) {
	return store.CreateUser(ctx, tx, store.User{Username: username, Name: name, OrgID: orgID, OfficeID: officeID, Roles: account.RolesOf(role)})
}

// numberedPersons inserts n persons numbered 1971… and returns their ids.
func numberedPersons(ctx context.Context, tx *store.Tx, n int, now time.Time) ([]int64, error) {
	persons := make([]store.Person, n)
	for i := range persons {
		persons[i] = store.Person{Personnummer: fmt.Sprintf("1971%08d", i)}
	}
	return store.InsertPersons(ctx, tx, persons, now)
}

// visbyWorklist describes the cases of the worklist and start-view tests:
// n cases at Försäkringskassan's Visby office, case i of numbered person i
// beginning i days before now.
type visbyWorklist struct {
	n int
	// mine says whether case i is the case worker's; the others are
	// nobody's.
	mine func(i int) bool
	// closed says whether case i is closed; nil leaves them all open.
	closed func(i int) bool
	// state is the recomputed state saved for case i.
	state func(i int) store.CaseState
	// staff are more users of the office, after the case worker.
	staff []store.User
}

// visbyIDs are the ids of what visbyWorklist.seed creates.
type visbyIDs struct {
	fk, office, worker int64
	cases              []int64
	staff              []int64 // of visbyWorklist.staff, in its order
}

// seed creates, in one transaction of s, Försäkringskassan's Visby office,
// case worker Hanna ("h"), the other staff and the cases, each with its
// recomputed state; an error fails the test.
func (w visbyWorklist) seed(t *testing.T, s *store.Store, now time.Time) visbyIDs {
	t.Helper()
	return storetest.Made(t, s, func(tx *store.Tx) (visbyIDs, error) { return w.write(context.Background(), tx, now) })
}

func (w visbyWorklist) write(ctx context.Context, tx *store.Tx, now time.Time) (visbyIDs, error) {
	var v visbyIDs
	var err error
	if v.fk, v.office, err = fkVisby(ctx, tx); err != nil {
		return v, err
	}
	if v.worker, err = staffAt(ctx, tx, v.fk, v.office, "h", "Hanna", account.CaseWorker); err != nil {
		return v, err
	}
	for _, u := range w.staff {
		u.OrgID, u.OfficeID = v.fk, v.office
		id, err := store.CreateUser(ctx, tx, u)
		if err != nil {
			return v, err
		}
		v.staff = append(v.staff, id)
	}
	persons, err := numberedPersons(ctx, tx, w.n, now)
	if err != nil {
		return v, err
	}
	cases := make([]store.NewCase, len(persons))
	for i, id := range persons {
		cases[i] = store.NewCase{PersonID: id, FirstDay: now.AddDate(0, 0, -i), LastDay: now, OfficeID: v.office}
		if w.mine(i) {
			cases[i].AssignedUserID = v.worker
		}
		if w.closed != nil && w.closed(i) {
			cases[i].Status = store.CaseClosed
		}
	}
	if v.cases, err = store.InsertCases(ctx, tx, cases, now); err != nil {
		return v, err
	}
	batch := make([]store.RecomputeCase, len(v.cases))
	ups := make([]store.CaseUpdate, len(v.cases))
	for i, id := range v.cases {
		batch[i] = store.RecomputeCase{ID: id}
		ups[i] = store.CaseUpdate{ID: id, State: w.state(i)}
	}
	return v, store.SaveRecomputed(ctx, tx, batch, ups, now)
}
