package forbund

// The insatser API: /api/v1/associations/{slug}/insatser
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
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
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

// errStale is the answer to an edit of an old version.
var errStale = &site.Error{Status: http.StatusConflict, Code: "stale_version", Field: "version",
	Message: "changed by someone else since that version; read it again and retry; nothing was written"}

// writeError is a write's error as the API answers it: field problems 422,
// an old version 409, no such resource 404, anything else 503.
func writeError(what string, err error) error {
	if ps, ok := participant.Problems(err); ok {
		return ps
	}
	switch {
	case errors.Is(err, store.ErrStale):
		return errStale
	case errors.Is(err, store.ErrNotFound):
		return site.NotFound()
	}
	return site.Unavailable(what, err)
}

// versionRequired is the problem of a change that does not say which
// version it was made from.
var versionRequired = site.Problems{participant.Problem(association.CodeRequired, "version", "send the version the change was made from", "")}

// readVersioned reads a write's JSON body into body; *version, the
// body's version the change was made from, must be given (versionRequired).
func readVersioned(w http.ResponseWriter, r *http.Request, body any, version *int) error {
	if err := site.ReadJSON(w, r, body, maxAPIBytes); err != nil {
		return err
	}
	if *version < 1 {
		return versionRequired
	}
	return nil
}

// APIInsatser is GET .../insatser (filter: status).
func (h *Handlers) APIInsatser(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	list, err := store.Insatser(r.Context(), h.Store, store.InsatsQuery{AssociationID: ar.Org.ID, Status: association.InsatsStatus(r.URL.Query().Get("status"))})
	if err != nil {
		return site.Unavailable("insatser", err)
	}
	out := struct {
		Insatser []apiInsats `json:"insatser"`
	}{Insatser: []apiInsats{}}
	for _, in := range list {
		full, err := store.InsatsByID(r.Context(), h.Store, ar.Org.ID, in.ID)
		if err != nil {
			return site.Unavailable("insats", err)
		}
		out.Insatser = append(out.Insatser, newAPIInsats(full))
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}

// APIInsats is GET .../insatser/{insatsID}.
func (h *Handlers) APIInsats(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, in, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	counts, err := store.ParticipantCounts(r.Context(), h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("participants", err)
	}
	c := countsOf(counts[in.ID])
	v := newAPIInsats(in)
	v.Participants = &apiCounts{Active: c.Active, Ended: c.Ended, Pending: c.Pending}
	site.WriteJSON(w, http.StatusOK, v)
	return nil
}

// APIInsatsCreate is POST .../insatser.
func (h *Handlers) APIInsatsCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body apiInsats
	ar, err := h.loadJSON(w, r, a, policy.ManageAssociation, &body)
	if err != nil {
		return err
	}
	in := body.insats()
	in.ID = 0
	in, err = h.saveInsats(r, a, ar, in)
	if err != nil {
		return writeError("create insats", err)
	}
	w.Header().Set("Location", "/api/v1/associations/"+ar.Org.Slug+"/insatser/"+itoa(in.ID))
	site.WriteJSON(w, http.StatusCreated, newAPIInsats(in))
	return nil
}

// APIInsatsUpdate is PUT .../insatser/{insatsID}: the whole insats with the
// version it was read at.
func (h *Handlers) APIInsatsUpdate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, old, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	var body apiInsats
	if err := readVersioned(w, r, &body, &body.Version); err != nil {
		return err
	}
	in := body.insats()
	in.ID = old.ID
	in, err = h.saveInsats(r, a, ar, in)
	if err != nil {
		return writeError("update insats", err)
	}
	site.WriteJSON(w, http.StatusOK, newAPIInsats(in))
	return nil
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

func newAPIParticipant(pr participant.Record, today civil.Date) apiParticipant {
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

// APIParticipants is GET .../insatser/{insatsID}/participants: persons
// with their identity, each read audited.
func (h *Handlers) APIParticipants(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, in, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	_, ps, err := h.insatsParticipants(r.Context(), ar.Org.ID, in.ID)
	if err != nil {
		return site.Unavailable("participants", err)
	}
	out := struct {
		Participants []apiParticipant `json:"participants"`
	}{Participants: []apiParticipant{}}
	var events []audit.Event
	for _, p := range ps {
		pr, err := participant.ByID(r.Context(), h.Store, ar.Org.ID, p.ID)
		if err != nil {
			return site.Unavailable("participant", err)
		}
		if !pr.Anonymous() {
			ev := participant.Event(h.Site, r, a, "read_participant", pr.ID, pr.Person)
			ev.Purpose = "list=insats:" + itoa(in.ID)
			events = append(events, ev)
		}
		out.Participants = append(out.Participants, newAPIParticipant(pr, ar.Today))
	}
	h.auditRead(r, a, events...)
	return h.writeAudited(w, a, http.StatusOK, out)
}

// APIParticipant is GET .../participants/{participantID}.
func (h *Handlers) APIParticipant(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, pr, err := h.loadParticipant(r, a)
	if err != nil {
		return err
	}
	if !pr.Anonymous() {
		ev := participant.Event(h.Site, r, a, "read_participant", pr.ID, pr.Person)
		ev.Purpose = "registration"
		h.auditRead(r, a, ev)
	}
	return h.writeAudited(w, a, http.StatusOK, newAPIParticipant(pr, ar.Today))
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

// APIParticipantCreate is POST .../insatser/{insatsID}/participants.
func (h *Handlers) APIParticipantCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, in, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	var body apiRegistration
	if err := site.ReadJSON(w, r, &body, maxAPIBytes); err != nil {
		return err
	}
	input := participant.Input{Personnummer: body.Personnummer, Name: body.Name, Sex: body.Sex, AgeGroup: body.AgeGroup, Start: body.Start}
	if body.Start.IsZero() {
		input.Errors = append(input.Errors, participant.Problem(association.CodeStartRequired, "start", "give the start date", "ange startdatum"))
	}
	if c := body.Consent; c != nil {
		input.WithConsent = true
		input.Consent = association.Consent{RecordedBy: a.UserID, RecordedByName: c.RecordedByName, On: c.On, Covers: c.Covers, DocumentRef: c.DocumentRef}
	}
	if body.StartMeasurement != nil {
		m := body.StartMeasurement.measurement()
		input.Measure = &m
	}
	pr, err := h.registerIn(r, a, ar, in, input)
	if err != nil {
		return writeError("register participant", err)
	}
	w.Header().Set("Location", "/api/v1/associations/"+ar.Org.Slug+"/participants/"+itoa(pr.ID))
	site.WriteJSON(w, http.StatusCreated, newAPIParticipant(pr, ar.Today))
	return nil
}

type apiEnd struct {
	Version        int            `json:"version"`
	End            civil.Date     `json:"end"`
	EndReason      string         `json:"end_reason"`
	EndMeasurement apiMeasurement `json:"end_measurement"`
}

// apiParticipantStep is an API change of the registration of the path's
// {participantID}: the JSON body is read into body (readVersioned), the
// change made of it stored as action, and the answer is the registration
// as it then stands.
func (h *Handlers) apiParticipantStep(w http.ResponseWriter, r *http.Request, a *site.Actor, body any, version *int, action, what string,
	change func() func(p *association.Participant) site.Problems) error {
	ar, pr, err := h.loadParticipant(r, a)
	if err != nil {
		return err
	}
	if err := readVersioned(w, r, body, version); err != nil {
		return err
	}
	p, err := h.changeParticipant(r, a, ar, pr, *version, action, change())
	if err != nil {
		return writeError(what, err)
	}
	pr.Participant = p
	site.WriteJSON(w, http.StatusOK, newAPIParticipant(pr, ar.Today))
	return nil
}

// APIParticipantEnd is POST .../participants/{participantID}/end.
func (h *Handlers) APIParticipantEnd(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body apiEnd
	return h.apiParticipantStep(w, r, a, &body, &body.Version, "end_participant", "end participant", func() func(p *association.Participant) site.Problems {
		return endChange(endInput{End: body.End, Reason: body.EndReason, Measure: body.EndMeasurement.measurement()}, nil)
	})
}

type apiFollowUp struct {
	Version int `json:"version"`
	apiMeasurement
}

// APIParticipantFollowUp is POST .../participants/{participantID}/follow-up.
func (h *Handlers) APIParticipantFollowUp(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body apiFollowUp
	return h.apiParticipantStep(w, r, a, &body, &body.Version, "follow_up_participant", "follow-up participant", func() func(p *association.Participant) site.Problems {
		return followUpChange(body.measurement(), nil)
	})
}
