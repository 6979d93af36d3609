package site

import (
	"net/http"
	"net/url"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
)

// Refusal is the policy's no to a request for a particular resource,
// already audited when someone was asking; Fail answers it as the guard
// answers a refused route: a sign-in (401 for the API, a redirect for a
// page), 404 for a resource the actor may not know exists, 403 otherwise.
type Refusal struct {
	Decision policy.Decision
}

func (e *Refusal) Error() string { return "refused by policy" }

// Authorize asks the policy whether a may do act on res, the resource a
// handler found (whose organisation, which board seat); resourceType and
// resourceID name it in the audit log. A refusal of a signed-in user or a
// token is audited, for that is how probing for others' data shows up, and
// comes back as a *Refusal for the handler to return.
func (s *Site) Authorize(r *http.Request, a *Actor, act policy.Action, res policy.Resource, resourceType, resourceID string) error {
	if res.Now.IsZero() {
		res.Now = s.Now()
	}
	d := policy.Can(&a.Actor, act, res)
	switch d {
	case policy.Allow:
		return nil
	case policy.Unauthenticated:
		return &Refusal{Decision: d}
	}
	if err := s.Audit.Record(r.Context(), a.Event(r, act.String(), audit.OutcomeDenied, resourceType, resourceID)); err != nil {
		s.Log.ErrorContext(r.Context(), "audit denied access", "err", err)
	}
	return &Refusal{Decision: d}
}

// refuse answers a refusal.
func (s *Site) refuse(w http.ResponseWriter, r *http.Request, e *Refusal) {
	switch e.Decision {
	case policy.Unauthenticated:
		if IsAPI(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="finsam"`)
			s.FailWith(w, r, http.StatusUnauthorized, "unauthenticated", "")
			return
		}
		next := r.URL.Path
		if r.Method != http.MethodGet {
			next = "/"
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
	case policy.Hidden:
		s.FailWith(w, r, http.StatusNotFound, "not_found", "")
	default:
		s.FailWith(w, r, http.StatusForbidden, "forbidden", "")
	}
}
