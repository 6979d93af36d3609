package site

import (
	"net/http"
	"net/url"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
)

// Authorize asks the policy whether a may do act on a particular resource:
// the check a handler makes beyond its route's action (whose organisation,
// which office). It returns nil when allowed. A refusal of a signed-in
// user or a token is audited (refusals are how probing for other
// organisations' data shows up) and returned as the error Fail answers: 404
// where the policy hides the resource, 403 where it only refuses, and for
// nobody signed in a redirect to the sign-in page, or 401 from the API. The
// guard of every route decides the same way.
func (s *Site) Authorize(r *http.Request, a *Actor, act policy.Action, res policy.Resource, resourceType, resourceID string) error {
	if res.Now.IsZero() {
		res.Now = s.Now()
	}
	d := policy.Can(&a.Actor, act, res)
	switch d {
	case policy.Allow:
		return nil
	case policy.Unauthenticated:
		return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated"}
	}
	if err := s.Audit.Record(r.Context(), a.Event(r, act.String(), audit.OutcomeDenied, resourceType, resourceID)); err != nil {
		s.Log.ErrorContext(r.Context(), "audit denied access", "err", err)
	}
	if d == policy.Hidden {
		return NotFound()
	}
	return &Error{Status: http.StatusForbidden, Code: "forbidden"}
}

// signIn answers a request that needs someone signed in: 401 with the
// scheme to use from the API, a redirect to the sign-in page (back to a
// page that answers GET) for people.
func signIn(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Path
	if r.Method != http.MethodGet {
		next = "/"
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// AuditRead queues the audit entries of a read of personal data. The
// request goes on with its queries and rendering meanwhile; Render waits
// for the entries before it sends the page, and answers 503 instead if
// they failed.
func (s *Site) AuditRead(r *http.Request, a *Actor, events ...audit.Event) {
	if len(events) == 0 || s.UnauditedReads {
		return
	}
	a.QueueAudit(s.Audit.Start(r.Context(), events...))
}
