package coordination

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
)

// partNames are the parts of a consent as form values.
var partNames = []struct {
	Name string
	Part policy.Part
}{{"basic", policy.PartBasic}, {"plan", policy.PartPlan}, {"sick_leave", policy.PartSickLeave}, {"decisions", policy.PartDecisions}, {"diagnoses", policy.PartDiagnoses}}

// partsText is parts in words.
func partsText(lang string, parts policy.Part) string {
	var out []string
	for _, p := range partNames {
		if parts&p.Part != 0 {
			out = append(out, translate(lang, "coord.part."+p.Name))
		}
	}
	return strings.Join(out, ", ")
}

type personView struct {
	Name, Number string
	Protected    bool
}

type partyView struct{ Name, Type, InvitedAt, InvitedBy string }

type consentOrg struct {
	ID   int64
	Name string
}

type consentView struct {
	ID                     int64
	Purpose, Valid, Method string
	Parties                []string
	State, StateKind       string
	Recorder               string
	MayWithdraw            bool
}

type meetingView struct {
	ID                        int64
	Kind, When, Where, Status string
	Parties, Agenda, Minutes  string
	Planned, MayRecord        bool
	Fee                       string
	Actions                   []string
}

type actionView struct {
	ID                                int64
	Title, Owner, Person, Due, Status string
	StatusValue, DueValue             string
	Source                            string
	Overdue, MayEdit                  bool
	Changes                           []string
}

type insatsView struct{ Association, Insats, Status, Span string }

type periodView struct {
	Span   string
	Degree int
}

type decisionView struct{ On, Outcome, Paragraph string }

type diagnosisView struct{ Signed, Code, Unit string }

type noteView struct {
	Org, Author, At, Body string
	Shared, Own           bool
}

type pageData struct {
	ID, CaseID int64
	// Entry is the path of the case's way into coordination (FK's or the
	// region's) on its page before a coordination starts.
	Entry   string
	Person  personView
	LeadOrg string
	Via     string
	Parties []partyView
	Notice  string
	Errors  []summaryLine

	MayConsent  bool
	ConsentOrgs []consentOrg
	Purposes    []site.Choice
	Parts       []site.Choice
	Consents    []consentView

	MayInvite     bool
	InviteChoices []site.Choice

	ShowPlan       bool
	MayCoordinate  bool
	Meetings       []meetingView
	MeetingKinds   []site.Choice
	MeetingParties []site.Choice
	Plan           []actionView
	Insatser       []insatsView
	OwnerChoices   []site.Choice
	Sources        []site.Choice
	Statuses       []site.Choice

	ShowSickLeave bool
	Periods       []periodView
	ShowDecisions bool
	Decisions     []decisionView
	ShowDiagnoses bool
	Diagnoses     []diagnosisView

	Notes []noteView
	// AgreedRows number the agreed actions of the minutes form.
	AgreedRows []int

	// Timeline is the person's timeline across the agencies, TimelineRows
	// the same as a table.
	Timeline     template.HTML
	TimelineRows []tlRow
	tl           []tlItem
	lanes        []string

	ConsentForm, InviteForm, MeetingForm, HeldForm, ActionForm, EditForm, NoteForm *form
}

// state is what a page shows besides the coordination: a form that failed
// and a notice.
type state struct {
	Status int
	// Which names the form in Form: consent, invite, meeting, held, action,
	// edit, note.
	Which  string
	Form   *form
	Notice string
}

// Page is GET /samordning/{id}.
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	_, l, err := h.loadPath(r, a, "id", policy.ReadPerson, policy.PartBasic)
	if err != nil {
		return err
	}
	return h.render(w, r, a, l, state{Status: http.StatusOK, Notice: r.URL.Query().Get("klart")})
}

// render shows the coordination page for l.
func (h *Handlers) render(w http.ResponseWriter, r *http.Request, a *site.Actor, l *loaded, st state) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	d, events, err := h.view(ctx, r, lang, a, l, st)
	if err != nil {
		return site.Unavailable("coordination page", err)
	}
	if st.Status == http.StatusOK {
		// Opening it is no longer a new invitation.
		if err := h.Store.Tx(ctx, func(tx *store.Tx) error { return store.MarkSeen(ctx, tx, l.K.ID, a.OrgID, h.Now()) }); err != nil {
			return site.Unavailable("coordination seen", err)
		}
	}
	h.auditRead(r, a, events...)
	h.Render(w, r, st.Status, "coordination", site.Page{Lang: lang, Title: translate(lang, "coord.title") + ": " + d.Person.Name, Actor: a, Data: d})
	return nil
}

// view builds the page's data and the audit events of what it shows.
func (h *Handlers) view(ctx context.Context, r *http.Request, lang string, a *site.Actor, l *loaded, st state) (*pageData, []audit.Event, error) {
	c := l.Case
	d := &pageData{ID: l.K.ID, CaseID: c.ID, LeadOrg: l.K.LeadOrgName, Via: via(l.Via), Notice: st.Notice}
	for i := 1; i <= maxAgreed; i++ {
		d.AgreedRows = append(d.AgreedRows, i)
	}
	if st.Notice != "" {
		d.Notice = translate(lang, "coord.done."+st.Notice)
	}
	d.Person = personView{Name: c.PersonName, Protected: c.ProtectedIdentity}
	if !c.ProtectedIdentity {
		d.Person.Number = personnummer.Number(c.Personnummer).String()
	}
	forms := map[string]**form{"consent": &d.ConsentForm, "invite": &d.InviteForm, "meeting": &d.MeetingForm, "held": &d.HeldForm,
		"action": &d.ActionForm, "edit": &d.EditForm, "note": &d.NoteForm}
	for _, f := range forms {
		*f = newForm(lang)
	}
	if st.Form != nil {
		st.Form.lang = lang
		if f, ok := forms[st.Which]; ok {
			*f = st.Form
		}
		prefix := st.Which + "-"
		if st.Which == "held" || st.Which == "edit" {
			prefix += itoa(st.Form.Key) + "-"
		}
		d.Errors = st.Form.Summary(prefix)
	}
	shown := []string{"basic"}
	for _, p := range l.K.Parties {
		d.Parties = append(d.Parties, partyView{Name: p.OrgName, Type: translate(lang, "coord.orgtype."+string(p.OrgType)),
			InvitedAt: day(p.InvitedAt), InvitedBy: p.InvitedBy})
	}
	if err := h.consentsView(ctx, lang, a, l, d); err != nil {
		return nil, nil, err
	}
	d.MayCoordinate = l.may(a, policy.Coordinate, policy.PartPlan)
	d.MayInvite = d.MayCoordinate && h.mayInvite(a, l)
	if d.MayInvite {
		orgs, err := h.orgsOfInterest(ctx, c, &l.K)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range orgs {
			if !l.K.HasParty(o.ID) {
				d.InviteChoices = append(d.InviteChoices, site.Choice{Value: itoa(o.ID), Label: o.Name, Selected: d.InviteForm.V("org") == itoa(o.ID)})
			}
		}
	}
	if d.ShowPlan = l.may(a, policy.ReadPerson, policy.PartPlan); d.ShowPlan {
		shown = append(shown, "plan")
		d.lanes = append(d.lanes, "coord.tl.meetings", "coord.tl.actions", "coord.tl.insatser")
		if err := h.planView(ctx, lang, a, l, d); err != nil {
			return nil, nil, err
		}
	}
	if d.ShowSickLeave = l.may(a, policy.ReadPerson, policy.PartSickLeave); d.ShowSickLeave {
		shown = append(shown, "sick_leave")
		periods, err := store.PersonPeriods(ctx, h.Store, c.PersonID, c.FirstDay, c.LastDay)
		if err != nil {
			return nil, nil, err
		}
		d.lanes = append(d.lanes, "coord.tl.sickleave", "coord.tl.chain", "coord.tl.certificates")
		for _, p := range periods {
			d.Periods = append(d.Periods, periodView{Span: dayUTC(p.From) + " – " + dayUTC(p.To), Degree: p.Degree})
			d.tl = append(d.tl, tlItem{Lane: "coord.tl.sickleave", From: p.From, To: p.To, Label: fmt.Sprintf(translate(lang, "coord.tl.period"), p.Degree)})
		}
		// The chain's phases, from its milestones, up to the case's last
		// day: 1–90, 91–180, 181–365, 366–.
		if !c.Day91.IsZero() {
			starts := []time.Time{c.Day91.AddDate(0, 0, -90), c.Day91, c.Day181, c.Day366}
			names := []string{"1–90", "91–180", "181–365", "366–"}
			for i, from := range starts {
				if from.IsZero() || from.After(c.LastDay) {
					break
				}
				to := c.LastDay
				if i+1 < len(starts) && !starts[i+1].IsZero() && starts[i+1].AddDate(0, 0, -1).Before(to) {
					to = starts[i+1].AddDate(0, 0, -1)
				}
				d.tl = append(d.tl, tlItem{Lane: "coord.tl.chain", From: from, To: to, Label: translate(lang, "coord.tl.day") + " " + names[i]})
			}
		}
		certs, err := store.CaseCertificates(ctx, h.Store, c.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, x := range certs {
			d.tl = append(d.tl, tlItem{Lane: "coord.tl.certificates", From: x.SignedAt.UTC().Truncate(24 * time.Hour), To: x.SignedAt.UTC().Truncate(24 * time.Hour),
				Label: translate(lang, "coord.tl.certificate") + ", " + x.UnitName})
		}
	}
	if d.ShowDecisions = l.may(a, policy.ReadPerson, policy.PartDecisions); d.ShowDecisions {
		shown = append(shown, "decisions")
		ds, err := store.CaseDecisions(ctx, h.Store, c.ID)
		if err != nil {
			return nil, nil, err
		}
		d.lanes = append(d.lanes, "coord.tl.decisions")
		for _, x := range ds {
			d.Decisions = append(d.Decisions, decisionView{On: dayUTC(x.DecidedOn), Outcome: translate(lang, "coord.decision."+x.Outcome), Paragraph: x.Paragraph})
			d.tl = append(d.tl, tlItem{Lane: "coord.tl.decisions", From: x.DecidedOn, To: x.DecidedOn, Label: translate(lang, "coord.decision."+x.Outcome) + " (" + x.Paragraph + ")"})
		}
	}
	events := []audit.Event{}
	if d.ShowDiagnoses = l.may(a, policy.ReadDiagnoses, policy.PartDiagnoses); d.ShowDiagnoses {
		certs, err := store.CaseCertificates(ctx, h.Store, c.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, x := range certs {
			d.Diagnoses = append(d.Diagnoses, diagnosisView{Signed: day(x.SignedAt), Code: certview.DisplayDiagnosis(x.DiagnosisCode), Unit: x.UnitName})
		}
		_, cid := policy.Decide(&a.Actor, policy.ReadDiagnoses, l.resource(l.K.LeadOrgID, policy.PartDiagnoses))
		e := l.event(r, a, "read_diagnoses", "coordination", itoa(l.K.ID))
		e.Purpose = via(cid)
		events = append(events, e)
	}
	if err := h.notesView(ctx, lang, a, l, d); err != nil {
		return nil, nil, err
	}
	d.Timeline, d.TimelineRows = timeline(lang, d.lanes, d.tl, site.SwedishDate(h.Now()))
	e := l.event(r, a, "read_coordination", "coordination", itoa(l.K.ID))
	e.Purpose += " parts=" + strings.Join(shown, ",")
	return d, append([]audit.Event{e}, events...), nil
}

// mayInvite: the organisation leading the coordination, and the one that
// recorded a current consent of the person, invite others.
func (h *Handlers) mayInvite(a *site.Actor, l *loaded) bool {
	return a.OrgID == l.K.LeadOrgID || holdsConsent(a, l)
}

// consentsView lists the consents the actor's organisation recorded or is
// named in, and the form to record one.
func (h *Handlers) consentsView(ctx context.Context, lang string, a *site.Actor, l *loaded, d *pageData) error {
	today := civilOf(l.res)
	for i := range l.Consents {
		c := &l.Consents[i]
		_, named := c.PartyOf(a.OrgID)
		if c.RecordedByOrg != a.OrgID && !named {
			continue
		}
		v := consentView{ID: c.ID, Purpose: translate(lang, "coord.purpose."+string(c.Purpose)),
			Valid: c.ValidFrom.String() + " – " + c.ValidUntil.String(), State: translate(lang, "coord.consent.current"), StateKind: "success"}
		if c.Method == coordination.Written {
			v.Method = translate(lang, "coord.method.written") + ": " + c.DocumentRef
		} else {
			v.Method = fmt.Sprintf(translate(lang, "coord.method.oral_by"), c.OralRecordedBy, c.OralRecordedOn.String())
		}
		for _, p := range c.Parties {
			v.Parties = append(v.Parties, p.OrgName+": "+partsText(lang, p.Parts))
		}
		switch {
		case c.Withdrawn():
			v.State, v.StateKind = translate(lang, "coord.consent.withdrawn")+" "+day(c.WithdrawnAt), "error"
		case today.After(c.ValidUntil):
			v.State, v.StateKind = translate(lang, "coord.consent.ended"), "warning"
		case today.Before(c.ValidFrom):
			v.State, v.StateKind = translate(lang, "coord.consent.future"), "info"
		}
		v.MayWithdraw = c.RecordedByOrg == a.OrgID && !c.Withdrawn() && policy.Can(&a.Actor, policy.ManageConsents, policy.Resource{OrgID: c.RecordedByOrg}) == policy.Allow
		d.Consents = append(d.Consents, v)
	}
	d.MayConsent = policy.Can(&a.Actor, policy.ManageConsents, policy.Resource{OrgID: a.OrgID}) == policy.Allow
	if !d.MayConsent {
		return nil
	}
	var k *store.Coordination
	if l.K.ID != 0 {
		k = &l.K
	}
	orgs, err := h.orgsOfInterest(ctx, l.Case, k)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.ID != a.OrgID {
			d.ConsentOrgs = append(d.ConsentOrgs, consentOrg{ID: o.ID, Name: o.Name})
		}
	}
	for _, p := range coordination.Purposes {
		d.Purposes = append(d.Purposes, site.Choice{Value: string(p), Label: translate(lang, "coord.purpose."+string(p)), Selected: d.ConsentForm.V("purpose") == string(p)})
	}
	for _, p := range partNames {
		d.Parts = append(d.Parts, site.Choice{Value: p.Name, Label: translate(lang, "coord.part."+p.Name)})
	}
	return nil
}

// planView fills the meetings, the one plan and the insatser.
func (h *Handlers) planView(ctx context.Context, lang string, a *site.Actor, l *loaded, d *pageData) error {
	now := h.Now()
	meetings, err := store.Meetings(ctx, h.Store, l.K.ID)
	if err != nil {
		return err
	}
	items, err := store.PlanItems(ctx, h.Store, l.Case.ID)
	if err != nil {
		return err
	}
	changes, err := store.ActionChanges(ctx, h.Store, l.Case.ID)
	if err != nil {
		return err
	}
	agreed := map[int64][]string{}
	for _, it := range items {
		if it.MeetingID != 0 {
			agreed[it.MeetingID] = append(agreed[it.MeetingID], it.Title+" ("+it.OwnerOrg+")")
		}
	}
	for _, m := range meetings {
		v := meetingView{ID: m.ID, Kind: translate(lang, "coord.kind."+string(m.Kind)), When: clock(m.Start) + fmt.Sprintf(" (%d min)", m.LengthMinutes),
			Status: translate(lang, "coord.meeting."+string(m.Status)), Agenda: m.Agenda, Minutes: m.Minutes, Planned: m.Status == coordination.Planned,
			Actions: agreed[m.ID]}
		if m.Video {
			v.Where = translate(lang, "coord.video")
		}
		if m.Place != "" {
			v.Where = strings.TrimPrefix(v.Where+", "+m.Place, ", ")
		}
		var names []string
		for _, p := range m.Parties {
			names = append(names, p.OrgName)
		}
		if m.PersonAttends {
			names = append(names, translate(lang, "coord.the_person"))
		}
		v.Parties = strings.Join(names, ", ")
		v.MayRecord = v.Planned && m.ConvenedBy == a.OrgID && d.MayCoordinate
		if m.Kind == coordination.Reconciliation && m.Status == coordination.Held && m.DoctorAttended {
			if rate, ok := coordination.RateOn(coordination.DayOf(m.Start)); ok {
				v.Fee = fmt.Sprintf(translate(lang, "coord.fee"), coordination.DoctorFeeKr(rate, m.LengthMinutes), m.LengthMinutes)
			}
		}
		d.Meetings = append(d.Meetings, v)
		day := site.SwedishDate(m.Start)
		d.tl = append(d.tl, tlItem{Lane: "coord.tl.meetings", From: day, To: day, Label: v.Kind + " (" + v.Status + ")"})
	}
	for _, k := range coordination.MeetingKinds {
		d.MeetingKinds = append(d.MeetingKinds, site.Choice{Value: string(k), Label: translate(lang, "coord.kind."+string(k)), Selected: d.MeetingForm.V("kind") == string(k)})
	}
	for _, p := range l.K.Parties {
		d.MeetingParties = append(d.MeetingParties, site.Choice{Value: itoa(p.OrgID), Label: p.OrgName, Selected: d.MeetingForm.Has("parties", itoa(p.OrgID))})
		if a.OrgID == l.K.LeadOrgID || p.OrgID == a.OrgID {
			d.OwnerChoices = append(d.OwnerChoices, site.Choice{Value: itoa(p.OrgID), Label: p.OrgName, Selected: d.ActionForm.V("owner_org") == itoa(p.OrgID)})
		}
	}
	for _, s := range coordination.Sources {
		d.Sources = append(d.Sources, site.Choice{Value: string(s), Label: translate(lang, "coord.source."+string(s)), Selected: d.ActionForm.V("source") == string(s)})
	}
	for _, s := range coordination.ActionStatuses {
		d.Statuses = append(d.Statuses, site.Choice{Value: s, Label: translate(lang, "coord.status."+s)})
	}
	byAction := map[int64][]string{}
	for _, c := range changes {
		line := clock(c.At) + " " + c.By + " (" + c.Org + "): "
		if c.Field == "created" {
			line += translate(lang, "coord.change.created")
		} else {
			line += translate(lang, "coord.field."+c.Field) + " " + c.Old + " → " + c.New
		}
		byAction[c.ActionID] = append(byAction[c.ActionID], line)
	}
	today := site.SwedishDate(now)
	for _, it := range items {
		src := it.Source
		if src == "" {
			src = string(coordination.RehabPlan)
		}
		v := actionView{ID: it.ID, Title: it.Title, Owner: it.OwnerOrg, Person: it.OwnerPerson, Due: dayUTC(it.Due), DueValue: dayUTC(it.Due),
			Status: translate(lang, "coord.status."+it.Status), StatusValue: it.Status, Source: translate(lang, "coord.source."+src),
			Overdue: it.Due.Before(today) && (it.Status == coordination.ActionPlanned || it.Status == coordination.ActionOngoing),
			MayEdit: it.OwnerOrgID == a.OrgID && d.MayCoordinate, Changes: byAction[it.ID]}
		d.Plan = append(d.Plan, v)
		d.tl = append(d.tl, tlItem{Lane: "coord.tl.actions", From: it.Due, To: it.Due, Label: it.Title + " (" + it.OwnerOrg + ", " + v.Status + ")"})
	}
	ins, err := store.PersonInsatser(ctx, h.Store, l.Case.PersonID)
	if err != nil {
		return err
	}
	for _, i := range ins {
		span := dayUTC(i.Start)
		if !i.End.IsZero() {
			span += " – " + dayUTC(i.End)
		}
		if !i.Start.IsZero() {
			end := i.End
			if end.IsZero() {
				end = today
			}
			d.tl = append(d.tl, tlItem{Lane: "coord.tl.insatser", From: i.Start, To: end, Label: i.Insats + " (" + i.Association + ")"})
		}
		d.Insatser = append(d.Insatser, insatsView{Association: i.Association, Insats: i.Insats, Status: translate(lang, "coord.insats."+i.Status), Span: span})
	}
	return nil
}

// notesView shows the organisation's own notes and the others' shared
// ones the consents let it see.
func (h *Handlers) notesView(ctx context.Context, lang string, a *site.Actor, l *loaded, d *pageData) error {
	notes, err := h.visibleNotes(ctx, a, l)
	for _, n := range notes {
		d.Notes = append(d.Notes, noteView{Org: n.OrgName, Author: n.Author, At: clock(n.CreatedAt), Body: n.Body, Shared: n.Shared, Own: n.OrgID == a.OrgID})
	}
	return err
}

// visibleNotes are the notes a may read: its organisation's own, and the
// others' shared ones where the consents let it see their plan part.
func (h *Handlers) visibleNotes(ctx context.Context, a *site.Actor, l *loaded) ([]store.CoordinationNote, error) {
	notes, err := store.CoordinationNotes(ctx, h.Store, l.K.ID, a.OrgID)
	if err != nil {
		return nil, err
	}
	var out []store.CoordinationNote
	for _, n := range notes {
		if n.OrgID == a.OrgID || policy.Can(&a.Actor, policy.ReadPerson, l.resource(n.OrgID, policy.PartPlan)) == policy.Allow {
			out = append(out, n)
		}
	}
	return out, nil
}
