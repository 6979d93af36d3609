package web

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
)

// The association's JSON API (issue 8 item 6): the same reads and writes as
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

// validationFailed answers 422 with every field's code.
func validationFailed(w http.ResponseWriter, errs association.Errors) {
	fe := make([]FieldError, len(errs))
	for i, e := range errs {
		field := e.Field
		if e.Line > 0 {
			field += "[line " + strconv.Itoa(e.Line) + "]"
		}
		fe[i] = FieldError{Field: field, Code: e.Code, Message: e.Message}
	}
	writeAPIError(w, http.StatusUnprocessableEntity, APIError{Code: "validation_failed",
		Message: "the input has invalid fields; nothing was written", Fields: fe})
}

// apiAssociation is GET /api/v1/associations/{slug}.
func (s *Server) apiAssociation(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ReadContributions)
	if !ok {
		return
	}
	ctx := r.Context()
	out := apiAssociationBody{Slug: ar.Org.Slug, Name: ar.Org.Name, OrgNumber: ar.Org.OrgNumber, Area: []string{},
		CostKey: string(association.KeyPopulation), Members: []apiMember{}, Seats: []apiSeat{}, Year: ar.Today.Year()}
	set, err := store.AssociationSettingsOf(ctx, s.store, ar.Org.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.unavailable(w, r, "association settings", err)
		return
	}
	if err == nil {
		out.RegionCode, out.CostKey = set.RegionCode, string(set.CostKey)
		if set.OrgNumber != "" {
			out.OrgNumber = set.OrgNumber
		}
		out.Area = append(out.Area, set.Area...)
	}
	members, err := store.AssociationMembers(ctx, s.store, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "association members", err)
		return
	}
	for _, m := range members {
		out.Members = append(out.Members, apiMember{ID: m.ID, Slug: m.Slug, Name: m.Name, Type: string(m.Type)})
	}
	board, prep, err := s.seats(ctx, ar, members, "en", true)
	if err != nil {
		s.unavailable(w, r, "association seats", err)
		return
	}
	for _, m := range append(board, prep...) {
		seat := apiSeat{Body: m.Body, MemberID: m.MemberID, Name: m.Name, Role: m.Role, Position: m.Position, From: m.From.String()}
		if !m.To.IsZero() {
			seat.To = m.To.String()
		}
		out.Seats = append(out.Seats, seat)
	}
	c, err := s.contributions(ctx, a, ar, members, out.Year, "en")
	if err != nil {
		s.unavailable(w, r, "association contributions", err)
		return
	}
	if c.SeeAll {
		t := amountOf(c.Total)
		out.Contributed = &t
	}
	writeJSON(w, http.StatusOK, out)
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

func (s *Server) writeContributions(w http.ResponseWriter, r *http.Request, a *actor, ar assocRequest, year, status int) {
	ctx := r.Context()
	members, err := store.AssociationMembers(ctx, s.store, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "association members", err)
		return
	}
	c, err := s.contributions(ctx, a, ar, members, year, "en")
	if err != nil {
		s.unavailable(w, r, "association contributions", err)
		return
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
	writeJSON(w, status, out)
}

// apiContributions is GET /api/v1/associations/{slug}/contributions?year=.
func (s *Server) apiContributions(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ReadContributions)
	if !ok {
		return
	}
	year, ok := yearParam(r.URL.Query().Get("year"), ar)
	if !ok {
		validationFailed(w, association.Errors{finErr("year", association.CodeInvalidYear)})
		return
	}
	s.writeContributions(w, r, a, ar, year, http.StatusOK)
}

// apiContributionsSave is POST /api/v1/associations/{slug}/contributions
// {"year": 2026, "total": "4 000 000"}: the split is computed and saved.
func (s *Server) apiContributionsSave(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	var body struct {
		Year  int    `json:"year"`
		Total string `json:"total"`
	}
	if !s.readCaseJSON(w, r, &body) {
		return
	}
	year, _, errs, err := s.saveSplit(r, a, ar, url.Values{"year": {strconv.Itoa(body.Year)}, "total": {body.Total}})
	switch {
	case err != nil:
		s.unavailable(w, r, "API: save split", err)
	case len(errs) > 0:
		validationFailed(w, errs)
	default:
		s.writeContributions(w, r, a, ar, year, http.StatusOK)
	}
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

// apiBudgetLines is GET /api/v1/associations/{slug}/budget-lines?year=.
func (s *Server) apiBudgetLines(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	year, ok := yearParam(r.URL.Query().Get("year"), ar)
	if !ok {
		validationFailed(w, association.Errors{finErr("year", association.CodeInvalidYear)})
		return
	}
	ctx := r.Context()
	lines, err := store.BudgetLines(ctx, s.store, ar.Org.ID, year, "")
	if err != nil {
		s.unavailable(w, r, "API: budget lines", err)
		return
	}
	equity, err := store.Equity(ctx, s.store, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "API: equity", err)
		return
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
	writeJSON(w, http.StatusOK, out)
}

// apiBudgetLineAdd is POST /api/v1/associations/{slug}/budget-lines.
func (s *Server) apiBudgetLineAdd(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	var body struct {
		Year      int    `json:"year"`
		Entry     string `json:"entry"`
		InsatsID  int64  `json:"insats_id"`
		Financier string `json:"financier"`
		Amount    string `json:"amount"`
		Note      string `json:"note"`
		BookedOn  string `json:"booked_on"`
	}
	if !s.readCaseJSON(w, r, &body) {
		return
	}
	f := url.Values{"year": {strconv.Itoa(body.Year)}, "entry": {body.Entry}, "financier": {body.Financier},
		"amount": {body.Amount}, "note": {body.Note}, "booked_on": {body.BookedOn}}
	if body.InsatsID != 0 {
		f.Set("insats", strconv.FormatInt(body.InsatsID, 10))
	}
	id, l, errs, err := s.addBudgetLine(r, a, ar, f)
	switch {
	case err != nil:
		s.unavailable(w, r, "API: add budget line", err)
	case len(errs) > 0:
		for _, e := range errs {
			if e.Field == "insats" {
				e.Field = "insats_id"
			}
		}
		validationFailed(w, errs)
	default:
		l.ID = id
		writeJSON(w, http.StatusCreated, newAPIBudgetLine(l))
	}
}

// apiEquitySave is POST /api/v1/associations/{slug}/equity
// {"year": 2025, "equity": "1 234 567,00"}.
func (s *Server) apiEquitySave(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	var body struct {
		Year   int    `json:"year"`
		Equity string `json:"equity"`
	}
	if !s.readCaseJSON(w, r, &body) {
		return
	}
	year, equity, errs, err := s.saveEquity(r, a, ar, url.Values{"year": {strconv.Itoa(body.Year)}, "equity": {body.Equity}})
	switch {
	case err != nil:
		s.unavailable(w, r, "API: save equity", err)
	case len(errs) > 0:
		validationFailed(w, errs)
	default:
		writeJSON(w, http.StatusOK, map[string]any{"year": year, "equity": amountOf(equity)})
	}
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

// apiAllocation is POST /api/v1/associations/{slug}/allocation?total=: the
// national table as a text/csv body; the answer is each association's
// allocation. Nothing is stored.
func (s *Server) apiAllocation(w http.ResponseWriter, r *http.Request, a *actor) {
	if _, ok := s.loadAssociation(w, r, a, policy.ManageAssociation); !ok {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		writeAPIError(w, http.StatusUnsupportedMediaType, APIError{Code: "unsupported_media_type", Message: "send the table as text/csv"})
		return
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAllocationBytes))
	if err != nil {
		writeAPIError(w, http.StatusRequestEntityTooLarge, APIError{Code: "too_large", Message: apiMessage("too_large")})
		return
	}
	total, out, errs := allocate(r.URL.Query().Get("total"), strings.NewReader(string(b)))
	if len(errs) > 0 {
		validationFailed(w, errs)
		return
	}
	body := struct {
		Total       apiAmount       `json:"total"`
		Allocations []apiAllocation `json:"allocations"`
	}{Total: amountOf(total)}
	for _, x := range out {
		body.Allocations = append(body.Allocations, apiAllocation{Name: x.Name, OrgNumber: x.OrgNumber, Line: x.Line, Base: amountOf(x.Base),
			ByProvision: amountOf(x.ByProvision), ByPopulation: amountOf(x.ByPopulation), Total: amountOf(x.Total)})
	}
	writeJSON(w, http.StatusOK, body)
}
