package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// LoadGenerated adds the generator's data at the demo's size (Populate,
// DemoSize) to a demo database that holds the demo's stories (LoadCases,
// LoadAssociation), current on now's date in Sweden, and evaluates the
// open cases it made on that date, leaving the stories' cases as they
// were evaluated. The case workers keep up: the deadlines of the
// rehabilitation chain due by then are closed, but in one case of
// twenty-five.
func LoadGenerated(ctx context.Context, st *store.Store, seed uint64, now time.Time) (Populated, error) {
	engine, err := rules.New()
	if err != nil {
		return Populated{}, err
	}
	first, last := engine.DateRange()
	today := certificate.SwedishDate(now)
	if today.After(last) {
		today = last
	}
	if today.Before(first) {
		today = first
	}
	got, err := Populate(ctx, st, PopulateConfig{Seed: seed, Today: today.Time(), Size: DemoSize})
	if err != nil {
		return got, fmt.Errorf("demo generated data: %w", err)
	}
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		return got, err
	}
	rc := &casework.Recomputer{Store: st, Engine: engine, FMB: fmb}
	clock := now
	if certificate.SwedishDate(now) != today { // outside the rules' range
		clock = today.Time().Add(10 * time.Hour)
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
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
			if id%25 == 0 {
				continue
			}
			if err := closeDeadlines(ctx, tx, id, c.AssignedUserID, assessmentKinds, today.Time(), clock); err != nil {
				return fmt.Errorf("deadlines of generated case %d: %w", id, err)
			}
		}
		return nil
	})
	return got, err
}
