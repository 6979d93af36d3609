package forbund

import (
	"net/http"
	"strconv"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/site"
)

// assocRequest is an association request's context after the access check.
type assocRequest struct {
	Org      organisation.Organisation
	Standing store.AssociationStanding
	// Staff is true for the association's own staff (policy.ManageAssociation
	// allowed): they see personal data and every member's rows.
	Staff bool
	// Today is the request's day in Sweden.
	Today civil.Date
	// Res is the resource the access check asked about: the association
	// with the actor's board seat and membership.
	Res policy.Resource
}

// load finds the association named by the path's {slug} and checks act on
// it: 404 for no such association, the policy's refusal otherwise.
func (h *Handlers) load(r *http.Request, a *site.Actor, act policy.Action) (ar assocRequest, err error) {
	ctx := r.Context()
	org, err := h.PathAssociation(r, "slug")
	if err != nil {
		return ar, err
	}
	ar.Org = org
	ar.Today = h.Today()
	if a.User != nil {
		ar.Standing, err = store.StandingOf(ctx, h.Store, org.ID, a.OrgID, a.UserID, ar.Today)
		if err != nil {
			return ar, site.Unavailable("association standing", err)
		}
	}
	res := policy.Resource{OrgID: org.ID, BoardSeat: ar.Standing.BoardSeat, Member: ar.Standing.Member, Now: h.Now()}
	ar.Res = res
	if err := h.Authorize(r, a, act, res, "association", org.Slug); err != nil {
		return ar, err
	}
	ar.Staff = may(a, ar, policy.ManageAssociation)
	return ar, nil
}

// loadForm is load, then the request's form parsed: the start of a page
// write, which refuses an actor before it reads the body.
func (h *Handlers) loadForm(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action) (assocRequest, error) {
	ar, err := h.load(r, a, act)
	if err != nil {
		return ar, err
	}
	return ar, site.ParseForm(w, r)
}

// loadJSON is load, then the request's JSON body read into body: the start
// of an API write, which refuses an actor before it reads the body.
func (h *Handlers) loadJSON(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, body any) (assocRequest, error) {
	ar, err := h.load(r, a, act)
	if err != nil {
		return ar, err
	}
	return ar, site.ReadJSON(w, r, body, maxAPIBytes)
}

// tabs are the association's tabs for this request's page.
func tabs(r *http.Request, a *site.Actor, ar assocRequest) assoctabs.Nav {
	return assoctabs.For(a, ar.Res, ar.Org.Slug, r.URL.Path)
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// auditRead queues the audit entries of a read of personal data. The
// request goes on meanwhile; Render (and writeAudited) wait for them
// before the answer leaves, and answer 503 instead if they failed.
func (h *Handlers) auditRead(r *http.Request, a *site.Actor, events ...audit.Event) {
	if len(events) == 0 || h.UnauditedReads {
		return
	}
	a.QueueAudit(h.Audit.Start(r.Context(), events...))
}

// writeAudited writes v as JSON once the request's audit entries are
// committed (503 if they failed: nothing read leaves unaudited).
func (h *Handlers) writeAudited(w http.ResponseWriter, a *site.Actor, status int, v any) error {
	if err := a.AwaitAudit(); err != nil {
		return site.Unavailable("audit", err)
	}
	site.WriteJSON(w, status, v)
	return nil
}
