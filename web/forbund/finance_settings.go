package forbund

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Statutes settings and the members' cost shares; the board and the
// preparatory group.

type shareRow struct {
	memberView
	Population, Share string // form values
}

type settingsData struct {
	finBase
	OrgNumber, RegionCode, CostKey, BudgetProcess, StatutesNote, Area string
	Regions                                                           []codelist.Region
	Shares                                                            []shareRow
}

// SettingsPage is GET /forbund/{slug}/installningar.
func (h *Handlers) SettingsPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.showForm(w, r, a, policy.ManageAssociation, h.renderSettings)
}

// formPage renders a page of the association with a form (settings, the
// board) with the form's errors and values.
type formPage func(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, status int, errs site.Problems, form url.Values) error

// showForm answers GET of a form page for act: the page with its empty form.
func (h *Handlers) showForm(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, render formPage) error {
	ar, err := h.load(r, a, act)
	if err != nil {
		return err
	}
	return render(w, r, a, ar, http.StatusOK, nil, nil)
}

func (h *Handlers) renderSettings(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, status int, errs site.Problems, form url.Values) error {
	lang := site.Language(w, r)
	ctx := r.Context()
	d := settingsData{finBase: h.finBase(r, a, ar, lang), Regions: codelist.Regions(), CostKey: string(association.KeyPopulation)}
	d.Errs.List = errs
	set, err := store.AssociationSettingsOf(ctx, h.Store, ar.Org.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return site.Unavailable("association settings", err)
	}
	if err == nil {
		d.OrgNumber, d.RegionCode, d.CostKey = set.OrgNumber, set.RegionCode, string(set.CostKey)
		d.BudgetProcess, d.StatutesNote, d.Area = set.BudgetProcess, set.StatutesNote, strings.Join(set.Area, " ")
	}
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	shares, err := store.CostShares(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("cost shares", err)
	}
	byMember := map[int64]store.CostShare{}
	for _, c := range shares {
		byMember[c.MemberID] = c
	}
	for _, m := range members {
		if m.Type != organisation.Region && m.Type != organisation.Municipality {
			continue
		}
		row := shareRow{memberView: memberView{m, typeLabel(lang, m.Type)}}
		if c, ok := byMember[m.ID]; ok {
			row.Population, row.Share = strconv.FormatInt(c.Population, 10), association.FormatShare(c.ShareBP)
		}
		d.Shares = append(d.Shares, row)
	}
	if form != nil {
		d.OrgNumber, d.RegionCode, d.CostKey = form.Get("org_number"), form.Get("region_code"), form.Get("cost_key")
		d.BudgetProcess, d.StatutesNote, d.Area = form.Get("budget_process"), form.Get("statutes_note"), form.Get("area")
		for i := range d.Shares {
			id := strconv.FormatInt(d.Shares[i].ID, 10)
			d.Shares[i].Population, d.Shares[i].Share = form.Get("population_"+id), form.Get("share_"+id)
		}
	}
	d.Notice = h.notice(w, r, lang)
	h.Render(w, r, status, "assoc_fin_settings", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.settings.title") + " – " + ar.Org.Name, Actor: a, Data: d})
	return nil
}

// checkSettings validates the settings form: the statutes and every paying
// member's population and agreed share. Under the agreed key the shares of
// the municipalities (and of the regions when there are several) must sum
// to 100 %.
func checkSettings(ar assocRequest, members []organisation.Organisation, f url.Values) (store.AssociationSettings, []store.CostShare, site.Problems) {
	var errs site.Problems
	set := store.AssociationSettings{AssociationID: ar.Org.ID, RegionCode: strings.TrimSpace(f.Get("region_code")),
		CostKey: association.Key(f.Get("cost_key")), BudgetProcess: strings.TrimSpace(f.Get("budget_process")),
		StatutesNote: strings.TrimSpace(f.Get("statutes_note"))}
	if on := strings.TrimSpace(f.Get("org_number")); on != "" {
		n, ok := association.NormaliseOrgNumber(on)
		if !ok {
			errs = append(errs, finErr("org_number", association.CodeInvalidOrgNumber))
		}
		set.OrgNumber = n
	}
	if set.RegionCode != "" {
		if _, ok := codelist.RegionByCode(set.RegionCode); !ok {
			errs = append(errs, finErr("region_code", association.CodeUnknownCode))
		}
	}
	if !set.CostKey.Valid() {
		errs = append(errs, finErr("cost_key", association.CodeUnknownKey))
	}
	for _, field := range []struct{ name, v string }{{"budget_process", set.BudgetProcess}, {"statutes_note", set.StatutesNote}} {
		if utf8.RuneCountInString(field.v) > 4000 {
			errs = append(errs, finErr(field.name, association.CodeTooLong))
		}
	}
	seen := map[string]bool{}
	for _, c := range strings.FieldsFunc(f.Get("area"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\n' || r == '\r' || r == '\t' }) {
		if _, ok := codelist.MunicipalityByCode(c); !ok {
			errs = append(errs, finErr("area", association.CodeUnknownCode))
			break
		}
		if !seen[c] {
			seen[c] = true
			set.Area = append(set.Area, c)
		}
	}
	var shares []store.CostShare
	sums := map[organisation.Type]int64{}
	counts := map[organisation.Type]int{}
	first := map[organisation.Type]string{}
	for _, m := range members {
		if m.Type != organisation.Region && m.Type != organisation.Municipality {
			continue
		}
		id := strconv.FormatInt(m.ID, 10)
		c := store.CostShare{MemberID: m.ID}
		if v := strings.TrimSpace(f.Get("population_" + id)); v != "" {
			n, err := strconv.ParseInt(strings.Map(dropSpace, v), 10, 64)
			switch {
			case err != nil:
				errs = append(errs, finErr("population_"+id, association.CodeInvalidNumber))
			case n < 0:
				errs = append(errs, finErr("population_"+id, association.CodeNegative))
			}
			c.Population = n
		}
		if v := strings.TrimSpace(f.Get("share_" + id)); v != "" {
			bp, err := association.ParseShare(v)
			if err != nil {
				errs = append(errs, finErr("share_"+id, association.CodeInvalidShare))
			}
			c.ShareBP = bp
		}
		sums[m.Type] += c.ShareBP
		counts[m.Type]++
		if first[m.Type] == "" {
			first[m.Type] = "share_" + id
		}
		shares = append(shares, c)
	}
	if set.CostKey == association.KeyAgreed && len(errs) == 0 {
		for _, t := range []organisation.Type{organisation.Region, organisation.Municipality} {
			if counts[t] > 1 && sums[t] != association.WholeShare {
				e := finErr(first[t], association.CodeSharesSum)
				e.DetailEN += " (" + association.FormatShare(sums[t]) + ")"
				e.DetailSV += " (" + association.FormatShare(sums[t]) + ")"
				errs = append(errs, e)
			}
		}
	}
	return set, shares, errs
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' {
		return -1
	}
	return r
}

// SettingsSave is POST /forbund/{slug}/installningar.
func (h *Handlers) SettingsSave(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	members, err := store.AssociationMembers(r.Context(), h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	set, shares, errs := checkSettings(ar, members, r.PostForm)
	if len(errs) > 0 {
		return h.renderSettings(w, r, a, ar, http.StatusUnprocessableEntity, errs, r.PostForm)
	}
	err = h.assocWrite(r, a, ar, "assoc_settings_update", func(ctx context.Context, tx *store.Tx) error {
		if err := store.SaveAssociationSettings(ctx, tx, set, h.Now()); err != nil {
			return err
		}
		return store.SaveCostShares(ctx, tx, ar.Org.ID, shares)
	})
	if err != nil {
		return site.Unavailable("save association settings", err)
	}
	http.Redirect(w, r, "/forbund/"+ar.Org.Slug+"/installningar?saved=1", http.StatusSeeOther)
	return nil
}

// seats reads the board and the preparatory group: the seats held on the
// day (current true) or every seat with its term.
func (h *Handlers) seats(ctx context.Context, ar assocRequest, members []organisation.Organisation, lang string, current bool) (board, prep []seatView, err error) {
	names := map[int64]string{}
	for _, m := range members {
		names[m.ID] = m.Name
	}
	on := civil.Date{}
	if current {
		on = ar.Today
	}
	view := func(body string) ([]seatView, error) {
		list, err := store.BodyMembers(ctx, h.Store, ar.Org.ID, body, on)
		if err != nil {
			return nil, err
		}
		out := make([]seatView, len(list))
		for i, m := range list {
			out[i] = seatView{BodyMember: m, MemberName: names[m.MemberID], RoleLabel: translate(lang, "assoc.fin.role."+m.Role),
				Current: !m.From.After(ar.Today) && (m.To.IsZero() || !m.To.Before(ar.Today))}
			if m.Position != "" {
				out[i].PositionLabel = translate(lang, "assoc.fin.position."+m.Position)
			}
		}
		return out, nil
	}
	if board, err = view(store.BodyBoard); err != nil {
		return nil, nil, err
	}
	prep, err = view(store.BodyPreparatory)
	return board, prep, err
}

type userChoice struct {
	ID    int64
	Label string
}

type boardData struct {
	finBase
	Board, Preparatory []seatView
	Members            []memberView
	Users              []userChoice
	Form               url.Values
	TodayText          string // the end-of-term forms' default
}

// Get is a value of the add form.
func (d boardData) Get(k string) string { return d.Form.Get(k) }

// seatBody is one body's table on the board page: its heading's message id
// and its seats.
type seatBody struct {
	Heading string
	Seats   []seatView
}

// Bodies are the board and the preparatory group, in that order, for the
// page's one table template.
func (d boardData) Bodies() []seatBody {
	return []seatBody{{"assoc.fin.board.heading", d.Board}, {"assoc.fin.prep.heading", d.Preparatory}}
}

// BoardPage is GET /forbund/{slug}/styrelse.
func (h *Handlers) BoardPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.showForm(w, r, a, policy.ReadContributions, h.renderBoard)
}

func (h *Handlers) renderBoard(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, status int, errs site.Problems, form url.Values) error {
	lang := site.Language(w, r)
	ctx := r.Context()
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	d := boardData{finBase: h.finBase(r, a, ar, lang), Form: form, TodayText: ar.Today.String()}
	d.Errs.List = errs
	if d.Form == nil {
		d.Form = url.Values{"from": {ar.Today.String()}}
	}
	// Staff see every term, past and future; others the seats held today.
	if d.Board, d.Preparatory, err = h.seats(ctx, ar, members, lang, !ar.Staff); err != nil {
		return site.Unavailable("association seats", err)
	}
	for _, m := range members {
		d.Members = append(d.Members, memberView{m, typeLabel(lang, m.Type)})
	}
	if ar.Staff {
		for _, org := range append([]organisation.Organisation{ar.Org}, members...) {
			users, err := store.Users(ctx, h.Store, org.ID)
			if err != nil {
				return site.Unavailable("users", err)
			}
			for _, u := range users {
				d.Users = append(d.Users, userChoice{ID: u.ID, Label: u.Name + " (" + org.Name + ")"})
			}
		}
	}
	d.Notice = h.notice(w, r, lang)
	h.Render(w, r, status, "assoc_fin_board", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.board.title") + " – " + ar.Org.Name, Actor: a, Data: d})
	return nil
}

// overlaps reports whether two terms share a day (a zero end is open).
func overlaps(aFrom, aTo, bFrom, bTo civil.Date) bool {
	return (bTo.IsZero() || !aFrom.After(bTo)) && (aTo.IsZero() || !bFrom.After(aTo))
}

// checkSeat validates the add-seat form against the members, the users
// that may be linked and the seats already held.
func (h *Handlers) checkSeat(ctx context.Context, ar assocRequest, f url.Values) (store.BodyMember, site.Problems, error) {
	var errs site.Problems
	m := store.BodyMember{AssociationID: ar.Org.ID, Body: f.Get("body"), Role: f.Get("role"), Position: f.Get("position"),
		Name: strings.TrimSpace(f.Get("name"))}
	switch m.Body {
	case store.BodyBoard:
		if m.Role != "ledamot" && m.Role != "ersattare" {
			errs = append(errs, finErr("role", "invalid_role"))
		}
		if m.Position != "" && m.Position != "chair" && m.Position != "vice_chair" {
			errs = append(errs, finErr("position", "invalid_role"))
		}
	case store.BodyPreparatory:
		m.Role = "member"
		if m.Position != "" {
			errs = append(errs, finErr("position", "invalid_role"))
		}
	default:
		errs = append(errs, finErr("body", association.CodeRequired))
	}
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return m, nil, err
	}
	m.MemberID, _ = strconv.ParseInt(f.Get("member"), 10, 64)
	isMember := false
	for _, o := range members {
		isMember = isMember || o.ID == m.MemberID
	}
	if !isMember {
		errs = append(errs, finErr("member", association.CodePartyNotMember))
	}
	if v := f.Get("user"); v != "" && v != "0" {
		id, _ := strconv.ParseInt(v, 10, 64)
		u, err := store.UserByID(ctx, h.Store, id)
		allowed := err == nil && (u.OrgID == ar.Org.ID || isOrg(members, u.OrgID))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return m, nil, err
		}
		if !allowed {
			errs = append(errs, finErr("user", "unknown_user"))
		} else {
			m.UserID = u.ID
			if m.Name == "" {
				m.Name = u.Name
			}
		}
	}
	if m.Name == "" {
		errs = append(errs, finErr("name", association.CodeRequired))
	} else if utf8.RuneCountInString(m.Name) > 200 {
		errs = append(errs, finErr("name", association.CodeTooLong))
	}
	if m.From, err = civil.Parse(f.Get("from")); err != nil {
		errs = append(errs, finErr("from", "invalid_date"))
	}
	if v := f.Get("to"); v != "" {
		if m.To, err = civil.Parse(v); err != nil {
			errs = append(errs, finErr("to", "invalid_date"))
		} else if !m.From.IsZero() && m.To.Before(m.From) {
			errs = append(errs, finErr("to", association.CodeEndBeforeStart))
		}
	}
	if len(errs) > 0 {
		return m, errs, nil
	}
	held, err := store.BodyMembers(ctx, h.Store, ar.Org.ID, m.Body, civil.Date{})
	if err != nil {
		return m, nil, err
	}
	for _, h := range held {
		if !overlaps(m.From, m.To, h.From, h.To) {
			continue
		}
		// One ledamot and one ersättare per member organisation on the
		// board; one chair and one vice chair.
		if m.Body == store.BodyBoard && h.MemberID == m.MemberID && h.Role == m.Role {
			errs = append(errs, finErr("member", "seat_taken"))
		}
		if m.Position != "" && h.Position == m.Position {
			errs = append(errs, finErr("position", "position_taken"))
		}
	}
	return m, errs, nil
}

func isOrg(list []organisation.Organisation, id int64) bool {
	for _, o := range list {
		if o.ID == id {
			return true
		}
	}
	return false
}

// SeatAdd is POST /forbund/{slug}/styrelse: a new seat.
func (h *Handlers) SeatAdd(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	m, errs, err := h.checkSeat(r.Context(), ar, r.PostForm)
	if err == nil && len(errs) == 0 {
		err = h.assocWrite(r, a, ar, "assoc_seat_add", func(ctx context.Context, tx *store.Tx) error {
			_, err := store.CreateBodyMember(ctx, tx, m)
			return err
		})
	}
	switch {
	case err != nil:
		return site.Unavailable("add seat", err)
	case len(errs) > 0:
		return h.renderBoard(w, r, a, ar, http.StatusUnprocessableEntity, errs, r.PostForm)
	}
	http.Redirect(w, r, "/forbund/"+ar.Org.Slug+"/styrelse?saved=1", http.StatusSeeOther)
	return nil
}

// loadSeat is the start of a seat's form: the association (its staff
// only) and the seat named by the form's "seat" field (400 for a seat the
// association does not have).
func (h *Handlers) loadSeat(w http.ResponseWriter, r *http.Request, a *site.Actor) (assocRequest, store.BodyMember, error) {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return ar, store.BodyMember{}, err
	}
	id, err := strconv.ParseInt(r.PostForm.Get("seat"), 10, 64)
	var m store.BodyMember
	if err == nil {
		m, err = store.BodyMemberByID(r.Context(), h.Store, ar.Org.ID, id)
	}
	switch {
	case err == nil:
		return ar, m, nil
	case errors.Is(err, store.ErrNotFound), errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		return ar, m, &site.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "seat"}
	}
	return ar, m, site.Unavailable("find seat", err)
}

// SeatEnd is POST /forbund/{slug}/styrelse/avsluta: a seat's term ends
// on the form's "to" day, after a confirmation page.
func (h *Handlers) SeatEnd(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, m, err := h.loadSeat(w, r, a)
	if err != nil {
		return err
	}
	to, err := civil.Parse(r.PostForm.Get("to"))
	var errs site.Problems
	switch {
	case err != nil:
		errs = append(errs, finErr("end_to", "invalid_date"))
	case to.Before(m.From):
		errs = append(errs, finErr("end_to", association.CodeEndBeforeStart))
	}
	if len(errs) > 0 {
		return h.renderBoard(w, r, a, ar, http.StatusUnprocessableEntity, errs, nil)
	}
	if !site.Confirmed(r.PostForm) {
		return h.confirmSeat(w, r, a, ar, m, "end", to.String())
	}
	m.To = to
	if err := h.assocWrite(r, a, ar, "assoc_seat_end", func(ctx context.Context, tx *store.Tx) error {
		return store.UpdateBodyMember(ctx, tx, m)
	}); err != nil {
		return site.Unavailable("end seat", err)
	}
	return h.seatDone(w, r, ar, "flash.assoc.seat_ended")
}

// SeatRemove is POST /forbund/{slug}/styrelse/ta-bort: a seat entered
// by mistake, removed after a confirmation page.
func (h *Handlers) SeatRemove(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, m, err := h.loadSeat(w, r, a)
	if err != nil {
		return err
	}
	if !site.Confirmed(r.PostForm) {
		return h.confirmSeat(w, r, a, ar, m, "remove", "")
	}
	if err := h.assocWrite(r, a, ar, "assoc_seat_remove", func(ctx context.Context, tx *store.Tx) error {
		return store.DeleteBodyMember(ctx, tx, ar.Org.ID, m.ID)
	}); err != nil {
		return site.Unavailable("remove seat", err)
	}
	return h.seatDone(w, r, ar, "flash.assoc.seat_removed")
}

// confirmSeat asks before seat m's term ends (how "end", on day) or the
// seat is removed (how "remove"), naming the seat: the person, their role
// and the member organisation they sit for.
func (h *Handlers) confirmSeat(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, m store.BodyMember, how, day string) error {
	lang := site.Language(w, r)
	member, err := store.OrganisationByID(r.Context(), h.Store, m.MemberID)
	if err != nil {
		return site.Unavailable("seat member", err)
	}
	k := "assoc.fin.confirm.seat." + how
	seat := fmt.Sprintf(translate(lang, "assoc.fin.confirm.seat"), m.Name, translate(lang, "assoc.fin.role."+m.Role), member.Name,
		translate(lang, "assoc.fin.body."+m.Body))
	lead := seat + " " + translate(lang, k+".what")
	if day != "" {
		lead = seat + " " + fmt.Sprintf(translate(lang, k+".what"), day)
	}
	h.Confirm(w, r, a, site.Confirmation{Title: translate(lang, k+".title"), Lead: []string{lead, translate(lang, k+".after")},
		Action: "/forbund/" + ar.Org.Slug + "/styrelse/" + map[string]string{"end": "avsluta", "remove": "ta-bort"}[how],
		Values: r.PostForm, Submit: translate(lang, k+".submit"), Back: "/forbund/" + ar.Org.Slug + "/styrelse"})
	return nil
}

// seatDone goes back to the board page with the flash id.
func (h *Handlers) seatDone(w http.ResponseWriter, r *http.Request, ar assocRequest, id string) error {
	page := "/forbund/" + ar.Org.Slug + "/styrelse"
	site.SetFlash(w, r, page, id)
	http.Redirect(w, r, page, http.StatusSeeOther)
	return nil
}
