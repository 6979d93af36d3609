package forbund

import (
	"errors"
	"net/http"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
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
}

// load finds the association named by the path's {slug} and checks act on
// it: 404 for no such association, the policy's refusal otherwise.
func (h *Handlers) load(r *http.Request, a *site.Actor, act policy.Action) (ar assocRequest, err error) {
	ctx := r.Context()
	org, err := store.OrganisationBySlug(ctx, h.Store, r.PathValue("slug"))
	if errors.Is(err, store.ErrNotFound) || err == nil && org.Type != organisation.Association {
		return ar, site.NotFound()
	}
	if err != nil {
		return ar, site.Unavailable("find association", err)
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
	if err := h.Authorize(r, a, act, res, "association", org.Slug); err != nil {
		return ar, err
	}
	ar.Staff = policy.Can(&a.Actor, policy.ManageAssociation, res) == policy.Allow
	return ar, nil
}

// problemOf is a domain error as a field problem, with the domain's
// explanation in both languages.
func problemOf(e *association.Error) site.Problem {
	return site.Problem{Field: e.Field, Code: e.Code, DetailSV: e.MessageSV, DetailEN: e.Message, Line: e.Line}
}

// fieldProblems are the problems of a validation error; ok is false when
// err is not one.
func fieldProblems(err error) (site.Problems, bool) {
	var es association.Errors
	if errors.As(err, &es) {
		out := make(site.Problems, len(es))
		for i, e := range es {
			out[i] = problemOf(e)
		}
		return out, true
	}
	var e *association.Error
	if errors.As(err, &e) {
		return site.Problems{problemOf(e)}, true
	}
	var ps site.Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	return nil, false
}
