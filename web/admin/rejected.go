package admin

// The rejected certificates: certificates intake refused as
// malformed, invalid or conflicting, kept with their reasons. Two readers:
//
//   - Administrators (policy.ManageUsers): an organisation's administrator
//     sees those their organisation sent, a system administrator all. They
//     see the reasons and the fields that failed, never the body:
//     administrators read no personal data, and a body holds a personnummer
//     and health data.
//   - Intake stewards (policy.ReadRejectedCertificates): the role made to
//     help senders correct what they send. A steward sees the certificates
//     their organisation sent (a steward of the operating organisation,
//     all) and reads the body as it was received; every reading is
//     audited, with the person's key when the body names a valid
//     personnummer.
//
// The lists show no personal data (ids, sources and reasons).

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// rejectedPerPage is how many rejected certificates a page lists.
const rejectedPerPage = 50

// rejectedReason is one reason a certificate was refused, as intake kept it
// (a certificate.FieldError or certificate.ParseError: the same JSON).
type rejectedReason struct {
	Field   string `json:"field"`
	Answer  string `json:"answer"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// parseCodes are the codes of certificate.ParseError: a body with one was
// malformed rather than invalid.
var parseCodes = map[string]bool{
	certificate.ParseInvalidJSON: true, certificate.ParseInvalidXML: true, certificate.ParseInvalidType: true,
	certificate.ParseUnknownField: true, certificate.ParseDuplicateField: true, certificate.ParseTrailingData: true,
	certificate.ParseInvalidDate: true, certificate.ParseInvalidDateTime: true, certificate.ParseInvalidNumber: true,
	certificate.ParseInvalidBoolean: true, certificate.ParseNotACertificate: true, certificate.ParseUnsupportedType: true,
	certificate.ParseUnknownAnswer: true, certificate.ParseDuplicateAnswer: true, certificate.ParseUnsupportedSystem: true,
	certificate.ParseTooManyElements: true, certificate.ParseUnsupportedVersion: true,
	certificate.ParseUnsupportedNamespace: true, certificate.ParseDuplicateDelsvar: true, certificate.ParseEmptyAnswer: true,
	certificate.ParseNestedElement: true, certificate.ParseRepeatedDisplayName: true, certificate.ParseInvalidCodeSystem: true,
	certificate.ParseMissingInstance: true, "malformed": true,
}

// rejectedKind tells malformed, invalid and conflicting certificates apart
// by their reasons, and the reasons themselves.
func rejectedKind(raw []byte) (string, []rejectedReason) {
	var reasons []rejectedReason
	_ = json.Unmarshal(raw, &reasons)
	kind := "invalid"
	for _, r := range reasons {
		switch {
		case r.Code == "conflict":
			kind = "conflict"
		case parseCodes[r.Code]:
			kind = "malformed"
		}
	}
	return kind, reasons
}

type rejectedRow struct {
	ID                               int64
	Received, Sender, Source, CertID string
	Kind                             string
	Reasons                          string // the first two, in the list
	More                             int    // how many more
	ContentType                      string
	ReasonList                       []rejectedReason
	Body                             string
	// Base is the list's address, under which each certificate is.
	Base string
}

// Rejected lists rejected certificates to an administrator, newest
// first.
func (s *Handlers) Rejected(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.rejectedList(w, r, a, "/admin/certificates/rejected", a.AdminOrgID())
}

// StewardRejected lists rejected certificates to an intake steward.
func (s *Handlers) StewardRejected(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var sender int64
	if !a.Operator {
		sender = a.OrgID
	}
	return s.rejectedList(w, r, a, "/certificates/rejected", sender)
}

// rejectedList lists the rejected certificates a sender sent (0: all),
// newest first, each linking to base/{id}.
func (s *Handlers) rejectedList(w http.ResponseWriter, r *http.Request, a *site.Actor, base string, sender int64) error {
	lang := site.Language(w, r)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := store.RejectedList(r.Context(), s.Store, store.RejectedQuery{SenderOrgID: sender, Before: max(before, 0), Limit: rejectedPerPage + 1})
	if err != nil {
		return site.Unavailable("list rejected certificates", err)
	}
	d := struct {
		Rows         []rejectedRow
		All          bool
		Base         string
		Older, First string
	}{All: sender == 0, Base: base}
	if len(list) > rejectedPerPage {
		list = list[:rejectedPerPage]
		d.Older = site.WithQuery(base, url.Values{"before": {strconv.FormatInt(list[len(list)-1].ID, 10)}})
	}
	if before > 0 {
		d.First = base
	}
	for _, rj := range list {
		kind, reasons := rejectedKind(rj.Errors)
		row := rejectedRow{ID: rj.ID, Received: site.LocalTime(rj.ReceivedAt), Sender: rj.SenderName, Source: rj.Source, CertID: rj.CertID,
			Kind: translate(lang, "cert.rejected.kind."+kind), Base: base}
		var parts []string
		for i, re := range reasons {
			if i == 2 {
				row.More = len(reasons) - 2
				break
			}
			parts = append(parts, strings.TrimSpace(re.Field+" "+re.Code))
		}
		row.Reasons = strings.Join(parts, "; ")
		d.Rows = append(d.Rows, row)
	}
	s.Render(w, r, http.StatusOK, "admin_rejected", site.Page{Lang: lang, Title: translate(lang, "cert.rejected.title"), Actor: a, Data: d})
	return nil
}

// personnummerLikeInBody finds twelve-digit runs that may be a personnummer.
var personnummerLikeInBody = regexp.MustCompile(`\b(?:19|20)\d{10}\b`)

// RejectedOne shows one rejected certificate to an administrator: its
// reasons and the fields that failed, not the body.
func (s *Handlers) RejectedOne(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.rejectedOne(w, r, a, policy.ManageUsers, "/admin/certificates/rejected")
}

// StewardRejectedOne shows one rejected certificate to an intake steward:
// its reasons and the body as received, audited.
func (s *Handlers) StewardRejectedOne(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.rejectedOne(w, r, a, policy.ReadRejectedCertificates, "/certificates/rejected")
}

func (s *Handlers) rejectedOne(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, base string) error {
	lang := site.Language(w, r)
	id, ok := site.PathID(r, "id")
	if !ok {
		return site.NotFound()
	}
	rj, err := store.RejectedByID(r.Context(), s.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return site.NotFound()
	} else if err != nil {
		return site.Unavailable("read rejected certificate", err)
	}
	if err := s.Authorize(r, a, act, policy.Resource{OrgID: rj.SenderOrgID}, "rejected_certificate", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	sender, err := store.OrganisationByID(r.Context(), s.Store, rj.SenderOrgID)
	if err != nil {
		return site.Unavailable("sender of rejected certificate", err)
	}
	kind, reasons := rejectedKind(rj.Errors)
	d := rejectedRow{ID: rj.ID, Received: site.LocalTime(rj.ReceivedAt), Sender: sender.Name, Source: rj.Source, CertID: rj.CertID,
		Kind: translate(lang, "cert.rejected.kind."+kind), ContentType: rj.ContentType, ReasonList: reasons, Base: base}
	if act == policy.ReadRejectedCertificates {
		e := a.Event(r, "read_rejected_certificate", audit.OutcomeOK, "rejected_certificate", strconv.FormatInt(id, 10))
		for _, m := range personnummerLikeInBody.FindAllString(rj.Body, 3) {
			if n, err := personnummer.Parse(m, s.Now().In(site.Stockholm)); err == nil {
				e.PersonKey = s.Audit.Keys().PersonKey(n)
				break
			}
		}
		s.AuditRead(r, a, e)
		d.Body = rj.Body
	}
	s.Render(w, r, http.StatusOK, "admin_rejected_one", site.Page{Lang: lang, Title: translate(lang, "cert.rejected.one.title"), Actor: a, Data: d})
	return nil
}
