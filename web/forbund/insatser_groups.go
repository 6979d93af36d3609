package forbund

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/site"
)

// Participants are shown grouped by where their registration stands:
// ongoing first, then those waiting to start, then the finished ones, each
// group with its count; a filter (?status=) shows one group. Only the
// rows of the groups shown are read out, and the persons among them are
// audited.

// groupOrder is the order of the groups: the active ones first.
var groupOrder = []association.ParticipantStatus{association.Active, association.Pending, association.Ended}

// groupAnchors are the groups' fragment ids on a page.
var groupAnchors = map[association.ParticipantStatus]string{association.Active: "pagaende", association.Pending: "vantande", association.Ended: "avslutade"}

// participantGroup is the registrations of one status.
type participantGroup struct {
	Code    association.ParticipantStatus
	Anchor  string
	Heading string
	Count   int
	Shown   bool
	Rows    []participantRow
}

// Pending tells the template to show the columns of registrations not yet
// started (referral, actions) instead of dates and days.
func (g participantGroup) Pending() bool { return g.Code == association.Pending }

// participantFilter is the status filter of a list of participants.
type participantFilter struct {
	Status association.ParticipantStatus // "" for every group
	Input  form.Input
}

// readStatusFilter reads ?status= (one of the registration statuses, or
// empty); anything else is the field's problem, and every group is shown.
func readStatusFilter(q url.Values, lang, prefix string) (participantFilter, site.Problems) {
	v := q.Get("status")
	f := participantFilter{Input: form.Input{ID: prefix + "-status", Name: "status", Kind: "select", Label: translate(lang, "assoc.ins.pfilter.status")}}
	options := []site.Choice{{Value: "", Label: translate(lang, "assoc.ins.filter.all")}}
	valid := v == ""
	for _, st := range groupOrder {
		options = append(options, site.Choice{Value: string(st), Label: translate(lang, "assoc.ins.pstatus."+string(st))})
		valid = valid || v == string(st)
	}
	var ps site.Problems
	if valid {
		f.Status = association.ParticipantStatus(v)
	} else {
		p := insErr("status", "invalid_pstatus")
		ps = append(ps, p)
		f.Input.Error = p.Message(feature.Words, lang, "")
		v = ""
	}
	f.Input.Options = form.Selecting(options, v)
	return f, ps
}

// insErr is a field problem of the insatser part, with its texts from the
// message files (assoc.ins.err.<code>).
func insErr(field, code string) site.Problem {
	id := "assoc.ins.err." + code
	return site.Problem{Field: field, Code: code, DetailSV: translate("sv", id), DetailEN: translate("en", id)}
}

// participantGroups sorts ps into the groups, counting each, and makes the
// rows of the groups the filter shows.
func (h *Handlers) participantGroups(r *http.Request, a *site.Actor, ar assocRequest, lang string, ps []association.Participant, only association.ParticipantStatus,
	cl *association.CodeLists, insatsNames map[int64]string, purpose string) ([]participantGroup, error) {
	groups := make([]participantGroup, len(groupOrder))
	index := map[association.ParticipantStatus]int{}
	for i, st := range groupOrder {
		groups[i] = participantGroup{Code: st, Anchor: groupAnchors[st], Heading: translate(lang, "assoc.ins.pstatus."+string(st)), Shown: only == "" || only == st}
		index[st] = i
	}
	var shown []association.Participant
	for _, p := range ps {
		i, ok := index[p.Status]
		if !ok {
			continue
		}
		groups[i].Count++
		if groups[i].Shown {
			shown = append(shown, p)
		}
	}
	rows, err := h.participantRows(r, a, ar, lang, shown, cl, insatsNames, purpose)
	if err != nil {
		return nil, err
	}
	for i, p := range shown {
		g := &groups[index[p.Status]]
		g.Rows = append(g.Rows, rows[i])
	}
	return groups, nil
}

// participantRows are the rows of ps, with the names of the persons behind
// them: the association's staff read them, and the list is one audit entry
// (list_participants, the page's path as resource, purpose and count as
// purpose) naming every listed person in the order shown (ADR 27), not one
// entry a row.
func (h *Handlers) participantRows(r *http.Request, a *site.Actor, ar assocRequest, lang string, ps []association.Participant, cl *association.CodeLists,
	insatsNames map[int64]string, purpose string) ([]participantRow, error) {
	var personIDs []int64
	for _, p := range ps {
		if !p.Anonymous() {
			personIDs = append(personIDs, p.PersonID)
		}
	}
	persons, err := store.PersonsByID(r.Context(), h.Store, personIDs)
	if err != nil {
		return nil, err
	}
	rows := make([]participantRow, len(ps))
	var listed []string
	for i, p := range ps {
		row := participantRow{ID: p.ID, Anonymous: p.Anonymous(), Sex: cl.Label(association.ListSex, p.Sex), AgeGroup: cl.Label(association.ListAgeGroup, p.AgeGroup),
			Start: dateText(p.Start), End: dateText(p.End), Status: translate(lang, "assoc.ins.pstatus."+string(p.Status)),
			Days: p.Days(ar.Today), Referral: p.Referral, Version: p.Version, InsatsID: p.InsatsID, InsatsName: insatsNames[p.InsatsID]}
		if p.EndReason != "" {
			row.EndReason = cl.Label(association.ListEndReason, p.EndReason)
		}
		row.Who = translate(lang, "assoc.ins.anonymous")
		if !p.Anonymous() {
			person := persons[p.PersonID]
			row.Who = person.Name
			listed = append(listed, person.Personnummer)
		}
		rows[i] = row
	}
	if len(listed) > 0 {
		e := a.Event(r, "list_participants", audit.OutcomeOK, "participant_list", r.URL.Path)
		e.Purpose = purpose + " named=" + strconv.Itoa(len(listed))
		e.Persons = h.Audit.Keys().PersonKeys(listed)
		h.auditRead(r, a, e)
	}
	return rows, nil
}

// allParticipants are every registration q selects, read in pages of
// 1 000.
func (h *Handlers) allParticipants(ctx context.Context, q store.ParticipantQuery) ([]association.Participant, error) {
	var all []association.Participant
	q.Limit = 1000
	for {
		ps, err := store.Participants(ctx, h.Store, q)
		if err != nil {
			return nil, err
		}
		all = append(all, ps...)
		if len(ps) < q.Limit {
			return all, nil
		}
		q.AfterID = ps[len(ps)-1].ID
	}
}

// participantListData is the association's list of participants.
type participantListData struct {
	Tabs           assoctabs.Nav
	Slug, OrgName  string
	Filter         participantFilter
	Started, Ended form.Input
	Problems       []form.Link
	Groups         []participantGroup
	Total          int
}

// yearFilter reads a year of the list's filter (?started=, ?ended=): empty
// for none, else a year the database keeps.
func yearFilter(q url.Values, ar assocRequest, lang, field string) (int, form.Input, *site.Problem) {
	v := strings.TrimSpace(q.Get(field))
	in := form.Input{ID: "plist-" + field, Name: field, Kind: "text", Value: v, Max: 4, Label: translate(lang, "assoc.ins.pfilter."+field)}
	if v == "" {
		return 0, in, nil
	}
	y, ok := yearParam(v, ar)
	if !ok {
		p := finErr(field, "invalid_year")
		in.Error = p.Message(feature.Words, lang, "")
		return 0, in, &p
	}
	return y, in, nil
}

// ParticipantList is GET /forbund/{slug}/deltagare: every registration of
// the association, grouped by status, filtered by status and by the year
// it started or ended (the key figures on the start page link here).
func (h *Handlers) ParticipantList(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := site.Language(w, r)
	q := r.URL.Query()
	d := participantListData{Tabs: tabs(r, a, ar), Slug: ar.Org.Slug, OrgName: ar.Org.Name}
	var problems site.Problems
	d.Filter, problems = readStatusFilter(q, lang, "plist")
	query := store.ParticipantQuery{AssociationID: ar.Org.ID}
	var p *site.Problem
	if query.StartedIn, d.Started, p = yearFilter(q, ar, lang, "started"); p != nil {
		problems = append(problems, *p)
	}
	if query.EndedIn, d.Ended, p = yearFilter(q, ar, lang, "ended"); p != nil {
		problems = append(problems, *p)
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusUnprocessableEntity
		for _, p := range problems {
			d.Problems = append(d.Problems, form.Link{ID: "plist-" + p.Field, Text: p.Message(feature.Words, lang, "")})
		}
	}
	cl, err := h.codeLists(ctx, ar.Org.ID)
	if err != nil {
		return site.Unavailable("code lists", err)
	}
	insatser, err := store.Insatser(ctx, h.Store, store.InsatsQuery{AssociationID: ar.Org.ID})
	if err != nil {
		return site.Unavailable("insatser", err)
	}
	names := map[int64]string{}
	for _, in := range insatser {
		names[in.ID] = in.Name
	}
	ps, err := h.allParticipants(ctx, query)
	if err != nil {
		return site.Unavailable("participants", err)
	}
	d.Total = len(ps)
	if d.Groups, err = h.participantGroups(r, a, ar, lang, ps, d.Filter.Status, cl, names, "list=association"); err != nil {
		return site.Unavailable("participants' persons", err)
	}
	h.Render(w, r, status, "assoc_ins_participants", site.Page{Lang: lang, Title: translate(lang, "assoc.ins.plist.title") + " – " + ar.Org.Name, Actor: a, Data: d})
	return nil
}

// OnInsats tells the groups' partial it draws an insats's own page: no
// insats column, and waiting registrations can be declined there.
func (insatsShowData) OnInsats() bool { return true }

// OnInsats: the association's list names each registration's insats.
func (participantListData) OnInsats() bool { return false }
