package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
)

// e2eOtherPassword is the password of the case workers the tests add.
const e2eOtherPassword = "e2e-annat-kontor-123"

// withStore opens the running server's database in dataDir beside the
// server, runs fn on it and closes it again; what names the fixture in the
// failure.
func withStore(t *testing.T, dataDir, what string, fn func(ctx context.Context, st *store.Store) error) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dataDir})
	if err != nil {
		t.Fatalf("open the server's database: %v", err)
	}
	defer st.Close()
	if err := fn(ctx, st); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// orgIDs are the ids of the organisations slugs, by slug.
func orgIDs(ctx context.Context, tx *store.Tx, slugs ...string) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, slug := range slugs {
		o, err := store.OrganisationBySlug(ctx, tx, slug)
		if err != nil {
			return nil, err
		}
		ids[slug] = o.ID
	}
	return ids, nil
}

// addCaseWorker adds the case worker username, called name, to the office
// of FK (the organisation fk), signing in with e2eOtherPassword.
func addCaseWorker(ctx context.Context, tx *store.Tx, fk, office int64, username, name string) error {
	hash, err := account.HashPassword(e2eOtherPassword)
	if err != nil {
		return err
	}
	_, err = store.CreateUser(ctx, tx, store.User{Username: username, Name: name, OrgID: fk, OfficeID: office,
		Roles: account.RolesOf(account.CaseWorker), PasswordHash: hash})
	return err
}

// paperCase writes a case of the person pnr (name, of Gotland) in the
// office, held by the user worker, with sick leave at degree per cent from
// first to last on a paper certificate. It returns the case and the person.
func paperCase(ctx context.Context, tx *store.Tx, office, worker int64, pnr, name string, first, last time.Time, degree int, now time.Time) (caseID, person int64, err error) {
	person, err = store.SavePerson(ctx, tx, store.Person{Personnummer: pnr, Name: name, MunicipalityCode: "0980"}, now)
	if err != nil {
		return 0, 0, err
	}
	if caseID, err = store.InsertCase(ctx, tx, person, first, last, now); err != nil {
		return 0, 0, err
	}
	if err := store.SetCaseOwner(ctx, tx, caseID, office, 0, worker); err != nil {
		return 0, 0, err
	}
	err = store.InsertPeriods(ctx, tx, person, 0, []store.Period{{From: first, To: last, Degree: degree}}, "Pappersintyg (e2e)", now)
	return caseID, person, err
}
