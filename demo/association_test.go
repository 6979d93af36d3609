package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// assocDay is the day the association tests load the demo on.
var assocDay = time.Date(2026, 11, 30, 7, 45, 0, 0, time.UTC)

// loadAssociation loads the organisations, the users and the association's
// data (not the certificates and cases, which it does not need) and
// returns how long the association's part took.
func loadAssociation(t testing.TB, st *store.Store, seed uint64, now time.Time) (demo.AssociationLoaded, time.Duration) {
	t.Helper()
	ctx := context.Background()
	if loaded, err := demo.LoadIfEmpty(ctx, st, seed, "demo"); err != nil || !loaded {
		t.Fatalf("LoadIfEmpty: %v %v", loaded, err)
	}
	start := time.Now()
	got, err := demo.LoadAssociation(ctx, st, seed, now)
	if err != nil {
		t.Fatal(err)
	}
	return got, time.Since(start)
}

func orgID(t testing.TB, st *store.Store, slug string) int64 {
	t.Helper()
	o, err := store.OrganisationBySlug(context.Background(), st, slug)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// allParticipants reads every registration of the association with its
// measurements.
func allParticipants(t testing.TB, st *store.Store, assoc int64) []association.Participant {
	t.Helper()
	ctx := context.Background()
	var out []association.Participant
	q := store.ParticipantQuery{AssociationID: assoc, Limit: 1000}
	for {
		page, err := store.Participants(ctx, st, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			full, err := store.ParticipantByID(ctx, st, assoc, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, full)
		}
		if len(page) < q.Limit {
			return out
		}
		q.AfterID = page[len(page)-1].ID
	}
}

func TestDemoAssociationLoads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		got, took := loadAssociation(t, st, demo.DefaultSeed, assocDay)
		t.Logf("association loaded in %s: %+v", took.Round(time.Millisecond), got)
		if got.Insatser != 12 || got.Participants < 300 || got.Participants > 450 || got.Protected < 1 || got.Pending < 3 ||
			got.FirstYear != 2022 || got.LastYear != 2026 || got.Date.String() != "2026-11-30" {
			t.Errorf("loaded %+v", got)
		}
		assoc := orgID(t, st, demo.OperatorOrg)
		s, err := store.AssociationSettingsOf(ctx, st, assoc)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := association.NormaliseOrgNumber(s.OrgNumber); !ok || s.RegionCode != "09" || len(s.Area) != 1 || s.Area[0] != "0980" ||
			s.CostKey != association.KeyPopulation {
			t.Errorf("settings %+v", s)
		}
		// The board on the day: a ledamot and an ersättare per member, one
		// chair and one vice chair; the demo user styrelse holds a seat.
		today := civil.Of(assocDay)
		board, err := store.BodyMembers(ctx, st, assoc, store.BodyBoard, today)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[string]int{}
		for _, m := range board {
			roles[m.Role]++
			roles[m.Position]++
		}
		if len(board) != 8 || roles["ledamot"] != 4 || roles["ersattare"] != 4 || roles["chair"] != 1 || roles["vice_chair"] != 1 {
			t.Errorf("board on %s: %+v", today, board)
		}
		if all, _ := store.BodyMembers(ctx, st, assoc, store.BodyBoard, civil.Date{}); len(all) != 16 {
			t.Errorf("board seats over two terms: %d, want 16", len(all))
		}
		prep, err := store.BodyMembers(ctx, st, assoc, store.BodyPreparatory, today)
		if err != nil || len(prep) != 4 {
			t.Errorf("beredningsgrupp on %s: %d seats, %v", today, len(prep), err)
		}
		for user, want := range map[string]store.AssociationStanding{
			"styrelse":       {BoardSeat: true},
			"ekonomi-kommun": {Member: true},
		} {
			u, err := store.UserByName(ctx, st, user)
			if err != nil {
				t.Fatal(err)
			}
			standing, err := store.StandingOf(ctx, st, assoc, u.OrgID, u.ID, today)
			if err != nil || standing != want {
				t.Errorf("%s stands %+v, want %+v (%v)", user, standing, want, err)
			}
		}
	})
}

// TestDemoAssociationIsDeterministic: the same seed and day give the same
// data, down to every amount, code and date.
func TestDemoAssociationIsDeterministic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadAssociation(t, st, demo.DefaultSeed, assocDay)
		other := storetest.Open(t, st.Dialect())
		loadAssociation(t, other, demo.DefaultSeed, assocDay)
		a, b := fingerprint(t, st), fingerprint(t, other)
		if a != b {
			t.Errorf("two loads differ:\n%s\n---\n%s", a[:min(len(a), 2000)], b[:min(len(b), 2000)])
		}
		third := storetest.Open(t, st.Dialect())
		loadAssociation(t, third, demo.DefaultSeed+1, assocDay)
		if fingerprint(t, third) == a {
			t.Error("another seed gives the same data")
		}
	})
}

// fingerprint writes the association's data without database ids.
func fingerprint(t testing.TB, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	assoc := orgID(t, st, demo.OperatorOrg)
	var b strings.Builder
	cs, err := store.Contributions(ctx, st, assoc, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "contribution %d %d %d %d\n", c.Year, c.Planned, c.Invoiced, c.Paid)
	}
	eq, err := store.Equity(ctx, st, assoc)
	if err != nil {
		t.Fatal(err)
	}
	for y := 2020; y <= 2026; y++ {
		fmt.Fprintf(&b, "equity %d %d\n", y, eq[y])
	}
	for y := 2021; y <= 2027; y++ {
		lines, err := store.BudgetLines(ctx, st, assoc, y, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "line %d %s %s %s %d %s\n", l.Year, l.Entry, l.Kind, l.Financier, l.Amount, l.BookedOn)
		}
	}
	names := map[int64]string{}
	ins, err := store.Insatser(ctx, st, store.InsatsQuery{AssociationID: assoc})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		names[in.ID] = in.Name
		fmt.Fprintf(&b, "insats %s %s %s %s %s %d %t\n", in.Name, in.Kind, in.Status, in.Start, in.End, in.Planned, in.Public)
	}
	for _, p := range allParticipants(t, st, assoc) {
		pnr := ""
		if p.PersonID != 0 {
			person, err := store.PersonByID(ctx, st, p.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			pnr = person.Personnummer + " " + person.Name
		}
		name := names[p.InsatsID]
		var consent association.Consent
		if p.Consent != nil {
			consent = *p.Consent
			consent.RecordedBy = 0
		}
		p.ID, p.InsatsID, p.AssociationID, p.PersonID, p.Consent = 0, 0, 0, 0, nil
		fmt.Fprintf(&b, "participant %s %s %+v %+v\n", name, pnr, p, consent)
	}
	return b.String()
}

// TestDemoAssociationSplitReconciles: each year's contributions are the
// law's split of a total in whole kronor — half from the state, a quarter
// each from the region and the municipality — to the öre, and splitting
// their sum again by the stored cost shares gives the stored rows; past
// years are paid in full, the current year in part.
func TestDemoAssociationSplitReconciles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		loadAssociation(t, st, demo.DefaultSeed, assocDay)
		assoc := orgID(t, st, demo.OperatorOrg)
		fk, region, kommun := orgID(t, st, "fk"), orgID(t, st, "region-gotland"), orgID(t, st, "gotlands-kommun")
		shares, err := store.CostShares(ctx, st, assoc)
		if err != nil {
			t.Fatal(err)
		}
		pop := map[int64]int64{}
		for _, s := range shares {
			pop[s.MemberID] = s.Population
		}
		for y := 2022; y <= 2026; y++ {
			cs, err := store.Contributions(ctx, st, assoc, y, 0)
			if err != nil {
				t.Fatal(err)
			}
			by := map[int64]store.Contribution{}
			var total association.Ore
			for _, c := range cs {
				by[c.MemberID] = c
				total += c.Planned
			}
			if len(cs) != 3 || total%100 != 0 || total < association.Kr(4_000_000) || total > association.Kr(6_000_000) {
				t.Errorf("%d: %d contributions, total %s", y, len(cs), total)
				continue
			}
			split, err := association.SplitContribution(total, association.KeyPopulation,
				[]association.Party{{OrgID: region, Population: pop[region]}}, []association.Party{{OrgID: kommun, Population: pop[kommun]}})
			if err != nil {
				t.Fatal(err)
			}
			if split.Sum() != total || by[fk].Planned != split.State || by[region].Planned != split.Regions[0].Amount ||
				by[kommun].Planned != split.Municipalities[0].Amount || by[fk].Planned*2 != total {
				t.Errorf("%d: stored %+v, split of %s is %+v", y, cs, total, split)
			}
			for _, c := range cs {
				switch {
				case y < 2026 && (c.Invoiced != c.Planned || c.Paid != c.Planned):
					t.Errorf("%d: past year not settled: %+v", y, c)
				case y == 2026 && (c.Invoiced > c.Planned || c.Paid > c.Invoiced):
					t.Errorf("%d: paid more than invoiced: %+v", y, c)
				}
			}
			if y == 2026 && by[kommun].Paid >= by[kommun].Invoiced {
				t.Errorf("the current year is fully paid: %+v", cs)
			}
		}
	})
}

// TestDemoAssociationBudgetOutcomeEquity: every year has an administration
// budget and insats budgets, outcome close to them (the current year only
// in part), and equity at each past year end that follows from income and
// outcome.
func TestDemoAssociationBudgetOutcomeEquity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		loadAssociation(t, st, demo.DefaultSeed, assocDay)
		assoc := orgID(t, st, demo.OperatorOrg)
		eq, err := store.Equity(ctx, st, assoc)
		if err != nil {
			t.Fatal(err)
		}
		for y := 2022; y <= 2026; y++ {
			lines, err := store.BudgetLines(ctx, st, assoc, y, "")
			if err != nil {
				t.Fatal(err)
			}
			sum := map[string]association.Ore{}
			var esf association.Ore
			for _, l := range lines {
				sum[l.Entry+" "+l.Kind] += l.Amount
				if l.Entry == store.EntryBudget && l.Financier == association.FinancierESF {
					esf += l.Amount
				}
			}
			budget := sum["budget administration"] + sum["budget insats"]
			outcome := sum["outcome administration"] + sum["outcome insats"]
			cs, _ := store.Contributions(ctx, st, assoc, y, 0)
			var income association.Ore
			for _, c := range cs {
				income += c.Planned
			}
			t.Logf("%d: contributions %s, budget %s, outcome %s, equity %s", y, income, budget, outcome, eq[y])
			if sum["budget administration"] == 0 || sum["budget insats"] == 0 || budget > income+esf {
				t.Errorf("%d: budget %v against contributions %s", y, sum, income)
			}
			if y < 2026 {
				if outcome < budget*85/100 || outcome > budget*105/100 {
					t.Errorf("%d: outcome %s against budget %s", y, outcome, budget)
				}
				if eq[y] != eq[y-1]+income+esf-outcome {
					t.Errorf("%d: equity %s does not follow from %s + %s + %s - %s", y, eq[y], eq[y-1], income, esf, outcome)
				}
			} else if outcome >= budget || outcome < budget/2 {
				t.Errorf("%d (current): outcome %s against budget %s", y, outcome, budget)
			}
		}
	})
}

// TestDemoAssociationParticipants: personal data only with consent (and
// synthetic personnummer), protected identities anonymous, Skarphäll with
// its participants, a realistic share into work or studies, follow-ups,
// and report cells of at least five per insats and year except a couple of
// small ones on purpose.
func TestDemoAssociationParticipants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		loadAssociation(t, st, demo.DefaultSeed, assocDay)
		assoc := orgID(t, st, demo.OperatorOrg)
		forbund, err := store.UserByName(ctx, st, "forbund")
		if err != nil {
			t.Fatal(err)
		}
		ins, err := store.Insatser(ctx, st, store.InsatsQuery{AssociationID: assoc})
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]association.Insats{}
		kinds, statuses, public := map[association.Kind]int{}, map[association.InsatsStatus]int{}, 0
		for _, in := range ins {
			byName[in.Name] = in
			kinds[in.Kind]++
			statuses[in.Status]++
			if in.Public {
				public++
			}
		}
		if kinds[association.Individual] < 5 || kinds[association.Structural] < 3 || statuses[association.InsatsPlanned] < 1 ||
			statuses[association.InsatsOngoing] < 3 || statuses[association.InsatsEnded] < 2 || public < len(ins)/2 {
			t.Errorf("insatser: %v %v, %d public of %d", kinds, statuses, public, len(ins))
		}
		skarphall, ok := byName["Skarphäll"]
		if !ok || skarphall.Kind != association.Individual || skarphall.FollowUp != association.FollowUpIndividual {
			t.Fatalf("no individual insats Skarphäll: %+v", skarphall)
		}
		full, err := store.InsatsByID(ctx, st, assoc, skarphall.ID)
		if err != nil || len(full.PartyOrgIDs) < 2 || len(full.Budgets) == 0 {
			t.Errorf("Skarphäll: %+v %v", full, err)
		}
		ps := allParticipants(t, st, assoc)
		inSkarphall, ended, workOrStudies, followUps := 0, 0, 0, 0
		insatserOf := map[int64]map[int64]bool{}
		for _, p := range ps {
			if p.PersonID != 0 {
				if insatserOf[p.PersonID] == nil {
					insatserOf[p.PersonID] = map[int64]bool{}
				}
				insatserOf[p.PersonID][p.InsatsID] = true
			}
			// Registered in, then out: an ended registration was saved twice.
			if want := map[association.ParticipantStatus]int{association.Ended: 2}[p.Status]; want != 0 && p.Version != want ||
				want == 0 && p.Version != 1 {
				t.Errorf("registration %d (%s) has version %d", p.ID, p.Status, p.Version)
			}
			if p.InsatsID == skarphall.ID {
				inSkarphall++
			}
			if p.PersonID != 0 {
				c := p.Consent
				if c == nil || c.RecordedBy != forbund.ID || c.Covers == "" || !strings.Contains(c.DocumentRef, "9443") || c.On.After(civil.Of(assocDay)) {
					t.Errorf("registration %d has personal data without a proper consent: %+v", p.ID, c)
				}
				person, err := store.PersonByID(ctx, st, p.PersonID)
				if err != nil || !personnummer.Number(person.Personnummer).IsTestSeries() || person.ProtectedIdentity {
					t.Errorf("registration %d: person %v not synthetic (%v)", p.ID, person.ID, err)
				}
			}
			if p.ProtectedIdentity && p.PersonID != 0 {
				t.Errorf("registration %d: a protected identity with personal data", p.ID)
			}
			if p.Status == association.Ended && p.EndReason != "wrong_registration" {
				ended++
				if p.EndReason == "work" || p.EndReason == "studies" {
					workOrStudies++
				}
			}
			if p.Measure(association.Phase6m) != nil || p.Measure(association.Phase12m) != nil {
				followUps++
			}
		}
		t.Logf("%d registrations, %d in Skarphäll, %d ended, %d to work or studies, %d with follow-ups", len(ps), inSkarphall, ended, workOrStudies, followUps)
		if inSkarphall < 50 {
			t.Errorf("Skarphäll has %d participants", inSkarphall)
		}
		if share := workOrStudies * 100 / ended; share < 20 || share > 50 {
			t.Errorf("%d %% ended into work or studies", share)
		}
		if followUps < 30 {
			t.Errorf("%d registrations with follow-ups", followUps)
		}
		twice := 0
		for _, ins := range insatserOf {
			if len(ins) > 1 {
				twice++
			}
		}
		if twice < 5 {
			t.Errorf("%d persons went on to another insats", twice)
		}
		// The reports' cells: participants per insats, year and sex.
		smallYears, smallCells := 0, 0
		for y := 2022; y <= 2026; y++ {
			from, _ := civil.New(y, 1, 1)
			to, _ := civil.New(y, 12, 31)
			counts, err := store.ParticipantsBySex(ctx, st, store.ReportFilter{AssociationID: assoc, From: from, To: to})
			if err != nil {
				t.Fatal(err)
			}
			perInsats := map[string]int64{}
			for _, c := range counts {
				perInsats[c.Name] += c.N
				if c.N < 5 {
					smallCells++
				}
			}
			for name, n := range perInsats {
				if n < 5 {
					smallYears++
					t.Logf("small insats-year: %s %d: %d", name, y, n)
				}
			}
		}
		if smallYears < 1 || smallYears > 2 || smallCells < 2 {
			t.Errorf("%d insats-years under five, %d cells under five; want one or two and at least two", smallYears, smallCells)
		}
	})
}

// BenchmarkLoadAssociation measures loading the association's data into a
// fresh database that holds the organisations and users, on SQLite and (when
// FINSAM_TEST_POSTGRES is set) PostgreSQL.
func BenchmarkLoadAssociation(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			storetest.SkipUnavailable(b, d)
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				st := storetest.Open(b, d)
				if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := demo.LoadAssociation(ctx, st, demo.DefaultSeed, assocDay); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDemoAssociationOnAnyDay: the data is laid out around the day it is
// loaded, whatever the day: nothing is dated after it and the statuses
// follow from the dates.
func TestDemoAssociationOnAnyDay(t *testing.T) {
	days := []time.Time{
		time.Date(2027, 1, 1, 23, 30, 0, 0, time.UTC), // already 2 January in Sweden
		time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2030, 12, 31, 10, 0, 0, 0, time.UTC),
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, now := range days {
			ctx := context.Background()
			db := storetest.Open(t, st.Dialect())
			got, _ := loadAssociation(t, db, demo.DefaultSeed, now)
			today := got.Date
			if got.LastYear != today.Year() || got.Participants < 250 {
				t.Errorf("%s: %+v", now, got)
			}
			assoc := orgID(t, db, demo.OperatorOrg)
			ins, err := store.Insatser(ctx, db, store.InsatsQuery{AssociationID: assoc})
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range ins {
				switch {
				case in.Status == association.InsatsPlanned && !in.Start.After(today),
					in.Status == association.InsatsEnded && (in.End.IsZero() || !in.End.Before(today)),
					in.Status == association.InsatsOngoing && (in.Start.After(today) || !in.End.IsZero() && in.End.Before(today)):
					t.Errorf("%s: %s is %s from %s to %s", today, in.Name, in.Status, in.Start, in.End)
				}
			}
			for _, p := range allParticipants(t, db, assoc) {
				dates := []civil.Date{p.Start, p.End}
				if p.Consent != nil {
					dates = append(dates, p.Consent.On)
				}
				for _, m := range p.Measurements {
					dates = append(dates, m.On)
				}
				for _, d := range dates {
					if d.After(today) {
						t.Errorf("%s: registration %d has a date after today: %+v", today, p.ID, p)
						break
					}
				}
			}
			board, err := store.BodyMembers(ctx, db, assoc, store.BodyBoard, today)
			if err != nil || len(board) != 8 {
				t.Errorf("%s: %d board seats (%v)", today, len(board), err)
			}
		}
	})
}

// TestDemoAssociationAfterCases: loaded after the certificates and cases,
// as `finsam serve --demo` does, the association's data is the same as
// loaded alone (its persons do not collide with the case work's).
func TestDemoAssociationAfterCases(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadDemo(t, st, assocDay)
		got, err := demo.LoadAssociation(context.Background(), st, demo.DefaultSeed, assocDay)
		if err != nil {
			t.Fatal(err)
		}
		alone := storetest.Open(t, st.Dialect())
		want, _ := loadAssociation(t, alone, demo.DefaultSeed, assocDay)
		if got != want {
			t.Errorf("after the cases %+v, alone %+v", got, want)
		}
		if a, b := fingerprint(t, st), fingerprint(t, alone); a != b {
			t.Error("the association's data differs after the cases")
		}
	})
}
