package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// FixtureYear is the year the fixture's figures are for.
const FixtureYear = 2025

// FixtureIDs are what Fixture made, with the names tests look for.
type FixtureIDs struct {
	Skarphall, Steget, Forum int64
	// PersonNames and Personnummer are the personal data of the
	// registrations with consent: no report may show them.
	PersonNames  []string
	Personnummer []string
}

// Fixture gives an association (which must have FK, AF, a region and a
// municipality among its members) a small year with known answers, for
// tests of the reports. Year 2025:
//
//	Skarphäll (individual, planned 12): 7 women, 3 men. Two of the women
//	  are registered with consent (personal data); the rest anonymously.
//	  Ended in 2025: 4 women (work, employed at the end) and 1 man
//	  (studies); the others are still active.
//	Steget (individual, planned 8): 6 women registered, one of them a
//	  wrong registration (left out): 5 women counted, none ended.
//	Samverkansforum (structural): money only.
//	Budget / outcome (kr): administration (state) 1 000 000 / 950 000;
//	  Skarphäll (state) 500 000 / 480 000; Steget (region) 300 000 /
//	  310 000; Samverkansforum (municipality) 100 000 / 90 000.
//	Contributions: FK planned 1 000 000, paid 1 000 000. Equity 400 000.
//
// staffUserID records the consents.
func Fixture(ctx context.Context, st *store.Store, assoc organisation.Organisation, staffUserID int64) (FixtureIDs, error) {
	var ids FixtureIDs
	codes := association.MustDefaultCodeLists()
	now := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	today := civil.Of(now)
	d := civil.MustParse
	err := st.Tx(ctx, func(tx *store.Tx) error {
		members, err := store.AssociationMembers(ctx, tx, assoc.ID)
		if err != nil {
			return err
		}
		byType := map[organisation.Type]int64{}
		for _, m := range members {
			if byType[m.Type] == 0 {
				byType[m.Type] = m.ID
			}
		}
		fk, af, region, muni := byType[organisation.FK], byType[organisation.AF], byType[organisation.Region], byType[organisation.Municipality]
		if fk == 0 || af == 0 || region == 0 || muni == 0 {
			return fmt.Errorf("fixture: association %s lacks a member of each kind: %v", assoc.Slug, byType)
		}
		insats := func(name string, kind association.Kind, planned int, resp int64) (int64, error) {
			follow := association.FollowUpIndividual
			if kind == association.Structural {
				follow = association.FollowUpCounts
			}
			in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: assoc.ID, Name: name, Kind: kind,
				ResponsibleOrgID: resp, PartyOrgIDs: []int64{resp, fk, af}, Start: d("2024-01-01"), Planned: planned,
				FollowUp: follow, Status: association.InsatsOngoing}, now)
			return in.ID, err
		}
		if ids.Skarphall, err = insats("Skarphäll", association.Individual, 12, muni); err != nil {
			return err
		}
		if ids.Steget, err = insats("Steget", association.Individual, 8, region); err != nil {
			return err
		}
		if ids.Forum, err = insats("Samverkansforum", association.Structural, 0, muni); err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(2025, 8))
		consent := &association.Consent{RecordedBy: staffUserID, RecordedByName: "Förbundschef", On: d("2025-01-05"),
			Covers: "Registrering och uppföljning i insatsen", DocumentRef: "FK 9443 nr 1"}
		m := func(ph association.Phase, occ, src string) association.Measurement {
			return association.Measurement{Phase: ph, Occupation: occ, IncomeSources: []association.IncomeShare{{Source: src, Extent: 100}}}
		}
		reg := func(p association.Participant) error {
			p.AssociationID = assoc.ID
			if p.AgeGroup == "" {
				p.AgeGroup = "30-39"
			}
			_, err := store.RegisterParticipant(ctx, tx, p, codes, today, now)
			return err
		}
		for i := range 7 {
			p := association.Participant{InsatsID: ids.Skarphall, Sex: "female", Start: d("2025-02-01").AddDays(i), Status: association.Active,
				Measurements: []association.Measurement{m(association.PhaseStart, "sick_leave", "sickness_benefit")}}
			if i < 2 {
				pnr := string(personnummer.Generate(rng, time.Date(1985+i, 5, 1, 0, 0, 0, 0, time.UTC), false))
				name := []string{"Testa Deltagarsson", "Prova Exempelsdotter"}[i]
				id, err := store.SavePerson(ctx, tx, store.Person{Personnummer: pnr, Name: name, MunicipalityCode: "0980"}, now)
				if err != nil {
					return err
				}
				p.PersonID, p.Consent = id, consent
				ids.PersonNames = append(ids.PersonNames, name)
				ids.Personnummer = append(ids.Personnummer, pnr)
			}
			if i < 4 {
				p.End, p.Status, p.EndReason = d("2025-09-30"), association.Ended, "work"
				p.Measurements = append(p.Measurements, m(association.PhaseEnd, "employed", "salary"))
			}
			if err := reg(p); err != nil {
				return err
			}
		}
		for i := range 3 {
			p := association.Participant{InsatsID: ids.Skarphall, Sex: "male", Start: d("2025-03-01").AddDays(i), Status: association.Active,
				Measurements: []association.Measurement{m(association.PhaseStart, "job_seeking", "income_support")}}
			if i == 0 {
				p.End, p.Status, p.EndReason = d("2025-11-30"), association.Ended, "studies"
				p.Measurements = append(p.Measurements, m(association.PhaseEnd, "studies", "student_aid"))
			}
			if err := reg(p); err != nil {
				return err
			}
		}
		for i := range 6 {
			p := association.Participant{InsatsID: ids.Steget, Sex: "female", Start: d("2025-04-01").AddDays(i), Status: association.Active}
			if i == 5 {
				p.End, p.Status, p.EndReason = d("2025-04-06"), association.Ended, "wrong_registration"
			}
			if err := reg(p); err != nil {
				return err
			}
		}
		kr := association.Kr
		var lines []store.BudgetLine
		add := func(kind string, insats int64, fin association.Financier, budget, outcome int64) {
			lines = append(lines,
				store.BudgetLine{AssociationID: assoc.ID, Year: FixtureYear, Entry: store.EntryBudget, Kind: kind, InsatsID: insats, Financier: fin, Amount: kr(budget)},
				store.BudgetLine{AssociationID: assoc.ID, Year: FixtureYear, Entry: store.EntryOutcome, Kind: kind, InsatsID: insats, Financier: fin, Amount: kr(outcome)})
		}
		add(store.LineAdministration, 0, association.FinancierState, 1_000_000, 950_000)
		add(store.LineInsats, ids.Skarphall, association.FinancierState, 500_000, 480_000)
		add(store.LineInsats, ids.Steget, association.FinancierRegion, 300_000, 310_000)
		add(store.LineInsats, ids.Forum, association.FinancierMunicipality, 100_000, 90_000)
		if _, err := store.CreateBudgetLines(ctx, tx, lines, now); err != nil {
			return err
		}
		if err := store.SaveContributions(ctx, tx, assoc.ID, []store.Contribution{{Year: FixtureYear, MemberID: fk, Planned: kr(1_000_000), Paid: kr(1_000_000)}}); err != nil {
			return err
		}
		return store.SetEquity(ctx, tx, assoc.ID, FixtureYear, kr(400_000))
	})
	return ids, err
}
