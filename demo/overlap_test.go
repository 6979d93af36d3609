package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestDemoCasesWithOverlappingCertificatesGetARulesResult: the demo has
// cases whose certificates overlap, and every case's periods, consolidated,
// are periods the rules engine takes.
func TestDemoCasesWithOverlappingCertificatesGetARulesResult(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 7, 45, 0, 0, time.UTC)
		loadDemo(t, st, now)
		e, err := rules.New()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := st.Query(ctx, "SELECT id FROM sickness_cases ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		overlapping := 0
		for _, id := range ids {
			c, err := store.CaseByID(ctx, st, id)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := store.PersonPeriods(ctx, st, c.PersonID, c.FirstDay, c.LastDay)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 0 || c.Employment == "" {
				continue
			}
			raw := rules.Input{Date: civil.MustParse("2026-11-30"), Employment: rules.Employment(c.Employment),
				AnnualIncome: float64(c.AnnualIncomeOre) / 100}
			for _, p := range ps {
				raw.Periods = append(raw.Periods, rules.Period{From: civil.Of(p.From), To: civil.Of(p.To), Degree: p.Degree})
			}
			var re *rules.Error
			if _, err := e.Evaluate(raw, rules.Options{}); errors.As(err, &re) && re.Code == rules.CodeOverlappingPeriods {
				overlapping++
			}
			in := raw
			in.Periods = casework.RulesPeriods(casework.ConsolidatePeriods(ps))
			if _, err := e.Evaluate(in, rules.Options{}); errors.As(err, &re) && re.Code == rules.CodeOverlappingPeriods {
				t.Errorf("case %d: consolidated periods still overlap: %v", id, err)
			}
		}
		if overlapping == 0 {
			t.Error("no demo case has overlapping certificates to consolidate")
		}
		t.Logf("%d of %d demo cases have overlapping certificates", overlapping, len(ids))
	})
}
