package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
)

// AssociationFigures are the key figures of an association's start page for
// one year: participants now, started and ended in the year, and the
// year's budget against its outcome so far.
type AssociationFigures struct {
	Year int
	// Ongoing counts the registrations that have started and not ended.
	Ongoing int64
	// Started and Ended count the registrations that started (and are no
	// longer pending) and ended within the year.
	Started, Ended int64
	// Budget and Outcome are the year's budget and outcome lines summed.
	Budget, Outcome association.Ore
}

// UsedBasisPoints is the outcome's share of the budget in basis points
// (10 000 is all of it); ok is false when there is no budget to compare
// with.
func (f AssociationFigures) UsedBasisPoints() (bp int64, ok bool) {
	if f.Budget <= 0 {
		return 0, false
	}
	return int64(f.Outcome) * 10000 / int64(f.Budget), true
}

// KeyFigures counts an association's participants and sums its budget
// for year, in two queries.
func KeyFigures(ctx context.Context, q Querier, associationID int64, year int) (AssociationFigures, error) {
	f := AssociationFigures{Year: year}
	first, ok := civil.New(year, 1, 1)
	if !ok {
		return f, fmt.Errorf("key figures: no year %d", year)
	}
	last, _ := civil.New(year, 12, 31)
	err := q.QueryRow(ctx, `SELECT
			COUNT(CASE WHEN status = 'active' THEN 1 END),
			COUNT(CASE WHEN status <> 'pending' AND start_on >= $2 AND start_on <= $3 THEN 1 END),
			COUNT(CASE WHEN status = 'ended' AND end_on >= $2 AND end_on <= $3 THEN 1 END)
		FROM participants WHERE association_id = $1`, associationID, first.String(), last.String()).Scan(&f.Ongoing, &f.Started, &f.Ended)
	if err != nil {
		return f, err
	}
	var budget, outcome int64
	err = q.QueryRow(ctx, `SELECT
			CAST(COALESCE(SUM(CASE WHEN entry = $3 THEN amount_ore END), 0) AS BIGINT),
			CAST(COALESCE(SUM(CASE WHEN entry = $4 THEN amount_ore END), 0) AS BIGINT)
		FROM association_budget_lines WHERE association_id = $1 AND year = $2`, associationID, year, EntryBudget, EntryOutcome).Scan(&budget, &outcome)
	f.Budget, f.Outcome = association.Ore(budget), association.Ore(outcome)
	return f, err
}

// participantYearFilter adds to a participant query's conditions those of
// a registration that started (col "start_on", and is no longer pending)
// or ended (col "end_on") within year.
func participantYearFilter(where []string, args []any, col string, year int) ([]string, []any) {
	first, ok := civil.New(year, 1, 1)
	if !ok {
		return append(where, "1 = 0"), args
	}
	last, _ := civil.New(year, 12, 31)
	args = append(args, first.String(), last.String())
	n := len(args)
	where = append(where, col+" >= $"+strconv.Itoa(n-1), col+" <= $"+strconv.Itoa(n), "status <> 'pending'")
	return where, args
}
