package web

import (
	"errors"
	"net/http"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// The insatser and reports of the coordination associations, until they
// join the rest in package web/forbund.

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

// loadAssociation finds the association named by the path's {slug} and
// checks act on it. On refusal or error it has answered (404 for no such
// association, 403/404 by the policy) and ok is false.
func (s *Server) loadAssociation(w http.ResponseWriter, r *http.Request, a *actor, act policy.Action) (ar assocRequest, ok bool) {
	ctx := r.Context()
	slug := r.PathValue("slug")
	org, err := store.OrganisationBySlug(ctx, s.store, slug)
	if errors.Is(err, store.ErrNotFound) || err == nil && org.Type != organisation.Association {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return ar, false
	}
	if err != nil {
		s.unavailable(w, r, "find association", err)
		return ar, false
	}
	ar.Org = org
	ar.Today = civil.Of(swedishDate(s.now()))
	if a.User != nil {
		ar.Standing, err = store.StandingOf(ctx, s.store, org.ID, a.OrgID, a.UserID, ar.Today)
		if err != nil {
			s.unavailable(w, r, "association standing", err)
			return ar, false
		}
	}
	res := policy.Resource{OrgID: org.ID, BoardSeat: ar.Standing.BoardSeat, Member: ar.Standing.Member, Now: s.now()}
	if !s.authorize(w, r, a, act, res, "association", org.Slug) {
		return ar, false
	}
	ar.Staff = policy.Can(&a.Actor, policy.ManageAssociation, res) == policy.Allow
	return ar, true
}
