package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// The demo's case work: sickness cases on Gotland from 2008 to
// today in FK's two offices and two customer groups. The demo case worker
// handlaggare gets about 150 open cases chosen so that every phase of the
// rehabilitation chain, every deadline kind of today's rules and every
// early-warning kind is on her worklist; the office in Roma has its own
// case worker and cases; thousands of closed cases give the persons their
// history. The open cases are current work: each started within the last
// two years, and the case workers keep up with their deadlines but for a
// handful of cases whose stories are that they fell behind. Cases from
// the time-limit era (2008–2016) are closed, each shown as it stood some
// weeks before its time limit.

// CasesLoaded says what LoadCases loaded.
type CasesLoaded struct {
	Cases, Open int
	// Date is the date the cases were laid out around and evaluated on.
	Date civil.Date
}

// LoadCases adds the case work to a demo database that holds the
// organisations, users and certificates (LoadIfEmpty, LoadCertificates):
// it places the cases intake made from the certificates, adds cases
// entered by hand with their persons, contacts, notes, decisions and plan
// actions, evaluates every open case (casework.Recomputer) and closes the
// deadlines a case worker would have closed by now. now is the real time
// of loading: the cases are laid out around that day in Sweden, taken
// within the rules engine's parameters, so the worklist is current
// whenever the demo starts. The same seed and day give the same cases.
func LoadCases(ctx context.Context, st *store.Store, seed uint64, now time.Time) (CasesLoaded, error) {
	engine, err := rules.New()
	if err != nil {
		return CasesLoaded{}, err
	}
	l, err := newCaseLoader(ctx, st, engine, seed, now)
	if err != nil {
		return CasesLoaded{}, err
	}
	if err := l.placeIntakeCases(ctx); err != nil {
		return CasesLoaded{}, fmt.Errorf("demo cases from certificates: %w", err)
	}
	l.planCases()
	if err := l.store(ctx); err != nil {
		return CasesLoaded{}, fmt.Errorf("demo cases: %w", err)
	}
	l.total += len(l.ids)
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		return CasesLoaded{}, err
	}
	rc := &casework.Recomputer{Store: st, Engine: engine, FMB: fmb, Now: func() time.Time { return l.clock }}
	if l.clock.Equal(now) {
		rc.Now = nil // the run's times are real
	}
	run, err := rc.Run(ctx, l.today, "demo")
	if err != nil {
		return CasesLoaded{}, fmt.Errorf("demo recompute: %w", err)
	}
	if err := l.afterRun(ctx, rc); err != nil {
		return CasesLoaded{}, fmt.Errorf("demo deadlines: %w", err)
	}
	return CasesLoaded{Cases: l.total, Open: int(run.Processed), Date: l.today}, nil
}

// caseLoader holds what the steps of LoadCases share.
type caseLoader struct {
	st     *store.Store
	engine *rules.Engine
	rng    *rand.Rand
	today  civil.Date
	day    time.Time // today at midnight UTC, as the store keeps dates
	clock  time.Time // now, or 10:00 UTC on today when today is not now's date

	fk, af, region, municipality int64 // organisations
	visby, roma                  int64 // offices
	shortTerm, longTerm          int64 // customer groups
	worker                       int64 // handlaggare
	// The case workers of each office; the demo worker is the last in
	// Visby's.
	visbyWorkers, romaWorkers []int64

	taken   map[personnummer.Number]bool
	persons []store.Person
	specs   []caseSpec
	ids     []int64 // of the specs, once stored
	// intake are the open cases intake made, with their case workers.
	intake []store.CasePlacement
	total  int
	// supplements are certificates of the worker's cases that get a
	// supplement request.
	supplements []int64
}

// caseSpec is one case entered by hand and what happens in it.
type caseSpec struct {
	person    int // index into persons
	c         store.NewCase
	contacts  []time.Time
	plan      []planSpec
	decisions []store.CaseDecision
	// close are the deadline kinds a case worker has closed by today.
	close []string
	// historic is the date a case from the time-limit era is shown on
	// (zero: today).
	historic civil.Date
}

type planSpec struct {
	title  string
	owner  *int64
	due    time.Time
	status string
}

// demoDay is the day the demo is set on, today in Sweden kept within the
// rules' dates, and the clock of the events it writes: now, or ten o'clock
// on that day when now lies outside the rules' dates.
func demoDay(engine *rules.Engine, now time.Time) (civil.Date, time.Time) {
	first, last := engine.DateRange()
	today := certificate.SwedishDate(now)
	if today.After(last) {
		today = last
	}
	if today.Before(first) {
		today = first
	}
	if certificate.SwedishDate(now) != today {
		return today, today.Time().Add(10 * time.Hour)
	}
	return today, now
}

func newCaseLoader(ctx context.Context, st *store.Store, engine *rules.Engine, seed uint64, now time.Time) (*caseLoader, error) {
	today, clock := demoDay(engine, now)
	l := &caseLoader{st: st, engine: engine, rng: rand.New(rand.NewPCG(seed, 0x736a756b66616c6c)), today: today,
		day: today.Time(), clock: clock, taken: map[personnummer.Number]bool{}}
	for _, p := range Persons(seed, demoPersons) {
		l.taken[p.Personnummer] = true
	}
	orgs := map[string]*int64{"fk": &l.fk, "af": &l.af, "region-gotland": &l.region, "gotlands-kommun": &l.municipality}
	for slug, id := range orgs {
		o, err := store.OrganisationBySlug(ctx, st, slug)
		if err != nil {
			return nil, fmt.Errorf("demo organisation %s: %w", slug, err)
		}
		*id = o.ID
	}
	offices, err := store.Offices(ctx, st, l.fk)
	if err != nil {
		return nil, err
	}
	for _, o := range offices {
		switch o.Slug {
		case "lfc-visby":
			l.visby, l.shortTerm = o.ID, o.CustomerGroupID
		case "lk-roma":
			l.roma, l.longTerm = o.ID, o.CustomerGroupID
		}
	}
	if l.visby == 0 || l.roma == 0 || l.shortTerm == 0 || l.longTerm == 0 {
		return nil, fmt.Errorf("demo: FK's offices lfc-visby and lk-roma with their customer groups are missing")
	}
	// Case workers besides the demo users: in Visby two who own cases but
	// do not sign in (no password), in Roma one who does, with the demo
	// users' password, to show that an office's case worker cannot open
	// another office's cases, and one who does not.
	err = st.Tx(ctx, func(tx *store.Tx) error {
		demoWorker, err := store.UserByName(ctx, tx, "handlaggare")
		if err != nil {
			return fmt.Errorf("demo user handlaggare: %w", err)
		}
		l.worker = demoWorker.ID
		l.visbyWorkers, l.romaWorkers = nil, nil
		for _, u := range []struct {
			username, name string
			office         int64
			signsIn        bool
		}{
			{"hl-gustav", "Gustav Gotländing (demo)", l.visby, false},
			{"hl-maja", "Maja Munkkyrka (demo)", l.visby, false},
			{"handlaggare-roma", "Ronja Roma (demo)", l.roma, true},
			{"hl-elsa", "Elsa Endre (demo)", l.roma, false},
		} {
			nu := store.User{Username: u.username, Name: u.name, OrgID: l.fk, OfficeID: u.office, Roles: account.RolesOf(account.CaseWorker)}
			if u.signsIn {
				nu.PasswordHash = demoWorker.PasswordHash
			}
			id, err := store.CreateUser(ctx, tx, nu)
			if err != nil {
				return err
			}
			if u.office == l.visby {
				l.visbyWorkers = append(l.visbyWorkers, id)
			} else {
				l.romaWorkers = append(l.romaWorkers, id)
			}
		}
		l.visbyWorkers = append(l.visbyWorkers, l.worker)
		return nil
	})
	return l, err
}

// Employers on Gotland in the demo: made up, with made-up organisation
// numbers.
var demoEmployers = []struct{ orgNumber, name string }{
	{"5569990011", "Visby Bygg & Montage AB (demo)"},
	{"5569990029", "Slite Hamn och Logistik AB (demo)"},
	{"5569990037", "Hemse Vård & Omsorg AB (demo)"},
	{"5569990045", "Roma Lantbruk Ekonomisk förening (demo)"},
	{"5569990052", "Gotlands Turism & Event AB (demo)"},
	{"5569990060", "Klintehamns Verkstäder AB (demo)"},
}

func (l *caseLoader) facts(c *store.NewCase) {
	e := demoEmployers[l.rng.IntN(len(demoEmployers))]
	c.EmployerOrgNumber, c.EmployerName = e.orgNumber, e.name
	c.AnnualIncomeOre = int64(240000+l.rng.IntN(32)*10000) * 100
	switch r := l.rng.IntN(20); {
	case r == 0:
		c.Employment, c.EmployerOrgNumber, c.EmployerName = "self_employed", "", ""
	case r < 3:
		c.Employment, c.EmployerOrgNumber, c.EmployerName = "unemployed", "", ""
	default:
		c.Employment = "employee"
	}
}

// placeIntakeCases gives the cases intake made from the demo certificates
// an office, a customer group, a case worker and the facts intake cannot
// know (employment, income, employer); those whose certificates ended
// before today are closed (no new certificate came: the case worker has
// closed the case). Of the open ones the demo worker gets those that show
// most (as Derive sees them today).
func (l *caseLoader) placeIntakeCases(ctx context.Context) error {
	var open []store.RecomputeCase
	var places []store.CasePlacement
	fmb, _, err := intake.StoredFMB(ctx, l.st)
	if err != nil {
		return err
	}
	for after := int64(0); ; {
		batch, err := store.OpenCaseBatch(ctx, l.st, after, 1000)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		after = batch[len(batch)-1].ID
		for _, c := range batch {
			var nc store.NewCase
			l.facts(&nc)
			p := store.CasePlacement{ID: c.ID, OfficeID: l.visby, CustomerGroupID: l.shortTerm, Status: store.CaseClosed,
				Employment: nc.Employment, AnnualIncomeOre: nc.AnnualIncomeOre, EmployerOrgNumber: nc.EmployerOrgNumber,
				EmployerName: nc.EmployerName, AssignedUserID: l.visbyWorkers[l.rng.IntN(len(l.visbyWorkers)-1)]}
			if !c.LastDay.Before(l.day) {
				p.Status = store.CaseOpen
				c.Employment, c.AnnualIncomeOre = p.Employment, p.AnnualIncomeOre
				open = append(open, c)
			}
			places = append(places, p)
		}
	}
	l.total += len(places)
	// The worker's share: the cases with most warnings first.
	score := map[int64]int{}
	for i := range open {
		s, err := casework.Derive(l.engine, casework.FactsFrom(&open[i], l.today, fmb), casework.DefaultConfig())
		if err != nil {
			continue
		}
		for _, w := range s.Warnings {
			score[open[i].ID] += 1 + 2*boolInt(w.Kind == casework.WarningFMBExceeded)
		}
	}
	sort.SliceStable(open, func(a, b int) bool { return score[open[a].ID] > score[open[b].ID] })
	mine := map[int64]bool{}
	for i, c := range open {
		if i < 60 {
			mine[c.ID] = true
			if len(c.Certificates) > 0 && len(l.supplements) < 12 && i%4 == 1 {
				l.supplements = append(l.supplements, c.Certificates[len(c.Certificates)-1].ID)
			}
		}
	}
	for i := range places {
		if mine[places[i].ID] {
			places[i].AssignedUserID = l.worker
		}
		if places[i].Status == store.CaseOpen {
			l.intake = append(l.intake, places[i])
		}
	}
	return l.st.Tx(ctx, func(tx *store.Tx) error { return store.PlaceCases(ctx, tx, places) })
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// person adds a synthetic person living on Gotland. The case work's
// persons have the test series' serial numbers 980–989 and the
// association's 990–999 (assocLoader.person), so that the two never draw
// the same person, however either's draws change.
func (l *caseLoader) person(protected bool) int {
	n := uniqueNumber(l.rng, l.taken, len(l.persons))
	for n[9] != '8' {
		n = uniqueNumber(l.rng, l.taken, len(l.persons))
	}
	p := store.Person{Personnummer: string(n),
		Name:             givenNames[l.rng.IntN(len(givenNames))] + " " + familyNames[l.rng.IntN(len(familyNames))],
		MunicipalityCode: demoMunicipality, ProtectedIdentity: protected || l.rng.IntN(80) == 0}
	l.persons = append(l.persons, p)
	return len(l.persons) - 1
}

// ago is the date n days before today.
func (l *caseLoader) ago(n int) time.Time { return l.day.AddDate(0, 0, -n) }

// sickSince gives a case on chain day n today, certified ahead days past
// today, in one to three periods without gaps (full time first, then
// part time now and then).
func (l *caseLoader) sickSince(n, ahead int) []store.Period {
	from, to := l.ago(n-1), l.day.AddDate(0, 0, ahead)
	return l.split(from, to)
}

func (l *caseLoader) split(from, to time.Time) []store.Period {
	days := int(to.Sub(from).Hours()/24) + 1
	parts := 1 + l.rng.IntN(3)
	if days < 30 {
		parts = 1
	}
	var out []store.Period
	degree := 100
	for k := range parts {
		end := to
		if k < parts-1 {
			end = from.AddDate(0, 0, days/parts-1)
		}
		out = append(out, store.Period{From: from, To: end, Degree: degree, Source: manualSource(l.rng)})
		from = end.AddDate(0, 0, 1)
		if l.rng.IntN(3) == 0 {
			degree = []int{75, 50, 25}[l.rng.IntN(3)]
		}
	}
	return out
}

// manualSource says where a period entered by hand came from.
func manualSource(rng *rand.Rand) string {
	if rng.IntN(4) == 0 {
		return "manual: pappersintyg"
	}
	return "manual"
}

// openCase adds an open case of the worker (or another) on chain day n.
func (l *caseLoader) openCase(owner, office, group int64, n, ahead int) *caseSpec {
	s := caseSpec{person: l.person(false)}
	s.c.Periods = l.sickSince(n, ahead)
	s.c.OfficeID, s.c.CustomerGroupID, s.c.AssignedUserID = office, group, owner
	l.facts(&s.c)
	l.specs = append(l.specs, s)
	return &l.specs[len(l.specs)-1]
}

// planCases lays out the cases entered by hand.
func (l *caseLoader) planCases() {
	w, visby, short := l.worker, l.visby, l.shortTerm
	// The worker's cases, phase by phase.
	for i := range 12 { // early; the employer's plan is due by day 30
		s := l.openCase(w, visby, short, 5+l.rng.IntN(24), 45+l.rng.IntN(60))
		s.c.Employment = "employee"
		if i%3 == 0 {
			s.contacts = append(s.contacts, l.ago(l.rng.IntN(5)))
		}
	}
	for i := range 10 { // past day 60; four with no plan and no contact
		s := l.openCase(w, visby, short, 62+l.rng.IntN(26), 20+l.rng.IntN(40))
		s.c.Employment = "employee"
		if i%2 == 0 {
			s.decisions = append(s.decisions, l.granted(s.c.Periods[0].From.AddDate(0, 0, 20)))
		}
		if i >= 4 { // the employer's plan came and the worker called
			s.contacts = append(s.contacts, l.ago(3+l.rng.IntN(20)))
			s.close = append(s.close, casework.DeadlineReturnPlan)
		}
	}
	for range 10 { // past day 40 with a plan under way
		s := l.openCase(w, visby, short, 40+l.rng.IntN(48), 20+l.rng.IntN(60))
		s.c.Employment = "employee"
		s.contacts = append(s.contacts, l.ago(3+l.rng.IntN(20)))
		s.plan = l.plan(s.c.Periods[0].From)
		s.decisions = append(s.decisions, l.granted(s.c.Periods[0].From.AddDate(0, 0, 20)))
		s.close = append(s.close, casework.DeadlineReturnPlan)
	}
	phases := []struct {
		n, from, span int
		close         []string
	}{
		{30, 91, 90, []string{casework.DeadlineReturnPlan, casework.DeadlineAssessDay91}},
		{25, 181, 185, []string{casework.DeadlineReturnPlan, casework.DeadlineAssessDay91, casework.DeadlineAssessDay181}},
		{12, 366, 360, []string{casework.DeadlineReturnPlan, casework.DeadlineAssessDay91, casework.DeadlineAssessDay181, casework.DeadlineAssessDay366}},
	}
	for _, ph := range phases {
		for i := range ph.n {
			s := l.openCase(w, visby, short, ph.from+l.rng.IntN(ph.span), 10+l.rng.IntN(80))
			s.decisions = append(s.decisions, l.granted(s.c.Periods[0].From.AddDate(0, 0, 20)))
			if i%3 != 0 {
				s.contacts = append(s.contacts, l.ago(l.rng.IntN(25)))
			}
			if i%2 == 0 {
				s.plan = l.plan(s.c.Periods[0].From)
			}
			if i != 4 { // one case in each phase is behind with its assessments
				s.close = ph.close
			}
			if i == 0 {
				l.persons[s.person].ProtectedIdentity = true
			}
			if i == 1 {
				s.c.SeriousIllness = true
			}
		}
	}
	for range 3 { // the certificate ended days ago and no new one came
		s := l.openCase(w, visby, short, 20+l.rng.IntN(100), -(1 + l.rng.IntN(10)))
		s.close = []string{casework.DeadlineReturnPlan, casework.DeadlineAssessDay91}
	}
	for range 5 { // a third case within twelve months
		o := l.openCase(w, visby, short, 10+l.rng.IntN(30), 20+l.rng.IntN(30))
		o.close = assessmentKinds
		open := *o
		for _, back := range []int{140, 290} {
			start := open.c.Periods[0].From.AddDate(0, 0, -back)
			earlier := open
			earlier.c.Status = store.CaseClosed
			earlier.c.Periods = []store.Period{{From: start, To: start.AddDate(0, 0, 6+l.rng.IntN(14)), Degree: 100, Source: "manual"}}
			earlier.contacts, earlier.plan, earlier.decisions, earlier.close = nil, nil, nil, nil
			l.specs = append(l.specs, earlier)
		}
	}
	l.historicCases()
	// The other case workers in Visby and the office in Roma.
	for range 220 {
		owner := l.visbyWorkers[l.rng.IntN(len(l.visbyWorkers)-1)] // not the demo worker (last)
		office, group := visby, short
		if l.rng.IntN(3) == 0 {
			owner, office, group = l.romaWorkers[l.rng.IntN(len(l.romaWorkers))], l.roma, l.longTerm
		}
		n := 3 + l.rng.IntN(700)
		s := l.openCase(owner, office, group, n, 1+l.rng.IntN(90))
		if l.rng.IntN(2) == 0 {
			s.contacts = append(s.contacts, l.ago(l.rng.IntN(60)))
		}
		s.close = assessmentKinds
		if l.rng.IntN(25) == 0 { // behind with its assessments
			s.close = nil
		}
	}
	l.history()
}

// historicCases are cases from the time-limit era (2008-07-01 →
// 2016-01-31) that reached the time limit. The limit is not in force
// today, so on today's date no case can near it: they are evaluated on a
// day some weeks before their limit and shown as they stood then, closed
// (afterRun), so that no worklist of today holds them.
func (l *caseLoader) historicCases() {
	for i := range 6 {
		start := time.Date(2010+i%4, time.Month(1+l.rng.IntN(12)), 1+l.rng.IntN(28), 0, 0, 0, 0, time.UTC)
		end := start.AddDate(3, 0, 0)
		probe := civil.Of(start.AddDate(0, 0, 700))
		res, err := l.engine.Evaluate(rules.Input{Date: probe, Employment: rules.Employee, AnnualIncome: 300000,
			Periods: []rules.Period{{From: civil.Of(start), To: civil.Of(end), Degree: 100}}}, rules.Options{})
		if err != nil || res.Milestones.TimeLimit.IsZero() {
			continue
		}
		s := caseSpec{person: l.person(false), historic: res.Milestones.TimeLimit.AddDays(-(10 + l.rng.IntN(70)))}
		s.c = store.NewCase{OfficeID: l.visby, CustomerGroupID: l.shortTerm, AssignedUserID: l.worker,
			Periods: []store.Period{{From: start, To: end, Degree: 100, Source: "manual: pappersintyg"}}}
		l.facts(&s.c)
		s.c.Employment = "employee"
		s.decisions = []store.CaseDecision{l.granted(start.AddDate(0, 0, 20))}
		s.contacts = []time.Time{s.historic.AddDays(-(5 + l.rng.IntN(20))).Time()}
		s.close = []string{casework.DeadlineAssessDay91, casework.DeadlineAssessDay181, casework.DeadlineAssessDay366, casework.DeadlineTimeLimit}
		l.specs = append(l.specs, s)
	}
}

// history gives Gotland's persons closed cases from 2008 on, in both
// offices: 1–3 cases each, at least 90 days apart, most with a decision.
func (l *caseLoader) history() {
	begin := time.Date(2008, 7, 1, 0, 0, 0, 0, time.UTC)
	span := int(l.ago(200).Sub(begin).Hours() / 24)
	for range 800 {
		p := l.person(false)
		start := begin.AddDate(0, 0, l.rng.IntN(span))
		for k := 0; k < 1+l.rng.IntN(3) && start.Before(l.ago(120)); k++ {
			end := start.AddDate(0, 0, 7+l.rng.IntN(l.rng.IntN(400)+1))
			if end.After(l.ago(100)) {
				end = l.ago(100)
			}
			s := caseSpec{person: p, c: store.NewCase{Status: store.CaseClosed, Periods: l.split(start, end)}}
			l.facts(&s.c)
			s.c.OfficeID, s.c.CustomerGroupID = l.visby, l.shortTerm
			owners := l.visbyWorkers
			if l.rng.IntN(3) == 0 {
				s.c.OfficeID, s.c.CustomerGroupID, owners = l.roma, l.longTerm, l.romaWorkers
			}
			s.c.AssignedUserID = owners[l.rng.IntN(len(owners))]
			if end.Sub(start) > 14*24*time.Hour {
				switch r := l.rng.IntN(20); {
				case r < 15:
					s.decisions = append(s.decisions, l.granted(start.AddDate(0, 0, 15)))
				case r < 17:
					s.decisions = append(s.decisions, store.CaseDecision{Outcome: store.DecisionRejected, DecidedOn: start.AddDate(0, 0, 20),
						Paragraph: "SFB 27 kap. 2 §", Justification: "Underlaget visar inte att arbetsförmågan är nedsatt med minst en fjärdedel i förhållande till arbetet."})
				case r < 18:
					s.decisions = append(s.decisions, store.CaseDecision{Outcome: store.DecisionWithdrawn, DecidedOn: start.AddDate(0, 0, 10),
						Paragraph: "FL 9 §", Justification: "Den försäkrade har återkallat sin ansökan om sjukpenning."})
				}
			}
			l.specs = append(l.specs, s)
			start = end.AddDate(0, 0, 91+l.rng.IntN(900))
		}
	}
}

func (l *caseLoader) granted(on time.Time) store.CaseDecision {
	if on.After(l.day) {
		on = l.day
	}
	return store.CaseDecision{Outcome: store.DecisionGranted, DecidedOn: on, Paragraph: "SFB 27 kap. 2 §",
		Justification: "Arbetsförmågan är nedsatt med minst en fjärdedel på grund av sjukdom enligt läkarintyg; rätt till sjukpenning."}
}

// plan is a rehabilitation plan of one to three actions by FK, AF, the
// region and the municipality.
func (l *caseLoader) plan(from time.Time) []planSpec {
	actions := []planSpec{
		{"Avstämningsmöte med arbetsgivare och läkare", &l.fk, from.AddDate(0, 0, 45), store.ActionDone},
		{"Arbetsträning 25 % med stöd av arbetsgivaren", &l.fk, l.day.AddDate(0, 0, 14), store.ActionOngoing},
		{"Samtalsbehandling via vårdcentralen", &l.region, l.day.AddDate(0, 0, 30), store.ActionOngoing},
		{"Kartläggning och vägledning hos Arbetsförmedlingen", &l.af, l.day.AddDate(0, 0, 40), store.ActionPlanned},
		{"Kontakt med kommunens arbetsmarknadsenhet", &l.municipality, l.day.AddDate(0, 0, 21), store.ActionPlanned},
	}
	n := 1 + l.rng.IntN(3)
	out := []planSpec{actions[0]}
	for _, i := range l.rng.Perm(len(actions) - 1)[:n-1] {
		out = append(out, actions[i+1])
	}
	return out
}

var contactChannels = []string{"phone", "phone", "meeting", "digital", "letter"}

var contactTexts = []string{
	"Samtal om hur sjukskrivningen går och vad som behövs för att komma tillbaka i arbete.",
	"Avstämning inför kontakt med arbetsgivaren; den försäkrade vill prova arbete på deltid.",
	"Den försäkrade berättar att behandlingen har börjat och att sömnen blivit bättre.",
	"Informerat om rehabiliteringskedjan och bedömningen vid dag 180.",
}

// store writes the persons and cases, then each case's contacts, notes,
// decisions and plan actions as a case worker would have recorded them.
func (l *caseLoader) store(ctx context.Context) error {
	return l.st.Tx(ctx, func(tx *store.Tx) error {
		pids, err := store.InsertPersons(ctx, tx, l.persons, l.clock)
		if err != nil {
			return err
		}
		cases := make([]store.NewCase, len(l.specs))
		for i := range l.specs {
			s := &l.specs[i]
			s.c.PersonID = pids[s.person]
			s.c.FirstDay, s.c.LastDay = s.c.Periods[0].From, s.c.Periods[len(s.c.Periods)-1].To
			cases[i] = s.c
		}
		ids, err := store.InsertCases(ctx, tx, cases, l.clock)
		if err != nil {
			return err
		}
		l.ids = ids
		for i, id := range ids {
			s := &l.specs[i]
			version := 1
			at := func(d time.Time) time.Time {
				return earliest(d.Add(7*time.Hour+time.Duration(l.rng.IntN(480))*time.Minute), l.clock)
			}
			author := s.c.AssignedUserID
			for _, d := range s.decisions {
				if _, err := store.AddDecision(ctx, tx, id, version, d, author, at(d.DecidedOn)); err != nil {
					return err
				}
				version++
			}
			for _, p := range s.plan {
				if _, err := store.AddPlanAction(ctx, tx, id, version, store.PlanAction{Title: p.title, OwnerOrgID: *p.owner,
					Due: p.due, Status: p.status}, author, at(earliest(p.due, l.day).AddDate(0, 0, -20))); err != nil {
					return err
				}
				version++
			}
			for k, on := range s.contacts {
				n := store.CaseNote{Kind: store.NoteContact, ContactOn: on, Channel: contactChannels[l.rng.IntN(len(contactChannels))],
					Body: contactTexts[(k+i)%len(contactTexts)]}
				if _, err := store.AddCaseNote(ctx, tx, id, version, n, author, at(on)); err != nil {
					return err
				}
				version++
			}
		}
		for k, certID := range l.supplements {
			late := k < 2 // two care units are late with their answers
			answerBy := l.day.AddDate(0, 0, 5+l.rng.IntN(10))
			if late {
				answerBy = l.ago(2 + l.rng.IntN(5))
			}
			if _, err := store.InsertMessage(ctx, tx, store.Message{CertificateID: certID, Type: store.MessageSupplement,
				SenderOrgID: l.fk, RecipientOrgID: l.region, CreatedBy: l.worker, CreatedAt: answerBy.AddDate(0, 0, -14).Add(13 * time.Hour),
				LastAnswerDate: answerBy, Text: "Vi behöver en mer konkret beskrivning för att kunna bedöma rätten till sjukpenning.",
				Questions: []store.Question{{AnswerID: "17", Text: "Beskriv konkret vilka arbetsuppgifter patienten inte klarar och hur länge."}}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// assessmentKinds are the deadlines of the rehabilitation chain, which a
// case worker who keeps up has closed by their due day.
var assessmentKinds = []string{casework.DeadlineReturnPlan, casework.DeadlineAssessDay91, casework.DeadlineAssessDay181,
	casework.DeadlineAssessDay366}

// afterRun shows the historic cases as they stood in their time, closed,
// and closes the deadlines the case workers have dealt with.
func (l *caseLoader) afterRun(ctx context.Context, rc *casework.Recomputer) error {
	return l.st.Tx(ctx, func(tx *store.Tx) error {
		for i, s := range l.specs {
			if s.c.Status == store.CaseClosed {
				continue
			}
			if !s.historic.IsZero() {
				if err := rc.RefreshCase(ctx, tx, l.ids[i], s.historic); err != nil {
					return err
				}
			}
			if err := closeDeadlines(ctx, tx, l.ids[i], s.c.AssignedUserID, s.close, l.day, l.clock); err != nil {
				return err
			}
			if !s.historic.IsZero() {
				// The case ended at its time limit, years ago.
				c, err := store.CaseByID(ctx, tx, l.ids[i])
				if err != nil {
					return err
				}
				if err := store.SetCaseStatus(ctx, tx, c.ID, c.Version, store.CaseClosed, l.clock); err != nil {
					return err
				}
			}
		}
		// The cases from certificates: the case workers keep up, but for one
		// case in twenty.
		for i, c := range l.intake {
			if i%20 != 19 {
				if err := closeDeadlines(ctx, tx, c.ID, c.AssignedUserID, assessmentKinds, l.day, l.clock); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// closeDeadlines closes the case's open deadlines of the kinds given that
// are due by a week from day, as the case worker did on their due day (at
// clock at the latest).
func closeDeadlines(ctx context.Context, tx *store.Tx, caseID, worker int64, kinds []string, day, clock time.Time) error {
	if len(kinds) == 0 {
		return nil
	}
	c, err := store.CaseByID(ctx, tx, caseID)
	if err != nil {
		return err
	}
	ds, err := store.CaseDeadlines(ctx, tx, caseID)
	if err != nil {
		return err
	}
	version := c.Version
	for _, d := range ds {
		if d.Done || !slices.Contains(kinds, d.Kind) || d.Due.After(day.AddDate(0, 0, 7)) {
			continue
		}
		on := earliest(earliest(d.Due, day).Add(14*time.Hour), clock)
		if err := store.CloseDeadline(ctx, tx, caseID, version, d.ID, worker, closeNotes[d.Kind], on); err != nil {
			return err
		}
		version++
	}
	return nil
}

var closeNotes = map[string]string{
	casework.DeadlineReturnPlan:   "Arbetsgivarens plan för återgång i arbete har kommit in.",
	casework.DeadlineAssessDay91:  "Arbetsförmågan bedömd mot annat arbete hos arbetsgivaren.",
	casework.DeadlineAssessDay181: "Arbetsförmågan bedömd mot förvärvsarbete på arbetsmarknaden.",
	casework.DeadlineAssessDay366: "Bedömning dag 365 gjord; särskilda skäl/oskäligt prövat.",
	casework.DeadlineTimeLimit:    "Den försäkrade informerad om den bortre tidsgränsen och övergången till Arbetsförmedlingen.",
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
