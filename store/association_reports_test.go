package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// reportFixture is a small association year with known answers: two
// insatser and seven registrations (period 2025):
//
//	p1 A female  2024-11-01–2025-03-31 work                151 days; sickness_benefit/sick_leave → salary/employed
//	p2 A male    2025-02-01–           active                        income_support/job_seeking
//	p3 A female  2025-01-10–2025-06-30 studies             172 days; activity_compensation/none → student_aid/studies
//	p4 B female  2025-03-01–2025-03-01 wrong_registration    1 day  (anonymous; left out)
//	p5 B male    2024-01-01–2024-12-31 moved                        (before the period)
//	p6 A female  pending                                            (not counted)
//	p7 B male    2025-05-01–2025-12-31 illness             245 days; sickness_benefit 50 + salary 50/employed → sickness_benefit/sick_leave
func reportFixture(t *testing.T, s *store.Store) (assocOrgs, association.Insats, association.Insats) {
	t.Helper()
	ctx := context.Background()
	o := assocFixture(t, s)
	a := createInsats(t, s, skarphall(o))
	bIn := skarphall(o)
	bIn.Name, bIn.Budgets, bIn.Planned = "Steget", nil, 5
	b := createInsats(t, s, bIn)
	d := civil.MustParse
	m := func(ph association.Phase, occ string, inc ...association.IncomeShare) association.Measurement {
		return association.Measurement{Phase: ph, Occupation: occ, IncomeSources: inc}
	}
	inc := func(src string, ext int) association.IncomeShare {
		return association.IncomeShare{Source: src, Extent: ext}
	}
	ps := []association.Participant{
		{InsatsID: a.ID, PersonID: o.persons[0], Consent: consentOf(o), Sex: "female", AgeGroup: "30-39", Start: d("2024-11-01"), End: d("2025-03-31"), Status: association.Ended, EndReason: "work",
			Measurements: []association.Measurement{m(association.PhaseStart, "sick_leave", inc("sickness_benefit", 100)), m(association.PhaseEnd, "employed", inc("salary", 100))}},
		{InsatsID: a.ID, Sex: "male", AgeGroup: "20-24", Start: d("2025-02-01"), Status: association.Active,
			Measurements: []association.Measurement{m(association.PhaseStart, "job_seeking", inc("income_support", 100))}},
		{InsatsID: a.ID, PersonID: o.persons[1], Consent: consentOf(o), Sex: "female", AgeGroup: "16-19", Start: d("2025-01-10"), End: d("2025-06-30"), Status: association.Ended, EndReason: "studies",
			Measurements: []association.Measurement{m(association.PhaseStart, "none", inc("activity_compensation", 100)), m(association.PhaseEnd, "studies", inc("student_aid", 100))}},
		{InsatsID: b.ID, Sex: "female", AgeGroup: "40-49", Start: d("2025-03-01"), End: d("2025-03-01"), Status: association.Ended, EndReason: "wrong_registration"},
		{InsatsID: b.ID, Sex: "male", AgeGroup: "50-59", Start: d("2024-01-01"), End: d("2024-12-31"), Status: association.Ended, EndReason: "moved"},
		{InsatsID: a.ID, PersonID: o.persons[2], Consent: consentOf(o), Sex: "female", AgeGroup: "30-39", Status: association.Pending},
		{InsatsID: b.ID, Sex: "male", AgeGroup: "60-64", Start: d("2025-05-01"), End: d("2025-12-31"), Status: association.Ended, EndReason: "illness",
			Measurements: []association.Measurement{m(association.PhaseStart, "employed", inc("sickness_benefit", 50), inc("salary", 50)), m(association.PhaseEnd, "sick_leave", inc("sickness_benefit", 100))}},
	}
	storetest.Write(t, s, func(tx *store.Tx) error {
		for _, p := range ps {
			p.AssociationID = o.assoc
			if _, err := store.RegisterParticipant(ctx, tx, p, assocCodes, assocToday, assocNow); err != nil {
				return err
			}
		}
		_, err := store.CreateBudgetLines(ctx, tx, []store.BudgetLine{
			{AssociationID: o.assoc, Year: 2025, Entry: store.EntryBudget, Kind: store.LineAdministration, Financier: association.FinancierState, Amount: association.Kr(1_000_000)},
			{AssociationID: o.assoc, Year: 2025, Entry: store.EntryOutcome, Kind: store.LineAdministration, Financier: association.FinancierState, Amount: association.Kr(900_000)},
			{AssociationID: o.assoc, Year: 2025, Entry: store.EntryOutcome, Kind: store.LineInsats, InsatsID: a.ID, Financier: association.FinancierState, Amount: association.Kr(450_000)},
			{AssociationID: o.assoc, Year: 2025, Entry: store.EntryOutcome, Kind: store.LineInsats, InsatsID: a.ID, Financier: association.FinancierESF, Amount: association.Kr(120_000), BookedOn: d("2025-12-31")},
		}, assocNow)
		return err
	})
	return o, a, b
}

func TestAssociationReportAggregates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o, a, b := reportFixture(t, s)
		f := store.ReportFilter{AssociationID: o.assoc, From: civil.MustParse("2025-01-01"), To: civil.MustParse("2025-12-31"),
			ExcludeEndReasons: assocCodes.WithFlag(association.ListEndReason, association.FlagExclude)}

		bySex, err := store.ParticipantsBySex(ctx, s, f)
		if err != nil {
			t.Fatal(err)
		}
		wantSex := []store.InsatsSexCount{
			{InsatsID: a.ID, Name: "Skarphäll", Kind: association.Individual, Planned: 10, Sex: "female", N: 2},
			{InsatsID: a.ID, Name: "Skarphäll", Kind: association.Individual, Planned: 10, Sex: "male", N: 1},
			{InsatsID: b.ID, Name: "Steget", Kind: association.Individual, Planned: 5, Sex: "male", N: 1},
		}
		if !reflect.DeepEqual(bySex, wantSex) {
			t.Errorf("by sex = %+v\nwant %+v", bySex, wantSex)
		}

		pc := func(ph association.Phase, code string, n int64) store.PhaseCodeCount {
			return store.PhaseCodeCount{Phase: ph, Code: code, N: n}
		}
		end, start := association.PhaseEnd, association.PhaseStart
		incomes, err := store.IncomeSourceCounts(ctx, s, f)
		wantInc := []store.PhaseCodeCount{pc(end, "salary", 1), pc(end, "sickness_benefit", 1), pc(end, "student_aid", 1),
			pc(start, "activity_compensation", 1), pc(start, "salary", 1), pc(start, "sickness_benefit", 2)}
		if err != nil || !reflect.DeepEqual(incomes, wantInc) {
			t.Errorf("income sources = %+v, %v\nwant %+v", incomes, err, wantInc)
		}
		occ, err := store.OccupationCounts(ctx, s, f)
		wantOcc := []store.PhaseCodeCount{pc(end, "employed", 1), pc(end, "sick_leave", 1), pc(end, "studies", 1),
			pc(start, "employed", 1), pc(start, "none", 1), pc(start, "sick_leave", 1)}
		if err != nil || !reflect.DeepEqual(occ, wantOcc) {
			t.Errorf("occupations = %+v, %v\nwant %+v", occ, err, wantOcc)
		}
		measured, err := store.MeasuredCounts(ctx, s, f)
		if err != nil || !reflect.DeepEqual(measured, []store.PhaseCodeCount{pc(end, "", 3), pc(start, "", 3)}) {
			t.Errorf("measured = %+v, %v", measured, err)
		}

		ws, err := store.WorkOrStudiesAfter(ctx, s, f, association.PhaseEnd,
			assocCodes.WithFlag(association.ListOccupation, association.FlagWork), assocCodes.WithFlag(association.ListOccupation, association.FlagStudies))
		if err != nil || ws != (store.WorkStudies{Measured: 3, Work: 1, Studies: 1, WorkOrStudies: 2}) {
			t.Errorf("work or studies = %+v, %v", ws, err)
		}

		dur, err := store.TimeInInsats(ctx, s, f)
		want := store.Durations{N: 3, TotalDays: 151 + 172 + 245, MinDays: 151, MaxDays: 245, Buckets: [5]int64{0, 2, 1, 0, 0}}
		if err != nil || dur != want || dur.MeanDays() != 189 {
			t.Errorf("durations = %+v, %v\nwant %+v", dur, err, want)
		}

		all := f
		all.ExcludeEndReasons = nil
		reasons, err := store.EndReasons(ctx, s, all)
		wantReasons := []store.CodeCount{{"illness", 1}, {"studies", 1}, {"work", 1}, {"wrong_registration", 1}}
		if err != nil || !reflect.DeepEqual(reasons, wantReasons) {
			t.Errorf("end reasons = %+v, %v", reasons, err)
		}
		one := f
		one.InsatsID = b.ID
		if reasons, _ := store.EndReasons(ctx, s, one); !reflect.DeepEqual(reasons, []store.CodeCount{{"illness", 1}}) {
			t.Errorf("end reasons in Steget = %+v", reasons)
		}

		kr := association.Kr
		byInsats, err := store.BudgetOutcomeByInsats(ctx, s, o.assoc, 2024, 2025)
		wantInsats := []store.BudgetOutcome{
			{Year: 2024, Kind: store.LineInsats, InsatsID: a.ID, Budget: kr(400_000)},
			{Year: 2025, Kind: store.LineAdministration, Budget: kr(1_000_000), Outcome: kr(900_000)},
			{Year: 2025, Kind: store.LineInsats, InsatsID: a.ID, Budget: kr(600_000), Outcome: kr(570_000)},
		}
		if err != nil || !reflect.DeepEqual(byInsats, wantInsats) {
			t.Errorf("by insats = %+v, %v\nwant %+v", byInsats, err, wantInsats)
		}
		byFin, err := store.BudgetOutcomeByFinancier(ctx, s, 0, 2025, 2025)
		wantFin := []store.BudgetOutcome{
			{Year: 2025, Financier: association.FinancierESF, Budget: kr(100_000), Outcome: kr(120_000)},
			{Year: 2025, Financier: association.FinancierState, Budget: kr(1_500_000), Outcome: kr(1_350_000)},
		}
		if err != nil || !reflect.DeepEqual(byFin, wantFin) {
			t.Errorf("by financier = %+v, %v\nwant %+v", byFin, err, wantFin)
		}
	})
}

func TestAssociationReportEmptyAndBadPeriods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o, _, _ := reportFixture(t, s)
		empty := store.ReportFilter{AssociationID: o.assoc, From: civil.MustParse("2010-01-01"), To: civil.MustParse("2010-12-31")} // before any registration
		if rows, err := store.ParticipantsBySex(ctx, s, empty); err != nil || len(rows) != 0 {
			t.Errorf("by sex in an empty period = %+v, %v", rows, err)
		}
		if d, err := store.TimeInInsats(ctx, s, empty); err != nil || d != (store.Durations{}) {
			t.Errorf("durations in an empty period = %+v, %v", d, err)
		}
		if ws, err := store.WorkOrStudiesAfter(ctx, s, empty, association.PhaseEnd, nil, nil); err != nil || ws != (store.WorkStudies{}) {
			t.Errorf("work or studies in an empty period = %+v, %v", ws, err)
		}
		bad := store.ReportFilter{AssociationID: o.assoc, From: civil.MustParse("2025-12-31"), To: civil.MustParse("2025-01-01")}
		if _, err := store.ParticipantsBySex(ctx, s, bad); !errors.Is(err, store.ErrReportPeriod) {
			t.Errorf("reversed period: %v", err)
		}
		if _, err := store.BudgetOutcomeByInsats(ctx, s, o.assoc, 2026, 2025); !errors.Is(err, store.ErrReportPeriod) {
			t.Errorf("reversed years: %v", err)
		}
	})
}

func TestAdministrationBudgetsSumTheAdministrationPerAssociation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o, _, _ := reportFixture(t, s)
		for _, id := range []int64{o.assoc, 0} {
			got, err := store.AdministrationBudgets(ctx, s, id, 2025)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].AssociationID != o.assoc || got[0].Association == "" ||
				got[0].Budget != association.Kr(1_000_000) || got[0].Outcome != association.Kr(900_000) {
				t.Errorf("AdministrationBudgets(%d, 2025) = %+v; want the association's 1 000 000 kr budget and 900 000 kr outcome", id, got)
			}
		}
		if got, err := store.AdministrationBudgets(ctx, s, o.assoc, 2024); err != nil || len(got) != 0 {
			t.Errorf("AdministrationBudgets(2024) = %+v, %v; want none (only an insats has money that year)", got, err)
		}
	})
}
