package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// The association's own pages (issue 8 items 1, 2 and 6): the association
// and its members, statutes settings, board and preparatory group,
// contributions, budget and outcome, equity and the state's allocation
// model. None of them holds personal data except the names of board and
// preparatory-group members, who are public officials in that role: their
// names are shown without a read audit. Every write appends its audit event
// (resource "association", id the slug) in the write's transaction.

// registerAssociationFinanceRoutes declares this part's routes (see association.go).
func (s *Server) registerAssociationFinanceRoutes() {
	s.page("GET /forbund", policy.SignedIn, s.assocList)
	s.page("GET /forbund/{slug}", policy.ReadContributions, s.assocOverview)
	s.page("GET /forbund/{slug}/installningar", policy.ManageAssociation, s.assocSettingsPage)
	s.page("POST /forbund/{slug}/installningar", policy.ManageAssociation, s.assocSettingsSave)
	s.page("GET /forbund/{slug}/styrelse", policy.ReadContributions, s.assocBoardPage)
	s.page("POST /forbund/{slug}/styrelse", policy.ManageAssociation, s.assocSeatAdd)
	s.page("POST /forbund/{slug}/styrelse/avsluta", policy.ManageAssociation, s.assocSeatEnd)
	s.page("POST /forbund/{slug}/styrelse/ta-bort", policy.ManageAssociation, s.assocSeatRemove)
	s.page("GET /forbund/{slug}/finansiering", policy.ReadContributions, s.assocFinancePage)
	s.page("POST /forbund/{slug}/finansiering", policy.ManageAssociation, s.assocSplitSave)
	s.page("POST /forbund/{slug}/finansiering/betalningar", policy.ManageAssociation, s.assocPaymentsSave)
	s.page("GET /forbund/{slug}/budget", policy.ManageAssociation, s.assocBudgetPage)
	s.page("POST /forbund/{slug}/budget", policy.ManageAssociation, s.assocBudgetAdd)
	s.page("POST /forbund/{slug}/budget/ta-bort", policy.ManageAssociation, s.assocBudgetDelete)
	s.page("POST /forbund/{slug}/budget/eget-kapital", policy.ManageAssociation, s.assocEquitySave)
	s.page("GET /forbund/{slug}/fordelning", policy.ManageAssociation, s.assocAllocationPage)
	s.page("POST /forbund/{slug}/fordelning", policy.ManageAssociation, s.assocAllocationRun)

	s.api("GET /api/v1/associations/{slug}", policy.ReadContributions, s.apiAssociation)
	s.api("GET /api/v1/associations/{slug}/contributions", policy.ReadContributions, s.apiContributions)
	s.api("POST /api/v1/associations/{slug}/contributions", policy.ManageAssociation, s.apiContributionsSave)
	s.api("GET /api/v1/associations/{slug}/budget-lines", policy.ManageAssociation, s.apiBudgetLines)
	s.api("POST /api/v1/associations/{slug}/budget-lines", policy.ManageAssociation, s.apiBudgetLineAdd)
	s.api("POST /api/v1/associations/{slug}/equity", policy.ManageAssociation, s.apiEquitySave)
	s.api("POST /api/v1/associations/{slug}/allocation", policy.ManageAssociation, s.apiAllocation)
}

func init() {
	for _, p := range []string{"assoc_fin_list.html", "assoc_fin_overview.html", "assoc_fin_settings.html", "assoc_fin_board.html",
		"assoc_fin_finance.html", "assoc_fin_budget.html", "assoc_fin_allocation.html"} {
		pagePartials[p] = append(pagePartials[p], "assoc_fin_parts.html")
	}
}

// finErr is a field error of this part, with its texts from the message
// files (assoc.fin.err.<code>).
func finErr(field, code string) *association.Error {
	id := "assoc.fin.err." + code
	return &association.Error{Code: code, Field: field, Message: translate("en", id), MessageSV: translate("sv", id)}
}

// finErrs are a form's errors in the page's language.
type finErrs struct {
	Lang string
	List association.Errors
}

type finErrItem struct {
	Field, Text string
	Line        int
}

// Any reports whether there are errors.
func (e finErrs) Any() bool { return len(e.List) > 0 }

func (e finErrs) text(x *association.Error) string {
	if e.Lang == "en" {
		return x.Message
	}
	return x.MessageSV
}

// For is the message of the first error of field ("" when none).
func (e finErrs) For(field string) string {
	for _, x := range e.List {
		if x.Field == field {
			return e.text(x)
		}
	}
	return ""
}

// Items lists the errors for the summary at the top of a form.
func (e finErrs) Items() []finErrItem {
	out := make([]finErrItem, len(e.List))
	for i, x := range e.List {
		out[i] = finErrItem{Field: x.Field, Text: e.text(x), Line: x.Line}
	}
	return out
}

// finLink is one link in an association's own navigation.
type finLink struct {
	Href, Label string
	Current     bool
}

// finBase is what every page of an association shows around its content.
type finBase struct {
	Org    organisation.Organisation
	Staff  bool
	SeeAll bool // staff and board: every member's rows
	Links  []finLink
	Notice string
	Errs   finErrs
}

// seesAll reports whether the actor sees every member's amounts: the
// association's staff and board. A member organisation's users see only
// their own organisation's rows.
func seesAll(a *actor, ar assocRequest) bool {
	return ar.Staff || ar.Standing.BoardSeat || a.OrgID == ar.Org.ID && a.Roles.Has(account.Board)
}

func (s *Server) finBase(r *http.Request, a *actor, ar assocRequest, lang string) finBase {
	b := finBase{Org: ar.Org, Staff: ar.Staff, SeeAll: seesAll(a, ar), Errs: finErrs{Lang: lang}}
	base := "/forbund/" + ar.Org.Slug
	add := func(href, id string) {
		b.Links = append(b.Links, finLink{Href: href, Label: translate(lang, id), Current: href == r.URL.Path})
	}
	add(base, "assoc.fin.link.overview")
	add(base+"/finansiering", "assoc.fin.link.finance")
	add(base+"/styrelse", "assoc.fin.link.board")
	if ar.Staff {
		add(base+"/installningar", "assoc.fin.link.settings")
		add(base+"/budget", "assoc.fin.link.budget")
		add(base+"/fordelning", "assoc.fin.link.allocation")
		add(base+"/insatser", "assoc.fin.link.insatser")
	}
	if policy.Can(&a.Actor, policy.ReadAssociationReports, policy.Resource{OrgID: ar.Org.ID, BoardSeat: ar.Standing.BoardSeat,
		Member: ar.Standing.Member, Now: s.now()}) == policy.Allow {
		add(base+"/rapporter", "assoc.fin.link.reports")
	}
	return b
}

// assocWrite runs write and the audit event of action in one transaction.
func (s *Server) assocWrite(r *http.Request, a *actor, ar assocRequest, action string, write func(ctx context.Context, tx *store.Tx) error) error {
	ctx := r.Context()
	return s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := write(ctx, tx); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.audit.Keys(), a.Event(r, action, audit.OutcomeOK, "association", ar.Org.Slug))
	})
}

// yearParam reads ?year= (default this year); ok is false for a year
// outside what the database keeps.
func yearParam(v string, ar assocRequest) (int, bool) {
	if v == "" {
		return ar.Today.Year(), true
	}
	y, err := strconv.Atoi(v)
	return y, err == nil && y >= 2004 && y <= 2200
}

// typeLabel names an organisation type in lang.
func typeLabel(lang string, t organisation.Type) string {
	return translate(lang, "assoc.fin.type."+string(t))
}

// assocListData is the list of associations.
type assocListData struct {
	Associations []organisation.Organisation
}

// assocList is GET /forbund: the associations the user may look at.
func (s *Server) assocList(w http.ResponseWriter, r *http.Request, a *actor) {
	lang := language(w, r)
	ctx := r.Context()
	today := s.caseToday()
	candidates, err := store.AssociationsFor(ctx, s.store, a.OrgID, a.UserID, today)
	if err != nil {
		s.unavailable(w, r, "association list", err)
		return
	}
	// Only those whose overview the user may open: a case worker of a
	// member organisation does not read its contributions.
	var list []organisation.Organisation
	for _, org := range candidates {
		st, err := store.StandingOf(ctx, s.store, org.ID, a.OrgID, a.UserID, today)
		if err != nil {
			s.unavailable(w, r, "association standing", err)
			return
		}
		res := policy.Resource{OrgID: org.ID, BoardSeat: st.BoardSeat, Member: st.Member, Now: s.now()}
		if policy.Can(&a.Actor, policy.ReadContributions, res) == policy.Allow {
			list = append(list, org)
		}
	}
	s.render(w, r, http.StatusOK, "assoc_fin_list", page{Lang: lang, Title: translate(lang, "assoc.fin.list.title"), Actor: a,
		Data: assocListData{Associations: list}})
}

// memberView is a member organisation with its type's name.
type memberView struct {
	organisation.Organisation
	TypeLabel string
}

type seatView struct {
	store.BodyMember
	MemberName, RoleLabel, PositionLabel string
	Current                              bool
}

type overviewData struct {
	finBase
	Settings      store.AssociationSettings
	HasSettings   bool
	Area          []string
	RegionName    string
	CostKeyLabel  string
	Members       []memberView
	Board         []seatView
	Preparatory   []seatView
	Year          int
	Contributions finContrib
}

// assocOverview is GET /forbund/{slug}.
func (s *Server) assocOverview(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ReadContributions)
	if !ok {
		return
	}
	lang := language(w, r)
	ctx := r.Context()
	d := overviewData{finBase: s.finBase(r, a, ar, lang), Year: ar.Today.Year()}
	set, err := store.AssociationSettingsOf(ctx, s.store, ar.Org.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		s.unavailable(w, r, "association settings", err)
		return
	default:
		d.Settings, d.HasSettings = set, true
		d.RegionName = regionName(set.RegionCode)
		d.Area = areaNames(set.Area)
		d.CostKeyLabel = translate(lang, "assoc.fin.key."+string(set.CostKey))
	}
	members, err := store.AssociationMembers(ctx, s.store, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "association members", err)
		return
	}
	for _, m := range members {
		d.Members = append(d.Members, memberView{m, typeLabel(lang, m.Type)})
	}
	if d.Board, d.Preparatory, err = s.seats(ctx, ar, members, lang, true); err != nil {
		s.unavailable(w, r, "association seats", err)
		return
	}
	if d.Contributions, err = s.contributions(ctx, a, ar, members, d.Year, lang); err != nil {
		s.unavailable(w, r, "association contributions", err)
		return
	}
	s.render(w, r, http.StatusOK, "assoc_fin_overview", page{Lang: lang, Title: ar.Org.Name, Actor: a, Data: d})
}
