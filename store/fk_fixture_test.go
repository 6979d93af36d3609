package store_test

import (
	"context"
	"fmt"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
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
