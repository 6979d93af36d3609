package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// GenerateCases writes n open sickness cases for n new synthetic persons,
// for benchmarks and load tests: each case 1–4 periods entered by hand
// (source "manual"), started up to two years before today and certified
// until around today, one person in ten with an earlier, closed case. The
// cases are spread over the FK offices in the database and assigned to
// their case workers (none when there are none). Persons and cases are
// written with multi-row statements, a few thousand per transaction; the
// same seed gives the same cases.
func GenerateCases(ctx context.Context, st *store.Store, n int, seed uint64, today time.Time) error {
	owners, err := caseOwners(ctx, st)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x63617365))
	taken := map[personnummer.Number]bool{}
	existing, err := store.CountPersons(ctx, st)
	if err != nil {
		return err
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	const perTx = 5000
	for done := 0; done < n; done += perTx {
		size := min(perTx, n-done)
		persons := make([]store.Person, size)
		for i := range persons {
			persons[i] = store.Person{Personnummer: string(uniqueNumber(rng, taken, existing+done+i)),
				Name:             givenNames[rng.IntN(len(givenNames))] + " " + familyNames[rng.IntN(len(familyNames))],
				MunicipalityCode: demoMunicipality}
		}
		err := st.Tx(ctx, func(tx *store.Tx) error {
			ids, err := store.InsertPersons(ctx, tx, persons, today)
			if err != nil {
				return err
			}
			var cases []store.NewCase
			for _, pid := range ids {
				o := owners.pick(rng)
				c := generatedCase(rng, pid, today)
				c.OfficeID, c.CustomerGroupID, c.AssignedUserID = o.office, o.group, o.worker
				if rng.IntN(10) == 0 {
					// An earlier case, over at least 90 days before this one.
					end := c.FirstDay.AddDate(0, 0, -(90 + rng.IntN(400)))
					start := end.AddDate(0, 0, -(7 + rng.IntN(120)))
					cases = append(cases, store.NewCase{PersonID: pid, FirstDay: start, LastDay: end, Status: store.CaseClosed,
						OfficeID: o.office, CustomerGroupID: o.group, AssignedUserID: o.worker,
						Periods: []store.Period{{From: start, To: end, Degree: 100}}})
				}
				cases = append(cases, c)
			}
			_, err = store.InsertCases(ctx, tx, cases, today)
			return err
		})
		if err != nil {
			return fmt.Errorf("generate cases %d–%d: %w", done+1, done+size, err)
		}
	}
	return nil
}

// generatedCase is an open case of 1–4 periods, a few days apart at most,
// from up to two years ago to around today.
func generatedCase(rng *rand.Rand, personID int64, today time.Time) store.NewCase {
	start := today.AddDate(0, 0, -rng.IntN(730))
	end := today.AddDate(0, 0, rng.IntN(75)-14)
	if !end.After(start) {
		end = start.AddDate(0, 0, 7+rng.IntN(30))
	}
	c := store.NewCase{PersonID: personID, FirstDay: start, LastDay: end, AnnualIncomeOre: int64(180000+rng.IntN(500000)) * 100,
		EmployerOrgNumber: "5560000001", EmployerName: "Gotlands Arbete AB (demo)"}
	switch r := rng.IntN(20); {
	case r < 2:
		c.Employment = "unemployed"
	case r < 3:
		c.Employment = "self_employed"
		c.EmployerOrgNumber, c.EmployerName = "", ""
	}
	c.SeriousIllness = rng.IntN(100) == 0
	parts := 1 + rng.IntN(4)
	span := int(end.Sub(start).Hours() / 24)
	from := start
	for k := range parts {
		to := end
		if k < parts-1 {
			to = from.AddDate(0, 0, max(1, span/parts-rng.IntN(3)))
			if !to.Before(end) {
				to = end
			}
		}
		c.Periods = append(c.Periods, store.Period{From: from, To: to, Degree: degrees[rng.IntN(len(degrees))]})
		if !to.Before(end) {
			break
		}
		from = to.AddDate(0, 0, 1+rng.IntN(3)) // adjacent or a short gap
		if from.After(end) {
			break
		}
	}
	c.LastDay = c.Periods[len(c.Periods)-1].To
	return c
}

var degrees = []int{100, 100, 100, 75, 50, 50, 25}

// uniqueNumber draws a test-series personnummer not drawn before; past
// about 300,000 persons the test series of personnummer runs thin and
// samordningsnummer are drawn instead.
func uniqueNumber(rng *rand.Rand, taken map[personnummer.Number]bool, i int) personnummer.Number {
	first := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	coordination := i >= 250000
	for {
		p := personnummer.Generate(rng, first.AddDate(0, 0, rng.IntN(days+1)), coordination || rng.IntN(100) < 3)
		if !taken[p] {
			taken[p] = true
			return p
		}
	}
}

// owner is an office, its customer group and a case worker there (0 when
// none).
type owner struct{ office, group, worker int64 }

type owners []owner

func (os owners) pick(rng *rand.Rand) owner {
	if len(os) == 0 {
		return owner{}
	}
	return os[rng.IntN(len(os))]
}

// caseOwners lists FK's offices, each once per case worker in it (once
// with no case worker when it has none).
func caseOwners(ctx context.Context, st *store.Store) (owners, error) {
	fk, err := store.Organisations(ctx, st, organisation.FK)
	if err != nil || len(fk) == 0 {
		return nil, err
	}
	offices, err := store.Offices(ctx, st, fk[0].ID)
	if err != nil {
		return nil, err
	}
	users, err := store.Users(ctx, st, fk[0].ID)
	if err != nil {
		return nil, err
	}
	var out owners
	for _, o := range offices {
		n := 0
		for _, u := range users {
			if u.OfficeID == o.ID && u.Roles.Has(account.CaseWorker) && !u.Disabled {
				out = append(out, owner{o.ID, o.CustomerGroupID, u.ID})
				n++
			}
		}
		if n == 0 {
			out = append(out, owner{o.ID, o.CustomerGroupID, 0})
		}
	}
	return out, nil
}
