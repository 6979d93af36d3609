// Package certview is what the certificate pages share with the case work:
// reading a certificate with the access checks of its page (Load), a
// certificate as a row of a list (Row, on the inbox and on the case page),
// the policy's view of a case a certificate is joined to, and the words for
// certificate columns and quality findings.
package certview

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/caseaccess"
	"github.com/finsam/finsam/web/internal/site"
)

//go:embed messages/*.json
var messageFS embed.FS

// Templates holds the partial templates the certificate lists share:
// "cert-pager", the newest/older links under a list.
//
//go:embed templates/*.html
var Templates embed.FS

// Messages are the words of certificate lists (their columns and pager)
// and of quality findings, which the certificate pages, the case page, the
// rejected certificates and the quality board share.
var Messages = site.MustCatalogue(messageFS)

// FK is the organisation certificates are addressed to: the one of type FK
// (the oldest, should there be several). ok is false when the installation
// has none.
func FK(ctx context.Context, st *store.Store) (organisation.Organisation, bool, error) {
	return store.CertificateOwner(ctx, st)
}

// Load reads the certificate named by the path's {id} and authorizes act on
// it as the certificate page does: act on the FK organisation, and for a
// certificate joined to a case, act on that case's office. A malformed id,
// a certificate that does not exist, one of another office's case and any
// refusal of another organisation are all 404 (the policy's refusals
// audited). relation says how the reader stands to the certificate's case,
// for the audit log ("" without a case). Every route that takes a
// certificate's id goes through here.
func Load(s *site.Site, r *http.Request, a *site.Actor, act policy.Action) (rec store.CertificateRecord, fk organisation.Organisation, relation string, err error) {
	id, ok := site.PathID(r, "id")
	if !ok {
		return rec, fk, "", site.NotFound()
	}
	fk, ok, err = FK(r.Context(), s.Store)
	if err != nil {
		return rec, fk, "", site.Unavailable("find FK organisation", err)
	}
	if !ok {
		return rec, fk, "", site.NotFound()
	}
	resourceID := strconv.FormatInt(id, 10)
	// Other organisations' staff are refused before the certificate is
	// looked up, so that they learn nothing about which ids exist.
	if err := s.Authorize(r, a, act, policy.Resource{OrgID: fk.ID, Now: s.Now()}, "certificate", resourceID); err != nil {
		return rec, fk, "", err
	}
	rec, err = store.CertificateByID(r.Context(), s.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return rec, fk, "", site.NotFound()
	} else if err != nil {
		return rec, fk, "", site.Unavailable("read certificate", err)
	}
	// A certificate joined to a case is that case's: staff of another
	// office get 404. The certificate pages are the office's shared intake
	// (the inbox lists every certificate of the office for whoever sorts
	// them), so reading one is part of the role and asks no purpose; the
	// relation says how the reader stands to the case, for the audit row.
	if rec.CaseID != 0 {
		cs, err := store.CaseByID(r.Context(), s.Store, rec.CaseID)
		if err != nil {
			return rec, fk, "", site.Unavailable("read certificate's case", err)
		}
		if err := s.Authorize(r, a, act, caseaccess.Resource(fk, cs, s.Now()), "certificate", resourceID); err != nil {
			return rec, fk, "", err
		}
		relation = caseaccess.Relation(a, cs)
	}
	return rec, fk, relation, nil
}

// Row is a certificate in a list.
type Row struct {
	ID        int64
	Received  string
	Signed    string
	Person    string // YYYYMMDD-NNNN
	Diagnosis string
	Period    string
	Unit      string
	Score     int
	Findings  int
	Current   bool
}

// NewRow is c as a row; the diagnosis only when the reader may see it.
func NewRow(c store.CertificateSummary, diagnoses bool) Row {
	row := Row{ID: c.ID, Received: site.LocalTime(c.ReceivedAt), Signed: c.SignedAt.In(site.Stockholm).Format(time.DateOnly),
		Person: personnummer.Number(c.Personnummer).String(), Period: Period(c.FirstDay, c.LastDay),
		Unit: c.UnitName, Score: c.QualityScore, Findings: len(ParseFindings(c.Findings))}
	if diagnoses {
		row.Diagnosis = DisplayDiagnosis(c.DiagnosisCode)
	}
	return row
}

// Period is a span of days as the lists write it.
func Period(from, to time.Time) string {
	return from.Format(time.DateOnly) + " – " + to.Format(time.DateOnly)
}

// DisplayDiagnosis writes a code as ICD-10-SE does: "M54.5", "F43.8A",
// whether it was stored with its dot or without.
func DisplayDiagnosis(code string) string {
	code = certificate.NormalizeDiagnosisCode(code)
	if len(code) > 3 {
		return code[:3] + "." + code[3:]
	}
	return code
}

// ParseFindings reads a certificate's stored findings; a list that does not
// parse (which intake never writes) reads as none.
func ParseFindings(raw []byte) []certificate.Finding {
	var fs []certificate.Finding
	_ = json.Unmarshal(raw, &fs)
	return fs
}
