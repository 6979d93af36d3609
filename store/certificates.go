package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// dateLayout is how dates are bound: both databases take "YYYY-MM-DD" for a
// DATE column and give it back as a time.Time at midnight UTC.
const dateLayout = "2006-01-02"

func dateArg(t time.Time) string { return t.UTC().Format(dateLayout) }

// Statements of certificate intake, prepared once on SQLite (Store.Prepare)
// because an import runs them hundreds of thousands of times.
const (
	qEnsurePerson = `INSERT INTO persons (personnummer, created_at) VALUES ($1, $2)
		ON CONFLICT (personnummer) DO UPDATE SET personnummer = excluded.personnummer RETURNING id`
	qCertificateByCertID = `SELECT id, person_id, COALESCE(case_id, 0), body_hash, quality_score, findings
		FROM certificates WHERE sender_org_id = $1 AND cert_id = $2`
	qInsertCertificate = `INSERT INTO certificates (sender_org_id, cert_id, person_id, case_id, signed_at, received_at,
		issuer_hsa_id, unit_hsa_id, unit_name, care_provider_hsa_id, care_provider_name, diagnosis_code, first_day, last_day,
		quality_score, findings, relation_type, relation_cert_id, source, body, body_hash, test_environment)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id`
	qInsertPeriod = `INSERT INTO sick_leave_periods (person_id, certificate_id, from_day, to_day, degree, source, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`
	qPersonPeriodsBefore = `SELECT from_day, to_day FROM sick_leave_periods
		WHERE person_id = $1 AND from_day < $2 ORDER BY to_day DESC, from_day DESC`
	qLatestCase = `SELECT id, first_day, last_day FROM sickness_cases WHERE person_id = $1 ORDER BY last_day DESC LIMIT 1`
	// A new case goes to the office serving the person's municipality and
	// that office's customer group (none when no office serves it).
	qInsertCase = `INSERT INTO sickness_cases (person_id, first_day, last_day, created_at, updated_at, office_id, customer_group_id)
		SELECT $1, $2, $3, $4, $4, (SELECT o.id FROM offices o WHERE o.municipality_code = p.municipality_code ORDER BY o.id LIMIT 1),
			(SELECT o.customer_group_id FROM offices o WHERE o.municipality_code = p.municipality_code ORDER BY o.id LIMIT 1)
		FROM persons p WHERE p.id = $1 RETURNING id`
	qUpdateCase = `UPDATE sickness_cases SET first_day = $2, last_day = $3, updated_at = $4 WHERE id = $1`
)

// IntakeStatements are the statements to Prepare before a large import.
var IntakeStatements = []string{qEnsurePerson, qCertificateByCertID, qInsertCertificate, qInsertPeriod,
	qPersonPeriodsBefore, qLatestCase, qInsertCase, qUpdateCase, auditHeadQuery, auditHeadUpdate, auditInsert, auditPersonInsert}

// EnsurePerson returns the id of the person with the (normalised)
// personnummer, creating the person on first sight.
func EnsurePerson(ctx context.Context, tx *Tx, personnummer string, now time.Time) (int64, error) {
	var id int64
	err := tx.queryRowPrepared(ctx, qEnsurePerson, personnummer, now.UTC()).Scan(&id)
	return id, err
}

// StoredCertificate is what intake needs of a certificate already received.
type StoredCertificate struct {
	ID           int64
	PersonID     int64
	CaseID       int64
	BodyHash     string
	QualityScore int
	Findings     []byte // JSON
}

// CertificateByCertID finds a certificate by its sender and the issuer's id.
func CertificateByCertID(ctx context.Context, tx *Tx, senderOrgID int64, certID string) (StoredCertificate, error) {
	var c StoredCertificate
	var findings string
	err := tx.queryRowPrepared(ctx, qCertificateByCertID, senderOrgID, certID).
		Scan(&c.ID, &c.PersonID, &c.CaseID, &c.BodyHash, &c.QualityScore, &findings)
	c.Findings = []byte(findings)
	return c, err
}

// NewCertificate is a validated certificate to store.
type NewCertificate struct {
	SenderOrgID                  int64
	CertID                       string
	PersonID                     int64
	CaseID                       int64
	SignedAt, ReceivedAt         time.Time
	IssuerHSAID                  string
	UnitHSAID, UnitName          string
	CareProviderHSAID            string
	CareProviderName             string
	DiagnosisCode                string
	FirstDay, LastDay            time.Time
	QualityScore                 int
	Findings                     []byte // JSON
	RelationType, RelationCertID string
	Source                       string // "api" or "import:<file>"
	Body                         []byte // canonical JSON
	BodyHash                     string
	// TestEnvironment marks a certificate signed in a test environment
	// (certificate.TestEnvironment): shown as such, left out of statistics.
	TestEnvironment bool
}

// InsertCertificate stores a certificate and returns its id.
func InsertCertificate(ctx context.Context, tx *Tx, c NewCertificate) (int64, error) {
	var id int64
	err := tx.queryRowPrepared(ctx, qInsertCertificate, c.SenderOrgID, c.CertID, c.PersonID, nullID(c.CaseID),
		c.SignedAt.UTC(), c.ReceivedAt.UTC(), c.IssuerHSAID, c.UnitHSAID, c.UnitName, c.CareProviderHSAID, c.CareProviderName,
		c.DiagnosisCode, dateArg(c.FirstDay), dateArg(c.LastDay), c.QualityScore, string(c.Findings),
		nullString(c.RelationType), nullString(c.RelationCertID), c.Source, string(c.Body), c.BodyHash, c.TestEnvironment).Scan(&id)
	if errors.Is(err, ErrConflict) {
		return 0, fmt.Errorf("%w: certificate %s from this sender", ErrConflict, c.CertID)
	}
	return id, err
}

// Period is a sick-leave period: whole days, degree in percent. ID,
// Source and CertificateID are filled in by reads.
type Period struct {
	From, To      time.Time
	Degree        int
	ID            int64
	Source        string
	CertificateID int64 // 0 for a period entered by hand
	// Of the period's certificate, filled in by the reads of a case's
	// periods (zero for a period entered by hand): what decides between
	// overlapping periods.
	SignedAt    time.Time
	SenderOrgID int64
	CertID      string // the issuer's id
	Replaces    string // the issuer's id of the certificate it replaces (ERSATT)
}

// periodColumns are the columns scanPeriod reads, of sick_leave_periods sp
// LEFT JOIN certificates pc ON pc.id = sp.certificate_id.
const periodColumns = `sp.id, sp.from_day, sp.to_day, sp.degree, sp.source, COALESCE(sp.certificate_id, 0),
	pc.signed_at, COALESCE(pc.sender_org_id, 0), COALESCE(pc.cert_id, ''),
	COALESCE(CASE WHEN pc.relation_type = 'ERSATT' THEN pc.relation_cert_id END, '')`

// periodDest are the destinations of periodColumns; fix finishes the row.
func periodDest(p *Period, signed *sql.NullTime) []any {
	return []any{&p.ID, &p.From, &p.To, &p.Degree, &p.Source, &p.CertificateID, signed, &p.SenderOrgID, &p.CertID, &p.Replaces}
}

func (p *Period) fix(signed sql.NullTime) {
	p.From, p.To = p.From.UTC(), p.To.UTC()
	if signed.Valid {
		p.SignedAt = signed.Time.UTC()
	}
}

// InsertPeriods stores a certificate's (or a paper certificate's) periods.
func InsertPeriods(ctx context.Context, tx *Tx, personID, certificateID int64, periods []Period, source string, now time.Time) error {
	for _, p := range periods {
		if _, err := tx.execPrepared(ctx, qInsertPeriod, personID, nullID(certificateID), dateArg(p.From), dateArg(p.To),
			p.Degree, source, now.UTC()); err != nil {
			return err
		}
	}
	return nil
}

// contiguousGapDays is the gap that still makes two periods one stretch of
// sick leave for the FMB comparison: Rehabstöd's default for joining
// certificates into one sjukfall (maxAntalDagarMellanIntyg = 5).
const contiguousGapDays = 5

// PriorSickDays counts the person's sick-leave days in the stretch that
// ends right before day (periods at most five days apart are one stretch),
// for comparing the sick leave so far with FMB's recommendation.
func PriorSickDays(ctx context.Context, tx *Tx, personID int64, day time.Time) (int, error) {
	var rows *Rows
	var err error
	if stmt := tx.preparedStmt(qPersonPeriodsBefore); stmt != nil {
		r, qerr := tx.tx.StmtContext(ctx, stmt).QueryContext(ctx, personID, dateArg(day))
		rows, err = &Rows{rows: r}, normalize(qerr)
	} else {
		rows, err = tx.Query(ctx, qPersonPeriodsBefore, personID, dateArg(day))
	}
	if err != nil {
		return 0, err
	}
	ps, err := collect(rows, nil, func(r *Rows) (DayRange, error) {
		var d DayRange
		err := r.Scan(&d.From, &d.To)
		return d, err
	})
	if err != nil {
		return 0, err
	}
	return walkBack(ps, day), nil
}

// AttachToCase puts the days first..last into the person's sickness case:
// the latest case when sameCase says the two join (the rules engine decides:
// rules.Engine.SameCase), a new case otherwise. It returns the case id.
func AttachToCase(ctx context.Context, tx *Tx, personID int64, first, last time.Time, now time.Time,
	sameCase func(prevLast, nextFirst time.Time) bool) (int64, error) {
	var id int64
	var cFirst, cLast time.Time
	err := tx.queryRowPrepared(ctx, qLatestCase, personID).Scan(&id, &cFirst, &cLast)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return 0, err
	case joins(cFirst, cLast, first, last, sameCase):
		nf, nl := cFirst, cLast
		if first.Before(nf) {
			nf = first
		}
		if last.After(nl) {
			nl = last
		}
		if !nf.Equal(cFirst) || !nl.Equal(cLast) {
			if _, err := tx.execPrepared(ctx, qUpdateCase, id, dateArg(nf), dateArg(nl), now.UTC()); err != nil {
				return 0, err
			}
		}
		return id, nil
	}
	return InsertCase(ctx, tx, personID, first, last, now)
}

// JoinSpan is AttachToCase on a case held in memory: the case grown to
// take first..last when they join, and whether they do.
func JoinSpan(c CaseSpan, first, last time.Time, sameCase func(prevLast, nextFirst time.Time) bool) (CaseSpan, bool) {
	if !joins(c.FirstDay, c.LastDay, first, last, sameCase) {
		return c, false
	}
	if first.Before(c.FirstDay) {
		c.FirstDay = first
	}
	if last.After(c.LastDay) {
		c.LastDay = last
	}
	return c, true
}

// joins reports whether the span first..last joins the case cFirst..cLast:
// overlapping, or close enough after it or before it.
func joins(cFirst, cLast, first, last time.Time, sameCase func(prevLast, nextFirst time.Time) bool) bool {
	switch {
	case first.After(cLast):
		return sameCase(cLast, first)
	case last.Before(cFirst):
		return sameCase(last, cFirst)
	}
	return true
}

// InsertCase starts a new sickness case for the person.
func InsertCase(ctx context.Context, tx *Tx, personID int64, first, last, now time.Time) (int64, error) {
	var id int64
	err := tx.queryRowPrepared(ctx, qInsertCase, personID, dateArg(first), dateArg(last), now.UTC()).Scan(&id)
	return id, err
}

// Rejected is a certificate that failed parsing or validation.
type Rejected struct {
	ID          int64
	SenderOrgID int64
	CertID      string
	Source      string
	ReceivedAt  time.Time
	ContentType string
	Body        string
	Errors      []byte // JSON list of field errors
}

// RejectCertificate keeps a rejected certificate with its reasons. An id
// longer than 200 bytes (rejected for that, perhaps) is cut at a character
// boundary. Bytes that are not text (invalid UTF-8, NUL, which a malformed
// certificate may hold and PostgreSQL cannot store) are kept as U+FFFD, on
// both databases, and so is an escaped NUL in the reasons' JSON.
func RejectCertificate(ctx context.Context, tx *Tx, r Rejected) error {
	_, err := tx.Exec(ctx, `INSERT INTO rejected_certificates (sender_org_id, cert_id, source, received_at, content_type, body, errors)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.SenderOrgID, storableText(truncate(r.CertID, 200)), r.Source, r.ReceivedAt.UTC(), r.ContentType,
		storableText(r.Body), strings.ReplaceAll(storableText(string(r.Errors)), `\u0000`, `\ufffd`))
	return err
}

// RejectedCertificates lists rejected certificates of a sender (0: all),
// newest first.
func RejectedCertificates(ctx context.Context, q Querier, senderOrgID int64, limit int) ([]Rejected, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	return queryList(ctx, q, scanRejected, `SELECT `+rejectedColumns+`
		FROM rejected_certificates WHERE $1 = 0 OR sender_org_id = $1 ORDER BY id DESC LIMIT $2`, senderOrgID, limit)
}

// rejectedColumns are the columns of a rejected certificate that
// scanRejected reads, in its order.
const rejectedColumns = "id, sender_org_id, cert_id, source, received_at, content_type, body, errors"

func scanRejected(scan func(...any) error) (Rejected, error) {
	var r Rejected
	var errs string
	err := scanUTC(scan, &r.ID, &r.SenderOrgID, &r.CertID, &r.Source, &r.ReceivedAt, &r.ContentType, &r.Body, &errs)
	r.Errors = []byte(errs)
	return r, err
}
