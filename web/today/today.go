package today

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Count is one figure of the view: its words, its number and where the
// cases it counts are listed.
type Count struct {
	Label string
	N     int
	Href  string
	// Attention marks a figure that should be zero (overdue work).
	Attention bool
}

// Section is the part of the view that belongs to one role.
type Section struct {
	Heading string
	Lead    string
	Counts  []Count
	// Load is an office's open cases per user (managers).
	Load []store.WorkerLoad
	// Links are the section's ways onward.
	Links []site.NavItem
}

type viewData struct {
	Name     string
	Date     string
	Sections []Section
}

// Start is GET / for a signed-in user: a section for each of their roles
// that has work to show, and the navigation's own links otherwise.
func (s *Handlers) Start(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	today := s.Today()
	d := viewData{Name: a.User.Name, Date: today.String()}
	t := today.Time()
	// The week ends on Sunday.
	weekEnd := t.AddDate(0, 0, (7-int(t.Weekday()))%7)
	fk := a.OrgType == organisation.FK
	if fk && a.Has(account.CaseWorker) {
		sec, err := s.caseWorker(r, a, lang, t, weekEnd)
		if err != nil {
			return err
		}
		d.Sections = append(d.Sections, sec)
	}
	if fk && a.Has(account.Manager) {
		sec, err := s.manager(r, a, lang, t, weekEnd)
		if err != nil {
			return err
		}
		d.Sections = append(d.Sections, sec)
	}
	if a.Has(account.Coordinator) {
		sec, err := s.coordinator(r, a, lang, weekEnd)
		if err != nil {
			return err
		}
		d.Sections = append(d.Sections, sec)
	}
	if a.Has(account.AssociationStaff) || a.Has(account.Board) {
		secs, err := s.associations(r, a, lang)
		if err != nil {
			return err
		}
		d.Sections = append(d.Sections, secs...)
	}
	if a.Has(account.Admin) {
		sec, err := s.admin(r, a, lang)
		if err != nil {
			return err
		}
		d.Sections = append(d.Sections, sec)
	}
	s.Render(w, r, http.StatusOK, "today", site.Page{Lang: lang, Title: translate(lang, "today.title"), Actor: a, Data: d})
	return nil
}

// newsDays is how far back "new" reaches: certificates and answers to
// supplement requests of the last week.
const newsDays = 7

// caseWorker is the case worker's own cases by their next deadline.
func (s *Handlers) caseWorker(r *http.Request, a *site.Actor, lang string, today, weekEnd time.Time) (Section, error) {
	c, err := store.CaseDueCounts(r.Context(), s.Store, store.WorklistQuery{AssignedUserID: a.UserID}, today, weekEnd)
	if err != nil {
		return Section{}, site.Unavailable("today counts", err)
	}
	news, err := store.CaseNewsSince(r.Context(), s.Store, a.UserID, s.Now().AddDate(0, 0, -newsDays))
	if err != nil {
		return Section{}, site.Unavailable("today news", err)
	}
	own := "/arenden"
	return Section{
		Heading: translate(lang, "today.cases.heading"),
		Lead:    translate(lang, "today.cases.lead"),
		Counts: []Count{
			{Label: translate(lang, "today.overdue"), N: c.Overdue, Href: withQuery(own, "overdue", "1"), Attention: c.Overdue > 0},
			{Label: translate(lang, "today.due.today"), N: c.Today, Href: own},
			{Label: translate(lang, "today.due.week"), N: c.ThisWeek, Href: own},
			{Label: translate(lang, "today.warnings"), N: c.Warnings, Href: withQuery(own, "warnings", "1")},
			{Label: translate(lang, "today.news.certificates"), N: news.Certificates, Href: "/certificates"},
			{Label: translate(lang, "today.news.answered"), N: news.Answered, Href: own},
		},
		Links: []site.NavItem{{Href: own, Label: translate(lang, "today.cases.all")}},
	}, nil
}

// manager is the manager's office: its overdue and unassigned cases and
// each user's load. A director without an office gets the links only.
func (s *Handlers) manager(r *http.Request, a *site.Actor, lang string, today, weekEnd time.Time) (Section, error) {
	office := "/arenden/kontor"
	sec := Section{
		Heading: translate(lang, "today.office.heading"),
		Lead:    translate(lang, "today.office.lead"),
		Links: []site.NavItem{{Href: office, Label: translate(lang, "today.office.all")},
			{Href: "/dashboards", Label: translate(lang, "today.office.dashboards")}},
	}
	if a.OfficeID == 0 {
		sec.Lead = translate(lang, "today.office.none")
		return sec, nil
	}
	ctx := r.Context()
	all, err := store.CaseDueCounts(ctx, s.Store, store.WorklistQuery{OfficeID: a.OfficeID}, today, weekEnd)
	if err != nil {
		return Section{}, site.Unavailable("today counts", err)
	}
	nobody, err := store.WorklistCount(ctx, s.Store, store.WorklistQuery{OfficeID: a.OfficeID, Unassigned: true})
	if err != nil {
		return Section{}, site.Unavailable("today counts", err)
	}
	if sec.Load, err = store.OfficeLoad(ctx, s.Store, a.OfficeID); err != nil {
		return Section{}, site.Unavailable("today load", err)
	}
	sec.Counts = []Count{
		{Label: translate(lang, "today.overdue"), N: all.Overdue, Href: withQuery(office, "overdue", "1"), Attention: all.Overdue > 0},
		{Label: translate(lang, "today.unassigned"), N: nobody, Href: office},
		{Label: translate(lang, "today.warnings"), N: all.Warnings, Href: withQuery(office, "warnings", "1")},
	}
	return sec, nil
}

// coordinator is the coordinations the actor's organisation is invited
// to and may see under the persons' consents, as Mina samordningsärenden
// lists them: the new invitations and those with a meeting this week.
func (s *Handlers) coordinator(r *http.Request, a *site.Actor, lang string, weekEnd time.Time) (Section, error) {
	ctx := r.Context()
	now := s.Now()
	rows, err := store.CoordinationsOf(ctx, s.Store, a.OrgID, now)
	if err != nil {
		return Section{}, site.Unavailable("today coordinations", err)
	}
	ids := make([]int64, 0, len(rows))
	for _, row := range rows {
		ids = append(ids, row.PersonID)
	}
	consents, err := store.PersonsConsents(ctx, s.Store, ids)
	if err != nil {
		return Section{}, site.Unavailable("today consents", err)
	}
	day := site.SwedishDate(now)
	var fresh, meetings int
	for _, row := range rows {
		res := policy.Resource{OrgID: row.LeadOrgID, OfficeID: row.OfficeID, Now: day, Consents: coordination.PolicyAll(consents[row.PersonID])}
		if d, _ := policy.Decide(&a.Actor, policy.ReadPerson, res); d != policy.Allow {
			continue
		}
		if row.New {
			fresh++
		}
		if !row.NextMeeting.IsZero() && !site.SwedishDate(row.NextMeeting).After(weekEnd) {
			meetings++
		}
	}
	list := "/samordning"
	return Section{
		Heading: translate(lang, "today.coord.heading"),
		Lead:    translate(lang, "today.coord.lead"),
		Counts: []Count{
			{Label: translate(lang, "today.coord.new"), N: fresh, Href: list},
			{Label: translate(lang, "today.coord.meetings"), N: meetings, Href: list},
		},
		Links: []site.NavItem{{Href: list, Label: translate(lang, "today.coord.all")}},
	}, nil
}

// endingDays is how far ahead the staff see the insatser that end.
const endingDays = 30

// associations is a section per association the actor may look at: for
// its staff what waits (registrations, interest, insatser ending), for
// those who read its reports the way to them.
func (s *Handlers) associations(r *http.Request, a *site.Actor, lang string) ([]Section, error) {
	ctx := r.Context()
	now, today := s.Now(), s.Today()
	orgs, err := store.AssociationsFor(ctx, s.Store, a.OrgID, a.UserID, today)
	if err != nil {
		return nil, site.Unavailable("today associations", err)
	}
	var out []Section
	for _, o := range orgs {
		base := "/forbund/" + url.PathEscape(o.Slug)
		res := policy.Resource{OrgID: o.ID, Now: now}
		sec := Section{Heading: o.Name}
		if policy.Can(&a.Actor, policy.ManageAssociation, res).Allowed() {
			wk, err := store.AssociationWorkOf(ctx, s.Store, o.ID, today, today.AddDays(endingDays))
			if err != nil {
				return nil, site.Unavailable("today association work", err)
			}
			sec.Counts = []Count{
				{Label: translate(lang, "today.assoc.pending"), N: wk.Pending, Href: base + "/insatser"},
				{Label: translate(lang, "today.assoc.interest"), N: wk.Interest, Href: base + "/webb/intresse"},
				{Label: translate(lang, "today.assoc.ending"), N: wk.Ending, Href: base + "/insatser"},
			}
			sec.Links = append(sec.Links, site.NavItem{Href: base + "/insatser", Label: translate(lang, "today.assoc.insatser")})
		}
		if policy.Can(&a.Actor, policy.ReadAssociationReports, res).Allowed() {
			sec.Links = append(sec.Links, site.NavItem{Href: base + "/rapporter", Label: translate(lang, "today.assoc.reports")})
		}
		if len(sec.Links) == 0 {
			continue
		}
		out = append(out, sec)
	}
	return out, nil
}

// rejectedDays is how far back the administrator's count of rejected
// certificates reaches.
const rejectedDays = 7

// admin is the administrator's intake and rules: certificates rejected
// lately, today's recompute and next year's missing rule parameters.
func (s *Handlers) admin(r *http.Request, a *site.Actor, lang string) (Section, error) {
	ctx := r.Context()
	now := s.Now()
	sec := Section{Heading: translate(lang, "today.admin.heading")}
	n, err := store.RejectedCountSince(ctx, s.Store, a.AdminOrgID(), now.AddDate(0, 0, -rejectedDays))
	if err != nil {
		return Section{}, site.Unavailable("today rejected", err)
	}
	sec.Counts = append(sec.Counts, Count{Label: translate(lang, "today.admin.rejected"), N: n, Href: "/admin/certificates/rejected"})
	if policy.Can(&a.Actor, policy.ManageRulesParameters, policy.Resource{OrgID: a.OrgID, Now: now}).Allowed() {
		today := s.Today()
		next, _ := civil.New(today.Year()+1, 1, 1)
		missing := len(s.Engine().ProvisionalOn(next))
		sec.Counts = append(sec.Counts, Count{Label: strings.ReplaceAll(translate(lang, "today.admin.params"), "{year}", strconv.Itoa(next.Year())),
			N: missing, Href: "/admin/regler", Attention: missing > 0})
		run, err := store.LatestRecomputeRunFor(ctx, s.Store, today.Time())
		switch {
		case errors.Is(err, store.ErrNotFound):
			sec.Lead = translate(lang, "today.admin.run.none")
		case err != nil:
			return Section{}, site.Unavailable("today recompute", err)
		case run.FinishedAt.IsZero():
			sec.Lead = translate(lang, "today.admin.run.running")
		default:
			sec.Lead = fmt.Sprintf(translate(lang, "today.admin.run.done"), run.Processed, run.Failed)
		}
		sec.Links = append(sec.Links, site.NavItem{Href: "/admin/regler", Label: translate(lang, "today.admin.rules")})
	}
	sec.Links = append(sec.Links, site.NavItem{Href: "/admin/users", Label: translate(lang, "today.admin.all")})
	return sec, nil
}

func withQuery(path, k, v string) string { return path + "?" + url.Values{k: {v}}.Encode() }
