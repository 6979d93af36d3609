package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

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
