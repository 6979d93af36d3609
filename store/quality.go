package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The aggregates of the quality board: certificates per month, care
// provider and care unit, with their quality findings. The database does
// the grouping in one pass over the period's certificates, so the result
// holds one row per month and unit however many certificates there are (a
// national year is over a million).
//
// Months are not computed in SQL, where the two dialects differ
// (date_trunc, strftime) and neither knows Swedish time without help: the
// caller gives the month boundaries as instants (midnight in Stockholm on
// the first of each month) and a CASE over them numbers the months. A
// certificate belongs to the month it was signed in, which is when the
// doctor wrote it, and the period is a range over signed_at.

// MaxQualityMonths bounds a quality query: three years of months.
const MaxQualityMonths = 36

// QualityQuery selects the certificates of the quality board.
type QualityQuery struct {
	// Months are the boundaries of the months, in order: month i is
	// [Months[i], Months[i+1]). At least two, at most MaxQualityMonths+1.
	Months []time.Time
	// CareProviderHSAID and UnitHSAID narrow the selection; "" selects all.
	CareProviderHSAID string
	UnitHSAID         string
	// SenderOrgID narrows the selection to the certificates one
	// organisation sent (a region sees its own units only); 0 selects all.
	SenderOrgID int64
	// FindingCodes are the finding codes to count, in the order of
	// QualityRow.Findings.
	FindingCodes []string
	// CountsOnly leaves out the times (QualityRow.AnswerTimes and
	// FirstActionHours): for a comparison that shows counts and shares
	// only, such as the same months a year before.
	CountsOnly bool
}

// QualityRow is the certificates of one care unit in one month.
type QualityRow struct {
	Month             int // index into QualityQuery.Months
	CareProviderHSAID string
	CareProviderName  string
	UnitHSAID         string
	UnitName          string
	Certificates      int
	// WithoutFindings counts the certificates with no quality finding
	// (score 100: every finding weighs something).
	WithoutFindings int
	// ScoreSum is the sum of the scores, for means over any grouping.
	ScoreSum int64
	// Findings counts the certificates with each of the query's finding
	// codes. A certificate has each finding at most once.
	Findings []int
	// Supplemented counts the certificates FK asked to supplement (at
	// least one KOMPLT request).
	Supplemented int
	// AnswerTimes are the times from request to answer of the answered
	// KOMPLT requests about these certificates, in no particular order:
	// medians do not add up, so the caller merges the lists of the rows it
	// groups and takes the median itself (neither dialect's median is
	// portable).
	AnswerTimes []time.Duration
	// FirstActionHours counts the certificates by the hours (rounded) from
	// their receipt to Försäkringskassan's first action on them: a
	// supplement request about the certificate, or on its case after it came
	// a note or contact, a decision, or a deadline a person closed. Those
	// with no action yet are not counted.
	FirstActionHours map[int]int
}

// qualityFirstActions selects, for each certificate of the query (month
// and cond as QualityByMonth builds them), its month, care provider and
// unit, receipt (r) and the time of FK's first action on it after its
// receipt (f); certificates with no action yet are left out. It is joins
// grouped by certificate, not a subquery run per certificate: the query's
// certificates are read once (qc, materialized: inlined, SQLite read the
// period's certificates once per branch), then each branch joins them to
// one kind of action (the closed deadlines through case_deadlines_closed),
// which the databases do in bulk (hash joins, automatic indexes) rather
// than four index searches per certificate.
func qualityFirstActions(month, cond string) string {
	cert := "SELECT qc.id, qc.mo, qc.p, qc.u, qc.r, "
	return "WITH qc AS MATERIALIZED (SELECT c.id, " + month + " AS mo, c.care_provider_hsa_id AS p, c.unit_hsa_id AS u, c.received_at AS r, c.case_id" +
		" FROM certificates c WHERE " + cond + ") SELECT e.mo, e.p, e.u, e.r, MIN(e.at) AS f FROM (" +
		cert + "m.created_at AS at FROM qc JOIN certificate_messages m ON m.certificate_id = qc.id AND m.type = 'KOMPLT'" +
		" UNION ALL " + cert + "n.created_at FROM qc JOIN case_notes n ON n.case_id = qc.case_id AND n.created_at >= qc.r" +
		" UNION ALL " + cert + "dd.created_at FROM qc JOIN case_decisions dd ON dd.case_id = qc.case_id AND dd.created_at >= qc.r" +
		" UNION ALL " + cert + "d.closed_at FROM qc JOIN case_deadlines d ON d.case_id = qc.case_id AND d.closed_by IS NOT NULL AND d.closed_at >= qc.r" +
		") e GROUP BY e.id, e.mo, e.p, e.u, e.r"
}

// qualityHours is the whole hours, rounded, from y.r to y.f: the one
// place the quality queries' dialects differ.
func qualityHours(d Dialect) string {
	if d == Postgres {
		return "CAST(EXTRACT(EPOCH FROM (y.f - y.r)) / 3600 AS INTEGER)"
	}
	return "CAST((julianday(y.f) - julianday(y.r)) * 24 + 0.5 AS INTEGER)"
}

// ErrQueryRange means a quality query's months are missing, too many or
// out of order.
var ErrQueryRange = errors.New("quality query: months must be 2 to 37 increasing boundaries")

// QualityByMonth aggregates the certificates signed in the query's months
// per month, care provider and care unit, ordered by month, care provider
// and unit.
func QualityByMonth(ctx context.Context, q Querier, f QualityQuery) ([]QualityRow, error) {
	if len(f.Months) < 2 || len(f.Months) > MaxQualityMonths+1 {
		return nil, ErrQueryRange
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var month strings.Builder
	month.WriteString("CASE")
	for i, b := range f.Months[1:] {
		if !b.After(f.Months[i]) {
			return nil, ErrQueryRange
		}
		fmt.Fprintf(&month, " WHEN c.signed_at < %s THEN %d", arg(b.UTC()), i)
	}
	month.WriteString(" END")
	// Certificates signed in a test environment are no one's real sick
	// leave: statistics leave them out.
	where := []string{"c.signed_at >= " + arg(f.Months[0].UTC()), "c.signed_at < " + arg(f.Months[len(f.Months)-1].UTC()),
		"NOT c.test_environment"}
	if f.CareProviderHSAID != "" {
		where = append(where, "c.care_provider_hsa_id = "+arg(f.CareProviderHSAID))
	}
	if f.UnitHSAID != "" {
		where = append(where, "c.unit_hsa_id = "+arg(f.UnitHSAID))
	}
	if f.SenderOrgID != 0 {
		where = append(where, "c.sender_org_id = "+arg(f.SenderOrgID))
	}
	cond := strings.Join(where, " AND ")
	// The answer-time query below takes the same arguments up to here.
	nCond := len(args)
	var sel strings.Builder
	sel.WriteString(month.String())
	sel.WriteString(`, c.care_provider_hsa_id, MAX(c.care_provider_name), c.unit_hsa_id, MAX(c.unit_name),
		count(*), SUM(CASE WHEN c.quality_score = 100 THEN 1 ELSE 0 END), SUM(c.quality_score),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM certificate_messages m WHERE m.certificate_id = c.id AND m.type = 'KOMPLT')
			THEN 1 ELSE 0 END)`)
	// findings is JSONB on PostgreSQL and TEXT on SQLite: as text, a code
	// appears quoted exactly when the list holds a finding with it. The
	// codes' underscores are escaped so that LIKE takes them literally.
	for _, code := range f.FindingCodes {
		pattern := `%"` + strings.ReplaceAll(code, "_", `\_`) + `"%`
		fmt.Fprintf(&sel, `, SUM(CASE WHEN CAST(c.findings AS TEXT) LIKE %s ESCAPE '\' THEN 1 ELSE 0 END)`, arg(pattern))
	}
	query := "SELECT " + sel.String() + " FROM certificates c WHERE " + cond +
		" GROUP BY 1, 2, 4 ORDER BY 1, 3, 2, 5, 4"
	var out []QualityRow
	type key struct {
		month          int
		provider, unit string
	}
	index := map[key]int{}
	err := scanAll(ctx, q, query, args, func(rows *Rows) error {
		r := QualityRow{Findings: make([]int, len(f.FindingCodes))}
		dest := []any{&r.Month, &r.CareProviderHSAID, &r.CareProviderName, &r.UnitHSAID, &r.UnitName,
			&r.Certificates, &r.WithoutFindings, &r.ScoreSum, &r.Supplemented}
		for i := range r.Findings {
			dest = append(dest, &r.Findings[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		index[key{r.Month, r.CareProviderHSAID, r.UnitHSAID}] = len(out)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if f.CountsOnly {
		return out, nil
	}
	// addTo runs a further query whose rows each begin with the key of a
	// row of out, scans the rest of each row into dest and has add add it
	// to that row.
	addTo := func(query string, add func(r *QualityRow), dest ...any) error {
		return scanAll(ctx, q, query, args[:nCond], func(rows *Rows) error {
			var k key
			if err := rows.Scan(append([]any{&k.month, &k.provider, &k.unit}, dest...)...); err != nil {
				return err
			}
			if i, ok := index[k]; ok {
				add(&out[i])
			}
			return nil
		})
	}

	// The answered requests, one row each: far fewer than certificates.
	var asked, answered time.Time
	if err := addTo("SELECT "+month.String()+`, c.care_provider_hsa_id, c.unit_hsa_id, m.created_at, m.answered_at
		FROM certificate_messages m JOIN certificates c ON c.id = m.certificate_id
		WHERE m.type = 'KOMPLT' AND m.answered_at IS NOT NULL AND `+cond, func(r *QualityRow) {
		r.AnswerTimes = append(r.AnswerTimes, answered.Sub(asked))
	}, &asked, &answered); err != nil {
		return nil, err
	}

	// The time to FK's first action, as counts by hour.
	d := SQLite
	if dq, ok := q.(interface{ Dialect() Dialect }); ok {
		d = dq.Dialect()
	}
	var hours, n int
	if err := addTo("SELECT y.mo, y.p, y.u, "+qualityHours(d)+", COUNT(*) FROM ("+
		qualityFirstActions(month.String(), cond)+") y GROUP BY 1, 2, 3, 4", func(r *QualityRow) {
		if r.FirstActionHours == nil {
			r.FirstActionHours = map[int]int{}
		}
		r.FirstActionHours[hours] += n
	}, &hours, &n); err != nil {
		return nil, err
	}
	return out, nil
}

// CareUnit is a care unit with its care provider, as certificates name
// them.
type CareUnit struct {
	CareProviderHSAID, CareProviderName string
	UnitHSAID, UnitName                 string
}

// QualityUnits lists the care units that signed certificates in
// [from, until), by care provider and unit name: the choices of the
// quality board's filters.
func QualityUnits(ctx context.Context, q Querier, from, until time.Time) ([]CareUnit, error) {
	return QualityUnitsSentBy(ctx, q, from, until, 0)
}

// QualityUnitsSentBy is QualityUnits of the certificates one organisation
// sent (0: all).
func QualityUnitsSentBy(ctx context.Context, q Querier, from, until time.Time, senderOrgID int64) ([]CareUnit, error) {
	return queryRows(ctx, q, func(u *CareUnit) []any {
		return []any{&u.CareProviderHSAID, &u.CareProviderName, &u.UnitHSAID, &u.UnitName}
	}, `SELECT care_provider_hsa_id, MAX(care_provider_name), unit_hsa_id, MAX(unit_name)
		FROM certificates WHERE signed_at >= $1 AND signed_at < $2 AND NOT test_environment AND ($3 = 0 OR sender_org_id = $3)
		GROUP BY care_provider_hsa_id, unit_hsa_id ORDER BY 2, 1, 4, 3`, from.UTC(), until.UTC(), senderOrgID)
}
