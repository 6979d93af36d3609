package web

// Insatser and participants of a coordination association (issue 8 items
// 3, 4 and 6): pages under /forbund/{slug}/ and the API under
// /api/v1/associations/{slug}/. Everything here is for the association's
// own staff (policy.ManageAssociation): participants' personal data is
// shown to them only, every read of it is audited (resource
// "participant", PersonKey of the personnummer) and every write appends
// its audit event in its own transaction.

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// registerInsatsRoutes declares this part's routes (see association.go).
func (s *Server) registerInsatsRoutes() {
	m := policy.ManageAssociation
	s.page("GET /forbund/{slug}/insatser", m, s.insatsList)
	s.page("GET /forbund/{slug}/insatser/ny", m, s.insatsNew)
	s.page("POST /forbund/{slug}/insatser/ny", m, s.insatsCreate)
	s.page("GET /forbund/{slug}/insatser/{insatsID}", m, s.insatsShow)
	s.page("POST /forbund/{slug}/insatser/{insatsID}", m, s.insatsUpdate)
	s.page("GET /forbund/{slug}/insatser/{insatsID}/deltagare/ny", m, s.participantNew)
	s.page("POST /forbund/{slug}/insatser/{insatsID}/deltagare/ny", m, s.participantCreate)
	s.page("GET /forbund/{slug}/deltagare/{participantID}", m, s.participantShow)
	s.page("POST /forbund/{slug}/deltagare/{participantID}/start", m, s.participantStartPost)
	s.page("POST /forbund/{slug}/deltagare/{participantID}/avboj", m, s.participantDeclinePost)
	s.page("POST /forbund/{slug}/deltagare/{participantID}/utskrivning", m, s.participantEndPost)
	s.page("POST /forbund/{slug}/deltagare/{participantID}/uppfoljning", m, s.participantFollowUpPost)
	s.page("GET /forbund/{slug}/kodlistor", m, s.codeListsPage)
	s.page("POST /forbund/{slug}/kodlistor", m, s.codeListsUpload)

	api := "/api/v1/associations/{slug}/"
	s.api("GET "+api+"insatser", m, s.apiInsatser)
	s.api("POST "+api+"insatser", m, s.apiInsatsCreate)
	s.api("GET "+api+"insatser/{insatsID}", m, s.apiInsats)
	s.api("PUT "+api+"insatser/{insatsID}", m, s.apiInsatsUpdate)
	s.api("GET "+api+"insatser/{insatsID}/participants", m, s.apiParticipants)
	s.api("POST "+api+"insatser/{insatsID}/participants", m, s.apiParticipantCreate)
	s.api("GET "+api+"participants/{participantID}", m, s.apiParticipant)
	s.api("POST "+api+"participants/{participantID}/end", m, s.apiParticipantEnd)
	s.api("POST "+api+"participants/{participantID}/follow-up", m, s.apiParticipantFollowUp)

	// Referral from case work (case_referral.go): an FK case worker with
	// write access to the case; the form is a page of its own, linked from
	// the case page's section "Hänvisa till samordningsförbund".
	s.page("GET /arenden/{id}/hanvisning", policy.WritePerson, s.caseReferralPage)
	s.page("POST /arenden/{id}/hanvisning", policy.WritePerson, s.caseReferralPost)
}

// loadInsats finds the association and the insats named by {insatsID}
// (404 for one of another association). On false it has answered.
func (s *Server) loadInsats(w http.ResponseWriter, r *http.Request, a *actor) (assocRequest, association.Insats, bool) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return ar, association.Insats{}, false
	}
	id, ok := pathID(r, "insatsID")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return ar, association.Insats{}, false
	}
	in, err := store.InsatsByID(r.Context(), s.store, ar.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return ar, in, false
	}
	if err != nil {
		s.unavailable(w, r, "read insats", err)
		return ar, in, false
	}
	return ar, in, true
}

// participantRecord is a registration with the person it names (zero for
// an anonymous one).
type participantRecord struct {
	association.Participant
	Person store.Person
}

// loadParticipant finds the association and the registration named by
// {participantID}, with its person; another association's registration is
// 404. On false it has answered.
func (s *Server) loadParticipant(w http.ResponseWriter, r *http.Request, a *actor) (assocRequest, participantRecord, bool) {
	var pr participantRecord
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return ar, pr, false
	}
	id, ok := pathID(r, "participantID")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return ar, pr, false
	}
	pr, err := s.participantRecord(r.Context(), s.store, ar.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return ar, pr, false
	}
	if err != nil {
		s.unavailable(w, r, "read participant", err)
		return ar, pr, false
	}
	return ar, pr, true
}

func (s *Server) participantRecord(ctx context.Context, q store.Querier, associationID, id int64) (participantRecord, error) {
	p, err := store.ParticipantByID(ctx, q, associationID, id)
	if err != nil {
		return participantRecord{}, err
	}
	pr := participantRecord{Participant: p}
	if p.PersonID != 0 {
		if pr.Person, err = store.PersonByID(ctx, q, p.PersonID); err != nil {
			return pr, err
		}
	}
	return pr, nil
}

// participantEvent is an audit event about a registration; for one that
// names a person it carries the person's key.
func (s *Server) participantEvent(r *http.Request, a *actor, action string, id int64, person store.Person) audit.Event {
	e := a.Event(r, action, audit.OutcomeOK, "participant", strconv.FormatInt(id, 10))
	if person.Personnummer != "" {
		e.PersonKey = s.audit.Keys().PersonKey(personnummer.Number(person.Personnummer))
	}
	return e
}

// insatsEvent is an audit event about an insats (no personal data).
func insatsEvent(r *http.Request, a *actor, action string, id int64) audit.Event {
	return a.Event(r, action, audit.OutcomeOK, "insats", strconv.FormatInt(id, 10))
}

// codeLists is the lists the association uses (its own in place of the
// defaults).
func (s *Server) codeLists(ctx context.Context, associationID int64) (*association.CodeLists, error) {
	cl, _, err := store.AssociationCodeLists(ctx, s.store, associationID)
	return cl, err
}

// fieldErrors turns a validation error into the errors to show; ok is false
// when err is not a validation error.
func fieldErrors(err error) (association.Errors, bool) {
	var es association.Errors
	if errors.As(err, &es) {
		return es, true
	}
	var e *association.Error
	if errors.As(err, &e) {
		return association.Errors{e}, true
	}
	return nil, false
}

// assocFieldError is one input error the web layer finds itself (a date
// that does not parse, a personnummer with a wrong check digit).
func assocFieldError(code, field, en, sv string) *association.Error {
	return &association.Error{Code: code, Field: field, Message: en, MessageSV: sv}
}

// Codes of input errors found by the web layer.
const (
	codeInvalidDate         = "invalid_date"
	codeInvalidPersonnummer = "invalid_personnummer"
	codeInvalidNumber       = association.CodeInvalidNumber
)

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

// insatsParticipants are every registration of an insats, read in pages of
// 1 000, with their counts by status.
func (s *Server) insatsParticipants(ctx context.Context, associationID, insatsID int64) (insatsCounts, []association.Participant, error) {
	var all []association.Participant
	var after int64
	for {
		ps, err := store.Participants(ctx, s.store, store.ParticipantQuery{AssociationID: associationID, InsatsID: insatsID, AfterID: after, Limit: 1000})
		if err != nil {
			return insatsCounts{}, nil, err
		}
		all = append(all, ps...)
		if len(ps) < 1000 {
			break
		}
		after = ps[len(ps)-1].ID
	}
	n := map[association.ParticipantStatus]int{}
	for _, p := range all {
		n[p.Status]++
	}
	return countsOf(n), all, nil
}

// parseDateField reads an optional date; errs gets an error for one that
// does not parse.
func parseDateField(errs *association.Errors, field, v string) civil.Date {
	if v == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(v)
	if err != nil {
		*errs = append(*errs, assocFieldError(codeInvalidDate, field, "write the date as YYYY-MM-DD", "skriv datumet som ÅÅÅÅ-MM-DD"))
	}
	return d
}
