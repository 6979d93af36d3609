package cases

// The case work's test data, shared by the package's own tests and its
// external tests (which build the server with webtest).

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
)

// RulesInputOf is rulesInputOf, for the external tests.
var RulesInputOf = rulesInputOf

// caseFixture is the case work of casesSetup: FK's Visby insurance centre
// (the demo manager's office) with a case worker of its own, another
// office with its case worker, and four cases.
type CaseFixture struct {
	FK                organisation.Organisation
	Visby, Other      int64 // offices: lfc-visby (the demo's) and lk-visby
	Worker, Colleague int64 // case workers in Visby: hw-visby and hw-kollega
	OtherWorker       int64 // a case worker of the other office: hw-annat
	// mine: assigned to hw-visby, a plain case; protected: assigned to
	// hw-visby, a person with a protected identity; unassigned: Visby's,
	// nobody's; elsewhere: the other office's.
	Mine, Protected, Unassigned, Elsewhere int64
	PnrMine                                string
}

// SeedCases adds to the demo organisations and users of st its own case
// workers (password password) and cases, so that nothing depends on the
// demo's case data. refresh brings a case's stored state up to date, as an
// edit does; it is called for every case.
func SeedCases(t testing.TB, st *store.Store, now time.Time, password string, refresh func(id int64)) CaseFixture {
	t.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	f := CaseFixture{PnrMine: "197001019801"}
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	err = st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if f.FK, err = store.OrganisationBySlug(ctx, tx, "fk"); err != nil {
			return err
		}
		offices, err := store.Offices(ctx, tx, f.FK.ID)
		if err != nil {
			return err
		}
		for _, o := range offices {
			switch o.Slug {
			case "lfc-visby":
				f.Visby = o.ID
			case "lk-visby":
				f.Other = o.ID
			}
		}
		user := func(username, name string, office int64) (int64, error) {
			return store.CreateUser(ctx, tx, store.User{Username: username, Name: name, OrgID: f.FK.ID, OfficeID: office,
				Roles: account.RolesOf(account.CaseWorker), PasswordHash: hash})
		}
		if f.Worker, err = user("hw-visby", "Vera Visbyhandläggare", f.Visby); err != nil {
			return err
		}
		if f.Colleague, err = user("hw-kollega", "Kim Kollega", f.Visby); err != nil {
			return err
		}
		if f.OtherWorker, err = user("hw-annat", "Ola Annatkontor", f.Other); err != nil {
			return err
		}
		newCase := func(pnr, name string, protected bool, office, assignee int64, periods ...store.Period) (int64, error) {
			pid, err := store.SavePerson(ctx, tx, store.Person{Personnummer: pnr, Name: name, MunicipalityCode: "0980", ProtectedIdentity: protected}, now)
			if err != nil {
				return 0, err
			}
			first, last := periods[0].From, periods[len(periods)-1].To
			id, err := store.InsertCase(ctx, tx, pid, first, last, now)
			if err != nil {
				return 0, err
			}
			if err := store.SetCaseOwner(ctx, tx, id, office, 0, assignee); err != nil {
				return 0, err
			}
			return id, store.InsertPeriods(ctx, tx, pid, 0, periods, "test", now)
		}
		// Sick since 1 September: day 84 on 23 November, day 91 ahead.
		if f.Mine, err = newCase(f.PnrMine, "Anna Andersson", false, f.Visby, f.Worker,
			store.Period{From: d("2026-09-01"), To: d("2026-10-31"), Degree: 100},
			store.Period{From: d("2026-11-01"), To: d("2026-12-31"), Degree: 50}); err != nil {
			return err
		}
		if f.Protected, err = newCase("198002029802", "Sara Skyddad", true, f.Visby, f.Worker,
			store.Period{From: d("2026-05-01"), To: d("2026-12-15"), Degree: 100}); err != nil {
			return err
		}
		if f.Unassigned, err = newCase("199003039803", "Per Persson", false, f.Visby, 0,
			store.Period{From: d("2026-11-10"), To: d("2026-12-20"), Degree: 75}); err != nil {
			return err
		}
		f.Elsewhere, err = newCase("196504049804", "Karin Karlsson", false, f.Other, f.OtherWorker,
			store.Period{From: d("2026-08-01"), To: d("2027-01-31"), Degree: 100})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{f.Mine, f.Protected, f.Unassigned, f.Elsewhere} {
		refresh(id)
	}
	return f
}

// BuildCaseTimeline is buildCaseTimeline of h, for the external tests.
var BuildCaseTimeline = (*Handlers).buildCaseTimeline
