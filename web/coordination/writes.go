package coordination

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// readForm parses a posted form within the size limit (site.ParseForm).
func readForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	if err := site.ParseForm(w, r); err != nil {
		return nil, err
	}
	return &form{Values: r.PostForm}, nil
}

// posted reads a form posted to the coordination of the path's {id} and
// loads that coordination for act on part: the first steps of every write
// on the coordination's page.
func (h *Handlers) posted(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, part policy.Part) (int64, *form, *loaded, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, nil, err
	}
	f, err := readForm(w, r)
	if err != nil {
		return 0, nil, nil, err
	}
	l, err := h.load(r, a, id, act, part)
	return id, f, l, err
}

// postedOn is posted for a write on one item of the coordination's plan or
// meetings, the path's {item}, whose id it reads too.
func (h *Handlers) postedOn(w http.ResponseWriter, r *http.Request, a *site.Actor, item string) (id, itemID int64, f *form, l *loaded, err error) {
	if itemID, err = pathID(r, item); err != nil {
		return 0, 0, nil, nil, err
	}
	id, f, l, err = h.posted(w, r, a, policy.Coordinate, policy.PartPlan)
	return id, itemID, f, l, err
}

// add is a page's write of one new thing on the coordination of the
// path's {id}: the form is posted and the coordination loaded for act on
// part, then write validates and stores it. A failed write shows its form
// which again; one that succeeds goes back to the page at anchor.
func (h *Handlers) add(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, part policy.Part, which, anchor string,
	write func(r *http.Request, a *site.Actor, l *loaded, f *form) (int64, error)) error {
	id, f, l, err := h.posted(w, r, a, act, part)
	if err != nil {
		return err
	}
	if _, err := write(r, a, l, f); err != nil {
		return h.failed(w, r, a, l, which, f, err)
	}
	return done(w, r, id, which, anchor)
}

// done redirects to the coordination page after a write.
func done(w http.ResponseWriter, r *http.Request, id int64, what, anchor string) error {
	http.Redirect(w, r, fmt.Sprintf("/samordning/%d?klart=%s#%s", id, what, anchor), http.StatusSeeOther)
	return nil
}

// failed answers a write that failed: its form again with its problems
// (422), or the error as it is.
func (h *Handlers) failed(w http.ResponseWriter, r *http.Request, a *site.Actor, l *loaded, which string, f *form, err error) error {
	if ps, ok := site.ProblemsOf(err); ok {
		f.Problems = ps
		return h.render(w, r, a, l, state{Status: http.StatusUnprocessableEntity, Which: which, Form: f})
	}
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrStale) {
		return err
	}
	var se *site.Error
	if errors.As(err, &se) {
		return err
	}
	return site.Unavailable(which, err)
}

// consentOf reads the consent form for the person of c, recorded by org.
func consentOf(f *form, personID int64, org int64, orgs []consentOrg, types map[int64]organisation.Type) (coordination.Consent, site.Problems) {
	var ps site.Problems
	c := coordination.Consent{PersonID: personID, RecordedByOrg: org, Purpose: coordination.Purpose(f.V("purpose")),
		Method: coordination.Method(f.V("method")), DocumentRef: strings.TrimSpace(f.V("document_ref")), OralRecordedBy: strings.TrimSpace(f.V("oral_recorded_by"))}
	for _, o := range orgs {
		var parts policy.Part
		for _, p := range partNames {
			if f.Has("parts_"+itoa(o.ID), p.Name) {
				parts |= p.Part
			}
		}
		if parts != 0 {
			c.Parties = append(c.Parties, coordination.Party{OrgID: o.ID, OrgType: types[o.ID], OrgName: o.Name, Parts: parts})
		}
	}
	for _, fd := range []struct {
		name string
		dst  *civil.Date
	}{{"valid_from", &c.ValidFrom}, {"valid_until", &c.ValidUntil}, {"oral_recorded_on", &c.OralRecordedOn}} {
		d, ok := parseDate(f.V(fd.name))
		if !ok {
			ps.Add(fd.name, "bad_date")
		}
		*fd.dst = d
	}
	return c, ps
}

// recordConsent validates and stores a consent for l's person, recorded by
// a's organisation, with its audit entry.
func (h *Handlers) recordConsent(r *http.Request, a *site.Actor, l *loaded, f *form) (int64, error) {
	ctx := r.Context()
	orgs, err := h.orgsOfInterest(ctx, l.Case, nonZero(&l.K))
	if err != nil {
		return 0, err
	}
	var choices []consentOrg
	types := map[int64]organisation.Type{}
	for _, o := range orgs {
		if o.ID != a.OrgID {
			choices = append(choices, consentOrg{ID: o.ID, Name: o.Name})
			types[o.ID] = o.Type
		}
	}
	if ps := f.textProblems(); ps.Any() {
		return 0, ps
	}
	c, ps := consentOf(f, l.Case.PersonID, a.OrgID, choices, types)
	addDomainProblems(&ps, c.Validate(civilOf(l.res)), "")
	if ps.Any() {
		return 0, ps
	}
	return h.insertAudited(ctx, func(tx *store.Tx) (int64, error) {
		return store.RecordConsent(ctx, tx, c, a.User.ID, h.Now())
	}, func(id int64) audit.Event {
		e := a.Event(r, "record_consent", audit.OutcomeOK, "consent", itoa(id))
		e.PersonKey = l.key
		e.Purpose = "purpose=" + string(c.Purpose)
		return e
	})
}

// addDomainProblems adds to ps the field problems of a domain validation's
// err (none for nil), each field suffixed by n: the row of a form that
// repeats its fields, "" for none.
func addDomainProblems(ps *site.Problems, err error, n string) {
	more, _ := site.ProblemsOf(err)
	for _, p := range more {
		ps.Add(p.Field+n, p.Code)
	}
}

// insertAudited stores one new thing with create and the audit entry event
// builds for its id, in one transaction; it is the new id.
func (h *Handlers) insertAudited(ctx context.Context, create func(tx *store.Tx) (int64, error), event func(id int64) audit.Event) (int64, error) {
	var id int64
	err := h.Store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = create(tx); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), event(id))
	})
	return id, err
}

// addAudited is insertAudited for a write whose failure to store is
// answered 503 (site.Unavailable) naming what.
func (h *Handlers) addAudited(ctx context.Context, what string, create func(tx *store.Tx) (int64, error), event func(id int64) audit.Event) (int64, error) {
	id, err := h.insertAudited(ctx, create, event)
	if err != nil {
		return 0, site.Unavailable(what, err)
	}
	return id, nil
}

func nonZero(k *store.Coordination) *store.Coordination {
	if k.ID == 0 {
		return nil
	}
	return k
}

// RecordConsent is POST /samordning/{id}/samtycken: a consent obtained by
// the actor's organisation, for the coordination's person.
func (h *Handlers) RecordConsent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.add(w, r, a, policy.ReadPerson, policy.PartBasic, "consent", "samtycken", h.recordConsent)
}

// WithdrawConsent is POST /samtycken/{consentID}/aterkalla: the
// person withdrew a consent the actor's organisation recorded. It takes
// effect at the next request of every organisation.
func (h *Handlers) WithdrawConsent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	id, err := pathID(r, "consentID")
	if err != nil {
		return err
	}
	if _, err := readForm(w, r); err != nil {
		return err
	}
	back := r.PostForm.Get("return")
	// Back to the page the button was on: a coordination or a case's
	// consents, nothing else (no open redirect).
	if !(strings.HasPrefix(back, "/samordning/") || strings.HasPrefix(back, "/arenden/") && strings.HasSuffix(back, "/samordning")) ||
		strings.ContainsAny(back, "\\?#") || strings.Contains(back, "//") {
		back = "/samordning"
	}
	c, err := h.consentToWithdraw(r, a, id)
	if err != nil {
		return err
	}
	// A consent still standing is withdrawn after a confirmation page,
	// which names the consent by its number and dates, not the person.
	if !c.Withdrawn() && !site.Confirmed(r.PostForm) {
		lang := site.Language(w, r)
		h.Confirm(w, r, a, site.Confirmation{Title: translate(lang, "coord.consent.confirm.title"),
			Lead: []string{fmt.Sprintf(translate(lang, "coord.consent.confirm.what"), c.ID, c.ValidFrom, c.ValidUntil),
				translate(lang, "coord.consent.confirm.after")},
			Action: fmt.Sprintf("/samtycken/%d/aterkalla", c.ID), Values: r.PostForm,
			Submit: translate(lang, "coord.consent.confirm.submit"), Back: back})
		return nil
	}
	if err := h.withdraw(r, a, c); err != nil {
		return err
	}
	http.Redirect(w, r, back+"?klart=withdrawn", http.StatusSeeOther)
	return nil
}

// consentToWithdraw is consent id if the actor may record its
// withdrawal: it was their organisation's, and within FK they may know the
// person.
func (h *Handlers) consentToWithdraw(r *http.Request, a *site.Actor, id int64) (coordination.Consent, error) {
	ctx := r.Context()
	c, err := store.ConsentByID(ctx, h.Store, id)
	if err != nil {
		return c, err
	}
	if d := policy.Can(&a.Actor, policy.ManageConsents, policy.Resource{OrgID: c.RecordedByOrg}); d != policy.Allow {
		return c, h.refuse(r, a, policy.ManageConsents, d, nil, "consent", itoa(id))
	}
	// Within FK, only staff who may know the person (their office's case)
	// record a withdrawal: a case worker of another office gets 404.
	if a.OrgType == organisation.FK && a.OfficeID != 0 {
		offices, err := store.PersonCaseOffices(ctx, h.Store, c.PersonID)
		if err != nil {
			return c, site.Unavailable("consent offices", err)
		}
		known := false
		for _, o := range offices {
			known = known || policy.Can(&a.Actor, policy.ReadPerson, policy.Resource{OrgID: a.OrgID, OfficeID: o}) == policy.Allow
		}
		if !known {
			return c, h.refuse(r, a, policy.ManageConsents, policy.Hidden, nil, "consent", itoa(id))
		}
	}
	return c, nil
}

// withdraw records that the person withdrew consent c; withdrawing twice
// changes nothing.
func (h *Handlers) withdraw(r *http.Request, a *site.Actor, c coordination.Consent) error {
	ctx := r.Context()
	id := c.ID
	person, err := store.PersonByID(ctx, h.Store, c.PersonID)
	if err != nil {
		return site.Unavailable("consent person", err)
	}
	err = h.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.WithdrawConsent(ctx, tx, id, a.User.ID, h.Now()); err != nil {
			return err
		}
		e := a.Event(r, "withdraw_consent", audit.OutcomeOK, "consent", itoa(id))
		e.PersonKey = h.Audit.Keys().PersonKey(personnummer.Number(person.Personnummer))
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), e)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // withdrawn already
	}
	if err != nil {
		return site.Unavailable("withdraw consent", err)
	}
	return nil
}

// Invite is POST /samordning/{id}/parter: the lead organisation, or the
// one holding a current consent, invites an organisation the person's
// consent covers.
func (h *Handlers) Invite(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	id, f, l, err := h.posted(w, r, a, policy.Coordinate, policy.PartPlan)
	if err != nil {
		return err
	}
	if !h.mayInvite(a, l) {
		return h.refuse(r, a, policy.Coordinate, policy.Deny, l, "coordination", itoa(id))
	}
	org, _ := strconv.ParseInt(f.V("org"), 10, 64)
	var ps site.Problems
	target, err := store.OrganisationByID(ctx, h.Store, org)
	switch {
	case org == 0 || errors.Is(err, store.ErrNotFound):
		ps.Add("org", "required")
	case err != nil:
		return site.Unavailable("invite", err)
	case !covers(l, org, policy.PartBasic):
		ps.Add("org", "not_covered")
	}
	if ps.Any() {
		return h.failed(w, r, a, l, "invite", f, ps)
	}
	err = h.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.InviteParty(ctx, tx, id, org, a.User.ID, h.Now()); err != nil {
			return err
		}
		e := l.event(r, a, "invite_to_coordination", "coordination", itoa(id))
		e.Purpose += " org=" + target.Slug
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), e)
	})
	if err != nil {
		return site.Unavailable("invite", err)
	}
	return done(w, r, id, "invite", "parter")
}

// covers reports whether a current consent of the person lets org see
// part: who may be invited, and who may take part in a meeting.
func covers(l *loaded, org int64, part policy.Part) bool {
	if org == l.K.LeadOrgID {
		return true
	}
	probe := &policy.Actor{UserID: 1, OrgID: org, Roles: account.RolesOf(account.Coordinator)}
	d, _ := policy.Decide(probe, policy.ReadPerson, l.resource(l.K.LeadOrgID, part))
	return d == policy.Allow
}

// AddMeeting is POST /samordning/{id}/moten: the actor's organisation
// convenes a meeting.
func (h *Handlers) AddMeeting(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.add(w, r, a, policy.Coordinate, policy.PartPlan, "meeting", "moten", h.addMeeting)
}

// addMeeting validates and stores a meeting the actor's organisation
// convenes, with its audit entry.
func (h *Handlers) addMeeting(r *http.Request, a *site.Actor, l *loaded, f *form) (int64, error) {
	ctx := r.Context()
	if ps := f.textProblems(); ps.Any() {
		return 0, ps
	}
	m, ps := meetingOf(f, l, a)
	addDomainProblems(&ps, m.Validate(h.Now(), func(org int64) bool { return l.K.HasParty(org) && covers(l, org, policy.PartPlan) }), "")
	if ps.Any() {
		return 0, ps
	}
	return h.addAudited(ctx, "add meeting", func(tx *store.Tx) (int64, error) {
		return store.CreateMeeting(ctx, tx, m, a.User.ID, h.Now())
	}, l.eventOf(r, a, "add_meeting", "meeting"))
}

// meetingOf reads the meeting form.
func meetingOf(f *form, l *loaded, a *site.Actor) (coordination.Meeting, site.Problems) {
	var ps site.Problems
	m := coordination.Meeting{CoordinationID: l.K.ID, Kind: coordination.MeetingKind(f.V("kind")), Status: coordination.Planned,
		Place: strings.TrimSpace(f.V("place")), Video: f.V("video") == "on", ConvenedBy: a.OrgID, ConvenedByType: a.OrgType,
		PersonAttends: f.V("person_attends") == "on", Agenda: strings.TrimSpace(f.V("agenda"))}
	if f.V("status") == string(coordination.Held) {
		m.Status, m.Minutes = coordination.Held, strings.TrimSpace(f.V("minutes"))
	}
	start, ok := parseClock(f.V("date"), f.V("time"))
	if !ok {
		ps.Add("start", "bad_date")
	}
	m.Start = start
	m.LengthMinutes, _ = strconv.Atoi(strings.TrimSpace(f.V("length")))
	for _, v := range f.Values["parties"] {
		org, _ := strconv.ParseInt(v, 10, 64)
		var p coordination.Party
		p.OrgID = org
		for _, k := range l.K.Parties {
			if k.OrgID == org {
				p.OrgType, p.OrgName = k.OrgType, k.OrgName
			}
		}
		m.Parties = append(m.Parties, p)
	}
	return m, ps
}

// maxAgreed is how many agreed actions the minutes form takes at once.
const maxAgreed = 3

// MeetingHeld is POST /samordning/{id}/moten/{meetingID}: the convening
// organisation records that the meeting was held, its minutes and the
// actions agreed, which land in the plan.
func (h *Handlers) MeetingHeld(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.changeOn(w, r, a, "meetingID", "held", "moten", h.meetingHeld)
}

// changeOn is a page's write on one item of the coordination's plan or
// meetings, the path's {item}: change validates and stores it. A failed
// write shows its form which again; one that succeeds goes back to the
// page at anchor.
func (h *Handlers) changeOn(w http.ResponseWriter, r *http.Request, a *site.Actor, item, which, anchor string,
	change func(r *http.Request, a *site.Actor, l *loaded, itemID int64, f *form) error) error {
	id, itemID, f, l, err := h.postedOn(w, r, a, item)
	if err != nil {
		return err
	}
	f.Key = itemID
	if err := change(r, a, l, itemID, f); err != nil {
		return h.failed(w, r, a, l, which, f, err)
	}
	return done(w, r, id, which, anchor)
}

// meetingHeld validates and stores that meeting mid of the coordination
// was held, with its minutes and the actions agreed (fields title1, due1
// and so on), and its audit entry: the page's form and the API's body.
// Another organisation's meeting is refused (403, audited).
func (h *Handlers) meetingHeld(r *http.Request, a *site.Actor, l *loaded, mid int64, f *form) error {
	ctx := r.Context()
	m, err := store.MeetingByID(ctx, h.Store, l.K.ID, mid)
	if err != nil {
		return err
	}
	if m.ConvenedBy != a.OrgID {
		return h.refuse(r, a, policy.Coordinate, policy.Deny, l, "meeting", itoa(mid))
	}
	ps := f.textProblems()
	minutes := strings.TrimSpace(f.V("minutes"))
	if minutes == "" {
		ps.Add("minutes", "required")
	}
	length, err := strconv.Atoi(strings.TrimSpace(f.V("length")))
	if err != nil || length < 15 || length > 480 {
		ps.Add("length", "out_of_range")
	}
	if m.Start.After(h.Now()) {
		ps.Add("minutes", "held_in_future")
	}
	var agreed []coordination.Action
	today := civilOf(l.res)
	for i := 1; i <= maxAgreed; i++ {
		n := strconv.Itoa(i)
		if strings.TrimSpace(f.V("title"+n)) == "" {
			continue
		}
		act, ok := actionOf(f, n, coordination.MeetingMinutes)
		if !ok {
			ps.Add("due"+n, "bad_date")
		}
		act.SourceRef = translate("sv", "coord.kind."+string(m.Kind)) + " " + clock(m.Start)
		addDomainProblems(&ps, act.Validate(today, l.K.HasParty), n)
		agreed = append(agreed, act)
	}
	if ps.Any() {
		return ps
	}
	return h.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.RecordMeetingHeld(ctx, tx, mid, minutes, length, f.V("doctor") == "on", h.Now()); err != nil {
			return err
		}
		for _, act := range agreed {
			if _, err := store.AddCoordinationAction(ctx, tx, l.Case.ID, act, mid, a.User.ID, a.OrgID, h.Now()); err != nil {
				return err
			}
		}
		e := l.event(r, a, "record_meeting", "meeting", itoa(mid))
		e.Purpose += fmt.Sprintf(" agreed_actions=%d", len(agreed))
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), e)
	})
}

// CancelMeeting is POST /samordning/{id}/moten/{meetingID}/installt: the
// convening organisation calls a planned meeting off, after a
// confirmation page. Another
// organisation's meeting is refused (403, audited).
func (h *Handlers) CancelMeeting(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	mid, err := pathID(r, "meetingID")
	if err != nil {
		return err
	}
	l, err := h.load(r, a, id, policy.Coordinate, policy.PartPlan)
	if err != nil {
		return err
	}
	m, err := store.MeetingByID(ctx, h.Store, id, mid)
	if err != nil {
		return err
	}
	if m.ConvenedBy != a.OrgID {
		return h.refuse(r, a, policy.Coordinate, policy.Deny, l, "meeting", itoa(mid))
	}
	if _, err := readForm(w, r); err != nil {
		return err
	}
	// A planned meeting is called off after a confirmation page.
	if m.Status == coordination.Planned && !site.Confirmed(r.PostForm) {
		lang := site.Language(w, r)
		h.Confirm(w, r, a, site.Confirmation{Title: translate(lang, "coord.meeting.confirm.title"),
			Lead: []string{fmt.Sprintf(translate(lang, "coord.meeting.confirm.what"), site.LocalTime(m.Start)),
				translate(lang, "coord.meeting.confirm.after")},
			Action: fmt.Sprintf("/samordning/%d/moten/%d/installt", id, mid), Values: r.PostForm,
			Submit: translate(lang, "coord.meeting.confirm.submit"), Back: fmt.Sprintf("/samordning/%d#moten", id)})
		return nil
	}
	err = h.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.CancelMeeting(ctx, tx, id, mid, h.Now()); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), l.event(r, a, "cancel_meeting", "meeting", itoa(mid)))
	})
	if errors.Is(err, store.ErrNotFound) {
		err = nil // held or cancelled already: nothing to call off
	}
	if err != nil {
		return site.Unavailable("cancel meeting", err)
	}
	return done(w, r, id, "cancelled", "moten")
}

// actionOf reads an action's fields, suffixed by n.
func actionOf(f *form, n string, source coordination.Source) (coordination.Action, bool) {
	due, ok := parseDate(f.V("due" + n))
	owner, _ := strconv.ParseInt(f.V("owner_org"+n), 10, 64)
	if s := f.V("source" + n); s != "" {
		source = coordination.Source(s)
	}
	return coordination.Action{Title: strings.TrimSpace(f.V("title" + n)), OwnerOrgID: owner, OwnerPerson: strings.TrimSpace(f.V("owner_person" + n)),
		Due: due, Source: source, SourceRef: strings.TrimSpace(f.V("source_ref" + n))}, ok
}

// AddAction is POST /samordning/{id}/atgarder: an action in the one plan.
// An organisation adds its own; the lead adds one for any party (the
// employer's plan, say, which FK holds).
func (h *Handlers) AddAction(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.add(w, r, a, policy.Coordinate, policy.PartPlan, "action", "plan", h.addAction)
}

// addAction validates and stores an action of the one plan, with its
// audit entry.
func (h *Handlers) addAction(r *http.Request, a *site.Actor, l *loaded, f *form) (int64, error) {
	ctx := r.Context()
	if ps := f.textProblems(); ps.Any() {
		return 0, ps
	}
	act, ok := actionOf(f, "", "")
	var ps site.Problems
	if !ok {
		ps.Add("due", "bad_date")
	}
	owners := func(org int64) bool { return l.K.HasParty(org) && (org == a.OrgID || a.OrgID == l.K.LeadOrgID) }
	addDomainProblems(&ps, act.Validate(civilOf(l.res), owners), "")
	if ps.Any() {
		return 0, ps
	}
	return h.addAudited(ctx, "add action", func(tx *store.Tx) (int64, error) {
		return store.AddCoordinationAction(ctx, tx, l.Case.ID, act, 0, a.User.ID, a.OrgID, h.Now())
	}, l.eventOf(r, a, "add_plan_action", "plan_action"))
}

// EditAction is POST /samordning/{id}/atgarder/{actionID}: status, due
// date and owning person of one of the organisation's own actions. Another
// organisation's action is refused (403: the actor sees it in the plan)
// and the refusal audited.
func (h *Handlers) EditAction(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.changeOn(w, r, a, "actionID", "edit", "plan", h.editAction)
}

// editAction validates and stores a change of action aid (fields status,
// due, owner_person) with its audit entry; another organisation's action
// is refused (403, audited).
func (h *Handlers) editAction(r *http.Request, a *site.Actor, l *loaded, aid int64, f *form) error {
	ctx := r.Context()
	old, err := store.PlanItemByID(ctx, h.Store, l.Case.ID, aid)
	if err != nil {
		return err
	}
	if old.OwnerOrgID != a.OrgID {
		return h.refuse(r, a, policy.Coordinate, policy.Deny, l, "plan_action", itoa(aid))
	}
	ps := f.textProblems()
	status := f.V("status")
	known := false
	for _, s := range coordination.ActionStatuses {
		known = known || s == status
	}
	if !known {
		ps.Add("status", "required")
	}
	due, ok := parseDate(f.V("due"))
	if !ok || due.IsZero() {
		ps.Add("due", "bad_date")
	}
	person := strings.TrimSpace(f.V("owner_person"))
	if person == "" {
		ps.Add("owner_person", "owner_required")
	}
	if ps.Any() {
		return ps
	}
	return h.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.UpdateCoordinationAction(ctx, tx, l.Case.ID, old, status, due.Time(), person, a.User.ID, a.OrgID, h.Now()); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), l.event(r, a, "edit_plan_action", "plan_action", itoa(aid)))
	})
}

// AddNote is POST /samordning/{id}/anteckningar: a note in the
// organisation's own space, shared with the others only if the author
// says so (and then only with those the consents cover).
func (h *Handlers) AddNote(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.add(w, r, a, policy.Coordinate, policy.PartPlan, "note", "anteckningar", h.addNote)
}

// addNote validates and stores a note of the actor's organisation (fields
// body, shared) with its audit entry.
func (h *Handlers) addNote(r *http.Request, a *site.Actor, l *loaded, f *form) (int64, error) {
	ctx := r.Context()
	if ps := f.textProblems(); ps.Any() {
		return 0, ps
	}
	body := strings.TrimSpace(f.V("body"))
	if body == "" {
		return 0, site.Problems{{Field: "body", Code: "required"}}
	}
	return h.addAudited(ctx, "add note", func(tx *store.Tx) (int64, error) {
		return store.AddCoordinationNote(ctx, tx, l.K.ID, store.CoordinationNote{OrgID: a.OrgID, Body: body, Shared: f.V("shared") == "on"}, a.User.ID, h.Now())
	}, l.eventOf(r, a, "add_coordination_note", "coordination_note"))
}
