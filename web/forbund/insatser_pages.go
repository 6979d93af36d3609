package forbund

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
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
	Tabs          assoctabs.Nav
	Slug, OrgName string
	Rows          []insatsRow
	Filter        participant.Form
	Statuses      []site.Choice
}

func (h *Handlers) assocMembers(ctx context.Context, associationID int64) ([]organisation.Organisation, map[int64]string, error) {
	ms, err := store.AssociationMembers(ctx, h.Store, associationID)
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

func insatsStatusChoices(lang string, blank bool) []site.Choice {
	var out []site.Choice
	if blank {
		out = append(out, site.Choice{Value: "", Label: translate(lang, "assoc.ins.filter.all")})
	}
	for _, st := range association.InsatsStatuses {
		out = append(out, site.Choice{Value: string(st), Label: translate(lang, "assoc.ins.status."+string(st))})
	}
	return out
}

// InsatsList is GET /forbund/{slug}/insatser: the association's insatser,
// filtered by status and by year (the insats runs some day of it).
func (h *Handlers) InsatsList(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := site.Language(w, r)
	q := r.URL.Query()
	status := association.InsatsStatus(q.Get("status"))
	year, _ := strconv.Atoi(q.Get("year"))
	list, err := store.Insatser(ctx, h.Store, store.InsatsQuery{AssociationID: ar.Org.ID, Status: status})
	if err != nil {
		return site.Unavailable("insatser", err)
	}
	_, names, err := h.assocMembers(ctx, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	counts, err := store.ParticipantCounts(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("count participants", err)
	}
	d := insatsListData{Slug: ar.Org.Slug, OrgName: ar.Org.Name, Filter: participant.NewForm(h.Messages, lang, "filter", q, nil), Statuses: insatsStatusChoices(lang, true), Tabs: tabs(r, a, ar)}
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
	h.Render(w, r, http.StatusOK, "assoc_ins_list", site.Page{Lang: lang, Title: translate(lang, "assoc.ins.list.title"), Actor: a, Data: d})
	return nil
}

// insatsFormData is the insats form (new, or edit on the insats page).
type insatsFormData struct {
	Tabs                 assoctabs.Nav // on the page of a new insats
	Slug, Action, Submit string
	Form                 participant.Form
	Members              []site.Choice // responsible party options
	Parties              []site.Choice // the parties checkboxes
	Kinds, FollowUps     []site.Choice
	Statuses             []site.Choice
	Financiers           []site.Choice
	BudgetRows, DocRows  []int
	Notice               string
}

func (h *Handlers) insatsFormData(ctx context.Context, lang string, ar assocRequest, action string, values url.Values, errs site.Problems) (insatsFormData, error) {
	ms, _, err := h.assocMembers(ctx, ar.Org.ID)
	if err != nil {
		return insatsFormData{}, err
	}
	f := participant.NewForm(h.Messages, lang, "ins", values, errs)
	d := insatsFormData{Slug: ar.Org.Slug, Action: action, Form: f, Statuses: insatsStatusChoices(lang, false)}
	d.Members = append(d.Members, site.Choice{Value: "", Label: "–"})
	chosen := map[string]bool{}
	for _, v := range values["parties"] {
		chosen[v] = true
	}
	for _, m := range ms {
		d.Members = append(d.Members, site.Choice{Value: itoa(m.ID), Label: m.Name})
		d.Parties = append(d.Parties, site.Choice{Value: itoa(m.ID), Label: m.Name, Selected: chosen[itoa(m.ID)]})
	}
	for _, k := range association.Kinds {
		d.Kinds = append(d.Kinds, site.Choice{Value: string(k), Label: translate(lang, "assoc.ins.kind."+string(k))})
	}
	for _, fu := range []association.FollowUp{association.FollowUpIndividual, association.FollowUpCounts} {
		d.FollowUps = append(d.FollowUps, site.Choice{Value: string(fu), Label: translate(lang, "assoc.ins.followup."+string(fu))})
	}
	for _, fin := range association.Financiers {
		d.Financiers = append(d.Financiers, site.Choice{Value: string(fin), Label: translate(lang, "assoc.ins.financier."+string(fin))})
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
func (d insatsFormData) FinancierChoices(i int) []site.Choice {
	return form.Selecting(d.Financiers, d.Form.Row("budget_financier", i, ""))
}

func (h *Handlers) renderInsatsForm(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, status int, values url.Values, errs site.Problems) error {
	lang := site.Language(w, r)
	d, err := h.insatsFormData(r.Context(), lang, ar, "/forbund/"+ar.Org.Slug+"/insatser/ny", values, errs)
	if err != nil {
		return site.Unavailable("insats form", err)
	}
	d.Submit = translate(lang, "assoc.ins.create")
	d.Tabs = tabs(r, a, ar)
	h.Render(w, r, status, "assoc_ins_form", site.Page{Lang: lang, Title: translate(lang, "assoc.ins.new.title"), Actor: a, Data: d})
	return nil
}

// InsatsNew is GET /forbund/{slug}/insatser/ny.
func (h *Handlers) InsatsNew(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	values := url.Values{"kind": {"individual"}, "follow_up": {"individual"}, "status": {"planned"}, "start": {ar.Today.String()}}
	return h.renderInsatsForm(w, r, a, ar, http.StatusOK, values, nil)
}

// InsatsCreate is POST /forbund/{slug}/insatser/ny.
func (h *Handlers) InsatsCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	in, errs := readInsatsForm(r.PostForm, association.Insats{})
	if in, errs, err = h.saveInsatsForm(r, a, ar, in, errs); err != nil {
		return site.Unavailable("create insats", err)
	}
	if len(errs) > 0 {
		return h.renderInsatsForm(w, r, a, ar, http.StatusUnprocessableEntity, r.PostForm, errs)
	}
	http.Redirect(w, r, fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, in.ID), http.StatusSeeOther)
	return nil
}

// saveInsatsForm saves in, read from a form with the problems errs: a form
// without problems is saved and the domain's field problems become the
// form's; one with problems is validated as well, so that every problem
// shows at once, and not saved. err is any other failure of the save (a
// stale version among them).
func (h *Handlers) saveInsatsForm(r *http.Request, a *site.Actor, ar assocRequest, in association.Insats, errs site.Problems) (association.Insats, site.Problems, error) {
	if len(errs) > 0 {
		if err := in.Validate(); err != nil {
			es, _ := participant.Problems(err)
			errs = append(errs, es...)
		}
		return in, errs, nil
	}
	saved, err := h.saveInsats(r, a, ar, in)
	if es, isField := participant.Problems(err); isField {
		return in, es, nil
	}
	return saved, nil, err
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
	InsatsID           int64
	InsatsName         string // on the association's list, "" on the insats's page
}

type insatsShowData struct {
	Tabs        assoctabs.Nav
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
	PFilter     participantFilter
	Groups      []participantGroup
	Edit        insatsFormData
	Start       participant.Form // the start form of a pending registration
	CL          *association.CodeLists
	Incomes     []site.Choice
	Occupations []site.Choice
	Educations  []site.Choice
	Notice      string
}

type budgetRow struct{ Year, Financier, Amount string }

func (h *Handlers) renderInsats(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, in association.Insats, status int, values url.Values, errs site.Problems, notice string) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	_, names, err := h.assocMembers(ctx, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	cl, err := h.codeLists(ctx, ar.Org.ID)
	if err != nil {
		return site.Unavailable("code lists", err)
	}
	counts, ps, err := h.insatsParticipants(ctx, ar.Org.ID, in.ID)
	if err != nil {
		return site.Unavailable("participants", err)
	}
	if values == nil {
		values = insatsFormValues(in)
	}
	edit, err := h.insatsFormData(ctx, lang, ar, fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, in.ID), values, errs)
	if err != nil {
		return site.Unavailable("insats form", err)
	}
	edit.Submit = translate(lang, "assoc.ins.save")
	d := insatsShowData{Tabs: tabs(r, a, ar), Slug: ar.Org.Slug, Insats: in, Kind: translate(lang, "assoc.ins.kind."+string(in.Kind)),
		Status: translate(lang, "assoc.ins.status."+string(in.Status)), FollowUp: translate(lang, "assoc.ins.followup."+string(in.FollowUp)),
		Responsible: names[in.ResponsibleOrgID], Period: periodText(in.Start, in.End), BudgetTotal: in.BudgetTotal(0).String(),
		Counts: counts, Individual: in.FollowUp == association.FollowUpIndividual, Edit: edit, Notice: notice, CL: cl,
		Start:       participant.NewForm(h.Messages, lang, "start", url.Values{"start": {ar.Today.String()}}, nil),
		Incomes:     codeChoices(cl, association.ListIncomeSource, lang, true),
		Occupations: codeChoices(cl, association.ListOccupation, lang, true),
		Educations:  codeChoices(cl, association.ListEducation, lang, true)}
	for _, p := range in.PartyOrgIDs {
		d.Parties = append(d.Parties, names[p])
	}
	for _, b := range in.Budgets {
		d.Budgets = append(d.Budgets, budgetRow{Year: strconv.Itoa(b.Year), Financier: translate(lang, "assoc.ins.financier."+string(b.Financier)), Amount: b.Amount.String()})
	}
	filter, _ := readStatusFilter(r.URL.Query(), lang, "pfilter")
	d.PFilter = filter
	if d.Groups, err = h.participantGroups(r, a, ar, lang, ps, filter.Status, cl, nil, "list=insats:"+itoa(in.ID)); err != nil {
		return site.Unavailable("participants' persons", err)
	}
	h.Render(w, r, status, "assoc_ins_show", site.Page{Lang: lang, Title: in.Name, Actor: a, Data: d})
	return nil
}

// InsatsShow is GET /forbund/{slug}/insatser/{insatsID}.
func (h *Handlers) InsatsShow(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, in, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	return h.renderInsats(w, r, a, ar, in, http.StatusOK, nil, nil, h.TakeFlash(w, r, site.Language(w, r)))
}

// InsatsUpdate is POST /forbund/{slug}/insatser/{insatsID}: the edit form
// with the version it was made from.
func (h *Handlers) InsatsUpdate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, in, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	version, err := versionForm(w, r)
	if err != nil {
		return err
	}
	edited, errs := readInsatsForm(r.PostForm, in)
	edited.Version = version
	_, errs, err = h.saveInsatsForm(r, a, ar, edited, errs)
	if errors.Is(err, store.ErrStale) {
		return h.renderInsats(w, r, a, ar, in, http.StatusConflict, r.PostForm, nil, translate(site.Language(w, r), "assoc.ins.stale"))
	} else if err != nil {
		return site.Unavailable("update insats", err)
	}
	if len(errs) > 0 {
		return h.renderInsats(w, r, a, ar, in, http.StatusUnprocessableEntity, r.PostForm, errs, "")
	}
	http.Redirect(w, r, fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, in.ID), http.StatusSeeOther)
	return nil
}

// measureFields is what the partial "assoc-ins-measure" draws a
// measurement from, on the registration form and on the participant's
// page: the form, and the choices of income source (three rows),
// occupation and education of the association's code lists.
type measureFields struct {
	Form        participant.Form
	Incomes     []site.Choice
	Occupations []site.Choice
	Educations  []site.Choice
	IncomeRows  []int
}

func newMeasureFields(cl *association.CodeLists, lang string) measureFields {
	return measureFields{
		Incomes:     codeChoices(cl, association.ListIncomeSource, lang, true),
		Occupations: codeChoices(cl, association.ListOccupation, lang, true),
		Educations:  codeChoices(cl, association.ListEducation, lang, true),
		IncomeRows:  []int{0, 1, 2}}
}

// IncomeChoices are the income source options of row i.
func (d measureFields) IncomeChoices(i int) []site.Choice {
	return form.Selecting(d.Incomes, d.Form.Row("income_source", i, ""))
}

// participantFormData is the registration form.
type participantFormData struct {
	Tabs   assoctabs.Nav
	Slug   string
	Insats association.Insats
	measureFields
	Modes     []site.Choice
	Sexes     []site.Choice
	AgeGroups []site.Choice
	UserName  string
}

func (h *Handlers) renderParticipantForm(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, in association.Insats, status int, values url.Values, errs site.Problems) error {
	lang := site.Language(w, r)
	cl, err := h.codeLists(r.Context(), ar.Org.ID)
	if err != nil {
		return site.Unavailable("code lists", err)
	}
	if values == nil {
		values = url.Values{"mode": {"consent"}, "start": {ar.Today.String()}, "consent_by": {a.User.Name}}
	}
	d := participantFormData{Tabs: tabs(r, a, ar), Slug: ar.Org.Slug, Insats: in, measureFields: newMeasureFields(cl, lang),
		Modes:     []site.Choice{{Value: "consent", Label: translate(lang, "assoc.ins.mode.consent")}, {Value: "anonymous", Label: translate(lang, "assoc.ins.mode.anonymous")}},
		Sexes:     codeChoices(cl, association.ListSex, lang, true),
		AgeGroups: codeChoices(cl, association.ListAgeGroup, lang, true)}
	d.Form = participant.NewForm(h.Messages, lang, "reg", values, errs)
	h.Render(w, r, status, "assoc_ins_participant_new", site.Page{Lang: lang, Title: translate(lang, "assoc.ins.reg.title"), Actor: a, Data: d})
	return nil
}

// ParticipantNew is GET /forbund/{slug}/insatser/{insatsID}/deltagare/ny.
func (h *Handlers) ParticipantNew(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, in, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	return h.renderParticipantForm(w, r, a, ar, in, http.StatusOK, nil, nil)
}

// ParticipantCreate is POST /forbund/{slug}/insatser/{insatsID}/deltagare/ny.
func (h *Handlers) ParticipantCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, in, err := h.loadInsats(r, a)
	if err != nil {
		return err
	}
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	pr, err := h.registerIn(r, a, ar, in, readParticipantForm(r.PostForm, a.UserID))
	if es, isField := participant.Problems(err); isField {
		return h.renderParticipantForm(w, r, a, ar, in, http.StatusUnprocessableEntity, r.PostForm, es)
	}
	if err != nil {
		return site.Unavailable("register participant", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/forbund/%s/deltagare/%d", ar.Org.Slug, pr.ID), http.StatusSeeOther)
	return nil
}

// measureView is a measurement as the participant page shows it.
type measureView struct {
	Phase, On, Incomes, Occupation, Education string
	NotReached                                bool
}

type participantData struct {
	Tabs       assoctabs.Nav
	Slug       string
	P          participant.Record
	Anon       bool
	InsatsName string
	Number     string
	Status     string
	Sex, Age   string
	EndReason  string
	Start, End string
	Days       int
	Measures   []measureView
	// measureFields' Form is the form of the current step (start, end,
	// follow-up).
	measureFields
	FormName   string
	EndReasons []site.Choice
	Phases     []site.Choice
	Notice     string
}

// Pending, Active and Ended tell the template which step is next.
func (d participantData) Pending() bool { return d.P.Status == association.Pending }
func (d participantData) Active() bool  { return d.P.Status == association.Active }
func (d participantData) Ended() bool   { return d.P.Status == association.Ended }

func (h *Handlers) renderParticipant(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, pr participant.Record, status int, form string, values url.Values, errs site.Problems, notice string) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	cl, err := h.codeLists(ctx, ar.Org.ID)
	if err != nil {
		return site.Unavailable("code lists", err)
	}
	in, err := store.InsatsByID(ctx, h.Store, ar.Org.ID, pr.InsatsID)
	if err != nil {
		return site.Unavailable("participant insats", err)
	}
	d := participantData{Slug: ar.Org.Slug, P: pr, Anon: pr.Anonymous(), InsatsName: in.Name, Status: translate(lang, "assoc.ins.pstatus."+string(pr.Status)),
		Sex: cl.Label(association.ListSex, pr.Sex), Age: cl.Label(association.ListAgeGroup, pr.AgeGroup),
		Start: dateText(pr.Start), End: dateText(pr.End), Days: pr.Days(ar.Today), Notice: notice,
		measureFields: newMeasureFields(cl, lang),
		EndReasons:    codeChoices(cl, association.ListEndReason, lang, true),
		Phases:        []site.Choice{{Value: "6m", Label: translate(lang, "assoc.ins.phase.6m")}, {Value: "12m", Label: translate(lang, "assoc.ins.phase.12m")}}}
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
	d.Form, d.FormName = participant.NewForm(h.Messages, lang, form, values, errs), form
	d.Tabs = tabs(r, a, ar)
	if !pr.Anonymous() {
		ev := participant.Event(h.Site, r, a, "read_participant", pr.ID, pr.Person)
		ev.Purpose = "registration"
		h.auditRead(r, a, ev)
	}
	h.Render(w, r, status, "assoc_ins_participant", site.Page{Lang: lang, Title: translate(lang, "assoc.ins.participant.title") + " " + itoa(pr.ID), Actor: a, Data: d})
	return nil
}

// ParticipantShow is GET /forbund/{slug}/deltagare/{participantID}.
func (h *Handlers) ParticipantShow(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, pr, err := h.loadParticipant(r, a)
	if err != nil {
		return err
	}
	return h.renderParticipant(w, r, a, ar, pr, http.StatusOK, "", nil, nil, h.TakeFlash(w, r, site.Language(w, r)))
}

// participantStep runs one form of the participant page.
func (h *Handlers) participantStep(w http.ResponseWriter, r *http.Request, a *site.Actor, form, action string,
	change func(f url.Values) func(p *association.Participant) site.Problems) error {
	ar, pr, err := h.loadParticipant(r, a)
	if err != nil {
		return err
	}
	version, err := versionForm(w, r)
	if err != nil {
		return err
	}
	// Registering out is asked about first, once the form is in order; a
	// form made from an older version goes on to be answered as stale.
	if form == "end" && !site.Confirmed(r.PostForm) && version == pr.Version {
		_, _, err := h.changedParticipant(r, ar, pr, version, change(r.PostForm))
		if err == nil {
			return h.confirmParticipant(w, r, a, ar, pr, "end", r.PostForm.Get("end"))
		}
		if _, isField := participant.Problems(err); !isField {
			return site.Unavailable("participant "+action, err)
		}
	}
	_, err = h.changeParticipant(r, a, ar, pr, version, action, change(r.PostForm))
	if es, isField := participant.Problems(err); isField {
		return h.renderParticipant(w, r, a, ar, pr, http.StatusUnprocessableEntity, form, r.PostForm, es, "")
	}
	if errors.Is(err, store.ErrStale) {
		return h.renderParticipant(w, r, a, ar, pr, http.StatusConflict, form, r.PostForm, nil, translate(site.Language(w, r), "assoc.ins.stale"))
	}
	if err != nil {
		return site.Unavailable("participant "+action, err)
	}
	page := fmt.Sprintf("/forbund/%s/deltagare/%d", ar.Org.Slug, pr.ID)
	if form == "end" {
		site.SetFlash(w, r, page, "flash.assoc.participant_ended")
	}
	http.Redirect(w, r, page, http.StatusSeeOther)
	return nil
}

// confirmParticipant asks before registration pr is ended (how "end", on
// day) or declined and removed (how "decline"). The question names the
// registration by its number and insats, not the person.
func (h *Handlers) confirmParticipant(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, pr participant.Record, how, day string) error {
	lang := site.Language(w, r)
	in, err := store.InsatsByID(r.Context(), h.Store, ar.Org.ID, pr.InsatsID)
	if err != nil {
		return site.Unavailable("participant insats", err)
	}
	k := "assoc.ins.confirm." + how
	page := fmt.Sprintf("/forbund/%s/deltagare/%d", ar.Org.Slug, pr.ID)
	action := map[string]string{"end": "/utskrivning", "decline": "/avboj"}[how]
	args := []any{pr.ID, in.Name}
	if day != "" {
		args = append(args, day)
	}
	h.Confirm(w, r, a, site.Confirmation{Title: translate(lang, k+".title"),
		Lead:   []string{fmt.Sprintf(translate(lang, k+".what"), args...), translate(lang, k+".after")},
		Action: page + action, Values: r.PostForm, Submit: translate(lang, k+".submit"), Back: page})
	return nil
}

// ParticipantStart starts a pending registration (start date and start
// measurement).
func (h *Handlers) ParticipantStart(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.participantStep(w, r, a, "start", "start_participant", func(f url.Values) func(p *association.Participant) site.Problems {
		var errs site.Problems
		in := startInput{Start: participant.ParseDate(&errs, "start", f.Get("start"))}
		in.Measure = readMeasurement(f, &errs)
		if in.Start.IsZero() && len(errs) == 0 {
			errs = append(errs, participant.Problem(association.CodeStartRequired, "start", "give the start date", "ange startdatum"))
		}
		return startChange(in, errs)
	})
}

// ParticipantEnd is POST .../utskrivning: register out.
func (h *Handlers) ParticipantEnd(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.participantStep(w, r, a, "end", "end_participant", func(f url.Values) func(p *association.Participant) site.Problems {
		var errs site.Problems
		in := endInput{End: participant.ParseDate(&errs, "end", f.Get("end")), Reason: f.Get("end_reason")}
		in.Measure = readMeasurement(f, &errs)
		return endChange(in, errs)
	})
}

// ParticipantFollowUp is POST .../uppfoljning: the 6 or 12 month
// follow-up, or that the person was not reached.
func (h *Handlers) ParticipantFollowUp(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.participantStep(w, r, a, "followup", "follow_up_participant", func(f url.Values) func(p *association.Participant) site.Problems {
		var errs site.Problems
		m := readMeasurement(f, &errs)
		m.Phase = association.Phase(f.Get("phase"))
		m.On = participant.ParseDate(&errs, "on", f.Get("on"))
		return followUpChange(m, errs)
	})
}

// ParticipantDecline is POST .../avboj: a pending registration is
// declined and removed.
func (h *Handlers) ParticipantDecline(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, pr, err := h.loadParticipant(r, a)
	if err != nil {
		return err
	}
	version, err := versionForm(w, r)
	if err != nil {
		return err
	}
	if !site.Confirmed(r.PostForm) && version == pr.Version {
		return h.confirmParticipant(w, r, a, ar, pr, "decline", "")
	}
	err = h.declineParticipant(r, a, ar, pr, version)
	switch {
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrConflict):
		return h.renderParticipant(w, r, a, ar, pr, http.StatusConflict, "", nil, nil, translate(site.Language(w, r), "assoc.ins.stale"))
	case err != nil:
		return site.Unavailable("decline participant", err)
	}
	page := fmt.Sprintf("/forbund/%s/insatser/%d", ar.Org.Slug, pr.InsatsID)
	site.SetFlash(w, r, page, "flash.assoc.participant_declined")
	http.Redirect(w, r, page, http.StatusSeeOther)
	return nil
}

// versionForm parses a form that carries the version of the row it was
// made from and answers that version; a missing or bad one is 400.
func versionForm(w http.ResponseWriter, r *http.Request) (int, error) {
	if err := site.ParseForm(w, r); err != nil {
		return 0, err
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || version < 1 {
		return 0, site.BadRequest()
	}
	return version, nil
}
