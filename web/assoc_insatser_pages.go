package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// insatsRow is one line of the insatser list.
type insatsRow struct {
	ID                       int64
	Name, Kind, Responsible  string
	Period, Status           string
	Planned, Actual, Pending int
	Public                   bool
}

type insatsListData struct {
	Slug, OrgName string
	Rows          []insatsRow
	Filter        insForm
	Statuses      []choice
}

func (s *Server) assocMembers(ctx context.Context, associationID int64) ([]organisation.Organisation, map[int64]string, error) {
	ms, err := store.AssociationMembers(ctx, s.store, associationID)
	names := map[int64]string{}
	for _, m := range ms {
		names[m.ID] = m.Name
	}
	return ms, names, err
}

func periodText(start, end civil.Date) string {
	if end.IsZero() {
		return start.String() + " –"
	}
	return start.String() + " – " + end.String()
}

func insatsStatusChoices(lang string, blank bool) []choice {
	var out []choice
	if blank {
		out = append(out, choice{Value: "", Label: translate(lang, "assoc.ins.filter.all")})
	}
	for _, st := range association.InsatsStatuses {
		out = append(out, choice{Value: string(st), Label: translate(lang, "assoc.ins.status."+string(st))})
	}
	return out
}

// insatsList is GET /forbund/{slug}/insatser: the association's insatser,
// filtered by status and by year (the insats runs some day of it).
func (s *Server) insatsList(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	q := r.URL.Query()
	status := association.InsatsStatus(q.Get("status"))
	year, _ := strconv.Atoi(q.Get("year"))
	list, err := store.Insatser(ctx, s.store, store.InsatsQuery{AssociationID: ar.Org.ID, Status: status})
	if err != nil {
		s.unavailable(w, r, "insatser", err)
		return
	}
	_, names, err := s.assocMembers(ctx, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "association members", err)
		return
	}
	counts, err := store.ParticipantCounts(ctx, s.store, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "count participants", err)
		return
	}
	d := insatsListData{Slug: ar.Org.Slug, OrgName: ar.Org.Name, Filter: newInsForm(lang, "filter", q, nil), Statuses: insatsStatusChoices(lang, true)}
	for _, in := range list {
		if year != 0 {
			first, _ := civil.New(year, 1, 1)
			last, _ := civil.New(year, 12, 31)
			if !association.Overlaps(in.Start, in.End, first, last) {
				continue
			}
		}
		c := countsOf(counts[in.ID])
		d.Rows = append(d.Rows, insatsRow{ID: in.ID, Name: in.Name, Kind: translate(lang, "assoc.ins.kind."+string(in.Kind)),
			Responsible: names[in.ResponsibleOrgID], Period: periodText(in.Start, in.End),
			Status: translate(lang, "assoc.ins.status."+string(in.Status)), Planned: in.Planned, Actual: c.Actual(), Pending: c.Pending, Public: in.Public})
	}
	s.render(w, r, http.StatusOK, "assoc_ins_list", page{Lang: lang, Title: translate(lang, "assoc.ins.list.title"), Actor: a, Data: d})
}

// insatsFormData is the insats form (new, or edit on the insats page).
type insatsFormData struct {
	Slug, Action, Submit string
	Form                 insForm
	Members              []choice // responsible party options
	Parties              []choice // the parties checkboxes
	Kinds, FollowUps     []choice
	Statuses             []choice
	Financiers           []choice
	BudgetRows, DocRows  []int
	Notice               string
}

func (s *Server) insatsFormData(ctx context.Context, lang string, ar assocRequest, action string, values url.Values, errs association.Errors) (insatsFormData, error) {
	ms, _, err := s.assocMembers(ctx, ar.Org.ID)
	if err != nil {
		return insatsFormData{}, err
	}
	f := newInsForm(lang, "ins", values, errs)
	d := insatsFormData{Slug: ar.Org.Slug, Action: action, Form: f, Statuses: insatsStatusChoices(lang, false)}
	d.Members = append(d.Members, choice{Value: "", Label: "–"})
	chosen := map[string]bool{}
	for _, v := range values["parties"] {
		chosen[v] = true
	}
	for _, m := range ms {
		d.Members = append(d.Members, choice{Value: itoa(m.ID), Label: m.Name})
		d.Parties = append(d.Parties, choice{Value: itoa(m.ID), Label: m.Name, Selected: chosen[itoa(m.ID)]})
	}
	for _, k := range association.Kinds {
		d.Kinds = append(d.Kinds, choice{Value: string(k), Label: translate(lang, "assoc.ins.kind."+string(k))})
	}
	for _, fu := range []association.FollowUp{association.FollowUpIndividual, association.FollowUpCounts} {
		d.FollowUps = append(d.FollowUps, choice{Value: string(fu), Label: translate(lang, "assoc.ins.followup."+string(fu))})
	}
	for _, fin := range association.Financiers {
		d.Financiers = append(d.Financiers, choice{Value: string(fin), Label: translate(lang, "assoc.ins.financier."+string(fin))})
	}
	rows := func(n int) []int {
		out := make([]int, n+2)
		for i := range out {
			out[i] = i
		}
		return out
	}
	d.BudgetRows, d.DocRows = rows(len(values["budget_year"])), rows(len(values["doc_title"]))
	return d, nil
}

// Budget row helpers for the template.
func (d insatsFormData) FinancierChoices(i int) []choice {
	return selecting(d.Financiers, d.Form.Row("budget_financier", i, ""))
}

func (s *Server) renderInsatsForm(w http.ResponseWriter, r *http.Request, a *actor, ar assocRequest, status int, values url.Values, errs association.Errors) {
	lang := language(w, r)
	d, err := s.insatsFormData(r.Context(), lang, ar, "/forbund/"+ar.Org.Slug+"/insatser/ny", values, errs)
	if err != nil {
		s.unavailable(w, r, "insats form", err)
		return
	}
	d.Submit = translate(lang, "assoc.ins.create")
	s.render(w, r, status, "assoc_ins_form", page{Lang: lang, Title: translate(lang, "assoc.ins.new.title"), Actor: a, Data: d})
}

// insatsNew is GET /forbund/{slug}/insatser/ny.
func (s *Server) insatsNew(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	values := url.Values{"kind": {"individual"}, "follow_up": {"individual"}, "status": {"planned"}, "start": {ar.Today.String()}}
	s.renderInsatsForm(w, r, a, ar, http.StatusOK, values, nil)
}

// insatsCreate is POST /forbund/{slug}/insatser/ny.
func (s *Server) insatsCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	in, errs := readInsatsForm(r.PostForm, association.Insats{})
	if len(errs) == 0 {
		var err error
		in, err = s.saveInsats(r, a, ar, in)
		if es, isField := fieldErrors(err); isField {
			errs = es
		} else if err != nil {
			s.unavailable(w, r, "create insats", err)
			return
		}
	} else if err := in.Validate(); err != nil {
		es, _ := fieldErrors(err)
		errs = append(errs, es...)
	}
	if len(errs) > 0 {
		s.renderInsatsForm(w, r, a, ar, http.StatusUnprocessableEntity, r.PostForm, errs)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, in.ID), http.StatusSeeOther)
}

// participantRow is one registration on the insats page.
type participantRow struct {
	ID                 int64
	Who                string // the name for staff, "Anonym" otherwise
	Anonymous          bool
	Sex, AgeGroup      string
	Start, End, Status string
	EndReason          string
	Days               int
	Referral           string
	Version            int
}

type insatsShowData struct {
	Slug        string
	Insats      association.Insats
	Kind        string
	Status      string
	FollowUp    string
	Responsible string
	Parties     []string
	Period      string
	Budgets     []budgetRow
	BudgetTotal string
	Counts      insatsCounts
	Individual  bool
	Rows        []participantRow
	Pending     []participantRow
	Edit        insatsFormData
	Start       insForm // the start form of a pending registration
	CL          *association.CodeLists
	Incomes     []choice
	Occupations []choice
	Educations  []choice
	Notice      string
}

type budgetRow struct{ Year, Financier, Amount string }

func (s *Server) renderInsats(w http.ResponseWriter, r *http.Request, a *actor, ar assocRequest, in association.Insats, status int, values url.Values, errs association.Errors, notice string) {
	ctx := r.Context()
	lang := language(w, r)
	_, names, err := s.assocMembers(ctx, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "association members", err)
		return
	}
	cl, err := s.codeLists(ctx, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "code lists", err)
		return
	}
	counts, ps, err := s.insatsParticipants(ctx, ar.Org.ID, in.ID)
	if err != nil {
		s.unavailable(w, r, "participants", err)
		return
	}
	if values == nil {
		values = insatsFormValues(in)
	}
	edit, err := s.insatsFormData(ctx, lang, ar, fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, in.ID), values, errs)
	if err != nil {
		s.unavailable(w, r, "insats form", err)
		return
	}
	edit.Submit = translate(lang, "assoc.ins.save")
	d := insatsShowData{Slug: ar.Org.Slug, Insats: in, Kind: translate(lang, "assoc.ins.kind."+string(in.Kind)),
		Status: translate(lang, "assoc.ins.status."+string(in.Status)), FollowUp: translate(lang, "assoc.ins.followup."+string(in.FollowUp)),
		Responsible: names[in.ResponsibleOrgID], Period: periodText(in.Start, in.End), BudgetTotal: in.BudgetTotal(0).String(),
		Counts: counts, Individual: in.FollowUp == association.FollowUpIndividual, Edit: edit, Notice: notice, CL: cl,
		Start:       newInsForm(lang, "start", url.Values{"start": {ar.Today.String()}}, nil),
		Incomes:     codeChoices(cl, association.ListIncomeSource, lang, true),
		Occupations: codeChoices(cl, association.ListOccupation, lang, true),
		Educations:  codeChoices(cl, association.ListEducation, lang, true)}
	for _, p := range in.PartyOrgIDs {
		d.Parties = append(d.Parties, names[p])
	}
	for _, b := range in.Budgets {
		d.Budgets = append(d.Budgets, budgetRow{Year: strconv.Itoa(b.Year), Financier: translate(lang, "assoc.ins.financier."+string(b.Financier)), Amount: b.Amount.String()})
	}
	var personIDs []int64
	for _, p := range ps {
		if !p.Anonymous() {
			personIDs = append(personIDs, p.PersonID)
		}
	}
	persons, err := store.PersonsByID(ctx, s.store, personIDs)
	if err != nil {
		s.unavailable(w, r, "participants' persons", err)
		return
	}
	var events []audit.Event
	for _, p := range ps {
		row := participantRow{ID: p.ID, Anonymous: p.Anonymous(), Sex: cl.Label(association.ListSex, p.Sex), AgeGroup: cl.Label(association.ListAgeGroup, p.AgeGroup),
			Start: dateText(p.Start), End: dateText(p.End), Status: translate(lang, "assoc.ins.pstatus."+string(p.Status)),
			Days: p.Days(ar.Today), Referral: p.Referral, Version: p.Version}
		if p.EndReason != "" {
			row.EndReason = cl.Label(association.ListEndReason, p.EndReason)
		}
		row.Who = translate(lang, "assoc.ins.anonymous")
		if !p.Anonymous() {
			person := persons[p.PersonID]
			row.Who = person.Name
			ev := s.participantEvent(r, a, "read_participant", p.ID, person)
			ev.Purpose = "list=insats:" + itoa(in.ID)
			events = append(events, ev)
		}
		if p.Status == association.Pending {
			d.Pending = append(d.Pending, row)
		} else {
			d.Rows = append(d.Rows, row)
		}
	}
	s.auditRead(r, a, events...)
	s.render(w, r, status, "assoc_ins_show", page{Lang: lang, Title: in.Name, Actor: a, Data: d})
}

// insatsShow is GET /forbund/{slug}/insatser/{insatsID}.
func (s *Server) insatsShow(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, in, ok := s.loadInsats(w, r, a)
	if !ok {
		return
	}
	s.renderInsats(w, r, a, ar, in, http.StatusOK, nil, nil, "")
}

// insatsUpdate is POST /forbund/{slug}/insatser/{insatsID}: the edit form
// with the version it was made from.
func (s *Server) insatsUpdate(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, in, ok := s.loadInsats(w, r, a)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || version < 1 {
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		return
	}
	edited, errs := readInsatsForm(r.PostForm, in)
	edited.Version = version
	if len(errs) == 0 {
		_, err = s.saveInsats(r, a, ar, edited)
		if es, isField := fieldErrors(err); isField {
			errs = es
		} else if errors.Is(err, store.ErrStale) {
			s.renderInsats(w, r, a, ar, in, http.StatusConflict, r.PostForm, nil, translate(language(w, r), "assoc.ins.stale"))
			return
		} else if err != nil {
			s.unavailable(w, r, "update insats", err)
			return
		}
	} else if err := edited.Validate(); err != nil {
		es, _ := fieldErrors(err)
		errs = append(errs, es...)
	}
	if len(errs) > 0 {
		s.renderInsats(w, r, a, ar, in, http.StatusUnprocessableEntity, r.PostForm, errs, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, in.ID), http.StatusSeeOther)
}

// participantFormData is the registration form.
type participantFormData struct {
	Slug        string
	Insats      association.Insats
	Form        insForm
	Modes       []choice
	Sexes       []choice
	AgeGroups   []choice
	Incomes     []choice
	Occupations []choice
	Educations  []choice
	IncomeRows  []int
	UserName    string
}

// IncomeChoices are the income source options of row i.
func (d participantFormData) IncomeChoices(i int) []choice {
	return selecting(d.Incomes, d.Form.Row("income_source", i, ""))
}

func (s *Server) renderParticipantForm(w http.ResponseWriter, r *http.Request, a *actor, ar assocRequest, in association.Insats, status int, values url.Values, errs association.Errors) {
	lang := language(w, r)
	cl, err := s.codeLists(r.Context(), ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "code lists", err)
		return
	}
	if values == nil {
		values = url.Values{"mode": {"consent"}, "start": {ar.Today.String()}, "consent_by": {a.User.Name}}
	}
	d := participantFormData{Slug: ar.Org.Slug, Insats: in, Form: newInsForm(lang, "reg", values, errs),
		Modes:       []choice{{Value: "consent", Label: translate(lang, "assoc.ins.mode.consent")}, {Value: "anonymous", Label: translate(lang, "assoc.ins.mode.anonymous")}},
		Sexes:       codeChoices(cl, association.ListSex, lang, true),
		AgeGroups:   codeChoices(cl, association.ListAgeGroup, lang, true),
		Incomes:     codeChoices(cl, association.ListIncomeSource, lang, true),
		Occupations: codeChoices(cl, association.ListOccupation, lang, true),
		Educations:  codeChoices(cl, association.ListEducation, lang, true),
		IncomeRows:  []int{0, 1, 2}}
	s.render(w, r, status, "assoc_ins_participant_new", page{Lang: lang, Title: translate(lang, "assoc.ins.reg.title"), Actor: a, Data: d})
}

// participantNew is GET /forbund/{slug}/insatser/{insatsID}/deltagare/ny.
func (s *Server) participantNew(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, in, ok := s.loadInsats(w, r, a)
	if !ok {
		return
	}
	s.renderParticipantForm(w, r, a, ar, in, http.StatusOK, nil, nil)
}

// participantCreate is POST /forbund/{slug}/insatser/{insatsID}/deltagare/ny.
func (s *Server) participantCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, in, ok := s.loadInsats(w, r, a)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	pr, err := s.registerIn(r, a, ar, in, readParticipantForm(r.PostForm, a.UserID))
	if es, isField := fieldErrors(err); isField {
		s.renderParticipantForm(w, r, a, ar, in, http.StatusUnprocessableEntity, r.PostForm, es)
		return
	}
	if err != nil {
		s.unavailable(w, r, "register participant", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/forbund/%s/deltagare/%d", ar.Org.Slug, pr.ID), http.StatusSeeOther)
}

// measureView is a measurement as the participant page shows it.
type measureView struct {
	Phase, On, Incomes, Occupation, Education string
	NotReached                                bool
}

type participantData struct {
	Slug        string
	P           participantRecord
	Anon        bool
	InsatsName  string
	Number      string
	Status      string
	Sex, Age    string
	EndReason   string
	Start, End  string
	Days        int
	Measures    []measureView
	Form        insForm // the form of the current step (start, end, follow-up)
	FormName    string
	EndReasons  []choice
	Phases      []choice
	Incomes     []choice
	Occupations []choice
	Educations  []choice
	IncomeRows  []int
	Notice      string
}

func (d participantData) IncomeChoices(i int) []choice {
	return selecting(d.Incomes, d.Form.Row("income_source", i, ""))
}

// Pending, Active and Ended tell the template which step is next.
func (d participantData) Pending() bool { return d.P.Status == association.Pending }
func (d participantData) Active() bool  { return d.P.Status == association.Active }
func (d participantData) Ended() bool   { return d.P.Status == association.Ended }

func (s *Server) renderParticipant(w http.ResponseWriter, r *http.Request, a *actor, ar assocRequest, pr participantRecord, status int, form string, values url.Values, errs association.Errors, notice string) {
	ctx := r.Context()
	lang := language(w, r)
	cl, err := s.codeLists(ctx, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "code lists", err)
		return
	}
	in, err := store.InsatsByID(ctx, s.store, ar.Org.ID, pr.InsatsID)
	if err != nil {
		s.unavailable(w, r, "participant insats", err)
		return
	}
	d := participantData{Slug: ar.Org.Slug, P: pr, Anon: pr.Anonymous(), InsatsName: in.Name, Status: translate(lang, "assoc.ins.pstatus."+string(pr.Status)),
		Sex: cl.Label(association.ListSex, pr.Sex), Age: cl.Label(association.ListAgeGroup, pr.AgeGroup),
		Start: dateText(pr.Start), End: dateText(pr.End), Days: pr.Days(ar.Today), Notice: notice,
		EndReasons:  codeChoices(cl, association.ListEndReason, lang, true),
		Phases:      []choice{{Value: "6m", Label: translate(lang, "assoc.ins.phase.6m")}, {Value: "12m", Label: translate(lang, "assoc.ins.phase.12m")}},
		Incomes:     codeChoices(cl, association.ListIncomeSource, lang, true),
		Occupations: codeChoices(cl, association.ListOccupation, lang, true),
		Educations:  codeChoices(cl, association.ListEducation, lang, true),
		IncomeRows:  []int{0, 1, 2}}
	if pr.EndReason != "" {
		d.EndReason = cl.Label(association.ListEndReason, pr.EndReason)
	}
	if pr.Person.Personnummer != "" {
		d.Number = personnummer.Number(pr.Person.Personnummer).String()
	}
	for _, m := range pr.Measurements {
		v := measureView{Phase: translate(lang, "assoc.ins.phase."+string(m.Phase)), On: dateText(m.On), NotReached: m.NotReached,
			Occupation: cl.Label(association.ListOccupation, m.Occupation), Education: cl.Label(association.ListEducation, m.Education)}
		if m.Occupation == "" {
			v.Occupation = "–"
		}
		if m.Education == "" {
			v.Education = "–"
		}
		for i, s := range m.IncomeSources {
			if i > 0 {
				v.Incomes += ", "
			}
			v.Incomes += cl.Label(association.ListIncomeSource, s.Source) + " " + strconv.Itoa(s.Extent) + " %"
		}
		d.Measures = append(d.Measures, v)
	}
	if form == "" {
		switch pr.Status {
		case association.Pending:
			form = "start"
		case association.Active:
			form = "end"
		default:
			form = "followup"
		}
	}
	if values == nil {
		values = url.Values{"version": {strconv.Itoa(pr.Version)}}
		switch form {
		case "start":
			values.Set("start", ar.Today.String())
		case "end":
			values.Set("end", ar.Today.String())
		default:
			values.Set("on", ar.Today.String())
		}
	}
	d.Form, d.FormName = newInsForm(lang, form, values, errs), form
	if !pr.Anonymous() {
		ev := s.participantEvent(r, a, "read_participant", pr.ID, pr.Person)
		ev.Purpose = "registration"
		s.auditRead(r, a, ev)
	}
	s.render(w, r, status, "assoc_ins_participant", page{Lang: lang, Title: translate(lang, "assoc.ins.participant.title") + " " + itoa(pr.ID), Actor: a, Data: d})
}

// participantShow is GET /forbund/{slug}/deltagare/{participantID}.
func (s *Server) participantShow(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, pr, ok := s.loadParticipant(w, r, a)
	if !ok {
		return
	}
	s.renderParticipant(w, r, a, ar, pr, http.StatusOK, "", nil, nil, "")
}

// participantStep runs one form of the participant page.
func (s *Server) participantStep(w http.ResponseWriter, r *http.Request, a *actor, form, action string,
	change func(f url.Values) func(p *association.Participant) association.Errors) {
	ar, pr, ok := s.loadParticipant(w, r, a)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || version < 1 {
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		return
	}
	_, err = s.changeParticipant(r, a, ar, pr, version, action, change(r.PostForm))
	if es, isField := fieldErrors(err); isField {
		s.renderParticipant(w, r, a, ar, pr, http.StatusUnprocessableEntity, form, r.PostForm, es, "")
		return
	}
	if errors.Is(err, store.ErrStale) {
		s.renderParticipant(w, r, a, ar, pr, http.StatusConflict, form, r.PostForm, nil, translate(language(w, r), "assoc.ins.stale"))
		return
	}
	if err != nil {
		s.unavailable(w, r, "participant "+action, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/forbund/%s/deltagare/%d", ar.Org.Slug, pr.ID), http.StatusSeeOther)
}

// participantStartPost starts a pending registration (start date and start
// measurement).
func (s *Server) participantStartPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.participantStep(w, r, a, "start", "start_participant", func(f url.Values) func(p *association.Participant) association.Errors {
		var errs association.Errors
		in := startInput{Start: parseDateField(&errs, "start", f.Get("start"))}
		in.Measure = readMeasurement(f, &errs)
		if in.Start.IsZero() && len(errs) == 0 {
			errs = append(errs, assocFieldError(association.CodeStartRequired, "start", "give the start date", "ange startdatum"))
		}
		return startChange(in, errs)
	})
}

// participantEndPost is POST .../utskrivning: register out.
func (s *Server) participantEndPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.participantStep(w, r, a, "end", "end_participant", func(f url.Values) func(p *association.Participant) association.Errors {
		var errs association.Errors
		in := endInput{End: parseDateField(&errs, "end", f.Get("end")), Reason: f.Get("end_reason")}
		in.Measure = readMeasurement(f, &errs)
		return endChange(in, errs)
	})
}

// participantFollowUpPost is POST .../uppfoljning: the 6 or 12 month
// follow-up, or that the person was not reached.
func (s *Server) participantFollowUpPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.participantStep(w, r, a, "followup", "follow_up_participant", func(f url.Values) func(p *association.Participant) association.Errors {
		var errs association.Errors
		m := readMeasurement(f, &errs)
		m.Phase = association.Phase(f.Get("phase"))
		m.On = parseDateField(&errs, "on", f.Get("on"))
		return followUpChange(m, errs)
	})
}

// participantDeclinePost is POST .../avboj: a pending registration is
// declined and removed.
func (s *Server) participantDeclinePost(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, pr, ok := s.loadParticipant(w, r, a)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || version < 1 {
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		return
	}
	err = s.declineParticipant(r, a, ar, pr, version)
	switch {
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrConflict):
		s.renderParticipant(w, r, a, ar, pr, http.StatusConflict, "", nil, nil, translate(language(w, r), "assoc.ins.stale"))
	case err != nil:
		s.unavailable(w, r, "decline participant", err)
	default:
		http.Redirect(w, r, fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, pr.InsatsID), http.StatusSeeOther)
	}
}
