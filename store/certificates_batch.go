package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The statements of certificate intake for a whole batch at once: each
// reads or writes the rows of every certificate of the batch in a few
// multi-row statements, instead of one round trip per certificate and
// step, which on PostgreSQL is what an import waited on.

// CertKey names a certificate as its sender does.
type CertKey struct {
	SenderOrgID int64
	CertID      string
}

// idChunk is how many rows of keys a look-up takes per statement.
const idChunk = 500

// CertificatesByCertIDs finds the certificates already stored under keys.
func CertificatesByCertIDs(ctx context.Context, tx *Tx, keys []CertKey) (map[CertKey]StoredCertificate, error) {
	out := make(map[CertKey]StoredCertificate, len(keys))
	for chunk := range slices.Chunk(keys, idChunk) {
		args := make([]any, 0, 2*len(chunk))
		for _, k := range chunk {
			args = append(args, k.SenderOrgID, k.CertID)
		}
		err := scanAll(ctx, tx, `SELECT id, person_id, COALESCE(case_id, 0), body_hash, quality_score, findings, sender_org_id, cert_id
			FROM certificates WHERE (sender_org_id, cert_id) IN (`+valuesList(tx.Dialect(), len(chunk), 2)+`)`,
			unpreparedUnless(len(chunk) == idChunk, tx, args), func(r *Rows) error {
				var c StoredCertificate
				var k CertKey
				var findings string
				if err := r.Scan(&c.ID, &c.PersonID, &c.CaseID, &c.BodyHash, &c.QualityScore, &findings, &k.SenderOrgID, &k.CertID); err != nil {
					return err
				}
				c.Findings = []byte(findings)
				out[k] = c
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EnsurePersons returns the ids of the persons with the (normalised)
// personnummer, creating those seen for the first time.
func EnsurePersons(ctx context.Context, tx *Tx, pnrs []string, now time.Time) (map[string]int64, error) {
	out := make(map[string]int64, len(pnrs))
	// byNumber records a row of (id, personnummer).
	byNumber := func(r *Rows) error {
		var id int64
		var p string
		if err := r.Scan(&id, &p); err != nil {
			return err
		}
		out[p] = id
		return nil
	}
	var distinct []string
	for _, p := range pnrs {
		if _, ok := out[p]; !ok {
			out[p] = 0
			distinct = append(distinct, p)
		}
	}
	// In one order, so that two batches inserting the same new persons wait
	// for each other at the first rather than hold one each.
	slices.Sort(distinct)
	for chunk := range slices.Chunk(distinct, idChunk) {
		args := make([]any, 0, 2*len(chunk))
		for _, p := range chunk {
			args = append(args, p, now.UTC())
		}
		// A person already known is left as it is: writing its row again
		// (to have RETURNING give its id) made every two transactions with
		// a certificate for one person conflict on it.
		err := scanAll(ctx, tx, `INSERT INTO persons (personnummer, created_at) VALUES `+valuesList(tx.Dialect(), len(chunk), 2)+`
			ON CONFLICT (personnummer) DO NOTHING RETURNING id, personnummer`,
			unpreparedUnless(len(chunk) == idChunk, tx, args), byNumber)
		if err != nil {
			return nil, fmt.Errorf("ensure persons: %w", err)
		}
		var known []any
		for _, p := range chunk {
			if out[p] == 0 {
				known = append(known, p)
			}
		}
		if len(known) == 0 {
			continue
		}
		err = scanAll(ctx, tx, "SELECT id, personnummer FROM persons WHERE personnummer IN "+valuesList(tx.Dialect(), 1, len(known)),
			unpreparedUnless(len(known) == idChunk, tx, known), byNumber)
		if err != nil {
			return nil, fmt.Errorf("ensure persons: %w", err)
		}
	}
	return out, nil
}

// LockPersons locks the persons' rows until the transaction ends, in the
// order of their ids (so that two transactions locking some of the same
// persons cannot each hold one the other waits for): a transaction of
// LockedTx that decides from a person's periods and cases (which case a
// certificate joins) takes it before reading them, and a second one for
// the same person waits and then reads what the first wrote. FOR NO KEY
// UPDATE leaves the rows free for references to them (a foreign key's
// check). On SQLite, whose one writer runs a transaction at a time, there
// is nothing to lock.
func LockPersons(ctx context.Context, tx *Tx, personIDs []int64) error {
	if tx.Dialect() != Postgres || len(personIDs) == 0 {
		return nil
	}
	ids := slices.Clone(personIDs)
	slices.Sort(ids)
	for chunk := range slices.Chunk(ids, idChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		err := scanAll(ctx, tx, "SELECT id FROM persons WHERE id IN "+valuesList(tx.Dialect(), 1, len(chunk))+" ORDER BY id FOR NO KEY UPDATE",
			unpreparedUnless(len(chunk) == idChunk, tx, args), func(*Rows) error { return nil })
		if err != nil {
			return fmt.Errorf("lock persons: %w", err)
		}
	}
	return nil
}

// DayRange is a span of whole days.
type DayRange struct{ From, To time.Time }

// PersonsPeriods reads the sick-leave periods of the persons, by person.
func PersonsPeriods(ctx context.Context, tx *Tx, personIDs []int64) (map[int64][]DayRange, error) {
	out := make(map[int64][]DayRange, len(personIDs))
	err := byIDs(ctx, tx, "SELECT person_id, from_day, to_day FROM sick_leave_periods WHERE person_id IN ", personIDs, func(r *Rows) error {
		var id int64
		var d DayRange
		if err := r.Scan(&id, &d.From, &d.To); err != nil {
			return err
		}
		out[id] = append(out[id], DayRange{d.From.UTC(), d.To.UTC()})
		return nil
	})
	return out, err
}

// CaseSpan is a sickness case's person and days, for joining a new
// certificate to it.
type CaseSpan struct {
	ID, PersonID      int64
	FirstDay, LastDay time.Time
}

// LatestCases reads each person's case that ends last (the one a new
// certificate may join), by person.
func LatestCases(ctx context.Context, tx *Tx, personIDs []int64) (map[int64]CaseSpan, error) {
	out := make(map[int64]CaseSpan, len(personIDs))
	err := byIDs(ctx, tx, "SELECT id, person_id, first_day, last_day FROM sickness_cases WHERE person_id IN ", personIDs, func(r *Rows) error {
		var c CaseSpan
		if err := r.Scan(&c.ID, &c.PersonID, &c.FirstDay, &c.LastDay); err != nil {
			return err
		}
		c.FirstDay, c.LastDay = c.FirstDay.UTC(), c.LastDay.UTC()
		if have, ok := out[c.PersonID]; !ok || c.LastDay.After(have.LastDay) || (c.LastDay.Equal(have.LastDay) && c.ID > have.ID) {
			out[c.PersonID] = c
		}
		return nil
	})
	return out, err
}

// byIDs runs query (which ends in "IN ") for the ids, a few hundred at a
// time, and scans every row.
func byIDs(ctx context.Context, tx *Tx, query string, ids []int64, scan func(r *Rows) error) error {
	for chunk := range slices.Chunk(ids, idChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := scanAll(ctx, tx, query+valuesList(tx.Dialect(), 1, len(chunk)), unpreparedUnless(len(chunk) == idChunk, tx, args), scan); err != nil {
			return err
		}
	}
	return nil
}

// InsertCaseSpans starts new sickness cases, each in the office serving
// its person's municipality with that office's customer group (as
// InsertCase), and returns their ids in order. No two may share a person
// and a first day.
func InsertCaseSpans(ctx context.Context, tx *Tx, cs []CaseSpan, now time.Time) ([]int64, error) {
	type key struct {
		person int64
		first  string
	}
	at := make(map[key]int, len(cs))
	for i, c := range cs {
		at[key{c.PersonID, dateArg(c.FirstDay)}] = i
	}
	ids := make([]int64, len(cs))
	cols := []valueColumn{{"person_id", "bigint"}, {"first_day", "date"}, {"last_day", "date"}, {"at", "timestamptz"}}
	args := make([]any, 0, len(cs)*len(cols))
	for _, c := range cs {
		args = append(args, c.PersonID, dateArg(c.FirstDay), dateArg(c.LastDay), now.UTC())
	}
	err := eachStatement(tx, len(cols), args, func(rows int, args []any) error {
		return scanAll(ctx, tx, valuesCTE(tx.Dialect(), cols, rows)+`INSERT INTO sickness_cases (person_id, first_day, last_day, created_at,
			updated_at, office_id, customer_group_id)
			SELECT v.person_id, v.first_day, v.last_day, v.at, v.at,
				(SELECT o.id FROM offices o WHERE o.municipality_code = p.municipality_code ORDER BY o.id LIMIT 1),
				(SELECT o.customer_group_id FROM offices o WHERE o.municipality_code = p.municipality_code ORDER BY o.id LIMIT 1)
			FROM v JOIN persons p ON p.id = v.person_id RETURNING id, person_id, first_day`,
			args, func(r *Rows) error {
				var id, person int64
				var first time.Time
				if err := r.Scan(&id, &person, &first); err != nil {
					return err
				}
				i, ok := at[key{person, dateArg(first)}]
				if !ok {
					return fmt.Errorf("insert cases: a case of person %d from %s not asked for", person, dateArg(first))
				}
				ids[i] = id
				return nil
			})
	})
	if err != nil {
		return nil, fmt.Errorf("insert cases: %w", err)
	}
	return ids, nil
}

var caseSpanColumns = []valueColumn{{"id", "bigint"}, {"first_day", "date"}, {"last_day", "date"}, {"updated_at", "timestamptz"}}

// UpdateCaseSpans widens cases to their new first and last days. A case
// only grows: a day a concurrent writer widened it to (a period entered
// by hand) since the span was read is kept.
func UpdateCaseSpans(ctx context.Context, tx *Tx, cs []CaseSpan, now time.Time) error {
	args := make([]any, 0, len(cs)*len(caseSpanColumns))
	for _, c := range cs {
		args = append(args, c.ID, dateArg(c.FirstDay), dateArg(c.LastDay), now.UTC())
	}
	return execValues(ctx, tx, caseSpanColumns, args, `UPDATE sickness_cases SET
		first_day = CASE WHEN v.first_day < sickness_cases.first_day THEN v.first_day ELSE sickness_cases.first_day END,
		last_day = CASE WHEN v.last_day > sickness_cases.last_day THEN v.last_day ELSE sickness_cases.last_day END,
		updated_at = v.updated_at FROM v WHERE sickness_cases.id = v.id`)
}

// InsertCertificates stores certificates with multi-row statements and
// returns their ids in order. A certificate already stored under its
// sender and id is an error (ErrConflict), as are two of them in cs.
func InsertCertificates(ctx context.Context, tx *Tx, cs []NewCertificate) ([]int64, error) {
	at := make(map[CertKey]int, len(cs))
	for i, c := range cs {
		k := CertKey{c.SenderOrgID, c.CertID}
		if _, dup := at[k]; dup {
			return nil, fmt.Errorf("%w: certificate %s twice in one batch", ErrConflict, c.CertID)
		}
		at[k] = i
	}
	ids := make([]int64, len(cs))
	const width = 22
	args := make([]any, 0, len(cs)*width)
	for _, c := range cs {
		args = append(args, c.SenderOrgID, c.CertID, c.PersonID, nullID(c.CaseID), c.SignedAt.UTC(), c.ReceivedAt.UTC(),
			c.IssuerHSAID, c.UnitHSAID, c.UnitName, c.CareProviderHSAID, c.CareProviderName, c.DiagnosisCode,
			dateArg(c.FirstDay), dateArg(c.LastDay), c.QualityScore, string(c.Findings), nullString(c.RelationType),
			nullString(c.RelationCertID), c.Source, string(c.Body), c.BodyHash, c.TestEnvironment)
	}
	err := eachStatement(tx, width, args, func(rows int, args []any) error {
		return scanAll(ctx, tx, `INSERT INTO certificates (sender_org_id, cert_id, person_id, case_id, signed_at, received_at,
			issuer_hsa_id, unit_hsa_id, unit_name, care_provider_hsa_id, care_provider_name, diagnosis_code, first_day, last_day,
			quality_score, findings, relation_type, relation_cert_id, source, body, body_hash, test_environment)
			VALUES `+valuesList(tx.Dialect(), rows, width)+` RETURNING id, sender_org_id, cert_id`, args, func(r *Rows) error {
			var id int64
			var k CertKey
			if err := r.Scan(&id, &k.SenderOrgID, &k.CertID); err != nil {
				return err
			}
			ids[at[k]] = id
			return nil
		})
	})
	if errors.Is(err, ErrConflict) {
		return nil, fmt.Errorf("%w: a certificate of this batch from its sender", ErrConflict)
	}
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// CertificatePeriod is a period of a stored certificate.
type CertificatePeriod struct {
	PersonID, CertificateID int64
	Period
}

// InsertCertificatePeriods stores certificates' periods with multi-row
// statements.
func InsertCertificatePeriods(ctx context.Context, tx *Tx, ps []CertificatePeriod, source string, now time.Time) error {
	args := make([]any, 0, len(ps)*7)
	for _, p := range ps {
		args = append(args, p.PersonID, nullID(p.CertificateID), dateArg(p.From), dateArg(p.To), p.Degree, source, now.UTC())
	}
	return insertRows(ctx, tx, "sick_leave_periods (person_id, certificate_id, from_day, to_day, degree, source, created_at)", 7, args)
}

// SickDaysBefore counts the sick-leave days in the stretch of periods
// that ends right before day (periods at most five days apart are one
// stretch), as PriorSickDays does with the periods stored.
func SickDaysBefore(periods []DayRange, day time.Time) int {
	ps := make([]DayRange, 0, len(periods))
	for _, p := range periods {
		if p.From.Before(day) {
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(a, b DayRange) int {
		if c := b.To.Compare(a.To); c != 0 {
			return c
		}
		return b.From.Compare(a.From)
	})
	return walkBack(ps, day)
}

// walkBack counts the days of ps (latest first, each starting before day)
// back from day until a gap of more than five days.
func walkBack(ps []DayRange, day time.Time) int {
	edge := day // the earliest day counted so far
	counted := map[time.Time]bool{}
	days := 0
	for _, p := range ps {
		from, to := p.From, p.To
		if edge.Sub(to).Hours()/24 > contiguousGapDays+1 {
			break
		}
		if to.After(day.AddDate(0, 0, -1)) {
			to = day.AddDate(0, 0, -1)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if !counted[d] {
				counted[d] = true
				days++
			}
		}
		if from.Before(edge) {
			edge = from
		}
	}
	return days
}
