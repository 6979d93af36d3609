package store

import (
	"context"
	"fmt"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
)

// Bulk loading of synthetic association data for the report benchmark
// (assocreport/synth): anonymous registrations with their measurements and
// budget lines, written as multi-row INSERTs in the caller's transaction.
// Nothing here validates against code lists or checks overlaps: the
// generator's data is valid by construction, and the schema's CHECKs still
// hold. Real registrations go through RegisterParticipant.

// BulkParticipant is one anonymous registration to bulk-load.
type BulkParticipant struct {
	AssociationID int64
	InsatsID      int64
	Sex, AgeGroup string
	Start, End    civil.Date // End zero while active
	EndReason     string
	Measurements  []association.Measurement
}

// bulkRows is how many rows one INSERT carries: well under SQLite's and
// PostgreSQL's limits on parameters (32 766 and 65 535).
const bulkRows = 400

// bulkInsert runs INSERT INTO head VALUES … for n rows of width values,
// bulkRows at a time; row(i) gives row i's values.
func bulkInsert(ctx context.Context, tx *Tx, head string, width, n int, row func(i int) []any) error {
	args := make([]any, 0, bulkRows*width)
	for lo := 0; lo < n; lo += bulkRows {
		hi := min(lo+bulkRows, n)
		args = args[:0]
		for i := lo; i < hi; i++ {
			args = append(args, row(i)...)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+head+" VALUES "+valuesList(tx.Dialect(), hi-lo, width), args...); err != nil {
			return fmt.Errorf("bulk insert into %s: %w", head, err)
		}
	}
	return nil
}

// reserveIDs returns the first of n fresh ids of table: from its sequence on
// PostgreSQL (so that later inserts do not collide), after the largest on
// SQLite (whose single writer holds the transaction).
func reserveIDs(ctx context.Context, tx *Tx, table string, n int) (int64, error) {
	var first int64
	if tx.Dialect() == Postgres {
		err := tx.QueryRow(ctx, `SELECT min(v) FROM (SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) AS v
			FROM generate_series(1, $1)) s`, n).Scan(&first)
		return first, err
	}
	err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM "+table).Scan(&first)
	return first, err
}

// BulkInsertParticipants writes anonymous registrations with their
// measurements and income sources.
func BulkInsertParticipants(ctx context.Context, tx *Tx, ps []BulkParticipant, now time.Time) error {
	if len(ps) == 0 {
		return nil
	}
	// The public catalogue shows results per insats: a site kept at its
	// content version must not go on showing the old ones (ADR 35).
	bumped := map[int64]bool{}
	for _, p := range ps {
		if !bumped[p.AssociationID] {
			if err := BumpSiteContent(ctx, tx, p.AssociationID); err != nil {
				return err
			}
			bumped[p.AssociationID] = true
		}
	}
	first, err := reserveIDs(ctx, tx, "participants", len(ps))
	if err != nil {
		return err
	}
	// On PostgreSQL nextval hands out a consecutive block here: nothing
	// else draws from the sequence inside the benchmark's load. Check it.
	if tx.Dialect() == Postgres {
		var last int64
		if err := tx.QueryRow(ctx, "SELECT currval(pg_get_serial_sequence('participants', 'id'))").Scan(&last); err != nil {
			return err
		}
		if last-first+1 != int64(len(ps)) {
			return fmt.Errorf("bulk participants: ids %d–%d are not one block of %d", first, last, len(ps))
		}
	}
	now = now.UTC()
	err = bulkInsert(ctx, tx, `participants (id, association_id, insats_id, sex, age_group, start_on, end_on, status, end_reason, created_at, updated_at)`,
		11, len(ps), func(i int) []any {
			p := ps[i]
			status := string(association.Active)
			if !p.End.IsZero() {
				status = string(association.Ended)
			}
			return []any{first + int64(i), p.AssociationID, p.InsatsID, p.Sex, p.AgeGroup, assocDate(p.Start), assocDate(p.End), status, p.EndReason, now, now}
		})
	if err != nil {
		return err
	}
	type measure struct {
		id int64
		m  association.Measurement
	}
	type income struct {
		id    int64
		phase association.Phase
		s     association.IncomeShare
	}
	var ms []measure
	var incs []income
	for i, p := range ps {
		for _, m := range p.Measurements {
			ms = append(ms, measure{first + int64(i), m})
			for _, s := range m.IncomeSources {
				incs = append(incs, income{first + int64(i), m.Phase, s})
			}
		}
	}
	err = bulkInsert(ctx, tx, "participant_measures (participant_id, phase, measured_on, occupation, education, not_reached)", 6, len(ms), func(i int) []any {
		m := ms[i]
		return []any{m.id, string(m.m.Phase), assocDate(m.m.On), m.m.Occupation, m.m.Education, m.m.NotReached}
	})
	if err != nil {
		return err
	}
	return bulkInsert(ctx, tx, "participant_incomes (participant_id, phase, source, extent)", 4, len(incs), func(i int) []any {
		s := incs[i]
		return []any{s.id, string(s.phase), s.s.Source, s.s.Extent}
	})
}

// BulkInsertBudgetLines writes budget and outcome lines.
func BulkInsertBudgetLines(ctx context.Context, tx *Tx, lines []BudgetLine, now time.Time) error {
	now = now.UTC()
	return bulkInsert(ctx, tx, "association_budget_lines (association_id, year, entry, kind, insats_id, financier, amount_ore, note, booked_on, created_at)",
		10, len(lines), func(i int) []any {
			l := lines[i]
			var insats any
			if l.InsatsID != 0 {
				insats = l.InsatsID
			}
			return []any{l.AssociationID, l.Year, l.Entry, l.Kind, insats, string(l.Financier), int64(l.Amount), l.Note, assocDate(l.BookedOn), now}
		})
}
