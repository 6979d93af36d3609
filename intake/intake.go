// Package intake receives medical certificates (FK 7804), from the API or
// from files: it parses and validates them with package certificate, keeps
// rejected ones with their reasons, scores the accepted ones, stores them
// with their sick-leave periods in the person's sickness case, and audits
// each as a write of personal data. One certificate is one unit of work;
// a batch of them (an import) is one transaction.
package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// Format is the wire format of a submission.
type Format int

// The formats.
const (
	JSON Format = iota // finsam's own JSON, one certificate per object
	XML                // RegisterCertificate v3, type LISJP
)

// Status is what became of a submission.
type Status int

// The statuses.
const (
	// Accepted: stored now.
	Accepted Status = iota
	// Duplicate: the same sender sent the same certificate (same id and
	// content) before; nothing was stored again.
	Duplicate
	// Conflict: the same sender sent another certificate under this id.
	Conflict
	// Invalid: the certificate broke validation rules (Errors says which).
	Invalid
	// Malformed: the body was not a certificate at all (Parse says why).
	Malformed
)

func (s Status) String() string {
	return [...]string{"accepted", "duplicate", "conflict", "invalid", "malformed"}[s]
}

// Submission is one certificate as received.
type Submission struct {
	SenderOrgID int64
	Format      Format
	Body        []byte
	// Source says where it came from: "api", or "import:<file>:<line>".
	Source string
	// Actor is who sent it, for the audit log: the API token or the person
	// running the import.
	Actor audit.Event
}

// Result is the outcome of one submission.
type Result struct {
	Status        Status
	CertificateID int64 // finsam's id, when accepted or duplicate
	CaseID        int64
	Quality       certificate.Quality
	Errors        []certificate.FieldError // Invalid
	Parse         *certificate.ParseError  // Malformed
}

// Intake is the certificate intake of one installation.
type Intake struct {
	store *store.Store
	keys  *audit.Keys
	fmb   *certificate.FMB
	now   func() time.Time
}

// New makes an intake. fmb nil means the embedded FMB table; now nil means
// time.Now.
func New(st *store.Store, keys *audit.Keys, fmb *certificate.FMB, now func() time.Time) *Intake {
	if fmb == nil {
		fmb = certificate.DefaultFMB()
	}
	if now == nil {
		now = time.Now
	}
	return &Intake{store: st, keys: keys, fmb: fmb, now: now}
}

// Prepare readies the database for a large batch (prepared statements).
func (in *Intake) Prepare(ctx context.Context) error {
	return in.store.Prepare(ctx, store.IntakeStatements...)
}

// Submit takes one certificate in its own transaction.
func (in *Intake) Submit(ctx context.Context, s Submission) (Result, error) {
	rs, err := in.SubmitBatch(ctx, []Submission{s})
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// parsed is a submission after the work that needs no database.
type parsed struct {
	sub    Submission
	certID string                   // the issuer's id, when it could be read
	cert   *certificate.Certificate // nil when the submission is rejected
	canon  []byte
	hash   string
	result Result
}

// SubmitBatch takes many certificates in one transaction (all or nothing:
// on a database error none is stored and the batch can be sent again).
// Results are in the order of the submissions.
func (in *Intake) SubmitBatch(ctx context.Context, subs []Submission) ([]Result, error) {
	now := in.now()
	today := certificate.SwedishDate(now)
	items := make([]parsed, len(subs))
	for i, s := range subs {
		items[i] = in.check(s, today)
	}
	err := in.store.Tx(ctx, func(tx *store.Tx) error {
		var events []audit.Event
		persons := map[string]int64{} // personnummer → id, within this transaction
		for i := range items {
			it := &items[i]
			if it.cert == nil { // malformed or invalid: kept for administrators
				if err := in.reject(ctx, tx, it, now); err != nil {
					return err
				}
				continue
			}
			e, err := in.store1(ctx, tx, it, now, persons)
			if err != nil {
				return err
			}
			if e != nil {
				events = append(events, *e)
			}
		}
		return store.AppendAudit(ctx, tx, in.keys, events...)
	})
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(items))
	for i := range items {
		out[i] = items[i].result
	}
	return out, nil
}

// check parses and validates: the part of intake that needs no database.
func (in *Intake) check(s Submission, today certificate.Date) parsed {
	it := parsed{sub: s}
	var c *certificate.Certificate
	var err error
	if s.Format == XML {
		c, err = certificate.ParseXML(s.Body)
	} else {
		c, err = certificate.ParseJSON(s.Body)
	}
	if err != nil {
		var pe *certificate.ParseError
		if !errors.As(err, &pe) {
			pe = &certificate.ParseError{Code: "malformed", Message: err.Error()}
		}
		it.result = Result{Status: Malformed, Parse: pe}
		return it
	}
	it.certID = c.ID
	if errs := certificate.Validate(c, today); len(errs) > 0 {
		it.result = Result{Status: Invalid, Errors: errs}
		return it
	}
	it.cert = c
	it.canon = c.Canonical()
	sum := sha256.Sum256(it.canon)
	it.hash = hex.EncodeToString(sum[:])
	return it
}

func (in *Intake) reject(ctx context.Context, tx *store.Tx, it *parsed, now time.Time) error {
	var errs any = it.result.Errors
	if it.result.Status == Malformed {
		errs = []*certificate.ParseError{it.result.Parse}
	}
	b, err := json.Marshal(errs)
	if err != nil {
		return err
	}
	ct := "application/json"
	if it.sub.Format == XML {
		ct = "application/xml"
	}
	return store.RejectCertificate(ctx, tx, store.Rejected{SenderOrgID: it.sub.SenderOrgID, CertID: it.certID,
		Source: it.sub.Source, ReceivedAt: now, ContentType: ct, Body: string(it.sub.Body), Errors: b})
}

// store1 stores one valid certificate (or recognises it as a duplicate or a
// conflict) and returns its audit event.
func (in *Intake) store1(ctx context.Context, tx *store.Tx, it *parsed, now time.Time, persons map[string]int64) (*audit.Event, error) {
	c := it.cert
	prev, err := store.CertificateByCertID(ctx, tx, it.sub.SenderOrgID, c.ID)
	switch {
	case err == nil && (prev.BodyHash == it.hash || prev.BodyHash == legacyHash(it.canon)):
		it.result = Result{Status: Duplicate, CertificateID: prev.ID, CaseID: prev.CaseID}
		_ = json.Unmarshal(prev.Findings, &it.result.Quality.Findings)
		it.result.Quality.Score = prev.QualityScore
		return nil, nil
	case err == nil:
		it.result = Result{Status: Conflict, CertificateID: prev.ID, Errors: []certificate.FieldError{{
			Field: "id", Code: "conflict", Message: "another certificate was received under this id",
			MessageSV: "Ett annat intyg har redan tagits emot med samma id."}}}
		it.cert = nil
		return nil, in.reject(ctx, tx, it, now)
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}

	pnr := personnummer.Number(c.Patient.Personnummer) // canonical: 12 digits
	personID, ok := persons[string(pnr)]
	if !ok {
		if personID, err = store.EnsurePerson(ctx, tx, string(pnr), now); err != nil {
			return nil, err
		}
		persons[string(pnr)] = personID
	}
	periods := c.Periods()
	first, last := periods[0].From, periods[0].To
	sp := make([]store.Period, len(periods))
	for i, p := range periods {
		if p.From.Before(first) {
			first = p.From
		}
		if p.To.After(last) {
			last = p.To
		}
		sp[i] = store.Period{From: p.From.Time(), To: p.To.Time(), Degree: p.Degree}
	}
	prior, err := store.PriorSickDays(ctx, tx, personID, first.Time())
	if err != nil {
		return nil, err
	}
	q := certificate.Assess(c, in.fmb, prior)
	findings, err := json.Marshal(q.Findings)
	if err != nil {
		return nil, err
	}
	caseID, err := store.AttachToCase(ctx, tx, personID, first.Time(), last.Time(), now, sameCase)
	if err != nil {
		return nil, err
	}
	nc := store.NewCertificate{SenderOrgID: it.sub.SenderOrgID, CertID: c.ID, PersonID: personID, CaseID: caseID,
		SignedAt: c.SignedAt, ReceivedAt: now, IssuerHSAID: c.Issuer.HSAID, UnitHSAID: c.Issuer.UnitHSAID,
		UnitName: c.Issuer.UnitName, CareProviderHSAID: c.Issuer.CareProviderHSAID, CareProviderName: c.Issuer.CareProviderName,
		DiagnosisCode: c.Diagnoses[0].Code, FirstDay: first.Time(), LastDay: last.Time(), QualityScore: q.Score,
		Findings: findings, Source: it.sub.Source, Body: it.canon, BodyHash: it.hash, TestEnvironment: c.TestEnvironment()}
	if c.Relation != nil {
		nc.RelationType, nc.RelationCertID = c.Relation.Type, c.Relation.CertificateID
	}
	id, err := store.InsertCertificate(ctx, tx, nc)
	if errors.Is(err, store.ErrConflict) {
		// Another sender transaction stored the same id since the look-up:
		// run the batch again, and the look-up will see it.
		return nil, fmt.Errorf("%w: %v", store.ErrRetryable, err)
	} else if err != nil {
		return nil, err
	}
	if err := store.InsertPeriods(ctx, tx, personID, id, sp, "certificate", now); err != nil {
		return nil, err
	}
	// A supplement (relation KOMPLT) answers FK's open requests about the
	// certificate it completes, in the same transaction.
	if c.Relation != nil && c.Relation.Type == certificate.RelationSupplement {
		if _, err := store.AnswerSupplements(ctx, tx, it.sub.SenderOrgID, c.Relation.CertificateID, id, now); err != nil {
			return nil, err
		}
	}
	it.result = Result{Status: Accepted, CertificateID: id, CaseID: caseID, Quality: q}
	e := it.sub.Actor
	e.At = now
	e.Action = "receive_certificate"
	e.Outcome = audit.OutcomeOK
	e.ResourceType = "certificate"
	e.ResourceID = strconv.FormatInt(id, 10)
	e.PersonKey = in.keys.PersonKey(pnr)
	return &e, nil
}

// legacyHash is the hash of a canonical form as finsam wrote it before
// certificates carried their model version: the same bytes without the
// version. A certificate stored then and sent again is then still the
// same certificate. It is "" when the form has no version to remove.
func legacyHash(canon []byte) string {
	const key = `,"version":"`
	i := bytes.Index(canon, []byte(key))
	if i < 0 {
		return ""
	}
	j := bytes.IndexByte(canon[i+len(key):], '"')
	if j < 0 {
		return ""
	}
	legacy := append(append([]byte{}, canon[:i]...), canon[i+len(key)+j+1:]...)
	sum := sha256.Sum256(legacy)
	return hex.EncodeToString(sum[:])
}

// SettingFMB is the setting that holds an FMB table an administrator loaded
// (the CSV of certificate.LoadFMBCSV).
const SettingFMB = "fmb.csv"

// StoredFMB returns the FMB table an administrator loaded, or the shipped
// one when none was (stored is then false). A stored table that no longer
// parses (only a hand-edited database has one) gives the shipped table and
// the error, for the caller to log.
func StoredFMB(ctx context.Context, q store.Querier) (fmb *certificate.FMB, stored bool, err error) {
	raw, err := store.Setting(ctx, q, SettingFMB)
	if errors.Is(err, store.ErrNotFound) {
		return certificate.DefaultFMB(), false, nil
	}
	if err == nil {
		var f *certificate.FMB
		if f, err = certificate.LoadFMBCSV(strings.NewReader(raw)); err == nil {
			return f, true, nil
		}
	}
	return certificate.DefaultFMB(), false, err
}

// chainRules is the rules engine that decides which periods form one
// sickness case (27 kap. 51 § SFB: fewer than 90 days apart), so that
// intake joins cases exactly as the engine counts chain days.
var chainRules = sync.OnceValues(rules.New)

func sameCase(prevLast, nextFirst time.Time) bool {
	e, err := chainRules()
	if err != nil {
		// The embedded parameters are checked by the rules tests; an
		// engine that cannot load is a broken build.
		panic("intake: rules engine: " + err.Error())
	}
	return e.SameCase(civil.Of(prevLast), civil.Of(nextFirst))
}
