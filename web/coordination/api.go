package coordination

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// The JSON API of coordination, for signed-in users: the same access, the
// same validation and the same audit as the pages. Field problems answer
// 422 validation_failed with the fields' stable codes.

const apiBodyLimit = 64 << 10

type apiListItem struct {
	ID           int64      `json:"id"`
	CaseID       int64      `json:"case_id"`
	PersonName   string     `json:"person_name"`
	Personnummer string     `json:"personnummer,omitempty"`
	Lead         string     `json:"lead"`
	InvitedAt    time.Time  `json:"invited_at"`
	New          bool       `json:"new"`
	NextMeeting  *time.Time `json:"next_meeting,omitempty"`
	OpenActions  int        `json:"open_actions"`
}

// APIList is GET /api/v1/coordinations: Mina samordningsärenden.
func (h *Handlers) APIList(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	rows, vias, err := h.visibleRows(r, a)
	if err != nil {
		return err
	}
	out := []apiListItem{}
	for _, row := range rows {
		it := apiListItem{ID: row.ID, CaseID: row.CaseID, PersonName: row.PersonName, Lead: row.LeadOrgName, InvitedAt: row.InvitedAt.UTC(),
			New: row.New, OpenActions: row.OpenActions}
		if !row.ProtectedIdentity {
			it.Personnummer = row.Personnummer
		}
		if !row.NextMeeting.IsZero() {
			t := row.NextMeeting.UTC()
			it.NextMeeting = &t
		}
		out = append(out, it)
	}
	h.auditList(r, a, "/api/v1/coordinations", rows, vias)
	if err := a.AwaitAudit(); err != nil {
		return site.Unavailable("audit", err)
	}
	site.WriteJSON(w, http.StatusOK, map[string]any{"coordinations": out})
	return nil
}

type apiParty struct {
	OrgID int64  `json:"org_id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
}

type apiConsentParty struct {
	OrgID int64    `json:"org_id"`
	Parts []string `json:"parts"`
}

type apiConsent struct {
	ID             int64             `json:"id"`
	Purpose        string            `json:"purpose"`
	Parties        []apiConsentParty `json:"parties"`
	ValidFrom      civil.Date        `json:"valid_from"`
	ValidUntil     civil.Date        `json:"valid_until"`
	Method         string            `json:"method"`
	DocumentRef    string            `json:"document_ref,omitempty"`
	OralRecordedBy string            `json:"oral_recorded_by,omitempty"`
	OralRecordedOn *civil.Date       `json:"oral_recorded_on,omitempty"`
	RecordedByOrg  int64             `json:"recorded_by_org_id"`
	Withdrawn      bool              `json:"withdrawn"`
}

// apiMeeting is a meeting as the API answers it: as it is convened, with
// its id, status and minutes.
type apiMeeting struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	apiMeetingIn
	Minutes string `json:"minutes"`
	// DoctorFeeKr is the most a doctor who took part in a held
	// avstämningsmöte may claim from FK, excluding VAT.
	DoctorFeeKr *int64 `json:"doctor_fee_kr,omitempty"`
}

// apiAction is a plan action as the API answers it: as it is added, with
// its id, status and the meeting that agreed it.
type apiAction struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	apiActionIn
	MeetingID int64 `json:"meeting_id,omitempty"`
}

type apiPeriod struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Degree int    `json:"degree"`
}

type apiCoordination struct {
	ID           int64        `json:"id"`
	CaseID       int64        `json:"case_id"`
	PersonName   string       `json:"person_name"`
	Personnummer string       `json:"personnummer,omitempty"`
	LeadOrgID    int64        `json:"lead_org_id"`
	Via          string       `json:"via"`
	Parties      []apiParty   `json:"parties"`
	Consents     []apiConsent `json:"consents"`
	// The parts the consent may not cover are absent, not empty.
	Meetings    *[]apiMeeting `json:"meetings,omitempty"`
	PlanActions *[]apiAction  `json:"plan_actions,omitempty"`
	SickLeave   *[]apiPeriod  `json:"sick_leave,omitempty"`
	Diagnoses   *[]string     `json:"diagnoses,omitempty"`
	// Notes are the actor's organisation's own notes and the others'
	// shared ones the consents let it see, newest first.
	Notes []apiNote `json:"notes"`
}

type apiNote struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	OrgName   string    `json:"org_name"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	Shared    bool      `json:"shared"`
	CreatedAt time.Time `json:"created_at"`
}

func consentJSON(c *coordination.Consent) apiConsent {
	out := apiConsent{ID: c.ID, Purpose: string(c.Purpose), ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil, Method: string(c.Method),
		DocumentRef: c.DocumentRef, OralRecordedBy: c.OralRecordedBy, RecordedByOrg: c.RecordedByOrg, Withdrawn: c.Withdrawn(), Parties: []apiConsentParty{}}
	if !c.OralRecordedOn.IsZero() {
		d := c.OralRecordedOn
		out.OralRecordedOn = &d
	}
	for _, p := range c.Parties {
		cp := apiConsentParty{OrgID: p.OrgID, Parts: []string{}}
		for _, n := range partNames {
			if p.Parts&n.Part != 0 {
				cp.Parts = append(cp.Parts, n.Name)
			}
		}
		out.Parties = append(out.Parties, cp)
	}
	return out
}

// APIGet is GET /api/v1/coordinations/{id}: what the consents let the
// actor see of one coordination.
func (h *Handlers) APIGet(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	id, l, err := h.loadPath(r, a, "coordinationID", policy.ReadPerson, policy.PartBasic)
	if err != nil {
		return err
	}
	c := l.Case
	out := apiCoordination{ID: l.K.ID, CaseID: c.ID, PersonName: c.PersonName, LeadOrgID: l.K.LeadOrgID, Via: via(l.Via),
		Parties: []apiParty{}, Consents: []apiConsent{}, Notes: []apiNote{}}
	if !c.ProtectedIdentity {
		out.Personnummer = c.Personnummer
	}
	for _, p := range l.K.Parties {
		out.Parties = append(out.Parties, apiParty{OrgID: p.OrgID, Name: p.OrgName, Type: string(p.OrgType)})
	}
	for i := range l.Consents {
		cs := &l.Consents[i]
		if _, named := cs.PartyOf(a.OrgID); named || cs.RecordedByOrg == a.OrgID {
			out.Consents = append(out.Consents, consentJSON(cs))
		}
	}
	e := l.event(r, a, "read_coordination", "coordination", itoa(id))
	events := []audit.Event{e}
	if l.may(a, policy.ReadPerson, policy.PartPlan) {
		meetings, actions := []apiMeeting{}, []apiAction{}
		out.Meetings, out.PlanActions = &meetings, &actions
		ms, err := store.Meetings(ctx, h.Store, id)
		if err != nil {
			return site.Unavailable("meetings", err)
		}
		for _, m := range ms {
			am := apiMeeting{ID: m.ID, Status: string(m.Status), Minutes: m.Minutes, apiMeetingIn: apiMeetingIn{Kind: string(m.Kind), Start: m.Start.UTC(),
				LengthMinutes: m.LengthMinutes, Place: m.Place, Video: m.Video, PersonAttends: m.PersonAttends, Agenda: m.Agenda, PartyOrgIDs: []int64{}}}
			for _, p := range m.Parties {
				am.PartyOrgIDs = append(am.PartyOrgIDs, p.OrgID)
			}
			if m.Kind == coordination.Reconciliation && m.Status == coordination.Held && m.DoctorAttended {
				if rate, ok := coordination.RateOn(coordination.DayOf(m.Start)); ok {
					fee := coordination.DoctorFeeKr(rate, m.LengthMinutes)
					am.DoctorFeeKr = &fee
				}
			}
			meetings = append(meetings, am)
		}
		items, err := store.PlanItems(ctx, h.Store, c.ID)
		if err != nil {
			return site.Unavailable("plan", err)
		}
		for _, it := range items {
			actions = append(actions, apiAction{ID: it.ID, Status: it.Status, MeetingID: it.MeetingID, apiActionIn: apiActionIn{
				apiAgreedIn: apiAgreedIn{Title: it.Title, OwnerOrgID: it.OwnerOrgID, OwnerPerson: it.OwnerPerson, Due: dayUTC(it.Due)},
				Source:      it.Source, SourceRef: it.SourceRef}})
		}
	}
	if l.may(a, policy.ReadPerson, policy.PartSickLeave) {
		ps, err := store.PersonPeriods(ctx, h.Store, c.PersonID, c.FirstDay, c.LastDay)
		if err != nil {
			return site.Unavailable("periods", err)
		}
		periods := []apiPeriod{}
		for _, p := range ps {
			periods = append(periods, apiPeriod{From: dayUTC(p.From), To: dayUTC(p.To), Degree: p.Degree})
		}
		out.SickLeave = &periods
	}
	if l.may(a, policy.ReadDiagnoses, policy.PartDiagnoses) {
		certs, err := store.CaseCertificates(ctx, h.Store, c.ID)
		if err != nil {
			return site.Unavailable("certificates", err)
		}
		codes := []string{}
		for _, x := range certs {
			codes = append(codes, x.DiagnosisCode)
		}
		out.Diagnoses = &codes
		_, cid := policy.Decide(&a.Actor, policy.ReadDiagnoses, l.resource(l.K.LeadOrgID, policy.PartDiagnoses))
		d := l.event(r, a, "read_diagnoses", "coordination", itoa(id))
		d.Purpose = via(cid)
		events = append(events, d)
	}
	notes, err := h.visibleNotes(ctx, a, l)
	if err != nil {
		return site.Unavailable("notes", err)
	}
	for _, n := range notes {
		out.Notes = append(out.Notes, apiNote{ID: n.ID, OrgID: n.OrgID, OrgName: n.OrgName, Author: n.Author, Body: n.Body, Shared: n.Shared,
			CreatedAt: n.CreatedAt.UTC()})
	}
	h.auditRead(r, a, events...)
	if err := a.AwaitAudit(); err != nil {
		return site.Unavailable("audit", err)
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}

type apiConsentIn struct {
	Purpose        string            `json:"purpose"`
	Parties        []apiConsentParty `json:"parties"`
	ValidFrom      string            `json:"valid_from"`
	ValidUntil     string            `json:"valid_until"`
	Method         string            `json:"method"`
	DocumentRef    string            `json:"document_ref"`
	OralRecordedBy string            `json:"oral_recorded_by"`
	OralRecordedOn string            `json:"oral_recorded_on"`
}

// apiAdd is a JSON write of one new thing on the coordination of the
// path's {coordinationID}: access for act on part first, since a refusal
// does not depend on the body; then the body is read into in and write
// stores what it says. The answer is the new resource's id.
func (h *Handlers) apiAdd(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, part policy.Part, in any,
	write func(l *loaded) (int64, error)) error {
	return h.apiWrite(w, r, a, act, part, http.StatusCreated, in, write)
}

// apiOn is a JSON write on one existing item of the coordination's plan
// or meetings, the path's {item}: as apiAdd, answered 200 with the item's
// id.
func (h *Handlers) apiOn(w http.ResponseWriter, r *http.Request, a *site.Actor, item string, in any,
	write func(l *loaded, itemID int64) error) error {
	itemID, err := pathID(r, item)
	if err != nil {
		return err
	}
	return h.apiWrite(w, r, a, policy.Coordinate, policy.PartPlan, http.StatusOK, in, func(l *loaded) (int64, error) {
		return itemID, write(l, itemID)
	})
}

func (h *Handlers) apiWrite(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, part policy.Part, status int, in any,
	write func(l *loaded) (int64, error)) error {
	_, l, err := h.loadPath(r, a, "coordinationID", act, part)
	if err != nil {
		return err
	}
	if err := site.ReadJSON(w, r, in, apiBodyLimit); err != nil {
		return err
	}
	nid, err := write(l)
	if err != nil {
		return err
	}
	site.WriteJSON(w, status, map[string]int64{"id": nid})
	return nil
}

// APIConsent is POST /api/v1/coordinations/{id}/consents.
func (h *Handlers) APIConsent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var in apiConsentIn
	return h.apiAdd(w, r, a, policy.ReadPerson, policy.PartBasic, &in, func(l *loaded) (int64, error) {
		f := &form{Values: url.Values{"purpose": {in.Purpose}, "valid_from": {in.ValidFrom}, "valid_until": {in.ValidUntil}, "method": {in.Method},
			"document_ref": {in.DocumentRef}, "oral_recorded_by": {in.OralRecordedBy}, "oral_recorded_on": {in.OralRecordedOn}}}
		for _, p := range in.Parties {
			f.Values["parts_"+itoa(p.OrgID)] = p.Parts
		}
		return h.recordConsent(r, a, l, f)
	})
}

type apiMeetingIn struct {
	Kind          string    `json:"kind"`
	Start         time.Time `json:"start"`
	LengthMinutes int       `json:"length_minutes"`
	Place         string    `json:"place"`
	Video         bool      `json:"video"`
	PartyOrgIDs   []int64   `json:"party_org_ids"`
	PersonAttends bool      `json:"person_attends"`
	Agenda        string    `json:"agenda"`
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return ""
}

// APIMeeting is POST /api/v1/coordinations/{id}/meetings.
func (h *Handlers) APIMeeting(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var in apiMeetingIn
	return h.apiAdd(w, r, a, policy.Coordinate, policy.PartPlan, &in, func(l *loaded) (int64, error) {
		f := &form{Values: url.Values{"kind": {in.Kind}, "length": {strconv.Itoa(in.LengthMinutes)}, "place": {in.Place}, "video": {onOff(in.Video)},
			"person_attends": {onOff(in.PersonAttends)}, "agenda": {in.Agenda}}}
		if !in.Start.IsZero() {
			st := in.Start.In(site.Stockholm)
			f.Values.Set("date", st.Format("2006-01-02"))
			f.Values.Set("time", st.Format("15:04"))
		}
		for _, org := range in.PartyOrgIDs {
			f.Values.Add("parties", itoa(org))
		}
		return h.addMeeting(r, a, l, f)
	})
}

// apiActionIn is an action for the plan: the fields of an agreed action
// and where it comes from.
type apiActionIn struct {
	apiAgreedIn
	Source    string `json:"source"`
	SourceRef string `json:"source_ref"`
}

// APIAction is POST /api/v1/coordinations/{id}/plan-actions.
func (h *Handlers) APIAction(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var in apiActionIn
	return h.apiAdd(w, r, a, policy.Coordinate, policy.PartPlan, &in, func(l *loaded) (int64, error) {
		f := &form{Values: url.Values{"source": {in.Source}, "source_ref": {in.SourceRef}}}
		in.setIn(f.Values, "")
		return h.addAction(r, a, l, f)
	})
}

// APIWithdraw is POST /api/v1/consents/{consentID}/withdraw.
func (h *Handlers) APIWithdraw(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	id, err := pathID(r, "consentID")
	if err != nil {
		return err
	}
	c, err := h.consentToWithdraw(r, a, id)
	if err != nil {
		return err
	}
	if err := h.withdraw(r, a, c); err != nil {
		return err
	}
	site.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "withdrawn": true})
	return nil
}

type apiHeldIn struct {
	Minutes        string        `json:"minutes"`
	LengthMinutes  int           `json:"length_minutes"`
	DoctorAttended bool          `json:"doctor_attended"`
	AgreedActions  []apiAgreedIn `json:"agreed_actions"`
}

// apiAgreedIn is an action agreed at a meeting: its source is the meeting.
type apiAgreedIn struct {
	Title       string `json:"title"`
	OwnerOrgID  int64  `json:"owner_org_id"`
	OwnerPerson string `json:"owner_person"`
	Due         string `json:"due"`
}

// setIn sets the action's fields in a form's values, each name suffixed
// by n as the page's form numbers the rows of its agreed actions.
func (in apiAgreedIn) setIn(v url.Values, n string) {
	v.Set("title"+n, in.Title)
	v.Set("owner_person"+n, in.OwnerPerson)
	v.Set("due"+n, in.Due)
	if in.OwnerOrgID != 0 {
		v.Set("owner_org"+n, itoa(in.OwnerOrgID))
	}
}

// APIMeetingHeld is POST
// /api/v1/coordinations/{id}/meetings/{meetingID}/held: the convening
// organisation records the meeting held, its minutes and the actions
// agreed, which land in the plan. Problems of agreed action n (from 1)
// carry its number: title1, due2.
func (h *Handlers) APIMeetingHeld(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var in apiHeldIn
	return h.apiOn(w, r, a, "meetingID", &in, func(l *loaded, mid int64) error {
		if len(in.AgreedActions) > maxAgreed {
			return site.Problems{{Field: "agreed_actions", Code: "too_many"}}
		}
		f := &form{Values: url.Values{"minutes": {in.Minutes}, "length": {strconv.Itoa(in.LengthMinutes)}, "doctor": {onOff(in.DoctorAttended)}}}
		var ps site.Problems
		for i, act := range in.AgreedActions {
			n := strconv.Itoa(i + 1)
			// The page skips an empty row of its form; an action in the
			// body is one to store, and needs its title.
			if strings.TrimSpace(act.Title) == "" {
				ps.Add("title"+n, "required")
			}
			act.setIn(f.Values, n)
		}
		if ps.Any() {
			return ps
		}
		return h.meetingHeld(r, a, l, mid, f)
	})
}

type apiActionEditIn struct {
	Status      string `json:"status"`
	Due         string `json:"due"`
	OwnerPerson string `json:"owner_person"`
}

// APIEditAction is POST /api/v1/coordinations/{id}/plan-actions/{actionID}:
// status, due date and owning person of one of the organisation's own
// actions.
func (h *Handlers) APIEditAction(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var in apiActionEditIn
	return h.apiOn(w, r, a, "actionID", &in, func(l *loaded, aid int64) error {
		return h.editAction(r, a, l, aid, &form{Values: url.Values{"status": {in.Status}, "due": {in.Due}, "owner_person": {in.OwnerPerson}}})
	})
}

type apiNoteIn struct {
	Body   string `json:"body"`
	Shared bool   `json:"shared"`
}

// APINote is POST /api/v1/coordinations/{id}/notes: a note in the
// organisation's own space, shared with the others only if shared is true
// (and then only with those the consents cover).
func (h *Handlers) APINote(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var in apiNoteIn
	return h.apiAdd(w, r, a, policy.Coordinate, policy.PartPlan, &in, func(l *loaded) (int64, error) {
		return h.addNote(r, a, l, &form{Values: url.Values{"body": {in.Body}, "shared": {onOff(in.Shared)}}})
	})
}
