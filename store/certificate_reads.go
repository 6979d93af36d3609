package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// This file holds the reads of Försäkringskassan's certificate pages: an
// office's inbox, one certificate with its person and sickness case, the
// person's other certificates, and the rejected certificates for
// administrators. Intake's writes are in certificates.go.

// CertificateSummary is one certificate in a list.
type CertificateSummary struct {
	ID                   int64
	PersonID             int64
	Personnummer         string // normalised, 12 digits
	SignedAt, ReceivedAt time.Time
	UnitName             string
	CareProviderName     string
	DiagnosisCode        string
	FirstDay, LastDay    time.Time
	QualityScore         int
	Findings             []byte // JSON list of certificate.Finding

	findingsText string
}

const certSummaryColumns = `c.id, c.person_id, p.personnummer, c.signed_at, c.received_at, c.unit_name, c.care_provider_name,
	c.diagnosis_code, c.first_day, c.last_day, c.quality_score, c.findings`

// summaryDest are the scan destinations of certSummaryColumns; the
// findings go through a string (JSONB on PostgreSQL, TEXT on SQLite) that
// fixSummary moves into place.
func summaryDest(c *CertificateSummary) []any {
	return []any{&c.ID, &c.PersonID, &c.Personnummer, &c.SignedAt, &c.ReceivedAt, &c.UnitName, &c.CareProviderName,
		&c.DiagnosisCode, &c.FirstDay, &c.LastDay, &c.QualityScore, &c.findingsText}
}

func (c *CertificateSummary) fixSummary() {
	c.Findings = []byte(c.findingsText)
	c.findingsText = ""
	c.SignedAt, c.ReceivedAt = c.SignedAt.UTC(), c.ReceivedAt.UTC()
}

func scanCertSummary(scan func(...any) error) (CertificateSummary, error) {
	var c CertificateSummary
	err := scan(summaryDest(&c)...)
	c.fixSummary()
	return c, err
}

// InboxQuery selects an office's certificates.
type InboxQuery struct {
	// MunicipalityCodes are the municipalities the office serves: the
	// inbox holds the certificates of persons living there. Empty selects
	// nothing.
	MunicipalityCodes []string
	// OnlyWithFindings leaves out certificates without quality findings.
	OnlyWithFindings bool
	// After pages on: only certificates listed after this one (received
	// earlier, or at the same time with a smaller id).
	After int64
	Limit int
}

// Inbox lists certificates of persons living in the given municipalities,
// newest received first. It reads one page (Limit rows) by walking the
// received_at index backwards, so a page costs the same on the first day as
// with a national year of certificates; paging is by the last row shown,
// not by offset.
//
// A certificate has findings exactly when its score is below 100 (every
// finding weighs something), which both databases can test on a plain
// column.
func Inbox(ctx context.Context, q Querier, f InboxQuery) ([]CertificateSummary, error) {
	if len(f.MunicipalityCodes) == 0 {
		return nil, nil
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := make([]any, 0, len(f.MunicipalityCodes)+3)
	ph := make([]string, len(f.MunicipalityCodes))
	for i, m := range f.MunicipalityCodes {
		args = append(args, m)
		ph[i] = fmt.Sprintf("$%d", len(args))
	}
	query := `SELECT ` + certSummaryColumns + ` FROM certificates c JOIN persons p ON p.id = c.person_id
		WHERE p.municipality_code IN (` + strings.Join(ph, ", ") + `)`
	if f.OnlyWithFindings {
		query += ` AND c.quality_score < 100`
	}
	if f.After != 0 {
		args = append(args, f.After)
		n := len(args)
		query += fmt.Sprintf(` AND (c.received_at < (SELECT received_at FROM certificates WHERE id = $%d)
			OR (c.received_at = (SELECT received_at FROM certificates WHERE id = $%d) AND c.id < $%d))`, n, n, n)
	}
	args = append(args, f.Limit)
	query += fmt.Sprintf(` ORDER BY c.received_at DESC, c.id DESC LIMIT $%d`, len(args))
	return queryList(ctx, q, scanCertSummary, query, args...)
}

// CertificateRecord is one stored certificate with its person and
// sickness case.
type CertificateRecord struct {
	CertificateSummary
	SenderOrgID      int64
	CertID           string // the issuer's id
	MunicipalityCode string // the person's, "" when unknown
	CaseID           int64  // 0 when not in a case
	// CaseFirst and CaseLast span the sickness case (zero without one).
	CaseFirst, CaseLast          time.Time
	RelationType, RelationCertID string
	Source                       string
	Body                         []byte // canonical JSON
}

// CertificateByID reads one certificate; ErrNotFound when there is none.
func CertificateByID(ctx context.Context, q Querier, id int64) (CertificateRecord, error) {
	var r CertificateRecord
	var body string
	var caseFirst, caseLast sql.NullTime
	dest := append(summaryDest(&r.CertificateSummary), &r.SenderOrgID, &r.CertID, &r.MunicipalityCode, &r.CaseID,
		&caseFirst, &caseLast, &r.RelationType, &r.RelationCertID, &r.Source, &body)
	err := q.QueryRow(ctx, `SELECT `+certSummaryColumns+`, c.sender_org_id, c.cert_id, COALESCE(p.municipality_code, ''),
		COALESCE(c.case_id, 0), s.first_day, s.last_day, COALESCE(c.relation_type, ''), COALESCE(c.relation_cert_id, ''),
		c.source, c.body
		FROM certificates c JOIN persons p ON p.id = c.person_id
		LEFT JOIN sickness_cases s ON s.id = c.case_id
		WHERE c.id = $1`, id).Scan(dest...)
	if err != nil {
		return r, err
	}
	r.fixSummary()
	r.Body = []byte(body)
	r.CaseFirst, r.CaseLast = caseFirst.Time, caseLast.Time
	return r, nil
}

// PersonCertificates lists a person's certificates, newest signed first.
func PersonCertificates(ctx context.Context, q Querier, personID int64, limit int) ([]CertificateSummary, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return queryList(ctx, q, scanCertSummary, `SELECT `+certSummaryColumns+` FROM certificates c JOIN persons p ON p.id = c.person_id
		WHERE c.person_id = $1 ORDER BY c.signed_at DESC, c.id DESC LIMIT $2`, personID, limit)
}

// SetMissingMunicipality gives every person without a municipality the
// one given and returns how many it changed. Only the demo uses it: its
// synthetic persons all live on Gotland. Real persons get their
// municipality from the population register.
func SetMissingMunicipality(ctx context.Context, tx *Tx, code string) (int64, error) {
	return affected(tx.Exec(ctx, `UPDATE persons SET municipality_code = $1 WHERE municipality_code IS NULL`, code))
}

// RejectedSummary is a rejected certificate in the administrators' list,
// without its body (up to 256 KiB each).
type RejectedSummary struct {
	ID          int64
	SenderOrgID int64
	SenderName  string
	CertID      string
	Source      string
	ReceivedAt  time.Time
	ContentType string
	Errors      []byte // JSON list of field or parse errors
}

// RejectedQuery selects rejected certificates.
type RejectedQuery struct {
	SenderOrgID int64 // 0: every sender
	Before      int64 // pages backwards: only ids below this
	Limit       int
}

// RejectedList lists rejected certificates, newest first.
func RejectedList(ctx context.Context, q Querier, f RejectedQuery) ([]RejectedSummary, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return queryList(ctx, q, func(scan func(...any) error) (RejectedSummary, error) {
		var r RejectedSummary
		var errs string
		err := scanUTC(scan, &r.ID, &r.SenderOrgID, &r.SenderName, &r.CertID, &r.Source, &r.ReceivedAt, &r.ContentType, &errs)
		r.Errors = []byte(errs)
		return r, err
	}, `SELECT r.id, r.sender_org_id, o.name, r.cert_id, r.source, r.received_at, r.content_type, r.errors
		FROM rejected_certificates r JOIN organisations o ON o.id = r.sender_org_id
		WHERE ($1 = 0 OR r.sender_org_id = $1) AND ($2 = 0 OR r.id < $2)
		ORDER BY r.id DESC LIMIT $3`, f.SenderOrgID, f.Before, f.Limit)
}

// RejectedByID reads one rejected certificate with its body; ErrNotFound
// when there is none.
func RejectedByID(ctx context.Context, q Querier, id int64) (Rejected, error) {
	return scanRejected(q.QueryRow(ctx, "SELECT "+rejectedColumns+" FROM rejected_certificates WHERE id = $1", id).Scan)
}

// RelatedCertificate is a certificate tied to another by a relation.
type RelatedCertificate struct {
	ID       int64
	CertID   string // the issuer's id
	Type     string // KOMPLT, ERSATT, FRLANG or KOPIA
	SignedAt time.Time
}

// CertificateIDByCertID returns finsam's id of the sender's certificate
// with the issuer's id certID; ErrNotFound when it has not been received.
func CertificateIDByCertID(ctx context.Context, q Querier, senderOrgID int64, certID string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM certificates WHERE sender_org_id = $1 AND cert_id = $2`, senderOrgID, certID).Scan(&id)
	return id, err
}

// CertificatesReferringTo lists the sender's certificates whose relation
// names the certificate certID, in the order they were signed.
func CertificatesReferringTo(ctx context.Context, q Querier, senderOrgID int64, certID string) ([]RelatedCertificate, error) {
	return queryList(ctx, q, func(scan func(...any) error) (RelatedCertificate, error) {
		var r RelatedCertificate
		err := scan(&r.ID, &r.CertID, &r.Type, &r.SignedAt)
		return r, err
	}, `SELECT id, cert_id, relation_type, signed_at FROM certificates
		WHERE sender_org_id = $1 AND relation_cert_id = $2 AND relation_cert_id IS NOT NULL ORDER BY signed_at, id`, senderOrgID, certID)
}
