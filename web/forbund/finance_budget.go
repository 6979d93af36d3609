package forbund

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
)

// Budget and outcome (utfall) by financier, equity, and the state's
// allocation model. Money is whole öre throughout.

type budgetLineView struct {
	store.BudgetLine
	What, FinancierLabel, EntryLabel string
}

type financierSum struct {
	Label                 string
	Budget, Outcome, Diff association.Ore
}

type insatsChoice struct {
	ID   int64
	Name string
}

type budgetData struct {
	finBase
	Year, PrevYear, NextYear int
	Lines                    []budgetLineView
	Sums                     []financierSum
	Total                    financierSum
	Insatser                 []insatsChoice
	Financiers               []financierChoice
	Equity                   association.Ore
	HasEquity                bool
	EquityText               string
	Form                     url.Values
}

type financierChoice struct{ Value, Label string }

// Get is a value of the add-line form.
func (d budgetData) Get(k string) string { return d.Form.Get(k) }

func financierLabel(lang string, f association.Financier) string {
	return translate(lang, "assoc.fin.financier."+string(f))
}

// budgetSums adds the lines up per financier, budget against outcome.
func budgetSums(lang string, lines []store.BudgetLine) ([]financierSum, financierSum) {
	var sums []financierSum
	total := financierSum{Label: translate(lang, "assoc.fin.total")}
	for _, f := range association.Financiers {
		sum := financierSum{Label: financierLabel(lang, f)}
		for _, l := range lines {
			if l.Financier != f {
				continue
			}
			if l.Entry == store.EntryBudget {
				sum.Budget += l.Amount
			} else {
				sum.Outcome += l.Amount
			}
		}
		sum.Diff = sum.Budget - sum.Outcome
		total.Budget += sum.Budget
		total.Outcome += sum.Outcome
		sums = append(sums, sum)
	}
	total.Diff = total.Budget - total.Outcome
	return sums, total
}

// BudgetPage is GET /forbund/{slug}/budget?year=.
func (h *Handlers) BudgetPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.showYear(w, r, a, policy.ManageAssociation, h.renderBudget)
}

func (h *Handlers) renderBudget(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, year, status int, errs site.Problems, form url.Values) error {
	lang := site.Language(w, r)
	ctx := r.Context()
	d := budgetData{finBase: h.finBase(r, a, ar, lang), Year: year, PrevYear: year - 1, NextYear: year + 1, Form: form}
	d.Errs.List = errs
	if d.Form == nil {
		d.Form = url.Values{"entry": {store.EntryBudget}, "financier": {string(association.FinancierState)}}
	}
	insatser, err := store.Insatser(ctx, h.Store, store.InsatsQuery{AssociationID: ar.Org.ID})
	if err != nil {
		return site.Unavailable("insatser", err)
	}
	names := map[int64]string{}
	for _, in := range insatser {
		d.Insatser = append(d.Insatser, insatsChoice{ID: in.ID, Name: in.Name})
		names[in.ID] = in.Name
	}
	for _, f := range association.Financiers {
		d.Financiers = append(d.Financiers, financierChoice{string(f), financierLabel(lang, f)})
	}
	lines, err := store.BudgetLines(ctx, h.Store, ar.Org.ID, year, "")
	if err != nil {
		return site.Unavailable("budget lines", err)
	}
	for _, l := range lines {
		v := budgetLineView{BudgetLine: l, FinancierLabel: financierLabel(lang, l.Financier), EntryLabel: translate(lang, "assoc.fin.entry."+l.Entry),
			What: translate(lang, "assoc.fin.kind.administration")}
		if l.Kind == store.LineInsats {
			v.What = names[l.InsatsID]
		}
		d.Lines = append(d.Lines, v)
	}
	d.Sums, d.Total = budgetSums(lang, lines)
	equity, err := store.Equity(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("equity", err)
	}
	d.Equity, d.HasEquity = equity[year]
	if d.HasEquity {
		d.EquityText = d.Equity.Number()
	}
	if form != nil && form.Has("equity") {
		d.EquityText = form.Get("equity")
	}
	d.Notice = h.notice(w, r, lang)
	h.Render(w, r, status, "assoc_fin_budget", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.budget.title") + " " + strconv.Itoa(year) + " – " + ar.Org.Name,
		Actor: a, Data: d})
	return nil
}

// checkBudgetLine validates one line: entry, what it is for (the
// administration or one of the association's insatser), financier, amount
// (a budget is not negative; an outcome may be, as a correction), note and
// booking date.
func (h *Handlers) checkBudgetLine(ctx context.Context, ar assocRequest, f url.Values) (store.BudgetLine, site.Problems, error) {
	var errs site.Problems
	l := store.BudgetLine{AssociationID: ar.Org.ID, Year: formYear(f, &errs), Entry: f.Get("entry"),
		Financier: association.Financier(f.Get("financier")), Note: strings.TrimSpace(f.Get("note"))}
	if l.Entry != store.EntryBudget && l.Entry != store.EntryOutcome {
		errs = append(errs, finErr("entry", association.CodeRequired))
	}
	switch v := f.Get("insats"); v {
	case "", "administration":
		l.Kind = store.LineAdministration
	default:
		l.Kind = store.LineInsats
		l.InsatsID, _ = strconv.ParseInt(v, 10, 64)
		insatser, err := store.Insatser(ctx, h.Store, store.InsatsQuery{AssociationID: ar.Org.ID})
		if err != nil {
			return l, nil, err
		}
		found := false
		for _, in := range insatser {
			found = found || in.ID == l.InsatsID
		}
		if !found {
			errs = append(errs, finErr("insats", association.CodeWrongInsats))
		}
	}
	valid := false
	for _, x := range association.Financiers {
		valid = valid || x == l.Financier
	}
	if !valid {
		errs = append(errs, finErr("financier", association.CodeUnknownCode))
	}
	amount, err := association.ParseOre(f.Get("amount"))
	switch es, isErr := participant.Problems(err); {
	case f.Get("amount") == "":
		errs = append(errs, finErr("amount", association.CodeRequired))
	case isErr:
		es[0].Field = "amount"
		errs = append(errs, es[0])
	case amount < 0 && l.Entry == store.EntryBudget:
		errs = append(errs, finErr("amount", association.CodeNegative))
	}
	l.Amount = amount
	if utf8.RuneCountInString(l.Note) > 500 {
		errs = append(errs, finErr("note", association.CodeTooLong))
	}
	if v := f.Get("booked_on"); v != "" {
		if l.BookedOn, err = civil.Parse(v); err != nil {
			errs = append(errs, finErr("booked_on", "invalid_date"))
		}
	}
	return l, errs, nil
}

// addBudgetLine validates and saves a line; a second budget line of the
// same insats, year and financier is a field error.
func (h *Handlers) addBudgetLine(r *http.Request, a *site.Actor, ar assocRequest, f url.Values) (int64, store.BudgetLine, site.Problems, error) {
	l, errs, err := h.checkBudgetLine(r.Context(), ar, f)
	if err != nil || len(errs) > 0 {
		return 0, l, errs, err
	}
	var id int64
	err = h.assocWrite(r, a, ar, "assoc_budget_line_add", func(ctx context.Context, tx *store.Tx) error {
		ids, err := store.CreateBudgetLines(ctx, tx, []store.BudgetLine{l}, h.Now())
		if err == nil {
			id = ids[0]
		}
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return 0, l, site.Problems{finErr("financier", association.CodeDuplicate)}, nil
	}
	return id, l, nil, err
}

// BudgetAdd is POST /forbund/{slug}/budget: a budget or outcome line.
func (h *Handlers) BudgetAdd(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	_, l, errs, err := h.addBudgetLine(r, a, ar, r.PostForm)
	return h.finishYearForm(w, r, a, ar, "budget", h.renderBudget, "add budget line", l.Year, errs, err)
}

// yearPage renders a page of one year (budget, financing) with a form's
// errors and values.
type yearPage func(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, year, status int, errs site.Problems, form url.Values) error

// showYear answers GET of a year page for act: the year of ?year=
// (yearParam, 400 for a bad one) rendered with its empty form.
func (h *Handlers) showYear(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, render yearPage) error {
	ar, err := h.load(r, a, act)
	if err != nil {
		return err
	}
	year, ok := yearParam(r.URL.Query().Get("year"), ar)
	if !ok {
		return &site.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "year"}
	}
	return render(w, r, a, ar, year, http.StatusOK, nil, nil)
}

// finishYearForm answers a year page's form post: 503 on err, the page
// again with the errors and what was typed (422), or back to the page of
// the year, saved (303).
func (h *Handlers) finishYearForm(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, path string, render yearPage,
	what string, year int, errs site.Problems, err error) error {
	switch {
	case err != nil:
		return site.Unavailable(what, err)
	case len(errs) > 0:
		if year == 0 {
			year = ar.Today.Year()
		}
		return render(w, r, a, ar, year, http.StatusUnprocessableEntity, errs, r.PostForm)
	}
	http.Redirect(w, r, "/forbund/"+ar.Org.Slug+"/"+path+"?year="+strconv.Itoa(year)+"&saved=1", http.StatusSeeOther)
	return nil
}

// BudgetDelete is POST /forbund/{slug}/budget/ta-bort: one line, after a
// confirmation page that names it.
func (h *Handlers) BudgetDelete(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PostForm.Get("line"), 10, 64)
	if err != nil {
		return &site.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "line"}
	}
	year, _ := yearParam(r.PostForm.Get("year"), ar)
	page := "/forbund/" + ar.Org.Slug + "/budget"
	back := page + "?year=" + strconv.Itoa(year)
	if !site.Confirmed(r.PostForm) {
		return h.confirmBudgetDelete(w, r, a, ar, id, year, back)
	}
	err = h.assocWrite(r, a, ar, "assoc_budget_line_delete", func(ctx context.Context, tx *store.Tx) error {
		return store.DeleteBudgetLine(ctx, tx, ar.Org.ID, id)
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return site.NotFound()
	case err != nil:
		return site.Unavailable("delete budget line", err)
	}
	site.SetFlash(w, r, page, "flash.assoc.line_deleted")
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// confirmBudgetDelete asks before line id of year is deleted, naming what
// it is; a line the association does not have that year is not found.
func (h *Handlers) confirmBudgetDelete(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, id int64, year int, back string) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	lines, err := store.BudgetLines(ctx, h.Store, ar.Org.ID, year, "")
	if err != nil {
		return site.Unavailable("budget lines", err)
	}
	i := slices.IndexFunc(lines, func(l store.BudgetLine) bool { return l.ID == id })
	if i < 0 {
		return site.NotFound()
	}
	l := lines[i]
	what := translate(lang, "assoc.fin.kind.administration")
	if l.Kind == store.LineInsats {
		in, err := store.InsatsByID(ctx, h.Store, ar.Org.ID, l.InsatsID)
		if err != nil {
			return site.Unavailable("budget line insats", err)
		}
		what = in.Name
	}
	h.Confirm(w, r, a, site.Confirmation{Title: translate(lang, "assoc.fin.confirm.line.title"),
		Lead: []string{fmt.Sprintf(translate(lang, "assoc.fin.confirm.line.what"), translate(lang, "assoc.fin.entry."+l.Entry), what,
			financierLabel(lang, l.Financier), l.Amount.Number(), year), translate(lang, "assoc.fin.confirm.line.after")},
		Action: "/forbund/" + ar.Org.Slug + "/budget/ta-bort", Values: r.PostForm,
		Submit: translate(lang, "assoc.fin.confirm.line.submit"), Back: back})
	return nil
}

// saveEquity validates and records the equity at a year's end.
func (h *Handlers) saveEquity(r *http.Request, a *site.Actor, ar assocRequest, f url.Values) (int, association.Ore, site.Problems, error) {
	var errs site.Problems
	year := formYear(f, &errs)
	equity, err := association.ParseOre(f.Get("equity"))
	if es, ok := participant.Problems(err); ok {
		es[0].Field = "equity"
		errs = append(errs, es[0])
	} else if f.Get("equity") == "" {
		errs = append(errs, finErr("equity", association.CodeRequired))
	}
	if len(errs) > 0 {
		return year, 0, errs, nil
	}
	err = h.assocWrite(r, a, ar, "assoc_equity_set", func(ctx context.Context, tx *store.Tx) error {
		return store.SetEquity(ctx, tx, ar.Org.ID, year, equity)
	})
	return year, equity, nil, err
}

// EquitySave is POST /forbund/{slug}/budget/eget-kapital.
func (h *Handlers) EquitySave(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	year, _, errs, err := h.saveEquity(r, a, ar, r.PostForm)
	return h.finishYearForm(w, r, a, ar, "budget", h.renderBudget, "save equity", year, errs, err)
}

// The allocation model calculator.

type allocationData struct {
	finBase
	TotalText   string
	Params      association.AllocationParams
	Allocations []association.Allocation
	Sum         association.Ore
	Total       association.Ore
}

// maxAllocationBytes bounds the uploaded table (about 80 associations).
const maxAllocationBytes = 1 << 20

// AllocationPage is GET /forbund/{slug}/fordelning.
func (h *Handlers) AllocationPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	lang := site.Language(w, r)
	d := allocationData{finBase: h.finBase(r, a, ar, lang), Params: association.DefaultAllocationParams()}
	h.Render(w, r, http.StatusOK, "assoc_fin_allocation", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.allocation.title"), Actor: a, Data: d})
	return nil
}

// allocate parses the national table and the total and runs the model;
// nothing is computed when any row or the total is wrong.
func allocate(totalText string, table io.Reader) (association.Ore, []association.Allocation, site.Problems) {
	var errs site.Problems
	total, err := association.ParseOre(totalText)
	if es, ok := participant.Problems(err); ok {
		es[0].Field = "total"
		errs = append(errs, es[0])
	} else if totalText == "" {
		errs = append(errs, finErr("total", association.CodeRequired))
	}
	rows, err := association.ParseAllocationCSV(table)
	if es, ok := participant.Problems(err); ok {
		for _, e := range es {
			if e.Field == "" {
				e.Field = "table"
			}
		}
		errs = append(errs, es...)
	} else if err != nil {
		errs = append(errs, finErr("table", association.CodeCSV))
	}
	if len(errs) > 0 {
		return total, nil, errs
	}
	out, err := association.Allocate(total, rows, association.DefaultAllocationParams())
	if es, ok := participant.Problems(err); ok {
		return total, nil, es
	} else if err != nil {
		return total, nil, site.Problems{finErr("table", association.CodeCSV)}
	}
	return total, out, nil
}

// AllocationRun is POST /forbund/{slug}/fordelning: the uploaded table
// (multipart field "table") and the national total; format=csv downloads
// the result.
func (h *Handlers) AllocationRun(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	lang := site.Language(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, maxAllocationBytes)
	var table io.Reader = strings.NewReader("")
	err = r.ParseMultipartForm(maxAllocationBytes)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return site.TooLarge()
	case err == nil:
		if f, _, err := r.FormFile("table"); err == nil {
			defer f.Close()
			table = f
		}
	default:
		// Not multipart (a form without the file): the total alone.
		if err := r.ParseForm(); err != nil {
			return site.BadRequest()
		}
	}
	d := allocationData{finBase: h.finBase(r, a, ar, lang), Params: association.DefaultAllocationParams(), TotalText: r.FormValue("total")}
	total, out, errs := allocate(d.TotalText, table)
	if len(errs) > 0 {
		d.Errs.List = errs
		h.Render(w, r, http.StatusUnprocessableEntity, "assoc_fin_allocation", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.allocation.title"), Actor: a, Data: d})
		return nil
	}
	if r.FormValue("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="fordelning.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(allocationCSV(out))
		return nil
	}
	d.Allocations, d.Total = out, total
	for _, x := range out {
		d.Sum += x.Total
	}
	h.Render(w, r, http.StatusOK, "assoc_fin_allocation", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.allocation.title"), Actor: a, Data: d})
	return nil
}

// allocationCSV writes the result with Swedish headers, semicolons and
// decimal commas, as Swedish spreadsheets read it.
func allocationCSV(out []association.Allocation) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	cw := csv.NewWriter(&b)
	cw.Comma = ';'
	cw.Write([]string{"förbund", "organisationsnummer", "grundbelopp_kr", "försörjningsmått_kr", "befolkning_kr", "totalt_kr"})
	var sum association.Ore
	for _, x := range out {
		sum += x.Total
		cw.Write([]string{x.Name, x.OrgNumber, x.Base.Number(), x.ByProvision.Number(), x.ByPopulation.Number(), x.Total.Number()})
	}
	cw.Write([]string{"Summa", "", "", "", "", sum.Number()})
	cw.Flush()
	return b.Bytes()
}
