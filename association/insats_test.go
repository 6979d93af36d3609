package association

import (
	"errors"
	"testing"

	"github.com/finsam/finsam/civil"
)

func validInsats() Insats {
	return Insats{
		Name: "Skarphäll", Kind: Individual, TargetGroup: "Unga vuxna 18–29 år",
		ResponsibleOrgID: 2, PartyOrgIDs: []int64{2, 3},
		Start: civil.MustParse("2024-01-01"), End: civil.MustParse("2026-12-31"),
		Budgets: []YearBudget{{2024, FinancierState, Kr(500_000)}, {2024, FinancierESF, Kr(100_000)}, {2025, FinancierState, Kr(550_000)}},
		Planned: 40, FollowUp: FollowUpIndividual, Status: InsatsOngoing,
	}
}

func codes(err error) map[string]bool {
	out := map[string]bool{}
	var errs Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			out[e.Code] = true
		}
	}
	return out
}

func TestInsatsValid(t *testing.T) {
	in := validInsats()
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.BudgetTotal(2024) != Kr(600_000) || in.BudgetTotal(0) != Kr(1_150_000) {
		t.Errorf("budget totals %s, %s", in.BudgetTotal(2024), in.BudgetTotal(0))
	}
}

func TestInsatsRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Insats)
		code   string
	}{
		{"one party (the law needs two)", func(in *Insats) { in.PartyOrgIDs = []int64{2} }, CodeTooFewParties},
		{"the same party twice is one party", func(in *Insats) { in.PartyOrgIDs = []int64{2, 2} }, CodeTooFewParties},
		{"responsible party not involved", func(in *Insats) { in.ResponsibleOrgID = 9 }, CodeResponsibleNotParty},
		{"end before start", func(in *Insats) { in.End = civil.MustParse("2023-12-31") }, CodeEndBeforeStart},
		{"no name", func(in *Insats) { in.Name = "  " }, CodeRequired},
		{"no start", func(in *Insats) { in.Start = civil.Date{} }, CodeRequired},
		{"unknown kind", func(in *Insats) { in.Kind = "preventive" }, CodeUnknownCode},
		{"unknown financier", func(in *Insats) { in.Budgets[0].Financier = "bank" }, CodeUnknownCode},
		{"negative budget", func(in *Insats) { in.Budgets[0].Amount = -1 }, CodeNegative},
		{"year and financier twice", func(in *Insats) { in.Budgets[1].Financier = FinancierState }, CodeDuplicate},
		{"unknown status", func(in *Insats) { in.Status = "" }, CodeInvalidStatus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validInsats()
			tc.change(&in)
			if err := in.Validate(); !codes(err)[tc.code] {
				t.Errorf("Validate = %v, want %s", err, tc.code)
			}
		})
	}
}

func TestInsatsReportsAllProblemsAtOnce(t *testing.T) {
	in := Insats{PartyOrgIDs: []int64{1}}
	got := codes(in.Validate())
	for _, c := range []string{CodeRequired, CodeUnknownCode, CodeTooFewParties, CodeInvalidStatus} {
		if !got[c] {
			t.Errorf("missing %s in %v", c, got)
		}
	}
}
