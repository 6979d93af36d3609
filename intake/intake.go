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
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
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
	var done []parsed
	// Certificates are written at READ COMMITTED (LockedTx) under the locks
	// of their persons (storeAccepted) and of the audit chain's head
	// (AppendAudit): at SERIALIZABLE every two intakes at once, each
	// appending to the chain, conflicted, and with a dozen senders posting
	// at once on PostgreSQL some gave up after the retries. Certificates
	// already received are told apart by their unique key (a concurrent
	// one is a conflict, and the batch runs again).
	err := in.store.LockedTx(ctx, func(tx *store.Tx) error {
		done = slices.Clone(items) // a retried transaction starts afresh
		events, err := in.storeBatch(ctx, tx, done, now)
		if err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, in.keys, events...)
	})
	if err != nil {
		return nil, err
	}
	items = done
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
