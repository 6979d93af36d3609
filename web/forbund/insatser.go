package forbund

// Insatser and participants of a coordination association: pages under
// /forbund/{slug}/ and the API under /api/v1/associations/{slug}/.
// Everything here is for the association's own staff
// (policy.ManageAssociation): participants' personal data is shown to them
// only, every read of it is audited (a registration: resource
// "participant", PersonKey of the personnummer; a list on a page: one
// list_participants entry naming the persons shown) and every write
// appends its audit event in its own transaction.

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
)

// loadInsats finds the association and the insats named by {insatsID}
// (404 for one of another association).
func (h *Handlers) loadInsats(r *http.Request, a *site.Actor) (assocRequest, association.Insats, error) {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return ar, association.Insats{}, err
	}
	id, ok := site.PathID(r, "insatsID")
	if !ok {
		return ar, association.Insats{}, site.NotFound()
	}
	in, err := store.InsatsByID(r.Context(), h.Store, ar.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return ar, in, site.NotFound()
	}
	if err != nil {
		return ar, in, site.Unavailable("read insats", err)
	}
	return ar, in, nil
}

// loadParticipant finds the association and the registration named by
// {participantID}, with its person; another association's registration is
// 404.
func (h *Handlers) loadParticipant(r *http.Request, a *site.Actor) (assocRequest, participant.Record, error) {
	var pr participant.Record
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return ar, pr, err
	}
	id, ok := site.PathID(r, "participantID")
	if !ok {
		return ar, pr, site.NotFound()
	}
	pr, err = participant.ByID(r.Context(), h.Store, ar.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return ar, pr, site.NotFound()
	}
	if err != nil {
		return ar, pr, site.Unavailable("read participant", err)
	}
	return ar, pr, nil
}

// insatsEvent is an audit event about an insats (no personal data).
func insatsEvent(r *http.Request, a *site.Actor, action string, id int64) audit.Event {
	return a.Event(r, action, audit.OutcomeOK, "insats", strconv.FormatInt(id, 10))
}

// codeLists is the lists the association uses (its own in place of the
// defaults).
func (h *Handlers) codeLists(ctx context.Context, associationID int64) (*association.CodeLists, error) {
	cl, _, err := store.AssociationCodeLists(ctx, h.Store, associationID)
	return cl, err
}

// insatsCounts is how many registrations an insats has, by status.
type insatsCounts struct {
	Active, Ended, Pending int
}

// Actual is the number of participants who started (ongoing or ended).
func (c insatsCounts) Actual() int { return c.Active + c.Ended }

// countsOf is an insats's counts from store.ParticipantCounts' row.
func countsOf(n map[association.ParticipantStatus]int) insatsCounts {
	return insatsCounts{Active: n[association.Active], Ended: n[association.Ended], Pending: n[association.Pending]}
}

// insatsParticipants are every registration of an insats with their counts
// by status.
func (h *Handlers) insatsParticipants(ctx context.Context, associationID, insatsID int64) (insatsCounts, []association.Participant, error) {
	all, err := h.allParticipants(ctx, store.ParticipantQuery{AssociationID: associationID, InsatsID: insatsID})
	if err != nil {
		return insatsCounts{}, nil, err
	}
	n := map[association.ParticipantStatus]int{}
	for _, p := range all {
		n[p.Status]++
	}
	return countsOf(n), all, nil
}

// dateText is a date for people, "–" for none.
func dateText(d civil.Date) string {
	if d.IsZero() {
		return "–"
	}
	return d.String()
}
