package quality

// Each care unit over time: its certificates' share without findings and
// its supplement rate month by month, beside the same months a year
// before. On the page it is a set of small multiples, one pair of small
// charts per unit on the same scales, each followed by the unit's table; the
// same table, one row per unit and month, is answered as CSV, XLSX and JSON.
//
// Outside Försäkringskassan each period is protected as its own board is
// (protect.go): this period's cells as the board of the filter shows them,
// the year before's as the board of those months with the same filter would
// show them. The table publishes only cells of those two boards (counts and
// the shares that rest on shown counts), so it reveals nothing that the two
// boards read together do not.

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/spreadsheet"
	"github.com/finsam/finsam/web/internal/svg"
)

// maxUnitCharts is the most units the page draws charts for: beyond it the
// page asks the reader to choose a care provider (the exports and the API
// hold every unit).
const maxUnitCharts = 12

// yearBefore are the boundaries of the same months a year earlier.
func yearBefore(months []time.Time) []time.Time {
	out := make([]time.Time, len(months))
	for i, m := range months {
		out[i] = m.AddDate(-1, 0, 0)
	}
	return out
}

// unitMonth is one month of a unit: its figures and those of the same
// month a year before, each as its board shows them to the reader.
type unitMonth struct {
	Month, PrevMonth string
	Cur, Prev        qualityLine
}

// unitTrend is one care unit's months, in order, with its two small charts
// (on the page only).
type unitTrend struct {
	ProviderHSA, Provider, UnitHSA, Unit string
	Months                               []unitMonth
	Share, Supplement                    template.HTML
}

// unitTrends builds the months of every unit with certificates in either
// period, ordered by care provider and unit name. rows are this period's
// (months), prev the year before's (prevMonths); prot and prevProt their
// protections.
func unitTrends(rows, prev []store.QualityRow, months, prevMonths []time.Time, prot, prevProt protection) []unitTrend {
	type unitKey struct{ provider, unit string }
	cells := map[unitKey][]*Agg{}
	prevCells := map[unitKey][]*Agg{}
	names := map[unitKey][2]string{}
	n := len(months) - 1
	add := func(to map[unitKey][]*Agg, r store.QualityRow) {
		k := unitKey{r.CareProviderHSAID, r.UnitHSAID}
		if cells[k] == nil {
			cells[k], prevCells[k] = make([]*Agg, n), make([]*Agg, n)
		}
		if to[k][r.Month] == nil {
			to[k][r.Month] = &Agg{}
		}
		to[k][r.Month].Add(r)
		if _, ok := names[k]; !ok {
			names[k] = [2]string{r.CareProviderName, r.UnitName}
		}
	}
	// This period's rows first: their names win over the year before's.
	for _, r := range rows {
		add(cells, r)
	}
	for _, r := range prev {
		add(prevCells, r)
	}
	keys := make([]unitKey, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b unitKey) int {
		return strings.Compare(names[a][0]+"\x00"+a.provider+"\x00"+names[a][1]+"\x00"+a.unit,
			names[b][0]+"\x00"+b.provider+"\x00"+names[b][1]+"\x00"+b.unit)
	})
	figures := func(g *Agg) Figures {
		if g == nil {
			g = &Agg{}
		}
		return g.Figures()
	}
	var out []unitTrend
	for _, k := range keys {
		t := unitTrend{ProviderHSA: k.provider, Provider: names[k][0], UnitHSA: k.unit, Unit: names[k][1]}
		for i := range n {
			m, pm := months[i].Format("2006-01"), prevMonths[i].Format("2006-01")
			t.Months = append(t.Months, unitMonth{Month: m, PrevMonth: pm,
				Cur:  prot.line(groupKey{k.provider, k.unit, m}, figures(cells[k][i])),
				Prev: prevProt.line(groupKey{k.provider, k.unit, pm}, figures(prevCells[k][i]))})
		}
		out = append(out, t)
	}
	return out
}

// countUnits is how many care units have certificates in either period.
func countUnits(rows, prev []store.QualityRow) int {
	seen := map[[2]string]bool{}
	for _, r := range slices.Concat(rows, prev) {
		seen[[2]string{r.CareProviderHSAID, r.UnitHSAID}] = true
	}
	return len(seen)
}

// shareShown and suppShown tell whether a line's share without findings
// and supplement rate are shown to the reader: there are certificates and
// neither the share's numerator nor its denominator is hidden.
func shareShown(l qualityLine) bool { return l.Certificates > 0 && !l.shareHidden() }
func suppShown(l qualityLine) bool  { return l.Certificates > 0 && !l.suppHidden() }

// supplementTop is the supplement charts' common top: a round number at or
// above the highest rate shown in any of them, at least 10 %.
func supplementTop(trends []unitTrend) float64 {
	top := 0.0
	for _, t := range trends {
		for _, m := range t.Months {
			if suppShown(m.Cur) {
				top = max(top, m.Cur.SupplementShare)
			}
			if suppShown(m.Prev) {
				top = max(top, m.Prev.SupplementShare)
			}
		}
	}
	for _, t := range []float64{10, 20, 25, 40, 50, 75} {
		if top <= t {
			return t
		}
	}
	return 100
}

// drawUnitTrends draws each unit's two small charts: the share without
// findings from 0 to 100 %, and the supplement rate from 0 to the same top
// for every unit, each with the year before as a dashed line.
func drawUnitTrends(lang string, trends []unitTrend) {
	suppTop := supplementTop(trends)
	thisYear, yearBefore := translate(lang, "quality.units.thisperiod"), translate(lang, "quality.units.yearbefore")
	for i := range trends {
		t := &trends[i]
		var share, prevShare, supp, prevSupp []svg.ChartPoint
		for _, m := range t.Months {
			point := func(l qualityLine, shown bool, v float64) svg.ChartPoint {
				p := svg.ChartPoint{Label: m.Month}
				if shown {
					p.Value, p.Text = v, spreadsheet.Decimal(lang, v)+" %"
				}
				return p
			}
			share = append(share, point(m.Cur, shareShown(m.Cur), m.Cur.ShareWithout))
			prevShare = append(prevShare, point(m.Prev, shareShown(m.Prev), m.Prev.ShareWithout))
			supp = append(supp, point(m.Cur, suppShown(m.Cur), m.Cur.SupplementShare))
			prevSupp = append(prevSupp, point(m.Prev, suppShown(m.Prev), m.Prev.SupplementShare))
		}
		last := len(t.Months) - 1
		lastText := func(ps []svg.ChartPoint) string {
			if last < 0 || ps[last].Text == "" {
				return "–"
			}
			return ps[last].Text
		}
		id := "unit-" + strconv.Itoa(i)
		t.Share = svg.SmallLines(id+"-share", fmt.Sprintf(translate(lang, "quality.units.chart.share"), t.Unit),
			fmt.Sprintf(translate(lang, "quality.units.chart.share.desc"), t.Unit, lastText(share), lastText(prevShare)),
			[]svg.Series{{Name: thisYear, Points: share}, {Name: yearBefore, Class: "previous", Points: prevShare}}, 100, " %")
		t.Supplement = svg.SmallLines(id+"-supp", fmt.Sprintf(translate(lang, "quality.units.chart.supplement"), t.Unit),
			fmt.Sprintf(translate(lang, "quality.units.chart.supplement.desc"), t.Unit, lastText(supp), lastText(prevSupp)),
			[]svg.Series{{Name: thisYear, Points: supp}, {Name: yearBefore, Class: "previous", Points: prevSupp}}, suppTop, " %")
	}
}

// readUnitTrends reads the filter's units over time for the exports and
// the API; errs are the filter's problems (message ids), if any.
func (s *Handlers) readUnitTrends(r *http.Request, a *site.Actor) ([]unitTrend, qualityFilter, []time.Time, []string, error) {
	f, errs := s.readQualityFilter(r)
	f.bound(a)
	if len(errs) > 0 {
		return nil, f, nil, errs, nil
	}
	months := f.months()
	prevMonths := yearBefore(months)
	rows, prevRows, _, err := s.qualityRows(r, f, months, prevMonths)
	if err != nil {
		return nil, f, nil, nil, site.Unavailable("quality per unit", err)
	}
	return unitTrends(rows, prevRows, months, prevMonths, protect(rows, months, f.suppress), protect(prevRows, prevMonths, f.suppress)),
		f, prevMonths, nil, nil
}

// unitExportTable is the units over time as one row per unit and month,
// the year before beside: hidden counts as "<5" or "..", and shares that
// would reveal one left empty, as in the board's export.
func unitExportTable(lang string, trends []unitTrend) spreadsheet.Table {
	var t spreadsheet.Table
	for _, id := range []string{"month", "provider.hsa", "provider", "unit.hsa", "unit", "certificates", "withoutn", "without",
		"fmb", "supplementn", "supplement", "prev.month", "prev.certificates", "prev.withoutn", "prev.without",
		"prev.supplementn", "prev.supplement"} {
		t.Header = append(t.Header, translate(lang, "quality.col."+id))
	}
	share := func(shown bool, v float64) any {
		if !shown {
			return ""
		}
		return round1(v)
	}
	for _, u := range trends {
		for _, m := range u.Months {
			c, p := m.Cur, m.Prev
			t.Rows = append(t.Rows, []any{m.Month, u.ProviderHSA, u.Provider, u.UnitHSA, u.Unit,
				c.count(measureCertificates), c.count(measureWithout), share(shareShown(c), c.ShareWithout),
				c.count(measureFinding0 + fmbIndex), c.count(measureSupplemented), share(suppShown(c), c.SupplementShare),
				m.PrevMonth, p.count(measureCertificates), p.count(measureWithout), share(shareShown(p), p.ShareWithout),
				p.count(measureSupplemented), share(suppShown(p), p.SupplementShare)})
		}
	}
	return t
}

// unitsExport answers the units over time as a file written by write.
func (s *Handlers) unitsExport(w http.ResponseWriter, r *http.Request, a *site.Actor, ext string,
	write func(lang string, t spreadsheet.Table) ([]byte, error)) error {
	lang := site.Language(w, r)
	trends, f, _, errs, err := s.readUnitTrends(r, a)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return &site.Error{Status: http.StatusUnprocessableEntity, Code: "bad_request"}
	}
	body, err := write(lang, unitExportTable(lang, trends))
	if err != nil {
		return site.Unavailable("write quality per unit", err)
	}
	spreadsheet.Send(w, "intygskvalitet-vardenheter-"+f.From+"-"+f.To+"."+ext, body)
	return nil
}

// UnitsCSV sends the units over time as CSV.
func (s *Handlers) UnitsCSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.unitsExport(w, r, a, "csv", spreadsheet.CSV)
}

// UnitsXLSX sends the units over time as an Excel workbook.
func (s *Handlers) UnitsXLSX(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.unitsExport(w, r, a, "xlsx", func(lang string, t spreadsheet.Table) ([]byte, error) {
		t.Sheet = translate(lang, "quality.units.sheet")
		return spreadsheet.XLSX(translate(lang, "quality.units.title"), s.Now(), t)
	})
}

// APIUnitMonth is one month of a care unit as the API answers it, with the
// same month a year before: counts are numbers, or "<5" or ".." when hidden;
// shares are null when hidden or without certificates.
type APIUnitMonth struct {
	Month                 string   `json:"month"`
	Certificates          any      `json:"certificates"`
	WithoutFindings       any      `json:"without_findings"`
	SharePercent          *float64 `json:"share_without_findings_percent"`
	FMBExceeded           any      `json:"fmb_exceeded"`
	Supplemented          any      `json:"supplemented"`
	SupplementPct         *float64 `json:"supplement_percent"`
	PrevMonth             string   `json:"previous_month"`
	PrevCertificates      any      `json:"previous_certificates"`
	PrevWithoutFindings   any      `json:"previous_without_findings"`
	PrevSharePercent      *float64 `json:"previous_share_without_findings_percent"`
	PrevSupplemented      any      `json:"previous_supplemented"`
	PrevSupplementPercent *float64 `json:"previous_supplement_percent"`
}

// APIUnitTrend is one care unit's months.
type APIUnitTrend struct {
	CareProvider    string         `json:"care_provider"`
	CareProviderHSA string         `json:"care_provider_hsa_id"`
	Unit            string         `json:"unit"`
	UnitHSA         string         `json:"unit_hsa_id"`
	Months          []APIUnitMonth `json:"months"`
}

// APIUnitTrends is every care unit of the selection over time.
type APIUnitTrends struct {
	From         string         `json:"from"`
	To           string         `json:"to"`
	PreviousFrom string         `json:"previous_from"`
	PreviousTo   string         `json:"previous_to"`
	Suppressed   bool           `json:"suppressed"`
	Units        []APIUnitTrend `json:"units"`
}

// UnitsAPI answers the units over time as JSON.
func (s *Handlers) UnitsAPI(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	trends, f, prevMonths, errs, err := s.readUnitTrends(r, a)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return apiProblems(errs)
	}
	share := func(shown bool, v float64) *float64 {
		if !shown {
			return nil
		}
		x := round1(v)
		return &x
	}
	out := APIUnitTrends{From: f.From, To: f.To, PreviousFrom: prevMonths[0].Format("2006-01"),
		PreviousTo: prevMonths[len(prevMonths)-2].Format("2006-01"), Suppressed: f.suppress, Units: []APIUnitTrend{}}
	for _, u := range trends {
		x := APIUnitTrend{CareProvider: u.Provider, CareProviderHSA: u.ProviderHSA, Unit: u.Unit, UnitHSA: u.UnitHSA}
		for _, m := range u.Months {
			c, p := m.Cur, m.Prev
			x.Months = append(x.Months, APIUnitMonth{Month: m.Month, Certificates: c.count(measureCertificates),
				WithoutFindings: c.count(measureWithout), SharePercent: share(shareShown(c), c.ShareWithout),
				FMBExceeded: c.count(measureFinding0 + fmbIndex), Supplemented: c.count(measureSupplemented),
				SupplementPct: share(suppShown(c), c.SupplementShare), PrevMonth: m.PrevMonth,
				PrevCertificates: p.count(measureCertificates), PrevWithoutFindings: p.count(measureWithout),
				PrevSharePercent: share(shareShown(p), p.ShareWithout), PrevSupplemented: p.count(measureSupplemented),
				PrevSupplementPercent: share(suppShown(p), p.SupplementShare)})
		}
		out.Units = append(out.Units, x)
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}
