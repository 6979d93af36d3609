// Package synth generates coordination associations with insatser,
// anonymous participants, their measurements and five years of budgets,
// deterministically from a seed, and bulk-loads them into a store: the data
// of the yearly-report benchmark (80 associations, about as many as Sweden
// has, × 5 years: about 160 000 participants). Everything is synthetic and anonymous: no persons,
// no personnummer, no names of people.
package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
)

// Config sizes the data.
type Config struct {
	Seed         uint64
	Associations int
	FirstYear    int
	Years        int
	// ParticipantsPerYear is each association's new registrations a year.
	ParticipantsPerYear int
	// Insatser per association: the first ones individual, the last two
	// structural.
	Insatser int
	// Prefix starts every generated organisation's slug.
	Prefix string
}

// Benchmark is the benchmark's full size: 80 associations, 2021–2025, 400 new
// participants a year each (160 000 in all), ten insatser each.
func Benchmark(seed uint64) Config {
	return Config{Seed: seed, Associations: 80, FirstYear: 2021, Years: 5, ParticipantsPerYear: 400, Insatser: 10, Prefix: "synth"}
}

// Result says what was loaded.
type Result struct {
	Associations []organisation.Organisation
	Participants int
	BudgetLines  int
}

var (
	now         = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	occupations = []string{"employed", "employed_subsidised", "studies", "job_seeking", "labour_market_programme", "rehabilitation", "sick_leave", "none", "other"}
	startIncome = []string{"sickness_benefit", "activity_compensation", "sickness_compensation", "unemployment_benefit", "activity_support", "income_support", "none", "other"}
	endIncome   = []string{"salary", "sickness_benefit", "activity_compensation", "unemployment_benefit", "income_support", "student_aid", "none", "other"}
	endReasons  = []string{"work", "studies", "other_insats", "completed", "moved", "illness", "parental_leave", "dropped_out", "other", "work", "completed", "wrong_registration"}
	ageGroups   = []string{"16-19", "20-24", "25-29", "30-39", "40-49", "50-59", "60-64"}
	insatsNames = []string{"Skarphäll", "Steget", "Vägen vidare", "Arbetsträning", "Unga in", "Hälsoslussen", "Nystart", "Språngbrädan", "Samverkansforum", "Kompetensnätverk", "Metodstöd", "Brobygget"}
)

// Load generates the data of cfg and writes it to st, one transaction per
// association.
func Load(ctx context.Context, st *store.Store, cfg Config) (Result, error) {
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed))
	var res Result
	var fk, af organisation.Organisation
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		fk, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: cfg.Prefix + "-fk", Name: "Försäkringskassan (syntet)", Type: organisation.FK})
		if err != nil {
			return err
		}
		af, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: cfg.Prefix + "-af", Name: "Arbetsförmedlingen (syntet)", Type: organisation.AF})
		return err
	})
	if err != nil {
		return res, err
	}
	for a := range cfg.Associations {
		var assoc organisation.Organisation
		var np, nb int
		err := st.Tx(ctx, func(tx *store.Tx) error {
			var err error
			assoc, np, nb, err = loadAssociation(ctx, tx, cfg, rng, a, fk.ID, af.ID)
			return err
		})
		if err != nil {
			return res, fmt.Errorf("association %d: %w", a, err)
		}
		res.Associations = append(res.Associations, assoc)
		res.Participants += np
		res.BudgetLines += nb
	}
	return res, nil
}

func loadAssociation(ctx context.Context, tx *store.Tx, cfg Config, rng *rand.Rand, a int, fk, af int64) (organisation.Organisation, int, int, error) {
	n := strconv.Itoa(a + 1)
	mk := func(slug, name string, t organisation.Type, code string) (int64, error) {
		o, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: cfg.Prefix + "-" + slug, Name: name, Type: t, Code: code})
		return o.ID, err
	}
	assocID, err := mk("forbund-"+n, "Samordningsförbundet Syntet "+n, organisation.Association, "")
	if err != nil {
		return organisation.Organisation{}, 0, 0, err
	}
	region, err := mk("region-"+n, "Region Syntet "+n, organisation.Region, fmt.Sprintf("%02d", a%99+1))
	if err != nil {
		return organisation.Organisation{}, 0, 0, err
	}
	muni1, err := mk("kommun-"+n+"a", "Kommun Syntet "+n+"A", organisation.Municipality, fmt.Sprintf("%04d", 2*a+1000))
	if err != nil {
		return organisation.Organisation{}, 0, 0, err
	}
	muni2, err := mk("kommun-"+n+"b", "Kommun Syntet "+n+"B", organisation.Municipality, fmt.Sprintf("%04d", 2*a+1001))
	if err != nil {
		return organisation.Organisation{}, 0, 0, err
	}
	members := []int64{fk, af, region, muni1, muni2}
	for _, m := range members {
		if err := store.AddAssociationMember(ctx, tx, assocID, m); err != nil {
			return organisation.Organisation{}, 0, 0, err
		}
	}
	first, _ := civil.New(cfg.FirstYear, 1, 1)
	lastYear := cfg.FirstYear + cfg.Years - 1
	last, _ := civil.New(lastYear, 12, 31)

	// Insatser: individual ones take participants; the last two are
	// structural.
	var individual []association.Insats
	var all []association.Insats
	for i := range cfg.Insatser {
		kind, follow := association.Individual, association.FollowUpIndividual
		if i >= cfg.Insatser-2 {
			kind, follow = association.Structural, association.FollowUpCounts
		}
		name := insatsNames[i%len(insatsNames)]
		if i >= len(insatsNames) {
			name += " " + strconv.Itoa(i/len(insatsNames)+1)
		}
		resp := members[2+rng.IntN(3)]
		in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: assocID, Name: name, Kind: kind,
			ResponsibleOrgID: resp, PartyOrgIDs: []int64{resp, fk, af}, Start: first,
			Planned: 20 + rng.IntN(80), FollowUp: follow, Status: association.InsatsOngoing}, now)
		if err != nil {
			return organisation.Organisation{}, 0, 0, err
		}
		all = append(all, in)
		if kind == association.Individual {
			individual = append(individual, in)
		}
	}

	// Participants: ParticipantsPerYear start each year, stay 1–720 days;
	// those whose end falls after the last year are still active.
	var ps []store.BulkParticipant
	for y := cfg.FirstYear; y <= lastYear; y++ {
		jan1, _ := civil.New(y, 1, 1)
		for range cfg.ParticipantsPerYear {
			in := individual[rng.IntN(len(individual))]
			start := jan1.AddDays(rng.IntN(365))
			end := start.AddDays(rng.IntN(720))
			sex := "female"
			if rng.IntN(100) < 45 {
				sex = "male"
			}
			p := store.BulkParticipant{AssociationID: assocID, InsatsID: in.ID, Sex: sex, AgeGroup: ageGroups[rng.IntN(len(ageGroups))], Start: start,
				Measurements: []association.Measurement{measure(rng, association.PhaseStart, startIncome)}}
			if !end.After(last) {
				p.End = end
				p.EndReason = endReasons[rng.IntN(len(endReasons))]
				p.Measurements = append(p.Measurements, measure(rng, association.PhaseEnd, endIncome))
			}
			ps = append(ps, p)
		}
	}
	if err := store.BulkInsertParticipants(ctx, tx, ps, now); err != nil {
		return organisation.Organisation{}, 0, 0, err
	}

	// Budget and outcome: the administration from the three financiers,
	// each insats from the state and one other; outcome within ±15 %.
	var lines []store.BudgetLine
	line := func(y int, insats int64, fin association.Financier, budget association.Ore) {
		kind := store.LineAdministration
		if insats != 0 {
			kind = store.LineInsats
		}
		outcome := budget * association.Ore(85+rng.IntN(31)) / 100
		lines = append(lines,
			store.BudgetLine{AssociationID: assocID, Year: y, Entry: store.EntryBudget, Kind: kind, InsatsID: insats, Financier: fin, Amount: budget},
			store.BudgetLine{AssociationID: assocID, Year: y, Entry: store.EntryOutcome, Kind: kind, InsatsID: insats, Financier: fin, Amount: outcome})
	}
	var contributions []store.Contribution
	for y := cfg.FirstYear; y <= lastYear; y++ {
		total := association.Kr(int64(4_000_000 + rng.IntN(8_000_000)))
		line(y, 0, association.FinancierState, total/10)
		line(y, 0, association.FinancierRegion, total/20)
		line(y, 0, association.FinancierMunicipality, total/20)
		for _, in := range all {
			b := association.Kr(int64(200_000 + rng.IntN(1_200_000)))
			line(y, in.ID, association.FinancierState, b)
			other := []association.Financier{association.FinancierRegion, association.FinancierMunicipality, association.FinancierESF}[rng.IntN(3)]
			line(y, in.ID, other, b/3)
		}
		half := total / 2
		contributions = append(contributions,
			store.Contribution{Year: y, MemberID: fk, Planned: half, Invoiced: half, Paid: half},
			store.Contribution{Year: y, MemberID: region, Planned: total / 4, Invoiced: total / 4, Paid: total / 4},
			store.Contribution{Year: y, MemberID: muni1, Planned: total / 8, Invoiced: total / 8, Paid: total / 8},
			store.Contribution{Year: y, MemberID: muni2, Planned: total - half - total/4 - total/8, Invoiced: total - half - total/4 - total/8})
		if err := store.SetEquity(ctx, tx, assocID, y, association.Kr(int64(500_000+rng.IntN(2_000_000)))); err != nil {
			return organisation.Organisation{}, 0, 0, err
		}
	}
	if err := store.BulkInsertBudgetLines(ctx, tx, lines, now); err != nil {
		return organisation.Organisation{}, 0, 0, err
	}
	if err := store.SaveContributions(ctx, tx, assocID, contributions); err != nil {
		return organisation.Organisation{}, 0, 0, err
	}
	org, err := store.OrganisationByID(ctx, tx, assocID)
	return org, len(ps), len(lines), err
}

// measure draws a measurement: an occupation and one or two income
// sources (never "none" together with another).
func measure(rng *rand.Rand, phase association.Phase, incomes []string) association.Measurement {
	m := association.Measurement{Phase: phase, Occupation: occupations[rng.IntN(len(occupations))]}
	src := incomes[rng.IntN(len(incomes))]
	if src == "none" || rng.IntN(4) > 0 {
		m.IncomeSources = []association.IncomeShare{{Source: src, Extent: 100}}
		return m
	}
	second := incomes[rng.IntN(len(incomes))]
	if second == src || second == "none" {
		m.IncomeSources = []association.IncomeShare{{Source: src, Extent: 100}}
		return m
	}
	m.IncomeSources = []association.IncomeShare{{Source: src, Extent: 50}, {Source: second, Extent: 50}}
	return m
}
