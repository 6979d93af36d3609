package site

import (
	"net/http"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// Actor is who is asking, as the guard resolved it: the policy's view plus
// what pages and the audit log need to show.
type Actor struct {
	policy.Actor
	User  *store.User
	Token *store.Token
	Org   organisation.Organisation
	// SessionHash identifies the signed-in user's current session.
	SessionHash string
	RemoteAddr  string
	// Now is the server's clock, for audit times.
	Now func() time.Time
	// pending are audit entries for this request's reads of personal data,
	// queued while the request does its work; nothing derived from the read
	// may be sent before they are committed (AwaitAudit).
	pending []*store.PendingAudit
}

// QueueAudit adds an audit entry in flight to those AwaitAudit waits for.
func (a *Actor) QueueAudit(p *store.PendingAudit) { a.pending = append(a.pending, p) }

// AwaitAudit waits for this request's audit entries to be committed.
func (a *Actor) AwaitAudit() error {
	if a == nil {
		return nil
	}
	var first error
	for _, p := range a.pending {
		if err := p.Wait(); err != nil && first == nil {
			first = err
		}
	}
	a.pending = nil
	return first
}

// SignedIn reports whether a user (not a token) is signed in.
func (a *Actor) SignedIn() bool { return a != nil && a.User != nil }

// Has reports whether the signed-in user holds a role.
func (a *Actor) Has(r account.Role) bool { return a.SignedIn() && a.Roles.Has(r) }

// AuditName is how the actor appears in the audit log.
func (a *Actor) AuditName() string {
	switch {
	case a.User != nil:
		return a.User.Username
	case a.Token != nil:
		return "token:" + a.Token.Prefix
	}
	return "anonymous"
}

func (a *Actor) clock() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

// Event starts an audit event for this actor and request.
func (a *Actor) Event(r *http.Request, action, outcome, resourceType, resourceID string) audit.Event {
	e := audit.Event{
		At:        a.clock(),
		ActorName: a.AuditName(), ActorOrg: a.Org.Slug, Action: action, Outcome: outcome,
		ResourceType: resourceType, ResourceID: resourceID, RemoteAddr: a.RemoteAddr, RequestID: RequestID(r.Context()),
	}
	if a.User != nil {
		e.ActorUserID = a.User.ID
		e.ActorRoles = a.User.Roles.String()
	}
	return e
}

// AdminOrgID is the organisation an administrator's lists are limited to: 0
// (every organisation) for a system administrator, their own otherwise.
func (a *Actor) AdminOrgID() int64 {
	if a.SystemAdmin {
		return 0
	}
	return a.OrgID
}

// ShowsCertificates tells the navigation whether to offer the certificate
// inbox: FK case workers and managers.
func (a *Actor) ShowsCertificates() bool {
	return a.SignedIn() && a.OrgType == organisation.FK && (a.Has(account.CaseWorker) || a.Has(account.Manager))
}

// ShowsCoordination tells the navigation whether to offer Mina
// samordningsärenden: to those who coordinate across the agencies (FK's
// case workers and every agency's coordinators).
func (a *Actor) ShowsCoordination() bool {
	return a.SignedIn() && policy.Can(&a.Actor, policy.Coordinate, policy.Resource{}) == policy.Allow
}

// ShowsCases tells the navigation whether to offer the worklist: FK case
// workers and managers.
func (a *Actor) ShowsCases() bool { return a.ShowsCertificates() }

// ManagesCases tells whether a sees an office's or group's worklist rather
// than their own: managers who are not case workers themselves.
func (a *Actor) ManagesCases() bool { return a.Has(account.Manager) && !a.Has(account.CaseWorker) }

// ShowsSearch tells the page header whether to offer the search field
// (package web/search): to those whose own pages show persons to find —
// Försäkringskassan's case workers and managers (their office's cases),
// coordinators (the coordinations their organisation takes part in) and
// an association's staff (its participants). Others have nothing to find.
func (a *Actor) ShowsSearch() bool {
	switch {
	case !a.SignedIn() || policy.Can(&a.Actor, policy.ReadPerson, policy.Resource{}) != policy.Allow:
		return false
	case a.ShowsCases():
		return true
	case a.Has(account.Coordinator) && a.OrgType != organisation.FK:
		return true
	}
	return a.OrgType == organisation.Association && a.Has(account.AssociationStaff)
}

// ShowsAssociations reports whether the navigation offers /forbund: to
// those whose roles read some association's contributions. An
// association's own administrator reads none (the association is not a
// member of itself, and administering it is not running it).
func (a *Actor) ShowsAssociations() bool {
	if policy.Can(&a.Actor, policy.ReadContributions, policy.Resource{}) != policy.Allow {
		return false
	}
	return a.OrgType != organisation.Association || a.Roles.HasAny(account.RolesOf(account.AssociationStaff, account.Board))
}
