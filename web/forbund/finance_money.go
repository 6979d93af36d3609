package forbund

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
)

// Contributions: the year's total divided under 5 § of the Finsam law (the
// state a half through Försäkringskassan, the region(s) a quarter, the
// municipalities a quarter by the association's key), and per member what
// is planned, invoiced and paid, with a quarterly invoice schedule.

// quarters is the invoice schedule: four equal invoices, the odd öre to the
// earliest.
var quarters = []int64{1, 1, 1, 1}

// contribRow is one member's contribution in a year.
type contribRow struct {
	Org       organisation.Organisation
	TypeLabel string
	Planned   association.Ore
	Invoiced  association.Ore
	Paid      association.Ore
	Unpaid    association.Ore // invoiced but not paid
	Schedule  []association.Ore
	// Form values of the invoiced/paid form.
	InvoicedText, PaidText string
}

// finContrib is a year's contributions as the actor may see them: every
// member's for staff and board, only the actor's own organisation's for a
// member's users (SeeAll false; the totals and split are then left out).
type finContrib struct {
	Year                      int
	SeeAll                    bool
	Rows                      []contribRow
	Total, Invoiced, Paid     association.Ore
	Unpaid                    association.Ore
	ScheduleTotals            []association.Ore
	State, Regions, Municipal association.Ore
}

// contributions reads a year's contributions for the actor.
func (h *Handlers) contributions(ctx context.Context, a *site.Actor, ar assocRequest, members []organisation.Organisation, year int, lang string) (finContrib, error) {
	c := finContrib{Year: year, SeeAll: seesAll(a, ar), ScheduleTotals: make([]association.Ore, len(quarters))}
	var only int64
	if !c.SeeAll {
		only = a.OrgID
	}
	stored, err := store.Contributions(ctx, h.Store, ar.Org.ID, year, only)
	if err != nil {
		return c, err
	}
	byMember := map[int64]store.Contribution{}
	for _, x := range stored {
		byMember[x.MemberID] = x
	}
	for _, m := range members {
		if !c.SeeAll && m.ID != a.OrgID {
			continue
		}
		x := byMember[m.ID]
		row := contribRow{Org: m, TypeLabel: typeLabel(lang, m.Type), Planned: x.Planned, Invoiced: x.Invoiced, Paid: x.Paid,
			Unpaid: x.Invoiced - x.Paid, InvoicedText: x.Invoiced.Number(), PaidText: x.Paid.Number()}
		if row.Schedule, err = association.Apportion(x.Planned, quarters); err != nil {
			return c, err
		}
		for i, q := range row.Schedule {
			c.ScheduleTotals[i] += q
		}
		c.Total += x.Planned
		c.Invoiced += x.Invoiced
		c.Paid += x.Paid
		switch m.Type {
		case organisation.FK, organisation.AF:
			c.State += x.Planned
		case organisation.Region:
			c.Regions += x.Planned
		case organisation.Municipality:
			c.Municipal += x.Planned
		}
		c.Rows = append(c.Rows, row)
	}
	c.Unpaid = c.Invoiced - c.Paid
	return c, nil
}

type financeData struct {
	finBase
	Contrib            finContrib
	PrevYear, NextYear int
	TotalText          string
	HasPlan            bool
}

// FinancePage is GET /forbund/{slug}/finansiering?year=.
func (h *Handlers) FinancePage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.showYear(w, r, a, policy.ReadContributions, h.renderFinance)
}

func (h *Handlers) renderFinance(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, year, status int, errs site.Problems, form url.Values) error {
	lang := site.Language(w, r)
	ctx := r.Context()
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	d := financeData{finBase: h.finBase(r, a, ar, lang), PrevYear: year - 1, NextYear: year + 1}
	d.Errs.List = errs
	if d.Contrib, err = h.contributions(ctx, a, ar, members, year, lang); err != nil {
		return site.Unavailable("association contributions", err)
	}
	d.HasPlan = d.Contrib.Total != 0 || d.Contrib.Invoiced != 0
	if d.Contrib.Total != 0 {
		d.TotalText = d.Contrib.Total.Number()
	}
	if form != nil {
		d.TotalText = form.Get("total")
		for i := range d.Contrib.Rows {
			id := strconv.FormatInt(d.Contrib.Rows[i].Org.ID, 10)
			if _, ok := form["invoiced_"+id]; ok {
				d.Contrib.Rows[i].InvoicedText, d.Contrib.Rows[i].PaidText = form.Get("invoiced_"+id), form.Get("paid_"+id)
			}
		}
	}
	d.Notice = h.notice(w, r, lang)
	h.Render(w, r, status, "assoc_fin_finance", site.Page{Lang: lang, Title: translate(lang, "assoc.fin.finance.title") + " " + strconv.Itoa(year) + " – " + ar.Org.Name,
		Actor: a, Data: d})
	return nil
}

// formYear reads a form's year field.
func formYear(f url.Values, errs *site.Problems) int {
	y, err := strconv.Atoi(f.Get("year"))
	if err != nil || y < 2004 || y > 2200 {
		*errs = append(*errs, finErr("year", association.CodeInvalidYear))
		return 0
	}
	return y
}

// saveSplit validates a year's total, divides it between the members by
// the association's key and records the split as the year's planned
// contributions, all or nothing. Validation problems come back as errs.
func (h *Handlers) saveSplit(r *http.Request, a *site.Actor, ar assocRequest, f url.Values) (year int, split association.Split, errs site.Problems, err error) {
	ctx := r.Context()
	year = formYear(f, &errs)
	total, perr := association.ParseOre(f.Get("total"))
	switch {
	case f.Get("total") == "":
		errs = append(errs, finErr("total", association.CodeRequired))
	case perr != nil:
		e, _ := participant.Problems(perr)
		e[0].Field = "total"
		errs = append(errs, e...)
	case total < 0:
		errs = append(errs, finErr("total", association.CodeNegative))
	}
	if len(errs) > 0 {
		return year, split, errs, nil
	}
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return year, split, nil, err
	}
	key := association.KeyPopulation
	set, err := store.AssociationSettingsOf(ctx, h.Store, ar.Org.ID)
	if err == nil {
		key = set.CostKey
	} else if !errors.Is(err, store.ErrNotFound) {
		return year, split, nil, err
	}
	shares, err := store.CostShares(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return year, split, nil, err
	}
	byMember := map[int64]store.CostShare{}
	for _, c := range shares {
		byMember[c.MemberID] = c
	}
	var fk int64
	var regions, municipalities []association.Party
	for _, m := range members {
		p := association.Party{OrgID: m.ID, Name: m.Name, Population: byMember[m.ID].Population, ShareBP: byMember[m.ID].ShareBP}
		switch m.Type {
		case organisation.FK:
			fk = m.ID
		case organisation.Region:
			regions = append(regions, p)
		case organisation.Municipality:
			municipalities = append(municipalities, p)
		}
	}
	if fk == 0 {
		return year, split, site.Problems{finErr("total", "no_fk_member")}, nil
	}
	split, err = association.SplitContribution(total, key, regions, municipalities)
	if es, ok := participant.Problems(err); ok {
		return year, split, es, nil
	} else if err != nil {
		return year, split, nil, err
	}
	err = h.assocWrite(r, a, ar, "assoc_split_save", func(ctx context.Context, tx *store.Tx) error {
		return store.SaveSplit(ctx, tx, ar.Org.ID, year, fk, split)
	})
	return year, split, nil, err
}

// SplitSave is POST /forbund/{slug}/finansiering: a year's total.
func (h *Handlers) SplitSave(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	year, _, errs, err := h.saveSplit(r, a, ar, r.PostForm)
	return h.finishYearForm(w, r, a, ar, "finansiering", h.renderFinance, "save split", year, errs, err)
}

// PaymentsSave is POST /forbund/{slug}/finansiering/betalningar: the
// amounts invoiced and paid per member (fields invoiced_<member id>,
// paid_<member id>). The planned amounts are kept.
func (h *Handlers) PaymentsSave(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.loadForm(w, r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := r.PostForm
	var errs site.Problems
	year := formYear(f, &errs)
	if year == 0 {
		return h.renderFinance(w, r, a, ar, ar.Today.Year(), http.StatusUnprocessableEntity, errs, nil)
	}
	members, err := store.AssociationMembers(ctx, h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("association members", err)
	}
	stored, err := store.Contributions(ctx, h.Store, ar.Org.ID, year, 0)
	if err != nil {
		return site.Unavailable("association contributions", err)
	}
	planned := map[int64]association.Ore{}
	for _, c := range stored {
		planned[c.MemberID] = c.Planned
	}
	var out []store.Contribution
	amount := func(field string) association.Ore {
		v := f.Get(field)
		if v == "" {
			return 0
		}
		o, err := association.ParseOre(v)
		if es, ok := participant.Problems(err); ok {
			es[0].Field = field
			errs = append(errs, es[0])
			return 0
		}
		if o < 0 {
			errs = append(errs, finErr(field, association.CodeNegative))
		}
		return o
	}
	for _, m := range members {
		id := strconv.FormatInt(m.ID, 10)
		if _, ok := f["invoiced_"+id]; !ok {
			continue
		}
		c := store.Contribution{Year: year, MemberID: m.ID, Planned: planned[m.ID], Invoiced: amount("invoiced_" + id), Paid: amount("paid_" + id)}
		if c.Paid > c.Invoiced {
			errs = append(errs, finErr("paid_"+id, "paid_exceeds_invoiced"))
		}
		out = append(out, c)
	}
	if len(errs) == 0 {
		err = h.assocWrite(r, a, ar, "assoc_payments_save", func(ctx context.Context, tx *store.Tx) error {
			return store.SaveContributions(ctx, tx, ar.Org.ID, out)
		})
	}
	return h.finishYearForm(w, r, a, ar, "finansiering", h.renderFinance, "save payments", year, errs, err)
}

// regionName is the name of a region code ("" when unknown).
func regionName(code string) string {
	if r, ok := codelist.RegionByCode(code); ok {
		return r.Name
	}
	return code
}

// areaNames names the municipalities of an area: "Gotland (0980)".
func areaNames(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if m, ok := codelist.MunicipalityByCode(c); ok {
			out = append(out, m.Name+" ("+c+")")
		} else {
			out = append(out, c)
		}
	}
	return out
}
