package forbund

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// The association's JSON API: the same reads and writes as
// the pages, amounts as integer öre (amount_ore) with the Swedish text
// beside them. Writes take JSON, answer 422 validation_failed with a code
// per field, and write nothing then.

type apiMember struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type apiAmount struct {
	Ore  int64  `json:"ore"`
	Text string `json:"text"`
}

func amountOf(o association.Ore) apiAmount { return apiAmount{Ore: int64(o), Text: o.String()} }

type apiSeat struct {
	Body     string `json:"body"`
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Position string `json:"position,omitempty"`
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
}

type apiAssociationBody struct {
	Slug        string      `json:"slug"`
	Name        string      `json:"name"`
	OrgNumber   string      `json:"org_number"`
	RegionCode  string      `json:"region_code"`
	Area        []string    `json:"area"`
	CostKey     string      `json:"cost_key"`
	Members     []apiMember `json:"members"`
	Seats       []apiSeat   `json:"seats"`
	Year        int         `json:"year"`
	Contributed *apiAmount  `json:"contributions_total,omitempty"`
}

// maxAPIBytes bounds a JSON body of the association API.
const maxAPIBytes = 64 << 10

// APIAssociation is GET /api/v1/associations/{slug}.
func (h *Handlers) APIAssociation(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ReadContributions)
	if err != nil {
		return err
	}
	ctx := r.Context()
	out := apiAssociationBody{Slug: ar.Org.Slug, Name: ar.Org.Name, OrgNumber: ar.Org.OrgNumber, Area: []string{},
		CostKey: string(association.KeyPopulation), Members: []apiMember{}, Seats: []apiSeat{}, Year: ar.Today.Year()}
	set, err := store.AssociationSettingsOf(ctx, h.Store, ar.Org.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return site.Unavailable("association settings", err)
	}
	if err == nil {
		out.RegionCode, out.CostKey = set.RegionCode, string(set.CostKey)
		if set.OrgNumber != "" {
			out.OrgNumber = set.OrgNumber
		}
		out.Area = append(out.Area, set.Area...)
	}
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	for _, m := range members {
		out.Members = append(out.Members, apiMember{ID: m.ID, Slug: m.Slug, Name: m.Name, Type: string(m.Type)})
	}
	board, prep, err := h.seats(ctx, ar, members, "en", true)
	if err != nil {
		return site.Unavailable("association seats", err)
	}
	for _, m := range append(board, prep...) {
		seat := apiSeat{Body: m.Body, MemberID: m.MemberID, Name: m.Name, Role: m.Role, Position: m.Position, From: m.From.String()}
		if !m.To.IsZero() {
			seat.To = m.To.String()
		}
		out.Seats = append(out.Seats, seat)
	}
	c, err := h.contributions(ctx, a, ar, members, out.Year, "en")
	if err != nil {
		return site.Unavailable("association contributions", err)
	}
	if c.SeeAll {
		t := amountOf(c.Total)
		out.Contributed = &t
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}

type apiContribRow struct {
	MemberID int64       `json:"member_id"`
	Name     string      `json:"name"`
	Type     string      `json:"type"`
	Planned  apiAmount   `json:"planned"`
	Invoiced apiAmount   `json:"invoiced"`
	Paid     apiAmount   `json:"paid"`
	Schedule []apiAmount `json:"schedule"`
}

type apiSplit struct {
	Total          apiAmount `json:"total"`
	State          apiAmount `json:"state"`
	Regions        apiAmount `json:"regions"`
	Municipalities apiAmount `json:"municipalities"`
}

type apiContribBody struct {
	Year    int             `json:"year"`
	Split   *apiSplit       `json:"split,omitempty"`
	Members []apiContribRow `json:"members"`
}

func (h *Handlers) writeContributions(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, year, status int) error {
	ctx := r.Context()
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	c, err := h.contributions(ctx, a, ar, members, year, "en")
	if err != nil {
		return site.Unavailable("association contributions", err)
	}
	out := apiContribBody{Year: year, Members: []apiContribRow{}}
	if c.SeeAll {
		out.Split = &apiSplit{Total: amountOf(c.Total), State: amountOf(c.State), Regions: amountOf(c.Regions), Municipalities: amountOf(c.Municipal)}
	}
	for _, row := range c.Rows {
		x := apiContribRow{MemberID: row.Org.ID, Name: row.Org.Name, Type: string(row.Org.Type), Planned: amountOf(row.Planned),
			Invoiced: amountOf(row.Invoiced), Paid: amountOf(row.Paid)}
		for _, q := range row.Schedule {
			x.Schedule = append(x.Schedule, amountOf(q))
		}
		out.Members = append(out.Members, x)
	}
	site.WriteJSON(w, status, out)
	return nil
}

// saveError is an API save's outcome as the API answers it: 503 for err,
// the field problems errs (422), nil for saved.
func saveError(what string, errs site.Problems, err error) error {
	switch {
	case err != nil:
		return site.Unavailable(what, err)
	case len(errs) > 0:
		return errs
	}
	return nil
}

// loadYear is load, then the year of ?year= (yearParam): an API read of
// one year, where a bad year is the field's problem (422).
func (h *Handlers) loadYear(r *http.Request, a *site.Actor, act policy.Action) (assocRequest, int, error) {
	ar, err := h.load(r, a, act)
	if err != nil {
		return ar, 0, err
	}
	year, ok := yearParam(r.URL.Query().Get("year"), ar)
	if !ok {
		return ar, 0, site.Problems{finErr("year", association.CodeInvalidYear)}
	}
	return ar, year, nil
}

// APIContributions is GET /api/v1/associations/{slug}/contributions?year=.
func (h *Handlers) APIContributions(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, year, err := h.loadYear(r, a, policy.ReadContributions)
	if err != nil {
		return err
	}
	return h.writeContributions(w, r, a, ar, year, http.StatusOK)
}

// APIContributionsSave is POST /api/v1/associations/{slug}/contributions
// {"year": 2026, "total": "4 000 000"}: the split is computed and saved.
func (h *Handlers) APIContributionsSave(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body struct {
		Year  int    `json:"year"`
		Total string `json:"total"`
	}
	ar, err := h.loadJSON(w, r, a, policy.ManageAssociation, &body)
	if err != nil {
		return err
	}
	year, _, errs, err := h.saveSplit(r, a, ar, url.Values{"year": {strconv.Itoa(body.Year)}, "total": {body.Total}})
	if err := saveError("API: save split", errs, err); err != nil {
		return err
	}
	return h.writeContributions(w, r, a, ar, year, http.StatusOK)
}

type apiBudgetLine struct {
	ID        int64     `json:"id"`
	Year      int       `json:"year"`
	Entry     string    `json:"entry"`
	Kind      string    `json:"kind"`
	InsatsID  int64     `json:"insats_id,omitempty"`
	Financier string    `json:"financier"`
	Amount    apiAmount `json:"amount"`
	Note      string    `json:"note"`
	BookedOn  string    `json:"booked_on,omitempty"`
}

func newAPIBudgetLine(l store.BudgetLine) apiBudgetLine {
	out := apiBudgetLine{ID: l.ID, Year: l.Year, Entry: l.Entry, Kind: l.Kind, InsatsID: l.InsatsID, Financier: string(l.Financier),
		Amount: amountOf(l.Amount), Note: l.Note}
	if !l.BookedOn.IsZero() {
		out.BookedOn = l.BookedOn.String()
	}
	return out
}

type apiFinancierSum struct {
	Financier string    `json:"financier"`
	Budget    apiAmount `json:"budget"`
	Outcome   apiAmount `json:"outcome"`
}

// APIBudgetLines is GET /api/v1/associations/{slug}/budget-lines?year=.
func (h *Handlers) APIBudgetLines(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, year, err := h.loadYear(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lines, err := store.BudgetLines(ctx, h.Store, ar.Org.ID, year, "")
	if err != nil {
		return site.Unavailable("API: budget lines", err)
	}
	equity, err := store.Equity(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("API: equity", err)
	}
	out := struct {
		Year   int               `json:"year"`
		Lines  []apiBudgetLine   `json:"lines"`
		Sums   []apiFinancierSum `json:"sums"`
		Equity *apiAmount        `json:"equity,omitempty"`
	}{Year: year, Lines: []apiBudgetLine{}}
	for _, l := range lines {
		out.Lines = append(out.Lines, newAPIBudgetLine(l))
	}
	sums, _ := budgetSums("en", lines)
	for i, f := range association.Financiers {
		out.Sums = append(out.Sums, apiFinancierSum{Financier: string(f), Budget: amountOf(sums[i].Budget), Outcome: amountOf(sums[i].Outcome)})
	}
	if e, ok := equity[year]; ok {
		v := amountOf(e)
		out.Equity = &v
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}

// APIBudgetLineAdd is POST /api/v1/associations/{slug}/budget-lines.
func (h *Handlers) APIBudgetLineAdd(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body struct {
		Year      int    `json:"year"`
		Entry     string `json:"entry"`
		InsatsID  int64  `json:"insats_id"`
		Financier string `json:"financier"`
		Amount    string `json:"amount"`
		Note      string `json:"note"`
		BookedOn  string `json:"booked_on"`
	}
	ar, err := h.loadJSON(w, r, a, policy.ManageAssociation, &body)
	if err != nil {
		return err
	}
	f := url.Values{"year": {strconv.Itoa(body.Year)}, "entry": {body.Entry}, "financier": {body.Financier},
		"amount": {body.Amount}, "note": {body.Note}, "booked_on": {body.BookedOn}}
	if body.InsatsID != 0 {
		f.Set("insats", strconv.FormatInt(body.InsatsID, 10))
	}
	id, l, errs, err := h.addBudgetLine(r, a, ar, f)
	for i := range errs {
		if errs[i].Field == "insats" {
			errs[i].Field = "insats_id"
		}
	}
	if err := saveError("API: add budget line", errs, err); err != nil {
		return err
	}
	l.ID = id
	site.WriteJSON(w, http.StatusCreated, newAPIBudgetLine(l))
	return nil
}

// APIEquitySave is POST /api/v1/associations/{slug}/equity
// {"year": 2025, "equity": "1 234 567,00"}.
func (h *Handlers) APIEquitySave(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body struct {
		Year   int    `json:"year"`
		Equity string `json:"equity"`
	}
	ar, err := h.loadJSON(w, r, a, policy.ManageAssociation, &body)
	if err != nil {
		return err
	}
	year, equity, errs, err := h.saveEquity(r, a, ar, url.Values{"year": {strconv.Itoa(body.Year)}, "equity": {body.Equity}})
	if err := saveError("API: save equity", errs, err); err != nil {
		return err
	}
	site.WriteJSON(w, http.StatusOK, map[string]any{"year": year, "equity": amountOf(equity)})
	return nil
}

type apiAllocation struct {
	Name         string    `json:"name"`
	OrgNumber    string    `json:"org_number"`
	Line         int       `json:"line"`
	Base         apiAmount `json:"base"`
	ByProvision  apiAmount `json:"by_provision"`
	ByPopulation apiAmount `json:"by_population"`
	Total        apiAmount `json:"total"`
}

// APIAllocation is POST /api/v1/associations/{slug}/allocation?total=: the
// national table as a text/csv body; the answer is each association's
// allocation. Nothing is stored.
func (h *Handlers) APIAllocation(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if _, err := h.load(r, a, policy.ManageAssociation); err != nil {
		return err
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		return &site.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "send the table as text/csv"}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAllocationBytes))
	if err != nil {
		return &site.Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: site.APIMessage("too_large")}
	}
	total, out, errs := allocate(r.URL.Query().Get("total"), strings.NewReader(string(b)))
	if len(errs) > 0 {
		return errs
	}
	body := struct {
		Total       apiAmount       `json:"total"`
		Allocations []apiAllocation `json:"allocations"`
	}{Total: amountOf(total)}
	for _, x := range out {
		body.Allocations = append(body.Allocations, apiAllocation{Name: x.Name, OrgNumber: x.OrgNumber, Line: x.Line, Base: amountOf(x.Base),
			ByProvision: amountOf(x.ByProvision), ByPopulation: amountOf(x.ByPopulation), Total: amountOf(x.Total)})
	}
	site.WriteJSON(w, http.StatusOK, body)
	return nil
}
