// Package caseaccess is how the pages that show a sickness case, or
// something of it (the case pages, the certificate pages), ask the policy
// about the case and say in the audit log how the reader stands to it.
//
// A sickness case belongs to the FK organisation (the one certificates are
// addressed to, store.CertificateOwner) and to an office: reads need
// policy.ReadPerson and writes policy.WritePerson on the resource Resource
// gives, so that staff of another office or organisation get 404. A
// certificate joined to a case is read under the case's boundary
// (LoadCertificate).
package caseaccess

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Resource is the policy's view of a case of the FK organisation fk.
func Resource(fk organisation.Organisation, c store.Case, now time.Time) policy.Resource {
	return policy.Resource{OrgID: fk.ID, OfficeID: c.OfficeID, Now: now}
}

// Relation says in the audit log how the reader stands to the case:
// "assigned" (their own caseload) or "office" (a case of the office they
// may see but do not handle).
func Relation(a *site.Actor, c store.Case) string {
	if c.AssignedUserID != 0 && c.AssignedUserID == a.UserID {
		return "relation=assigned"
	}
	return "relation=office"
}

// NeedsPurpose tells whether a must say why before opening c: a case
// worker opening a case not assigned to them. Managers read their
// office's cases as part of their role and are not asked.
func NeedsPurpose(a *site.Actor, c store.Case) bool {
	return a.Has(account.CaseWorker) && c.AssignedUserID != a.UserID
}

// LoadCertificate reads the certificate named by the path's {id} and
// authorizes act on it as the certificate page does: act on the FK
// organisation, and for a certificate joined to a case, act on that case's
// office. A malformed id, a certificate that does not exist, one of
// another office's case and any refusal of another organisation are all
// not found (404, the policy's refusals audited). Every route that takes a
// certificate's id goes through here. relation says how the reader stands
// to the certificate's case, for the audit row ("" for a certificate of no
// case): the certificate pages are the office's shared intake, so reading
// one is part of the role and asks no purpose.
func LoadCertificate(s *site.Site, w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action) (rec store.CertificateRecord, fk organisation.Organisation, relation string, err error) {
	id, ok := site.PathID(r, "id")
	if !ok {
		return rec, fk, "", site.NotFound()
	}
	fk, ok, err = store.CertificateOwner(r.Context(), s.Store)
	if err != nil {
		return rec, fk, "", site.Unavailable("find FK organisation", err)
	}
	if !ok {
		return rec, fk, "", site.NotFound()
	}
	resourceID := strconv.FormatInt(id, 10)
	// Other organisations' staff are refused before the certificate is
	// looked up, so that they learn nothing about which ids exist.
	if err := s.Authorize(w, r, a, act, policy.Resource{OrgID: fk.ID, Now: s.Now()}, "certificate", resourceID); err != nil {
		return rec, fk, "", err
	}
	rec, err = store.CertificateByID(r.Context(), s.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return rec, fk, "", site.NotFound()
	} else if err != nil {
		return rec, fk, "", site.Unavailable("read certificate", err)
	}
	// A certificate joined to a case is that case's: staff of another
	// office get 404.
	if rec.CaseID != 0 {
		c, err := store.CaseByID(r.Context(), s.Store, rec.CaseID)
		if err != nil {
			return rec, fk, "", site.Unavailable("read certificate's case", err)
		}
		if err := s.Authorize(w, r, a, act, Resource(fk, c, s.Now()), "certificate", resourceID); err != nil {
			return rec, fk, "", err
		}
		relation = Relation(a, c)
	}
	return rec, fk, relation, nil
}
