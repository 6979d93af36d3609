package whatif_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/whatif"
)

// shorterNormalLevel moves to the continuation level after 180 normal-level
// days instead of 364.
const shorterNormalLevel = `{"name": "180 dagar på normalnivå", "params": [{"name": "normal_level_max_days",
	"values": [{"from": "2008-07-01", "value": "180"}]}]}`

func TestWhatIfCountsWhatTheScenarioChangesAndWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.LoadCertificates(ctx, st, storetest.AuditKeys(t), demo.DefaultSeed); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		if _, err := demo.LoadCases(ctx, st, demo.DefaultSeed, now); err != nil {
			t.Fatal(err)
		}
		base, err := rules.New()
		if err != nil {
			t.Fatal(err)
		}
		sc, probs := rules.ParseScenario([]byte(shorterNormalLevel))
		if len(probs) > 0 {
			t.Fatal(probs[0])
		}
		shorter, perr := base.WithScenario(sc)
		if perr != nil {
			t.Fatal(perr)
		}
		date := civil.MustParse("2026-11-23")
		before := storetest.Snapshot(t, st)

		same, err := whatif.Run(ctx, whatif.Options{Store: st, Base: base, Scenario: base, Date: date})
		if err != nil {
			t.Fatal(err)
		}
		open, _ := store.OpenCaseCount(ctx, st, 0, 0)
		if same.Cases != open || same.Changed != 0 || same.Real != same.What || same.Real.CostKr == 0 {
			t.Errorf("the law against itself: %d cases of %d, %d changed, %+v against %+v", same.Cases, open, same.Changed, same.Real, same.What)
		}

		var steps []whatif.Progress
		got, err := whatif.Run(ctx, whatif.Options{Store: st, Base: base, Scenario: shorter, Date: date, BatchSize: 100,
			Progress: func(p whatif.Progress) { steps = append(steps, p) }})
		if err != nil {
			t.Fatal(err)
		}
		if got.ChangedLevel == 0 || got.What.CostKr >= got.Real.CostKr || got.Changed < got.ChangedLevel || len(got.Sample) == 0 || len(got.Sample) > 50 {
			t.Errorf("a shorter normal level: %+v", got)
		}
		for _, ch := range got.Sample {
			if ch.Level[0] == ch.Level[1] && ch.DailyKr[0] == ch.DailyKr[1] && ch.Phase[0] == ch.Phase[1] && ch.Payer[0] == ch.Payer[1] {
				t.Errorf("case %d in the sample changes nothing", ch.CaseID)
			}
		}
		cases, changed := 0, 0
		for _, g := range got.ByOffice {
			cases += g.Cases
			changed += g.Changed
		}
		chapters := 0
		for _, g := range got.ByChapter {
			chapters += g.Cases
		}
		if cases != got.Cases || changed != got.Changed || chapters != got.Cases {
			t.Errorf("groups add up to %d cases (%d by chapter), %d changed; the run says %d and %d", cases, chapters, changed, got.Cases, got.Changed)
		}
		if len(steps) < 2 || steps[len(steps)-1].Done != steps[len(steps)-1].Total {
			t.Errorf("progress %v", steps)
		}

		// The same run read by one worker and by three, in batches of 7
		// and of 100, adds up to the same summary and the same sample (the
		// first changed cases in id order); progress only grows.
		for _, o := range []whatif.Options{{Workers: 1, BatchSize: 100}, {Workers: 3, BatchSize: 7}} {
			var last whatif.Progress
			o.Store, o.Base, o.Scenario, o.Date = st, base, shorter, date
			o.Progress = func(p whatif.Progress) {
				if p.Done < last.Done || p.Total != last.Total && last.Total != 0 {
					t.Errorf("progress %+v after %+v", p, last)
				}
				last = p
			}
			again, err := whatif.Run(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			again.Seconds, got.Seconds = 0, 0
			if !reflect.DeepEqual(again, got) {
				t.Errorf("%d workers, batches of %d: %+v, want %+v", o.Workers, o.BatchSize, again, got)
			}
		}

		// One office only.
		office := got.ByOffice[0]
		var officeID int64
		offices, _ := store.Offices(ctx, st, 0)
		for _, o := range offices {
			if o.Name == office.Name {
				officeID = o.ID
			}
		}
		one, err := whatif.Run(ctx, whatif.Options{Store: st, Base: base, Scenario: shorter, Date: date, OfficeID: officeID})
		if err != nil || one.Cases != office.Cases || one.Changed != office.Changed || len(one.ByOffice) != 1 {
			t.Errorf("office %s: %+v %v, want %+v", office.Name, one, err, office)
		}
		if after := storetest.Snapshot(t, st); !reflect.DeepEqual(before, after) {
			t.Error("a what-if run changed the database")
		}
	})
}
