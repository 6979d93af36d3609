package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// The demo's coordination association: Samordningsförbundet
// Gotland with its settings, board and preparatory group, five years of
// financing (the current year and the four before) with budget, outcome
// and equity, a dozen insatser and a few hundred participants in the
// individual ones. Everything is made up, laid out around the day the demo
// is loaded; the persons are synthetic (test-series personnummer).

// AssociationLoaded says what LoadAssociation loaded.
type AssociationLoaded struct {
	Insatser     int
	Participants int // registrations, pending ones included
	Persons      int // registrations with personal data, each with a consent
	Anonymous    int // registrations without personal data…
	Protected    int // …of which for a protected identity
	Pending      int // referrals waiting for their start
	// FirstYear and LastYear are the years of financing.
	FirstYear, LastYear int
	// Date is the day the data was laid out around.
	Date civil.Date
}

// demoOrgNumber is a synthetic organisationsnummer in the series of
// kommunalförbund (222000-): it passes the check digit but is not
// Samordningsförbundet Gotland's real number.
const demoOrgNumber = "222000-0992"

// gotlandPopulation is Gotland's population, roughly (about 61 000; SCB).
// On Gotland the region and the municipality are in reality one body,
// Region Gotland, which has the tasks of both a region and a municipality;
// the demo keeps them as two members (region-gotland and gotlands-kommun)
// because the Finsam law counts the region's quarter and the
// municipalities' quarter separately (5 § lag 2003:1210) and the demo
// should show both. Both members therefore carry the same population.
const gotlandPopulation = 61_000

// Consent wording shared by the demo registrations.
const (
	demoConsentCovers = "Registrering av personuppgifter i finsam för uppföljning av insatsen (försörjning, sysselsättning och utbildning före och efter) " +
		"och utbyte av uppgifter mellan de parter som medverkar i insatsen."
	demoDocumentSeries = "Samtyckesblankett FK 9443, dnr SFG "
)

// LoadAssociation adds the association's data to a demo database that
// holds the organisations and users (LoadIfEmpty); it needs neither the
// certificates nor the cases. now is the real time of loading; the five
// years of financing end with now's year in Sweden. It writes everything
// in one transaction. The same seed and day give the same data.
func LoadAssociation(ctx context.Context, st *store.Store, seed uint64, now time.Time) (AssociationLoaded, error) {
	cl, err := association.DefaultCodeLists()
	if err != nil {
		return AssociationLoaded{}, err
	}
	today := certificate.SwedishDate(now)
	var out AssociationLoaded
	err = st.Tx(ctx, func(tx *store.Tx) error {
		l := &assocLoader{tx: tx, cl: cl, today: today, now: now, year: today.Year(),
			rng: rand.New(rand.NewPCG(seed, 0x666f7262756e64)), taken: map[personnummer.Number]bool{}, t: gotlandTarget}
		for _, p := range Persons(seed, demoPersons) {
			l.taken[p.Personnummer] = true
		}
		if err := l.lookup(ctx); err != nil {
			return err
		}
		var err error
		out, err = l.load(ctx)
		return err
	})
	if err != nil {
		return AssociationLoaded{}, fmt.Errorf("demo association: %w", err)
	}
	return out, nil
}

// assocTarget is the association a loader fills and what it needs to know
// of its members: the demo's Samordningsförbundet Gotland, or one the
// generator made.
type assocTarget struct {
	orgNumber                    string
	regionCode, municipalityCode string
	regionName, municipalityName string
	population                   int
	place                        string // in the insatser's names; "" keeps Gotland's
}

// gotlandTarget is the demo's own association.
var gotlandTarget = assocTarget{orgNumber: demoOrgNumber, regionCode: "09", municipalityCode: demoMunicipality,
	regionName: "Region Gotland", municipalityName: "Gotlands kommun", population: gotlandPopulation}

// load runs the loader's steps once its ids are known.
func (l *assocLoader) load(ctx context.Context) (AssociationLoaded, error) {
	var out AssociationLoaded
	err := func() error {
		steps := []func(context.Context) error{l.settings, l.bodies, l.insatser, l.financing, l.participants}
		for _, step := range steps {
			if err := step(ctx); err != nil {
				return err
			}
		}
		out = l.loaded
		out.FirstYear, out.LastYear, out.Date = l.year-4, l.year, l.today
		return nil
	}()
	return out, err
}

// assocLoader holds what the steps of LoadAssociation share.
type assocLoader struct {
	t     assocTarget
	tx    *store.Tx
	cl    *association.CodeLists
	rng   *rand.Rand
	today civil.Date
	now   time.Time
	year  int // the current year

	assoc                        int64
	fk, af, region, municipality int64
	forbund                      store.User
	styrelse                     int64

	taken     map[personnummer.Number]bool
	specs     []insatsSpec
	years     []yearMoney
	transfers []transfer
	loaded    AssociationLoaded
}

func (l *assocLoader) lookup(ctx context.Context) error {
	orgs := []struct {
		slug string
		id   *int64
	}{{OperatorOrg, &l.assoc}, {"fk", &l.fk}, {"af", &l.af}, {"region-gotland", &l.region}, {"gotlands-kommun", &l.municipality}}
	for _, o := range orgs {
		org, err := store.OrganisationBySlug(ctx, l.tx, o.slug)
		if err != nil {
			return fmt.Errorf("organisation %s: %w", o.slug, err)
		}
		*o.id = org.ID
	}
	var err error
	if l.forbund, err = store.UserByName(ctx, l.tx, "forbund"); err != nil {
		return fmt.Errorf("user forbund: %w", err)
	}
	u, err := store.UserByName(ctx, l.tx, "styrelse")
	if err != nil {
		return fmt.Errorf("user styrelse: %w", err)
	}
	l.styrelse = u.ID
	return nil
}

// date is month and day yearsBack years before the current year (the
// demo's dates are fixed days of the month that exist every year).
func (l *assocLoader) date(yearsBack, month, day int) civil.Date {
	d, _ := civil.New(l.year-yearsBack, month, day)
	return d
}

func jan1(y int) civil.Date  { d, _ := civil.New(y, 1, 1); return d }
func dec31(y int) civil.Date { d, _ := civil.New(y, 12, 31); return d }

func (l *assocLoader) settings(ctx context.Context) error {
	s := store.AssociationSettings{
		AssociationID: l.assoc,
		OrgNumber:     l.t.orgNumber,
		RegionCode:    l.t.regionCode,
		Area:          []string{l.t.municipalityCode},
		CostKey:       association.KeyPopulation,
		BudgetProcess: "Förbundschefen tar fram ett förslag till verksamhetsplan och budget för nästa år som beredningsgruppen bereder. " +
			"Styrelsen beslutar om budgeten före den 30 juni efter samråd med medlemmarna; medlemmarna beslutar om sina bidrag i sina egna budgetar.",
		StatutesNote: "En ledamot och en ersättare per medlem. Beslut med enkel majoritet; beslut om budget kräver enighet. " +
			"Medlemmarna får delårsrapport per den 31 augusti och årsredovisning senast den 15 mars. Revisorernas mandattid följer mandatperioden. (demo)",
	}
	if err := store.SaveAssociationSettings(ctx, l.tx, s, l.now); err != nil {
		return err
	}
	return store.SaveCostShares(ctx, l.tx, l.assoc, []store.CostShare{
		{MemberID: l.region, Population: int64(l.t.population), ShareBP: association.WholeShare},
		{MemberID: l.municipality, Population: int64(l.t.population), ShareBP: association.WholeShare},
	})
}

// bodies seats the board (a ledamot and an ersättare per member for the
// current four-year term and the one before, which ended) and the
// preparatory group (one official per member). The demo user styrelse
// holds the municipality's seat and chairs the board.
func (l *assocLoader) bodies(ctx context.Context) error {
	// Terms follow the elections: 2023–2026, 2027–2030, …
	first := 2023 + 4*floorDiv(l.year-2023, 4)
	term := [2]civil.Date{jan1(first), dec31(first + 3)}
	before := [2]civil.Date{jan1(first - 4), dec31(first - 1)}
	type seat struct {
		member           int64
		ledamot, ersatt  string
		position         string
		earlierL, earlEr string
	}
	seats := []seat{
		{l.fk, "Maria Lindqvist (demo)", "Johan Berg (demo)", "", "Maria Lindqvist (demo)", "Göran Ek (demo)"},
		{l.af, "Anneli Holm (demo)", "Peter Sandberg (demo)", "", "Bo Ljungqvist (demo)", "Anneli Holm (demo)"},
		{l.region, "Stefan Nyström (demo)", "Ingrid Ahlgren (demo)", "vice_chair", "Stefan Nyström (demo)", "Lena Sjöberg (demo)"},
		{l.municipality, "Sture Styrelseledamot (demo)", "Linnea Wallin (demo)", "chair", "Kerstin Norrby (demo)", "Sture Styrelseledamot (demo)"},
	}
	for _, s := range seats {
		rows := []store.BodyMember{
			{Body: store.BodyBoard, MemberID: s.member, Name: s.earlierL, Role: "ledamot", From: before[0], To: before[1]},
			{Body: store.BodyBoard, MemberID: s.member, Name: s.earlEr, Role: "ersattare", From: before[0], To: before[1]},
			{Body: store.BodyBoard, MemberID: s.member, Name: s.ledamot, Role: "ledamot", Position: s.position, From: term[0], To: term[1]},
			{Body: store.BodyBoard, MemberID: s.member, Name: s.ersatt, Role: "ersattare", From: term[0], To: term[1]},
		}
		if s.member == l.municipality {
			rows[2].UserID = l.styrelse
		}
		for _, m := range rows {
			m.AssociationID = l.assoc
			if _, err := store.CreateBodyMember(ctx, l.tx, m); err != nil {
				return err
			}
		}
	}
	// The preparatory group (beredningsgrupp): officials, with no term
	// end; the municipality's official changed two years ago.
	prep := []store.BodyMember{
		{MemberID: l.fk, Name: "Karin Öberg (demo)", From: l.date(4, 1, 1)},
		{MemberID: l.af, Name: "Mats Gardell (demo)", From: l.date(4, 1, 1)},
		{MemberID: l.region, Name: "Helena Rosvall (demo)", From: l.date(4, 1, 1)},
		{MemberID: l.municipality, Name: "Anna Klintberg (demo)", From: l.date(4, 1, 1), To: l.date(2, 6, 30)},
		{MemberID: l.municipality, Name: "Erik Hedström (demo)", From: l.date(2, 7, 1)},
	}
	for _, m := range prep {
		m.AssociationID, m.Body, m.Role = l.assoc, store.BodyPreparatory, "member"
		if _, err := store.CreateBodyMember(ctx, l.tx, m); err != nil {
			return err
		}
	}
	return nil
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// insatsSpec is one demo insats and how its participants are made.
type insatsSpec struct {
	in association.Insats
	// sizeKr is the yearly budget at full year, a weight when the year's
	// money is divided; esfKr is co-financing from the ESF on top.
	sizeKr, esfKr int64
	// Participants: starts in a full year (firstYear overrides the first
	// year's, for a small cell), the share of men in per cent (exact), the
	// age range at the start, the length in days and the profile of their
	// situation; pending referrals waiting today.
	perYear, firstYear int
	malePct            int
	minAge, maxAge     int
	minDays, maxDays   int
	profile            *profile
	pending            int
}

// insatsStatus derives the status from the dates.
func insatsStatus(start, end, today civil.Date) association.InsatsStatus {
	switch {
	case start.After(today):
		return association.InsatsPlanned
	case !end.IsZero() && end.Before(today):
		return association.InsatsEnded
	}
	return association.InsatsOngoing
}

// plan lays out the insatser (without ids yet).
func (l *assocLoader) plan() {
	ind := func(name, desc, target string, resp int64, parties []int64, start, end civil.Date, planned int) association.Insats {
		return association.Insats{AssociationID: l.assoc, Name: name, Description: desc, TargetGroup: target, Kind: association.Individual,
			ResponsibleOrgID: resp, PartyOrgIDs: parties, Start: start, End: end, Planned: planned, FollowUp: association.FollowUpIndividual, Public: true}
	}
	str := func(name, desc, target string, resp int64, parties []int64, start, end civil.Date, planned int, public bool) association.Insats {
		return association.Insats{AssociationID: l.assoc, Name: name, Description: desc, TargetGroup: target, Kind: association.Structural,
			ResponsibleOrgID: resp, PartyOrgIDs: parties, Start: start, End: end, Planned: planned, FollowUp: association.FollowUpCounts, Public: public}
	}
	fk, af, rg, km := l.fk, l.af, l.region, l.municipality
	// The planned insats starts on the first of the month after next.
	y, m, _ := l.today.Civil()
	m += 2
	if m > 12 {
		y, m = y+1, m-12
	}
	soon, _ := civil.New(y, m, 1)
	l.specs = []insatsSpec{
		{in: ind("Skarphäll",
			"Arbetsträning och vardagsstruktur på Skarphälls gård utanför Roma för unga vuxna som varken arbetar eller studerar. "+
				"Deltagarna arbetar i lag med djur, odling, snickeri och gårdens café under handledning och får stöd av en arbetsmarknadskonsulent "+
				"från kommunen och en handläggare från Arbetsförmedlingen. Målet är ett nästa steg: arbete, studier eller en annan insats.",
			"Unga vuxna 16–29 år på Gotland som står utanför arbete och studier, med eller utan aktivitetsersättning eller försörjningsstöd.",
			km, []int64{km, af, fk}, l.date(4, 3, 1), civil.Date{}, 25),
			sizeKr: 1_100_000, perYear: 24, malePct: 60, minAge: 16, maxAge: 29, minDays: 90, maxDays: 300, profile: profileYoung, pending: 2},
		{in: ind("Vägen vidare Gotland",
			"Samordnad rehabilitering för personer med lång sjukskrivning: gemensam kartläggning av Försäkringskassan, Region Gotland och kommunen, "+
				"en rehabkoordinator som följer deltagaren och arbetsträning hos arbetsgivare på ön.",
			"Personer 30–64 år som varit sjukskrivna i mer än ett år och behöver samordnade insatser för att återgå i arbete.",
			fk, []int64{fk, rg, km}, l.date(4, 1, 15), l.date(2, 6, 30), 30),
			sizeKr: 1_300_000, perYear: 30, malePct: 40, minAge: 30, maxAge: 62, minDays: 120, maxDays: 365, profile: profileSick},
		{in: ind("Steget före",
			"Kommunens arbetsmarknadsenhet och Arbetsförmedlingen arbetar tillsammans med personer som har försörjningsstöd: "+
				"kartläggning, studie- och yrkesvägledning, praktik och stöd i kontakten med arbetsgivare i Visby, Hemse och Slite.",
			"Personer 20–60 år med försörjningsstöd som står långt från arbetsmarknaden.",
			km, []int64{km, af}, l.date(3, 9, 1), civil.Date{}, 25),
			sizeKr: 900_000, perYear: 25, malePct: 50, minAge: 20, maxAge: 60, minDays: 90, maxDays: 270, profile: profileSupport, pending: 2},
		{in: ind("Språk och arbete Gotland",
			"Svenska för arbetslivet kombinerad med praktik inom vård, omsorg och besöksnäring, med studiebesök och mentorer. "+
				"Medfinansierad av Europeiska socialfonden.",
			"Utrikes födda kvinnor 20–55 år med kort utbildning som står långt från arbetsmarknaden.",
			af, []int64{af, km, rg}, l.date(3, 1, 1), l.date(1, 12, 31), 20),
			sizeKr: 700_000, esfKr: 350_000, perYear: 20, malePct: 5, minAge: 20, maxAge: 55, minDays: 150, maxDays: 330, profile: profileNewly},
		{in: ind("Arbetslivsinriktad rehabilitering i primärvården",
			"Rehabkoordinatorer på vårdcentralerna i Visby, Hemse och Slite samordnar tidiga insatser med Försäkringskassan för patienter "+
				"som riskerar lång sjukskrivning: avstämningsmöten, kontakt med arbetsgivaren och en plan för återgång i arbete.",
			"Sjukskrivna patienter 25–64 år på Gotlands vårdcentraler som riskerar lång sjukskrivning.",
			rg, []int64{rg, fk}, l.date(1, 10, 1), civil.Date{}, 20),
			sizeKr: 800_000, perYear: 18, firstYear: 4, malePct: 35, minAge: 25, maxAge: 63, minDays: 60, maxDays: 200, profile: profilePrimary, pending: 1},
		{in: ind("IPS Gotland – individanpassat stöd till arbete",
			"Arbetsspecialister enligt IPS-metoden (Individual Placement and Support) i psykiatrin och kommunens socialpsykiatri: "+
				"snabb jobbsökning utifrån deltagarens önskemål och fortsatt stöd på arbetsplatsen.",
			"Personer 20–45 år med psykisk funktionsnedsättning som vill arbeta eller studera.",
			rg, []int64{rg, km, af}, l.date(2, 2, 1), civil.Date{}, 20),
			sizeKr: 1_000_000, perYear: 16, malePct: 55, minAge: 20, maxAge: 45, minDays: 180, maxDays: 420, profile: profilePsych, pending: 1},
		{in: ind("Unga i rörelse – södra Gotland",
			"Uppsökande arbete och gruppaktiviteter i Hemse och Burgsvik för unga som inte har kontakt med skola, arbetsförmedling eller vård, "+
				"med en gemensam ingång för kommunen, Arbetsförmedlingen och ungdomsmottagningen.",
			"Unga 16–24 år på södra Gotland som varken arbetar eller studerar.",
			km, []int64{km, af, rg}, soon, civil.Date{}, 15),
			sizeKr: 600_000},
		{in: str("Samverkansteam Gotland",
			"Gemensam kartläggning där Försäkringskassan, Arbetsförmedlingen, kommunen och Region Gotland träffar den enskilde tillsammans "+
				"och kommer överens om vem som gör vad. Följs upp med antal kartläggningar.",
			"Handläggare och behandlare hos de fyra parterna; indirekt personer med behov av samordnade insatser.",
			fk, []int64{fk, af, km, rg}, l.date(4, 1, 1), civil.Date{}, 0, true),
			sizeKr: 500_000},
		{in: str("Försäkringsmedicinsk kompetens på Gotland",
			"Utbildningsdagar i försäkringsmedicin och sjukskrivningsprocessen för läkare, rehabkoordinatorer och handläggare, "+
				"med gemensamma fallseminarier.",
			"Läkare och rehabkoordinatorer i Region Gotland och handläggare på Försäkringskassan i Visby.",
			rg, []int64{rg, fk}, l.date(4, 2, 1), l.date(3, 12, 31), 0, true),
			sizeKr: 250_000},
		{in: str("Finsamdagen på Gotland",
			"En årlig konferens för medarbetare och chefer hos parterna om samverkan kring rehabilitering, med föreläsningar och workshoppar.",
			"Medarbetare och chefer hos förbundets medlemmar.",
			af, []int64{af, fk, km, rg}, l.date(4, 1, 1), civil.Date{}, 0, true),
			sizeKr: 120_000},
		{in: str("Behovsanalys samordnad rehabilitering",
			"Kartläggning av vilka grupper på Gotland som behöver samordnade insatser och vilka insatser som finns, som underlag för förbundets verksamhetsplan.",
			"Förbundets styrelse och beredningsgrupp.",
			km, []int64{km, rg, fk, af}, l.date(2, 3, 1), l.date(1, 6, 30), 0, false),
			sizeKr: 300_000},
		{in: str("Arbetsgivarnätverk Gotland",
			"Ett nätverk av arbetsgivare på ön som tar emot praktikanter och deltagare i arbetsträning, med gemensam introduktion och stöd till handledare.",
			"Arbetsgivare på Gotland och parternas arbetsmarknadshandläggare.",
			af, []int64{af, km, fk}, l.date(1, 9, 1), civil.Date{}, 0, true),
			sizeKr: 350_000},
	}
	for i := range l.specs {
		in := &l.specs[i].in
		in.Status = insatsStatus(in.Start, in.End, l.today)
	}
}

// activeDays is how many days of year y the insats runs (as far as
// planned: an open-ended insats runs to the end of the year).
func activeDays(in association.Insats, y int) int {
	from, to := jan1(y), dec31(y)
	if in.Start.After(from) {
		from = in.Start
	}
	if !in.End.IsZero() && in.End.Before(to) {
		to = in.End
	}
	if to.Before(from) {
		return 0
	}
	return to.Sub(from) + 1
}

// yearMoney is one year's financing as planned.
type yearMoney struct {
	year    int
	totalKr int64 // the members' contributions together
	adminKr int64 // the administration's budget
	esfKr   int64
}

// insatser plans the years' money, gives each insats its yearly budgets by
// financier and stores the insatser.
func (l *assocLoader) insatser(ctx context.Context) error {
	l.plan()
	base := []int64{4_600_000, 4_850_000, 5_300_000, 5_600_000, 5_450_000}
	for i, b := range base {
		y := l.year - 4 + i
		total := b + int64(l.rng.IntN(21)-10)*10_000
		m := yearMoney{year: y, totalKr: total, adminKr: total * 19 / 100 / 1000 * 1000}
		// What is left after the administration and a reserve of about
		// 2 % is divided between the insatser running in the year, by
		// size and days.
		free := total - m.adminKr - total*2/100
		weights := make([]int64, len(l.specs))
		var sum int64
		for j, s := range l.specs {
			weights[j] = s.sizeKr * int64(activeDays(s.in, y))
			sum += weights[j]
		}
		if sum > 0 {
			parts, err := association.Apportion(association.Ore(free), weights)
			if err != nil {
				return err
			}
			for j := range l.specs {
				if parts[j] == 0 {
					continue
				}
				// Round to whole thousands of kronor, as boards decide.
				kr := (int64(parts[j]) + 500) / 1000 * 1000
				l.addBudget(&l.specs[j], y, kr)
				if e := l.specs[j].esfKr; e > 0 {
					esf := e * int64(activeDays(l.specs[j].in, y)) / 365 / 1000 * 1000
					l.specs[j].in.Budgets = append(l.specs[j].in.Budgets, association.YearBudget{Year: y, Financier: association.FinancierESF, Amount: association.Kr(esf)})
					m.esfKr += esf
				}
			}
		}
		l.years = append(l.years, m)
	}
	for i := range l.specs {
		s := &l.specs[i]
		if len(s.in.Budgets) == 0 { // planned for next year: its first year's budget
			l.addBudget(s, s.in.Start.Year(), s.sizeKr)
		}
		if l.t.place != "" { // a generated association: its own place in the names
			s.in.Name = strings.ReplaceAll(s.in.Name, "Gotland", l.t.place)
			s.in.Description = strings.ReplaceAll(s.in.Description, "Gotland", l.t.place)
			s.in.TargetGroup = strings.ReplaceAll(s.in.TargetGroup, "Gotland", l.t.place)
		}
		in, err := store.CreateInsats(ctx, l.tx, s.in, l.now)
		if err != nil {
			return fmt.Errorf("insats %s: %w", s.in.Name, err)
		}
		s.in = in
		l.loaded.Insatser++
	}
	return nil
}

// addBudget splits an insats's year budget as the contributions are split:
// half from the state, a quarter each from the region and the
// municipality.
func (l *assocLoader) addBudget(s *insatsSpec, year int, kr int64) {
	parts, _ := association.Apportion(association.Kr(kr), []int64{2, 1, 1})
	fins := []association.Financier{association.FinancierState, association.FinancierRegion, association.FinancierMunicipality}
	for i, f := range fins {
		s.in.Budgets = append(s.in.Budgets, association.YearBudget{Year: year, Financier: f, Amount: parts[i]})
	}
}

// financing stores the contributions (split by the law's key and the
// population), the administration's budget, the outcome of every budget
// line and the equity at each past year end.
func (l *assocLoader) financing(ctx context.Context) error {
	equity := association.Kr(1_240_000) // at the end of the year before the first
	if err := store.SetEquity(ctx, l.tx, l.assoc, l.year-5, equity); err != nil {
		return err
	}
	// The share of the current year that has passed, for its outcome.
	doy := l.today.Sub(jan1(l.year)) + 1
	for _, m := range l.years {
		split, err := association.SplitContribution(association.Kr(m.totalKr), association.KeyPopulation,
			[]association.Party{{OrgID: l.region, Name: l.t.regionName, Population: int64(l.t.population)}},
			[]association.Party{{OrgID: l.municipality, Name: l.t.municipalityName, Population: int64(l.t.population)}})
		if err != nil {
			return err
		}
		if err := store.SaveSplit(ctx, l.tx, l.assoc, m.year, l.fk, split); err != nil {
			return err
		}
		if err := store.SaveContributions(ctx, l.tx, l.assoc, l.contributions(m.year, split)); err != nil {
			return err
		}
		admin, _ := association.Apportion(association.Kr(m.adminKr), []int64{2, 1, 1})
		fins := []association.Financier{association.FinancierState, association.FinancierRegion, association.FinancierMunicipality}
		var lines []store.BudgetLine
		for i, f := range fins {
			lines = append(lines, store.BudgetLine{AssociationID: l.assoc, Year: m.year, Entry: store.EntryBudget, Kind: store.LineAdministration,
				Financier: f, Amount: admin[i], Note: "Kansli: förbundschef, lokaler, ekonomitjänster och revision"})
		}
		// Outcome: close to the budget; a past year complete, the current
		// year so far, booked on the last day of the year or today.
		booked, frac := dec31(m.year), 1000
		if m.year == l.year {
			booked, frac = l.today, doy*1000/365
		}
		var spent association.Ore
		book := func(kind string, insats int64, f association.Financier, budget association.Ore) {
			if budget == 0 {
				return
			}
			pct := int64(90 + l.rng.IntN(15)) // 90–104 % of the budget
			amount := int64(budget)*pct/100*int64(frac)/1000/100*100 + int64(l.rng.IntN(100))
			lines = append(lines, store.BudgetLine{AssociationID: l.assoc, Year: m.year, Entry: store.EntryOutcome, Kind: kind,
				InsatsID: insats, Financier: f, Amount: association.Ore(amount), BookedOn: booked})
			spent += association.Ore(amount)
		}
		for i, f := range fins {
			book(store.LineAdministration, 0, f, admin[i])
		}
		for _, s := range l.specs {
			if s.in.Start.After(l.today) {
				continue
			}
			for _, b := range s.in.Budgets {
				if b.Year == m.year {
					book(store.LineInsats, s.in.ID, b.Financier, b.Amount)
				}
			}
		}
		if _, err := store.CreateBudgetLines(ctx, l.tx, lines, l.now); err != nil {
			return err
		}
		if m.year < l.year {
			equity += association.Kr(m.totalKr+m.esfKr) - spent
			if err := store.SetEquity(ctx, l.tx, l.assoc, m.year, equity); err != nil {
				return err
			}
		}
	}
	return nil
}

// contributions are the year's planned contributions with what has been
// invoiced and paid: past years in full; in the current year the members
// are invoiced quarterly in advance and the municipality has not yet paid
// its latest invoice.
func (l *assocLoader) contributions(year int, s association.Split) []store.Contribution {
	parts := append([]association.PartAmount{{OrgID: l.fk, Amount: s.State}}, append(s.Regions, s.Municipalities...)...)
	out := make([]store.Contribution, len(parts))
	_, month, _ := l.today.Civil()
	quarter := (month-1)/3 + 1
	for i, p := range parts {
		c := store.Contribution{Year: year, MemberID: p.OrgID, Planned: p.Amount, Invoiced: p.Amount, Paid: p.Amount}
		if year == l.year {
			q, _ := association.Apportion(p.Amount, []int64{1, 1, 1, 1})
			c.Invoiced, c.Paid = 0, 0
			for k := range quarter {
				c.Invoiced += q[k]
				if p.OrgID != l.municipality || k < quarter-1 {
					c.Paid += q[k]
				}
			}
		}
		out[i] = c
	}
	return out
}

// profile is how the participants of an insats typically stand at the
// start and how they end: weighted codes.
type profile struct {
	income     []weighted // income sources at the start (one, full extent, or partial with salary)
	partial    int        // per cent whose income source is partial, the rest salary
	occupation []weighted
	education  []weighted
	endReason  []weighted
}

type weighted struct {
	code   string
	weight int
}

func pick(rng *rand.Rand, ws []weighted) string {
	sum := 0
	for _, w := range ws {
		sum += w.weight
	}
	n := rng.IntN(sum)
	for _, w := range ws {
		if n < w.weight {
			return w.code
		}
		n -= w.weight
	}
	return ws[len(ws)-1].code
}

// End reasons in the order of association/codes/end_reason.json.
func endReasons(work, studies, otherInsats, completed, moved, illness, parental, dropped, wrong, other int) []weighted {
	return []weighted{{"work", work}, {"studies", studies}, {"other_insats", otherInsats}, {"completed", completed}, {"moved", moved},
		{"illness", illness}, {"parental_leave", parental}, {"dropped_out", dropped}, {"wrong_registration", wrong}, {"other", other}}
}

var (
	eduShort = []weighted{{"primary_short", 30}, {"primary", 40}, {"upper_secondary", 28}, {"unknown", 2}}
	eduMixed = []weighted{{"primary_short", 8}, {"primary", 17}, {"upper_secondary", 45}, {"post_secondary_short", 12}, {"post_secondary", 16}, {"unknown", 2}}

	profileYoung = &profile{
		income:     []weighted{{"income_support", 45}, {"activity_compensation", 20}, {"none", 20}, {"activity_support", 15}},
		occupation: []weighted{{"none", 50}, {"job_seeking", 35}, {"labour_market_programme", 15}},
		education:  eduShort,
		endReason:  endReasons(22, 18, 12, 18, 3, 8, 3, 13, 1, 2),
	}
	profileSick = &profile{
		income:     []weighted{{"sickness_benefit", 80}, {"sickness_compensation", 20}},
		partial:    35,
		occupation: []weighted{{"sick_leave", 85}, {"employed", 15}},
		education:  eduMixed,
		endReason:  endReasons(30, 5, 10, 30, 2, 15, 1, 4, 1, 2),
	}
	profileSupport = &profile{
		income:     []weighted{{"income_support", 70}, {"unemployment_benefit", 15}, {"activity_support", 15}},
		occupation: []weighted{{"job_seeking", 50}, {"none", 30}, {"labour_market_programme", 20}},
		education:  []weighted{{"primary_short", 20}, {"primary", 30}, {"upper_secondary", 38}, {"post_secondary", 10}, {"unknown", 2}},
		endReason:  endReasons(25, 10, 15, 22, 4, 8, 3, 10, 1, 2),
	}
	profileNewly = &profile{
		income:     []weighted{{"income_support", 50}, {"activity_support", 50}},
		occupation: []weighted{{"labour_market_programme", 60}, {"job_seeking", 25}, {"none", 15}},
		education:  []weighted{{"primary_short", 30}, {"primary", 20}, {"upper_secondary", 25}, {"post_secondary", 15}, {"unknown", 10}},
		endReason:  endReasons(28, 20, 12, 20, 4, 4, 6, 4, 1, 1),
	}
	profilePrimary = &profile{
		income:     []weighted{{"sickness_benefit", 100}},
		partial:    50,
		occupation: []weighted{{"sick_leave", 60}, {"employed", 40}},
		education:  eduMixed,
		endReason:  endReasons(45, 3, 7, 30, 1, 10, 1, 1, 1, 1),
	}
	profilePsych = &profile{
		income:     []weighted{{"activity_compensation", 45}, {"sickness_compensation", 20}, {"income_support", 25}, {"none", 10}},
		occupation: []weighted{{"rehabilitation", 40}, {"none", 40}, {"studies", 5}, {"labour_market_programme", 15}},
		education:  eduMixed,
		endReason:  endReasons(26, 12, 10, 25, 2, 12, 1, 10, 1, 1),
	}
)

// startMeasure is a participant's situation at the start.
func (pr *profile) startMeasure(rng *rand.Rand, on civil.Date) association.Measurement {
	m := association.Measurement{Phase: association.PhaseStart, On: on, Occupation: pick(rng, pr.occupation), Education: pick(rng, pr.education)}
	src := pick(rng, pr.income)
	if rng.IntN(100) < pr.partial {
		ext := []int{25, 50, 75}[rng.IntN(3)]
		m.IncomeSources = []association.IncomeShare{{Source: src, Extent: ext}, {Source: "salary", Extent: 100 - ext}}
	} else {
		m.IncomeSources = []association.IncomeShare{{Source: src, Extent: 100}}
	}
	return m
}

// outcome is the situation at a phase after the end, given how the
// registration ended; nil when nothing is recorded.
func outcome(rng *rand.Rand, phase association.Phase, on civil.Date, reason string, start association.Measurement) *association.Measurement {
	m := &association.Measurement{Phase: phase, On: on, Education: start.Education}
	full := func(src string) []association.IncomeShare {
		return []association.IncomeShare{{Source: src, Extent: 100}}
	}
	switch reason {
	case "wrong_registration":
		return nil
	case "moved":
		return &association.Measurement{Phase: phase, On: on, NotReached: true}
	case "work":
		m.Occupation = pick(rng, []weighted{{"employed", 60}, {"employed_subsidised", 30}, {"self_employed", 10}})
		m.IncomeSources = full("salary")
		if rng.IntN(100) < 20 {
			m.IncomeSources = []association.IncomeShare{{Source: "salary", Extent: 50}, {Source: start.IncomeSources[0].Source, Extent: 50}}
			if m.IncomeSources[1].Source == "salary" || m.IncomeSources[1].Source == "none" {
				m.IncomeSources = full("salary")
			}
		}
	case "studies":
		m.Occupation, m.IncomeSources = "studies", full("student_aid")
	case "other_insats":
		m.Occupation, m.IncomeSources = pick(rng, []weighted{{"labour_market_programme", 60}, {"rehabilitation", 40}}), start.IncomeSources
	case "completed":
		m.Occupation = pick(rng, []weighted{{"job_seeking", 50}, {"labour_market_programme", 30}, {"rehabilitation", 20}})
		m.IncomeSources = start.IncomeSources
		if rng.IntN(100) < 25 {
			m.IncomeSources = full("unemployment_benefit")
		}
	case "illness":
		m.Occupation, m.IncomeSources = "sick_leave", full("sickness_benefit")
	case "parental_leave":
		// Föräldrapenning counts as no income source of one's own in the
		// SUS definitions.
		m.Occupation, m.IncomeSources = "other", full("none")
	case "dropped_out":
		m.Occupation, m.IncomeSources = pick(rng, []weighted{{"none", 60}, {"job_seeking", 40}}), start.IncomeSources
	default:
		m.Occupation, m.IncomeSources = "other", start.IncomeSources
	}
	return m
}

// followUp is the situation 6 or 12 months after the end: most who went to
// work or studies stay there, some of the others get there.
func followUp(rng *rand.Rand, phase association.Phase, on civil.Date, end *association.Measurement) association.Measurement {
	if rng.IntN(100) < 12 {
		return association.Measurement{Phase: phase, On: on, NotReached: true}
	}
	m := *end
	m.Phase, m.On = phase, on
	inWork := m.Occupation == "employed" || m.Occupation == "employed_subsidised" || m.Occupation == "self_employed" || m.Occupation == "studies"
	switch r := rng.IntN(100); {
	case inWork && r < 20:
		m.Occupation, m.IncomeSources = "job_seeking", []association.IncomeShare{{Source: "unemployment_benefit", Extent: 100}}
	case !inWork && r < 20:
		m.Occupation, m.IncomeSources = "employed", []association.IncomeShare{{Source: "salary", Extent: 100}}
	}
	return m
}

var (
	femaleNames = []string{"Anna", "Maria", "Karin", "Elin", "Sara", "Emma", "Linnéa", "Fatima", "Leila", "Aino", "Amina", "Ida", "Klara", "Sofia", "Hanna", "Nour"}
	maleNames   = []string{"Erik", "Lars", "Anders", "Johan", "Per", "Ali", "Mehmet", "Juha", "Oskar", "Viktor", "Ahmed", "Jonas", "Filip", "Emil", "Hassan", "Nils"}
)

// participants registers the participants of the individual insatser year
// by year: most with consent and personal data, some anonymous (refused
// consent or a protected identity), with their situation at the start, at
// the end and at the follow-ups, and a few referrals waiting today.
func (l *assocLoader) participants(ctx context.Context) error {
	for i := range l.specs {
		s := &l.specs[i]
		if s.profile == nil || s.in.Status == association.InsatsPlanned {
			continue
		}
		var starts []civil.Date
		for y := s.in.Start.Year(); y <= l.year; y++ {
			// Starts fall between the insats's start (or New Year) and a
			// month and a half before its end (or today).
			from, to := jan1(y), dec31(y)
			if s.in.Start.After(from) {
				from = s.in.Start
			}
			if !s.in.End.IsZero() && s.in.End.AddDays(-45).Before(to) {
				to = s.in.End.AddDays(-45)
			}
			if l.today.Before(to) {
				to = l.today
			}
			if to.Before(from) {
				continue
			}
			days := to.Sub(from) + 1
			n := (s.perYear*days + 182) / 365
			if y == s.in.Start.Year() && s.firstYear > 0 {
				n = s.firstYear // a small cell, on purpose
			} else if days >= 60 {
				// No insats-year below the reports' threshold otherwise (a
				// year just begun has the participants still in the insats
				// from the year before).
				n = max(n, 5)
			}
			ys := make([]civil.Date, n)
			for k := range ys {
				ys[k] = from.AddDays(l.rng.IntN(days))
			}
			sortDates(ys)
			starts = append(starts, ys...)
		}
		for k, start := range starts {
			male := (k+1)*s.malePct/100 > k*s.malePct/100
			if err := l.register(ctx, s, start, male, nil); err != nil {
				return fmt.Errorf("participant in %s: %w", s.in.Name, err)
			}
		}
		for range s.pending {
			if err := l.refer(ctx, s); err != nil {
				return fmt.Errorf("referral to %s: %w", s.in.Name, err)
			}
		}
	}
	for _, t := range l.transfers {
		if err := l.transfer(ctx, t); err != nil {
			return fmt.Errorf("participant going on to another insats: %w", err)
		}
	}
	return nil
}

func sortDates(ds []civil.Date) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Before(ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// person makes a synthetic person of the sex, aged age on the day on, whose
// personnummer no other demo person has, and stores them.
func (l *assocLoader) person(ctx context.Context, male bool, age int, on civil.Date) (int64, civil.Date, error) {
	y, m, d := on.Civil()
	birthDay, _ := civil.New(y-age, m, min(d, 28))
	birthDay = birthDay.AddDays(-l.rng.IntN(365))
	for {
		n := personnummer.Generate(l.rng, birthDay.Time(), false)
		// Serial numbers 990–999: the case work's are 980–989.
		if (n[10]-'0')%2 == 1 != male || n[9] != '9' || l.taken[n] {
			continue
		}
		l.taken[n] = true
		_, err := store.PersonByNumber(ctx, l.tx, string(n))
		if err == nil {
			continue // loaded earlier by another part of the demo
		}
		if !errors.Is(err, store.ErrNotFound) {
			return 0, birthDay, err
		}
		given := femaleNames
		if male {
			given = maleNames
		}
		name := given[l.rng.IntN(len(given))] + " " + familyNames[l.rng.IntN(len(familyNames))]
		id, err := store.SavePerson(ctx, l.tx, store.Person{Personnummer: string(n), Name: name, MunicipalityCode: l.t.municipalityCode}, l.now)
		return id, birthDay, err
	}
}

func (l *assocLoader) consent(on civil.Date) *association.Consent {
	l.loaded.Persons++
	return &association.Consent{RecordedBy: l.forbund.ID, RecordedByName: l.forbund.Name, On: on, Covers: demoConsentCovers,
		DocumentRef: fmt.Sprintf("%s%d-%03d", demoDocumentSeries, on.Year(), l.loaded.Persons)}
}

func sexCode(male bool) string {
	if male {
		return "male"
	}
	return "female"
}

// transfer is a participant who left an insats for another (end reason
// other_insats) and is registered there too, with a consent of its own.
type transfer struct {
	personID int64
	male     bool
	age      int
	from     int64 // the insats left
	ended    civil.Date
}

// register records one participant who started on start, as staff would:
// registered in with the situation at the start, and, when the
// participant has left, registered out with the end and follow-ups. t is
// nil for a new participant, or the participant coming from another
// insats.
func (l *assocLoader) register(ctx context.Context, s *insatsSpec, start civil.Date, male bool, t *transfer) error {
	age := s.minAge + l.rng.IntN(s.maxAge-s.minAge+1)
	if t != nil {
		age = t.age
	}
	p := association.Participant{AssociationID: l.assoc, InsatsID: s.in.ID, Sex: sexCode(male), AgeGroup: l.cl.AgeGroup(age), Start: start, Status: association.Active}
	switch r := l.rng.IntN(100); {
	case t != nil:
		signed := start.AddDays(-l.rng.IntN(8))
		if signed.Before(t.ended) {
			signed = t.ended
		}
		p.PersonID, p.Consent = t.personID, l.consent(signed)
	case r < 2: // a protected identity: anonymous only
		p.ProtectedIdentity = true
		l.loaded.Anonymous++
		l.loaded.Protected++
	case r < 11: // declined to consent: anonymous
		l.loaded.Anonymous++
	default:
		id, _, err := l.person(ctx, male, age, start)
		if err != nil {
			return err
		}
		signed := start.AddDays(-l.rng.IntN(15))
		if signed.After(l.today) {
			signed = l.today
		}
		p.PersonID, p.Consent = id, l.consent(signed)
	}
	sm := s.profile.startMeasure(l.rng, start)
	p.Measurements = []association.Measurement{sm}
	in, err := store.RegisterParticipant(ctx, l.tx, p, l.cl, l.today, l.now)
	if err != nil {
		return err
	}
	l.loaded.Participants++
	end := start.AddDays(s.minDays + l.rng.IntN(s.maxDays-s.minDays+1))
	reason := pick(l.rng, s.profile.endReason)
	if !s.in.End.IsZero() && s.in.End.Before(end) {
		end, reason = s.in.End, "completed" // the insats closed
	}
	if end.After(l.today) {
		return nil // still in the insats
	}
	in.Status, in.End, in.EndReason = association.Ended, end, reason
	if em := outcome(l.rng, association.PhaseEnd, end, reason, sm); em != nil {
		in.Measurements = append(in.Measurements, *em)
		if !em.NotReached {
			if on := end.AddDays(183); !on.After(l.today) && l.rng.IntN(100) < 45 {
				in.Measurements = append(in.Measurements, followUp(l.rng, association.Phase6m, on, em))
			}
			if on := end.AddDays(365); !on.After(l.today) && l.rng.IntN(100) < 30 {
				in.Measurements = append(in.Measurements, followUp(l.rng, association.Phase12m, on, em))
			}
		}
	}
	if _, err := store.UpdateParticipant(ctx, l.tx, in, l.cl, l.today, l.now); err != nil {
		return err
	}
	if reason == "other_insats" && in.PersonID != 0 && t == nil {
		l.transfers = append(l.transfers, transfer{personID: in.PersonID, male: male, age: age, from: s.in.ID, ended: end})
	}
	return nil
}

// transfer registers the participants who went on to another insats in
// one that runs then and takes their age, a week to a month later.
func (l *assocLoader) transfer(ctx context.Context, t transfer) error {
	start := t.ended.AddDays(7 + l.rng.IntN(24))
	if start.After(l.today) {
		return nil
	}
	first := l.rng.IntN(len(l.specs))
	for k := range l.specs {
		s := &l.specs[(first+k)%len(l.specs)]
		runs := !s.in.Start.After(start) && (s.in.End.IsZero() || s.in.End.AddDays(-30).After(start))
		smallYear := s.firstYear > 0 && start.Year() == s.in.Start.Year() // keep its small cell small
		if s.profile == nil || s.in.ID == t.from || !runs || smallYear || t.age < s.minAge || t.age > s.maxAge {
			continue
		}
		return l.register(ctx, s, start, t.male, &t)
	}
	return nil // nowhere to go: the person left for an insats outside the association
}

// refer records a referral waiting for its start: a pending registration
// with consent and the referring party's reference.
func (l *assocLoader) refer(ctx context.Context, s *insatsSpec) error {
	male := l.rng.IntN(100) < s.malePct
	age := s.minAge + l.rng.IntN(s.maxAge-s.minAge+1)
	id, _, err := l.person(ctx, male, age, l.today)
	if err != nil {
		return err
	}
	refs := []string{
		fmt.Sprintf("FK ärende %d-%06d", l.year, 100000+l.rng.IntN(900000)),
		fmt.Sprintf("Remiss från Arbetsförmedlingen Gotland, %d-%04d", l.year, l.rng.IntN(10000)),
		fmt.Sprintf("Socialtjänsten Gotland, dnr SN %d/%d", l.year, 100+l.rng.IntN(900)),
	}
	p := association.Participant{AssociationID: l.assoc, InsatsID: s.in.ID, PersonID: id, Consent: l.consent(l.today.AddDays(-l.rng.IntN(10))),
		Sex: sexCode(male), AgeGroup: l.cl.AgeGroup(age), Status: association.Pending, Referral: refs[l.rng.IntN(len(refs))]}
	if _, err := store.RegisterParticipant(ctx, l.tx, p, l.cl, l.today, l.now); err != nil {
		return err
	}
	l.loaded.Participants++
	l.loaded.Pending++
	return nil
}
