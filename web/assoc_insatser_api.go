package web

// The insatser API (issue 8 item 6): /api/v1/associations/{slug}/insatser
// and /participants, for the association's staff. Field errors answer 422
// validation_failed with the association.Error codes per field; an edit
// from an old version answers 409 stale_version; nothing is written on any
// error.

import (
	"errors"
	"net/http"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

type apiBudget struct {
	Year      int    `json:"year"`
	Financier string `json:"financier"`
	AmountOre int64  `json:"amount_ore"`
}

type apiInsats struct {
	ID               int64                  `json:"id"`
	Name             string                 `json:"name"`
	Description      string                 `json:"description"`
	Kind             string                 `json:"kind"`
	TargetGroup      string                 `json:"target_group"`
	ResponsibleOrgID int64                  `json:"responsible_org_id"`
	PartyOrgIDs      []int64                `json:"party_org_ids"`
	Start            civil.Date             `json:"start"`
	End              *civil.Date            `json:"end"`
	Budgets          []apiBudget            `json:"budgets"`
	Planned          int                    `json:"planned_participants"`
	FollowUp         string                 `json:"follow_up"`
	Status           string                 `json:"status"`
	Public           bool                   `json:"public"`
	Documents        []association.Document `json:"documents"`
	Version          int                    `json:"version"`
	Participants     *apiCounts             `json:"participants,omitempty"`
}

type apiCounts struct {
	Active  int `json:"active"`
	Ended   int `json:"ended"`
	Pending int `json:"pending"`
}

func newAPIInsats(in association.Insats) apiInsats {
	v := apiInsats{ID: in.ID, Name: in.Name, Description: in.Description, Kind: string(in.Kind), TargetGroup: in.TargetGroup,
		ResponsibleOrgID: in.ResponsibleOrgID, PartyOrgIDs: in.PartyOrgIDs, Start: in.Start, Planned: in.Planned,
		FollowUp: string(in.FollowUp), Status: string(in.Status), Public: in.Public, Documents: in.Documents, Version: in.Version,
		Budgets: []apiBudget{}}
	if v.PartyOrgIDs == nil {
		v.PartyOrgIDs = []int64{}
	}
	if v.Documents == nil {
		v.Documents = []association.Document{}
	}
	if !in.End.IsZero() {
		e := in.End
		v.End = &e
	}
	for _, b := range in.Budgets {
		v.Budgets = append(v.Budgets, apiBudget{Year: b.Year, Financier: string(b.Financier), AmountOre: int64(b.Amount)})
	}
	return v
}

// insats is the body of POST and PUT (version required on PUT).
func (v apiInsats) insats() association.Insats {
	in := association.Insats{Name: v.Name, Description: v.Description, Kind: association.Kind(v.Kind), TargetGroup: v.TargetGroup,
		ResponsibleOrgID: v.ResponsibleOrgID, PartyOrgIDs: v.PartyOrgIDs, Start: v.Start, Planned: v.Planned,
		FollowUp: association.FollowUp(v.FollowUp), Status: association.InsatsStatus(v.Status), Public: v.Public,
		Documents: v.Documents, Version: v.Version}
	if v.End != nil {
		in.End = *v.End
	}
	for _, b := range v.Budgets {
		in.Budgets = append(in.Budgets, association.YearBudget{Year: b.Year, Financier: association.Financier(b.Financier), Amount: association.Ore(b.AmountOre)})
	}
	return in
}

// writeFieldErrors answers 422 validation_failed with the errors' codes.
func writeFieldErrors(w http.ResponseWriter, es association.Errors) {
	fe := make([]FieldError, len(es))
	for i, e := range es {
		fe[i] = FieldError{Field: e.Field, Code: e.Code, Message: e.Message}
	}
	writeAPIError(w, http.StatusUnprocessableEntity, APIError{Code: "validation_failed",
		Message: "the input has invalid fields; nothing was written", Fields: fe})
}

func writeStale(w http.ResponseWriter) {
	writeAPIError(w, http.StatusConflict, APIError{Code: "stale_version", Field: "version",
		Message: "changed by someone else since that version; read it again and retry; nothing was written"})
}

// apiAnswerWrite answers a write's error; false when there was none.
func (s *Server) apiAnswerWrite(w http.ResponseWriter, r *http.Request, what string, err error) bool {
	if err == nil {
		return false
	}
	if es, ok := fieldErrors(err); ok {
		writeFieldErrors(w, es)
	} else if errors.Is(err, store.ErrStale) {
		writeStale(w)
	} else if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
	} else {
		s.unavailable(w, r, what, err)
	}
	return true
}

// apiInsatser is GET .../insatser (filter: status).
func (s *Server) apiInsatser(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	list, err := store.Insatser(r.Context(), s.store, store.InsatsQuery{AssociationID: ar.Org.ID, Status: association.InsatsStatus(r.URL.Query().Get("status"))})
	if err != nil {
		s.unavailable(w, r, "insatser", err)
		return
	}
	out := struct {
		Insatser []apiInsats `json:"insatser"`
	}{Insatser: []apiInsats{}}
	for _, in := range list {
		full, err := store.InsatsByID(r.Context(), s.store, ar.Org.ID, in.ID)
		if err != nil {
			s.unavailable(w, r, "insats", err)
			return
		}
		out.Insatser = append(out.Insatser, newAPIInsats(full))
	}
	writeJSON(w, http.StatusOK, out)
}

// apiInsats is GET .../insatser/{insatsID}.
func (s *Server) apiInsats(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, in, ok := s.loadInsats(w, r, a)
	if !ok {
		return
	}
	counts, err := store.ParticipantCounts(r.Context(), s.store, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "participants", err)
		return
	}
	c := countsOf(counts[in.ID])
	v := newAPIInsats(in)
	v.Participants = &apiCounts{Active: c.Active, Ended: c.Ended, Pending: c.Pending}
	writeJSON(w, http.StatusOK, v)
}

// apiInsatsCreate is POST .../insatser.
func (s *Server) apiInsatsCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	var body apiInsats
	if !s.readCaseJSON(w, r, &body) {
		return
	}
	in := body.insats()
	in.ID = 0
	in, err := s.saveInsats(r, a, ar, in)
	if s.apiAnswerWrite(w, r, "create insats", err) {
		return
	}
	w.Header().Set("Location", "/api/v1/associations/"+ar.Org.Slug+"/insatser/"+itoa(in.ID))
	writeJSON(w, http.StatusCreated, newAPIInsats(in))
}

// apiInsatsUpdate is PUT .../insatser/{insatsID}: the whole insats with the
// version it was read at.
func (s *Server) apiInsatsUpdate(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, old, ok := s.loadInsats(w, r, a)
	if !ok {
		return
	}
	var body apiInsats
	if !s.readCaseJSON(w, r, &body) {
		return
	}
	if body.Version < 1 {
		writeFieldErrors(w, association.Errors{assocFieldError(association.CodeRequired, "version", "send the version the change was made from", "")})
		return
	}
	in := body.insats()
	in.ID = old.ID
	in, err := s.saveInsats(r, a, ar, in)
	if s.apiAnswerWrite(w, r, "update insats", err) {
		return
	}
	writeJSON(w, http.StatusOK, newAPIInsats(in))
}

type apiIncome struct {
	Source string `json:"source"`
	Extent int    `json:"extent"`
}

type apiMeasurement struct {
	Phase         string      `json:"phase,omitempty"`
	On            *civil.Date `json:"on,omitempty"`
	IncomeSources []apiIncome `json:"income_sources"`
	Occupation    string      `json:"occupation"`
	Education     string      `json:"education"`
	NotReached    bool        `json:"not_reached"`
}

func (m apiMeasurement) measurement() association.Measurement {
	out := association.Measurement{Phase: association.Phase(m.Phase), Occupation: m.Occupation, Education: m.Education, NotReached: m.NotReached}
	if m.On != nil {
		out.On = *m.On
	}
	for _, s := range m.IncomeSources {
		out.IncomeSources = append(out.IncomeSources, association.IncomeShare{Source: s.Source, Extent: s.Extent})
	}
	return out
}

type apiConsent struct {
	RecordedByName string     `json:"recorded_by_name"`
	On             civil.Date `json:"on"`
	Covers         string     `json:"covers"`
	DocumentRef    string     `json:"document_ref"`
}

type apiParticipantPerson struct {
	Personnummer string `json:"personnummer"`
	Name         string `json:"name"`
}

type apiParticipant struct {
	ID           int64                 `json:"id"`
	InsatsID     int64                 `json:"insats_id"`
	Anonymous    bool                  `json:"anonymous"`
	Person       *apiParticipantPerson `json:"person"`
	Consent      *apiConsent           `json:"consent"`
	Sex          string                `json:"sex"`
	AgeGroup     string                `json:"age_group"`
	Start        *civil.Date           `json:"start"`
	End          *civil.Date           `json:"end"`
	Status       string                `json:"status"`
	EndReason    string                `json:"end_reason"`
	Referral     string                `json:"referral"`
	Days         int                   `json:"days"`
	Measurements []apiMeasurement      `json:"measurements"`
	Version      int                   `json:"version"`
}

func datePtr(d civil.Date) *civil.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

func newAPIParticipant(pr participantRecord, today civil.Date) apiParticipant {
	v := apiParticipant{ID: pr.ID, InsatsID: pr.InsatsID, Anonymous: pr.Anonymous(), Sex: pr.Sex, AgeGroup: pr.AgeGroup,
		Start: datePtr(pr.Start), End: datePtr(pr.End), Status: string(pr.Status), EndReason: pr.EndReason, Referral: pr.Referral,
		Days: pr.Days(today), Version: pr.Version, Measurements: []apiMeasurement{}}
	if !pr.Anonymous() {
		v.Person = &apiParticipantPerson{Personnummer: personnummer.Number(pr.Person.Personnummer).String(), Name: pr.Person.Name}
	}
	if c := pr.Consent; c != nil {
		v.Consent = &apiConsent{RecordedByName: c.RecordedByName, On: c.On, Covers: c.Covers, DocumentRef: c.DocumentRef}
	}
	for _, m := range pr.Measurements {
		am := apiMeasurement{Phase: string(m.Phase), On: datePtr(m.On), Occupation: m.Occupation, Education: m.Education,
			NotReached: m.NotReached, IncomeSources: []apiIncome{}}
		for _, s := range m.IncomeSources {
			am.IncomeSources = append(am.IncomeSources, apiIncome{Source: s.Source, Extent: s.Extent})
		}
		v.Measurements = append(v.Measurements, am)
	}
	return v
}

// apiParticipants is GET .../insatser/{insatsID}/participants: persons
// with their identity, each read audited.
func (s *Server) apiParticipants(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, in, ok := s.loadInsats(w, r, a)
	if !ok {
		return
	}
	_, ps, err := s.insatsParticipants(r.Context(), ar.Org.ID, in.ID)
	if err != nil {
		s.unavailable(w, r, "participants", err)
		return
	}
	out := struct {
		Participants []apiParticipant `json:"participants"`
	}{Participants: []apiParticipant{}}
	var events []audit.Event
	for _, p := range ps {
		pr, err := s.participantRecord(r.Context(), s.store, ar.Org.ID, p.ID)
		if err != nil {
			s.unavailable(w, r, "participant", err)
			return
		}
		if !pr.Anonymous() {
			ev := s.participantEvent(r, a, "read_participant", pr.ID, pr.Person)
			ev.Purpose = "list=insats:" + itoa(in.ID)
			events = append(events, ev)
		}
		out.Participants = append(out.Participants, newAPIParticipant(pr, ar.Today))
	}
	s.auditRead(r, a, events...)
	s.writeAudited(w, r, a, http.StatusOK, out)
}

// apiParticipant is GET .../participants/{participantID}.
func (s *Server) apiParticipant(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, pr, ok := s.loadParticipant(w, r, a)
	if !ok {
		return
	}
	if !pr.Anonymous() {
		ev := s.participantEvent(r, a, "read_participant", pr.ID, pr.Person)
		ev.Purpose = "registration"
		s.auditRead(r, a, ev)
	}
	s.writeAudited(w, r, a, http.StatusOK, newAPIParticipant(pr, ar.Today))
}

// apiRegistration is the body of POST .../participants: with a consent
// the personnummer and name are required; without one the registration is
// anonymous (sex and age group).
type apiRegistration struct {
	Consent          *apiConsent     `json:"consent"`
	Personnummer     string          `json:"personnummer"`
	Name             string          `json:"name"`
	Sex              string          `json:"sex"`
	AgeGroup         string          `json:"age_group"`
	Start            civil.Date      `json:"start"`
	StartMeasurement *apiMeasurement `json:"start_measurement"`
}

// apiParticipantCreate is POST .../insatser/{insatsID}/participants.
func (s *Server) apiParticipantCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, in, ok := s.loadInsats(w, r, a)
	if !ok {
		return
	}
	var body apiRegistration
	if !s.readCaseJSON(w, r, &body) {
		return
	}
	input := participantInput{Personnummer: body.Personnummer, Name: body.Name, Sex: body.Sex, AgeGroup: body.AgeGroup, Start: body.Start}
	if body.Start.IsZero() {
		input.Errors = append(input.Errors, assocFieldError(association.CodeStartRequired, "start", "give the start date", "ange startdatum"))
	}
	if c := body.Consent; c != nil {
		input.WithConsent = true
		input.Consent = association.Consent{RecordedBy: a.UserID, RecordedByName: c.RecordedByName, On: c.On, Covers: c.Covers, DocumentRef: c.DocumentRef}
	}
	if body.StartMeasurement != nil {
		m := body.StartMeasurement.measurement()
		input.Measure = &m
	}
	pr, err := s.registerIn(r, a, ar, in, input)
	if s.apiAnswerWrite(w, r, "register participant", err) {
		return
	}
	w.Header().Set("Location", "/api/v1/associations/"+ar.Org.Slug+"/participants/"+itoa(pr.ID))
	writeJSON(w, http.StatusCreated, newAPIParticipant(pr, ar.Today))
}

type apiEnd struct {
	Version        int            `json:"version"`
	End            civil.Date     `json:"end"`
	EndReason      string         `json:"end_reason"`
	EndMeasurement apiMeasurement `json:"end_measurement"`
}

// apiParticipantAfter answers a participant write with the registration.
func (s *Server) apiParticipantAfter(w http.ResponseWriter, r *http.Request, ar assocRequest, pr participantRecord, p association.Participant, err error, what string) {
	if s.apiAnswerWrite(w, r, what, err) {
		return
	}
	pr.Participant = p
	writeJSON(w, http.StatusOK, newAPIParticipant(pr, ar.Today))
}

func versionRequired(w http.ResponseWriter, v int) bool {
	if v < 1 {
		writeFieldErrors(w, association.Errors{assocFieldError(association.CodeRequired, "version", "send the version the change was made from", "")})
		return false
	}
	return true
}

// apiParticipantEnd is POST .../participants/{participantID}/end.
func (s *Server) apiParticipantEnd(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, pr, ok := s.loadParticipant(w, r, a)
	if !ok {
		return
	}
	var body apiEnd
	if !s.readCaseJSON(w, r, &body) || !versionRequired(w, body.Version) {
		return
	}
	p, err := s.changeParticipant(r, a, ar, pr, body.Version, "end_participant",
		endChange(endInput{End: body.End, Reason: body.EndReason, Measure: body.EndMeasurement.measurement()}, nil))
	s.apiParticipantAfter(w, r, ar, pr, p, err, "end participant")
}

type apiFollowUp struct {
	Version int `json:"version"`
	apiMeasurement
}

// apiParticipantFollowUp is POST .../participants/{participantID}/follow-up.
func (s *Server) apiParticipantFollowUp(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, pr, ok := s.loadParticipant(w, r, a)
	if !ok {
		return
	}
	var body apiFollowUp
	if !s.readCaseJSON(w, r, &body) || !versionRequired(w, body.Version) {
		return
	}
	p, err := s.changeParticipant(r, a, ar, pr, body.Version, "follow_up_participant", followUpChange(body.measurement(), nil))
	s.apiParticipantAfter(w, r, ar, pr, p, err, "follow-up participant")
}
