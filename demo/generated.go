package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// LoadGenerated adds the generator's data at the demo's size (Populate,
// DemoSize) to a demo database that holds the demo's stories (LoadCases,
// LoadAssociation), current on now's date in Sweden, and evaluates the
// open cases it made on that date, leaving the stories' cases as they
// were evaluated. The case workers keep up (KeepUp): the deadlines of the
// rehabilitation chain due by then are closed, but in one case of
// twenty-five.
func LoadGenerated(ctx context.Context, st *store.Store, seed uint64, now time.Time) (Populated, error) {
	engine, err := rules.New()
	if err != nil {
		return Populated{}, err
	}
	today, clock := demoDay(engine, now)
	got, err := Populate(ctx, st, PopulateConfig{Seed: seed, Today: today.Time(), Size: DemoSize})
	if err != nil {
		return got, fmt.Errorf("demo generated data: %w", err)
	}
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		return got, err
	}
	rc := &casework.Recomputer{Store: st, Engine: engine, FMB: fmb}
	// Evaluate, let the case workers close what they met, evaluate again.
	refresh := func() error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			for id := got.FirstCaseID; id <= got.LastCaseID; id++ {
				c, err := store.CaseByID(ctx, tx, id)
				if err != nil {
					return err
				}
				if c.Status != store.CaseOpen {
					continue
				}
				if err := rc.RefreshCase(ctx, tx, id, today); err != nil {
					return fmt.Errorf("evaluate generated case %d: %w", id, err)
				}
			}
			return nil
		})
	}
	if err := refresh(); err != nil {
		return got, err
	}
	if _, err := KeepUp(ctx, st, got.FirstCaseID, got.LastCaseID, today.Time(), clock); err != nil {
		return got, fmt.Errorf("deadlines of the generated cases: %w", err)
	}
	return got, refresh()
}

// KeepUp closes the chain deadlines (the employer's plan and the
// assessments of days 91, 181 and 366) due by a week after today of the
// open cases firstCase..lastCase, as their case workers did on their due
// days (at clock at the latest), but in one case of twenty-five: generated
// case workers keep up, and a handful fall behind. It returns how many it
// closed. The cases' next due dates and warnings are the next recompute's
// to write (the caller runs it).
func KeepUp(ctx context.Context, st *store.Store, firstCase, lastCase int64, today, clock time.Time) (int, error) {
	closed := 0
	const casesPerTx = 10000 // memory stays flat at any size
	for lo := firstCase; lo <= lastCase; lo += casesPerTx {
		hi := min(lo+casesPerTx-1, lastCase)
		ds, err := store.OpenDeadlinesDue(ctx, st, lo, hi, assessmentKinds, today.AddDate(0, 0, 7))
		if err != nil {
			return closed, err
		}
		var closes []store.ClosedDeadline
		for _, d := range ds {
			if d.CaseID%25 == 0 { // behind with its assessments
				continue
			}
			on := earliest(earliest(d.Due.UTC(), today).Add(14*time.Hour), clock)
			closes = append(closes, store.ClosedDeadline{ID: d.ID, ByUserID: d.AssignedUserID, At: on, Note: closeNotes[d.Kind]})
		}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.CloseDeadlinesInBulk(ctx, tx, closes) }); err != nil {
			return closed, err
		}
		closed += len(closes)
	}
	return closed, nil
}
