package forbund

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/site"
)

// The association's own pages: the association
// and its members, statutes settings, board and preparatory group,
// contributions, budget and outcome, equity and the state's allocation
// model. None of them holds personal data except the names of board and
// preparatory-group members, who are public officials in that role: their
// names are shown without a read audit. Every write appends its audit event
// (resource "association", id the slug) in the write's transaction.

// finErr is a field problem of this part, with its texts from the message
// files (assoc.fin.err.<code>).
func finErr(field, code string) site.Problem {
	id := "assoc.fin.err." + code
	return site.Problem{Field: field, Code: code, DetailSV: translate("sv", id), DetailEN: translate("en", id)}
}

// finErrs are a form's problems in the page's language.
type finErrs struct {
	Lang string
	List site.Problems
}

type finErrItem struct {
	Field, Text string
	Line        int
}

// Any reports whether there are problems.
func (e finErrs) Any() bool { return e.List.Any() }

func (e finErrs) text(p site.Problem) string { return p.Message(feature.Words, e.Lang, "") }

// For is the message of the first problem of field ("" when none).
func (e finErrs) For(field string) string {
	for _, x := range e.List {
		if x.Field == field {
			return e.text(x)
		}
	}
	return ""
}

// finLabels are the messages of the labels of the fields the summary
// names: each field's label as its form shows it. A field not here (one
// whose words differ between forms) is summarised by its message alone.
var finLabels = map[string]string{
	"entry": "assoc.fin.col.entry", "insats": "assoc.fin.col.what", "financier": "assoc.fin.col.financier",
	"amount": "assoc.fin.col.amount", "note": "assoc.fin.col.note", "booked_on": "assoc.fin.col.booked",
	"body": "assoc.fin.seat.body", "member": "assoc.fin.col.member", "role": "assoc.fin.col.role",
	"position": "assoc.fin.seat.position", "name": "assoc.fin.col.name", "user": "assoc.fin.seat.user",
	"from": "assoc.fin.seat.from", "to": "assoc.fin.seat.to", "end_to": "assoc.fin.seat.endon",
	"table": "assoc.fin.allocation.table", "area": "assoc.fin.area", "cost_key": "assoc.fin.costkey",
	"region_code": "assoc.fin.region", "org_number": "assoc.fin.orgnumber", "budget_process": "assoc.fin.budgetprocess",
	"statutes_note": "assoc.fin.statutesnote",
}

// Items lists the problems for the summary at the top of a form, each
// with its field's label.
func (e finErrs) Items() []finErrItem {
	out := make([]finErrItem, len(e.List))
	for i, x := range e.List {
		text := e.text(x)
		if id, ok := finLabels[x.Field]; ok {
			text = translate(e.Lang, id) + ": " + text
		}
		out[i] = finErrItem{Field: x.Field, Text: text, Line: x.Line}
	}
	return out
}

// finBase is what every page of an association shows around its content.
type finBase struct {
	Org    organisation.Organisation
	Staff  bool
	SeeAll bool // staff and board: every member's rows
	Tabs   assoctabs.Nav
	Notice string
	Errs   finErrs
}

// seesAll reports whether the actor sees every member's amounts: the
// association's staff and board. A member organisation's users see only
// their own organisation's rows.
func seesAll(a *site.Actor, ar assocRequest) bool {
	return ar.Staff || ar.Standing.BoardSeat || a.OrgID == ar.Org.ID && a.Roles.Has(account.Board)
}

func (h *Handlers) finBase(r *http.Request, a *site.Actor, ar assocRequest, lang string) finBase {
	return finBase{Org: ar.Org, Staff: ar.Staff, SeeAll: seesAll(a, ar), Errs: finErrs{Lang: lang}, Tabs: tabs(r, a, ar)}
}

// notice is the message above a page that a write redirected to: its
// flash, or "Sparat" after a form that asked for ?saved=1.
func (h *Handlers) notice(w http.ResponseWriter, r *http.Request, lang string) string {
	if n := h.TakeFlash(w, r, lang); n != "" {
		return n
	}
	if r.URL.Query().Get("saved") == "1" {
		return translate(lang, "assoc.fin.saved")
	}
	return ""
}

// assocWrite runs write and the audit event of action in one transaction.
func (h *Handlers) assocWrite(r *http.Request, a *site.Actor, ar assocRequest, action string, write func(ctx context.Context, tx *store.Tx) error) error {
	ctx := r.Context()
	return h.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := write(ctx, tx); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), a.Event(r, action, audit.OutcomeOK, "association", ar.Org.Slug))
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

// List is GET /forbund: the associations the user may look at.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	ctx := r.Context()
	today := h.Today()
	candidates, err := store.AssociationsFor(ctx, h.Store, a.OrgID, a.UserID, today)
	if err != nil {
		return site.Unavailable("association list", err)
	}
	// Only those whose overview the user may open: a case worker of a
	// member organisation does not read its contributions.
	var list []organisation.Organisation
	for _, org := range candidates {
		st, err := store.StandingOf(ctx, h.Store, org.ID, a.OrgID, a.UserID, today)
		if err != nil {
			return site.Unavailable("association standing", err)
		}
		res := policy.Resource{OrgID: org.ID, BoardSeat: st.BoardSeat, Member: st.Member, Now: h.Now()}
		if policy.Can(&a.Actor, policy.ReadContributions, res) == policy.Allow {
			list = append(list, org)
		}
	}
	h.Render(w, r, http.StatusOK, "assoc_fin_list", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.list.title"), Actor: a,
		Data: assocListData{Associations: list}})
	return nil
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
	Figures       *keyFigures
}

// Overview is GET /forbund/{slug}.
func (h *Handlers) Overview(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ReadContributions)
	if err != nil {
		return err
	}
	lang := site.Language(w, r)
	ctx := r.Context()
	d := overviewData{finBase: h.finBase(r, a, ar, lang), Year: ar.Today.Year()}
	set, err := store.AssociationSettingsOf(ctx, h.Store, ar.Org.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return site.Unavailable("association settings", err)
	default:
		d.Settings, d.HasSettings = set, true
		d.RegionName = regionName(set.RegionCode)
		d.Area = areaNames(set.Area)
		d.CostKeyLabel = translate(lang, "assoc.fin.key."+string(set.CostKey))
	}
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	for _, m := range members {
		d.Members = append(d.Members, memberView{m, typeLabel(lang, m.Type)})
	}
	if d.Board, d.Preparatory, err = h.seats(ctx, ar, members, lang, true); err != nil {
		return site.Unavailable("association seats", err)
	}
	if d.Contributions, err = h.contributions(ctx, a, ar, members, d.Year, lang); err != nil {
		return site.Unavailable("association contributions", err)
	}
	if d.Figures, err = h.figures(ctx, a, ar, lang); err != nil {
		return site.Unavailable("association key figures", err)
	}
	h.Render(w, r, http.StatusOK, "assoc_fin_overview", site.Page{Lang: lang, Title: ar.Org.Name, Actor: a, Data: d})
	return nil
}
