// Package caseaccess is how the pages that show a sickness case, or
// something of it (the case pages, the certificate pages), ask the policy
// about the case and say in the audit log how the reader stands to it.
//
// A sickness case belongs to the FK organisation (the one certificates are
// addressed to, store.CertificateOwner) and to an office: reads need
// policy.ReadPerson and writes policy.WritePerson on the resource Resource
// gives, so that staff of another office or organisation get 404. A
// certificate joined to a case is read under the case's boundary
// (certview.Load).
package caseaccess

import (
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
