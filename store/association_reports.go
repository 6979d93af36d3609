package store

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
)

// The aggregates the association's reports are made of. Each is one SQL
// aggregate: the database counts and sums, finsam receives one row per
// group, never the participants themselves, so memory stays flat however
// many participants there are (the national report reads some 160 000).
// The indexes of migration 7 (participants_period, participants_ended) are
// shaped for these queries.
//
// Counts here are exact: suppressing small cells (association.CountCell,
// SuppressRow) is the job of whatever takes them out of the association.

// ReportFilter selects the data of a report.
type ReportFilter struct {
	// AssociationID is the association; 0 means all (the national figures).
	AssociationID int64
	// From and To bound the period, both days included.
	From, To civil.Date
	// InsatsID narrows the participant figures to one insats (0: all).
	InsatsID int64
	// ExcludeEndReasons leaves registrations that ended for these reasons
	// out of participant counts and outcomes: the end reasons flagged
	// association.FlagExclude ("wrong registration").
	ExcludeEndReasons []string
}

// ErrReportPeriod is returned for a report period that is missing or ends
// before it starts.
var ErrReportPeriod = errors.New("report period: from and to are required and from must not be after to")

// Which participants a query counts.
const (
	assocActive = iota // registered in and present on some day of the period
	assocEnded         // registered out within the period
)

// assocWhere builds the WHERE clause over participants p for the filter.
func assocWhere(f ReportFilter, which int) (string, []any, error) {
	if f.From.IsZero() || f.To.IsZero() || f.To.Before(f.From) {
		return "", nil, ErrReportPeriod
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.AssociationID != 0 {
		where = append(where, "p.association_id = "+arg(f.AssociationID))
	}
	switch which {
	case assocActive:
		where = append(where, "p.status <> 'pending'", "p.start_on <= "+arg(f.To.String()),
			"(p.end_on IS NULL OR p.end_on >= "+arg(f.From.String())+")")
	case assocEnded:
		where = append(where, "p.status = 'ended'", "p.end_on >= "+arg(f.From.String()), "p.end_on <= "+arg(f.To.String()))
	}
	if f.InsatsID != 0 {
		where = append(where, "p.insats_id = "+arg(f.InsatsID))
	}
	if len(f.ExcludeEndReasons) > 0 {
		ph := make([]string, len(f.ExcludeEndReasons))
		for i, r := range f.ExcludeEndReasons {
			ph[i] = arg(r)
		}
		where = append(where, "p.end_reason NOT IN ("+strings.Join(ph, ", ")+")")
	}
	return strings.Join(where, " AND "), args, nil
}

// InsatsSexCount is the number of participants of one sex in one insats.
type InsatsSexCount struct {
	InsatsID int64
	Name     string
	Kind     association.Kind
	Planned  int // planned participants, for planned against actual
	Sex      string
	N        int64
}

// ParticipantsBySex counts the participants present in each insats during
// the period, by sex: the figure Uppföljning Finsam asks for.
func ParticipantsBySex(ctx context.Context, q Querier, f ReportFilter) ([]InsatsSexCount, error) {
	where, args, err := assocWhere(f, assocActive)
	if err != nil {
		return nil, err
	}
	// Count first, then name: grouping the participants alone lets both
	// databases aggregate without sorting every joined row (the national
	// export groups some 60 000 rows a year into about 1 300).
	return queryList(ctx, q, func(scan func(...any) error) (InsatsSexCount, error) {
		var c InsatsSexCount
		var kind string
		err := scan(&c.InsatsID, &c.Name, &kind, &c.Planned, &c.Sex, &c.N)
		c.Kind = association.Kind(kind)
		return c, err
	}, `SELECT c.insats_id, i.name, i.kind, i.planned_participants, c.sex, c.n
		FROM (SELECT p.insats_id, p.sex, count(*) AS n FROM participants p WHERE `+where+`
			GROUP BY p.insats_id, p.sex) c
		JOIN insatser i ON i.id = c.insats_id
		ORDER BY i.name, c.insats_id, c.sex`, args...)
}

// PhaseCodeCount is how many participants had a code (an income source or
// an occupation) at a phase.
type PhaseCodeCount struct {
	Phase association.Phase
	Code  string
	N     int64
}

// IncomeSourceCounts counts, for the participants who ended in the period,
// how many had each income source at each phase (start, end, follow-ups).
// A participant with two sources counts under both.
func IncomeSourceCounts(ctx context.Context, q Querier, f ReportFilter) ([]PhaseCodeCount, error) {
	return assocPhaseCounts(ctx, q, f, func(where string) string {
		return `SELECT s.phase, s.source, count(*)
			FROM participants p JOIN participant_incomes s ON s.participant_id = p.id
			WHERE ` + where + ` GROUP BY s.phase, s.source`
	})
}

// OccupationCounts counts, for the participants who ended in the period, how
// many had each occupation at each phase.
func OccupationCounts(ctx context.Context, q Querier, f ReportFilter) ([]PhaseCodeCount, error) {
	return assocPhaseCounts(ctx, q, f, func(where string) string {
		return `SELECT m.phase, m.occupation, count(*)
			FROM participants p JOIN participant_measures m ON m.participant_id = p.id
			WHERE ` + where + ` AND m.occupation <> '' GROUP BY m.phase, m.occupation`
	})
}

// MeasuredCounts counts, for the participants who ended in the period, how
// many have a measurement with data at each phase (code ""): the
// denominators of the shares.
func MeasuredCounts(ctx context.Context, q Querier, f ReportFilter) ([]PhaseCodeCount, error) {
	return assocPhaseCounts(ctx, q, f, func(where string) string {
		return `SELECT m.phase, '', count(*)
			FROM participants p JOIN participant_measures m ON m.participant_id = p.id
			WHERE ` + where + ` AND NOT m.not_reached GROUP BY m.phase`
	})
}

// assocPhaseCounts reads the phase, code and count rows of a query over
// the participants who ended in the period: query builds it around the
// filter's condition on participants p.
func assocPhaseCounts(ctx context.Context, q Querier, f ReportFilter, query func(where string) string) ([]PhaseCodeCount, error) {
	where, args, err := assocWhere(f, assocEnded)
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q, func(scan func(...any) error) (PhaseCodeCount, error) {
		var c PhaseCodeCount
		var phase string
		err := scan(&phase, &c.Code, &c.N)
		c.Phase = association.Phase(phase)
		return c, err
	}, query(where)+" ORDER BY 1, 2", args...)
}

// WorkStudies is the Standardrapport measure: of the participants who ended
// in the period with a known occupation at the end, how many were in work,
// in studies, and in either.
type WorkStudies struct {
	Measured      int64
	Work          int64
	Studies       int64
	WorkOrStudies int64
}

// WorkOrStudiesAfter computes WorkStudies at the end of the insats (phase
// end) or at a follow-up. work and studies are the occupation codes that
// count (association.CodeLists.WithFlag with FlagWork and FlagStudies).
func WorkOrStudiesAfter(ctx context.Context, q Querier, f ReportFilter, phase association.Phase, work, studies []string) (WorkStudies, error) {
	where, args, err := assocWhere(f, assocEnded)
	if err != nil {
		return WorkStudies{}, err
	}
	in := func(codes []string) string {
		if len(codes) == 0 {
			return "FALSE"
		}
		ph := make([]string, len(codes))
		for i, c := range codes {
			args = append(args, c)
			ph[i] = "$" + strconv.Itoa(len(args))
		}
		return "m.occupation IN (" + strings.Join(ph, ", ") + ")"
	}
	workIn, studiesIn := in(work), in(studies)
	args = append(args, string(phase))
	var ws WorkStudies
	err = q.QueryRow(ctx, `SELECT count(*),
			COALESCE(SUM(CASE WHEN `+workIn+` THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN `+studiesIn+` THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN `+workIn+` OR `+studiesIn+` THEN 1 ELSE 0 END), 0)
		FROM participants p JOIN participant_measures m ON m.participant_id = p.id
		WHERE `+where+` AND m.phase = $`+strconv.Itoa(len(args))+` AND m.occupation <> ''`, args...).
		Scan(&ws.Measured, &ws.Work, &ws.Studies, &ws.WorkOrStudies)
	return ws, err
}

// DurationBuckets are the upper bounds (days, inclusive) of the time-in-insats
// groups of Durations; the last group has no upper bound.
var DurationBuckets = [...]int{90, 180, 365, 730}

// Durations is the time in the insats of the participants who ended in the
// period, counting both the first and the last day.
type Durations struct {
	N         int64
	TotalDays int64
	MinDays   int64
	MaxDays   int64
	// Buckets[i] counts those with at most DurationBuckets[i] days (and more
	// than the bound before); the last counts the rest.
	Buckets [len(DurationBuckets) + 1]int64
}

// MeanDays is the average time in the insats, rounded down (0 when N is 0).
func (d Durations) MeanDays() int64 {
	if d.N == 0 {
		return 0
	}
	return d.TotalDays / d.N
}

// TimeInInsats computes Durations.
func TimeInInsats(ctx context.Context, q Querier, f ReportFilter) (Durations, error) {
	where, args, err := assocWhere(f, assocEnded)
	if err != nil {
		return Durations{}, err
	}
	days := "(p.end_on - p.start_on + 1)" // PostgreSQL: date - date is an integer
	if d, ok := q.(interface{ Dialect() Dialect }); ok && d.Dialect() == SQLite {
		days = "(CAST(julianday(p.end_on) - julianday(p.start_on) AS INTEGER) + 1)"
	}
	var cases []string
	lo := 0
	for _, hi := range DurationBuckets {
		cases = append(cases, "COALESCE(SUM(CASE WHEN d > "+strconv.Itoa(lo)+" AND d <= "+strconv.Itoa(hi)+" THEN 1 ELSE 0 END), 0)")
		lo = hi
	}
	cases = append(cases, "COALESCE(SUM(CASE WHEN d > "+strconv.Itoa(lo)+" THEN 1 ELSE 0 END), 0)")
	var out Durations
	dest := []any{&out.N, &out.TotalDays, &out.MinDays, &out.MaxDays}
	for i := range out.Buckets {
		dest = append(dest, &out.Buckets[i])
	}
	err = q.QueryRow(ctx, `SELECT count(*), COALESCE(SUM(d), 0), COALESCE(MIN(d), 0), COALESCE(MAX(d), 0), `+strings.Join(cases, ", ")+`
		FROM (SELECT `+days+` AS d FROM participants p WHERE `+where+`) t`, args...).Scan(dest...)
	return out, err
}

// CodeCount is how many have one code.
type CodeCount struct {
	Code string
	N    int64
}

// EndReasons counts the reasons for ending among those who ended in the
// period. Excluded reasons are counted too when the filter does not exclude
// them, so a report can show how many registrations were mistakes.
func EndReasons(ctx context.Context, q Querier, f ReportFilter) ([]CodeCount, error) {
	where, args, err := assocWhere(f, assocEnded)
	if err != nil {
		return nil, err
	}
	return queryRows(ctx, q, func(c *CodeCount) []any {
		return []any{&c.Code, &c.N}
	}, `SELECT p.end_reason, count(*) FROM participants p WHERE `+where+` GROUP BY p.end_reason ORDER BY p.end_reason`, args...)
}

// BudgetOutcome is budget against outcome for one group of a year.
type BudgetOutcome struct {
	Year      int
	Kind      string                // LineAdministration or LineInsats (by insats)
	InsatsID  int64                 // by insats
	Financier association.Financier // by financier
	Budget    association.Ore
	Outcome   association.Ore
}

// BudgetOutcomeByInsats sums budget and outcome per year for the
// administration (InsatsID 0) and each insats, for the years from–to.
// associationID 0 sums all associations.
func BudgetOutcomeByInsats(ctx context.Context, q Querier, associationID int64, fromYear, toYear int) ([]BudgetOutcome, error) {
	return assocBudgetOutcome(ctx, q, associationID, 0, fromYear, toYear, "kind, COALESCE(insats_id, 0)", func(b *BudgetOutcome) []any {
		return []any{&b.Kind, &b.InsatsID}
	})
}

// BudgetOutcomeByFinancier sums budget and outcome per year and financier
// (SUS's Kostnadsrapport).
func BudgetOutcomeByFinancier(ctx context.Context, q Querier, associationID int64, fromYear, toYear int) ([]BudgetOutcome, error) {
	return BudgetOutcomeByFinancierOf(ctx, q, associationID, 0, fromYear, toYear)
}

// BudgetOutcomeByFinancierOf is BudgetOutcomeByFinancier for one insats
// (insatsID 0: the administration and every insats).
func BudgetOutcomeByFinancierOf(ctx context.Context, q Querier, associationID, insatsID int64, fromYear, toYear int) ([]BudgetOutcome, error) {
	return assocBudgetOutcome(ctx, q, associationID, insatsID, fromYear, toYear, "financier", func(b *BudgetOutcome) []any {
		return []any{(*string)(&b.Financier)}
	})
}

func assocBudgetOutcome(ctx context.Context, q Querier, associationID, insatsID int64, fromYear, toYear int, group string, dest func(*BudgetOutcome) []any) ([]BudgetOutcome, error) {
	if fromYear == 0 || toYear < fromYear {
		return nil, ErrReportPeriod
	}
	where := "year >= $1 AND year <= $2"
	args := []any{fromYear, toYear}
	if associationID != 0 {
		where += " AND association_id = $3"
		args = append(args, associationID)
	}
	if insatsID != 0 {
		args = append(args, insatsID)
		where += " AND insats_id = $" + strconv.Itoa(len(args))
	}
	return queryRows(ctx, q, func(b *BudgetOutcome) []any {
		return append(append([]any{&b.Year}, dest(b)...), &b.Budget, &b.Outcome)
	}, `SELECT year, `+group+`,
			COALESCE(SUM(CASE WHEN entry = 'budget' THEN amount_ore ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN entry = 'outcome' THEN amount_ore ELSE 0 END), 0)
		FROM association_budget_lines WHERE `+where+`
		GROUP BY year, `+group+` ORDER BY year, `+group, args...)
}

// AdministrationBudget is an association's administration: its budget and
// outcome for a year, summed over financiers.
type AdministrationBudget struct {
	AssociationID int64
	Association   string // the association's name
	Budget        association.Ore
	Outcome       association.Ore
}

// AdministrationBudgets sums the administration's budget and outcome for
// the year per association, for one association (or, with 0, all of them)
// by the association's name.
func AdministrationBudgets(ctx context.Context, q Querier, associationID int64, year int) ([]AdministrationBudget, error) {
	where, args := "a.year = $1 AND a.kind = 'administration'", []any{year}
	if associationID != 0 {
		where += " AND a.association_id = $2"
		args = append(args, associationID)
	}
	return queryRows(ctx, q, func(b *AdministrationBudget) []any {
		return []any{&b.AssociationID, &b.Association, &b.Budget, &b.Outcome}
	}, `SELECT a.association_id, o.name,
			COALESCE(SUM(CASE WHEN a.entry = 'budget' THEN a.amount_ore ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN a.entry = 'outcome' THEN a.amount_ore ELSE 0 END), 0)
		FROM association_budget_lines a JOIN organisations o ON o.id = a.association_id
		WHERE `+where+` GROUP BY a.association_id, o.name ORDER BY o.name`, args...)
}

// ReportInsats names an insats and its association for reports that span
// associations (the Uppföljning Finsam export over all of them).
type ReportInsats struct {
	ID            int64
	AssociationID int64
	Association   string // the association's name
	Name          string
	Kind          association.Kind
}

// ReportInsatser lists the insatser of one association (or, with 0, of
// all) by association and name.
func ReportInsatser(ctx context.Context, q Querier, associationID int64) ([]ReportInsats, error) {
	where, args := "", []any{}
	if associationID != 0 {
		where, args = "WHERE i.association_id = $1", append(args, associationID)
	}
	return queryList(ctx, q, func(scan func(...any) error) (ReportInsats, error) {
		var r ReportInsats
		var kind string
		err := scan(&r.ID, &r.AssociationID, &r.Association, &r.Name, &kind)
		r.Kind = association.Kind(kind)
		return r, err
	}, `SELECT i.id, i.association_id, o.name, i.name, i.kind
		FROM insatser i JOIN organisations o ON o.id = i.association_id `+where+`
		ORDER BY o.name, i.association_id, i.name, i.id`, args...)
}
