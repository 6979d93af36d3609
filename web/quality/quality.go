package quality

// The quality board: how the certificates of each care
// provider (a region, as a rule) and care unit fare, month by month —
// the share without findings, the most common findings, the mean score,
// FMB exceedances, how often FK asked for a supplement and how long the
// answers took. Charts are SVG drawn here, each followed by a table of its
// numbers; the same numbers per month and unit export as CSV and XLSX.
//
// The board holds no personal data, only counts (policy.ReadReports:
// managers, board members, association staff, case workers), so reading
// it is not audited. Försäkringskassan sees every care provider; a region
// sees the certificates it sent, its own units; and everyone outside FK
// sees counts of 1–4 as "<5", as many other counts as ".." as it takes
// that none of those can be worked out from a total (protect.go), and no
// share, mean or median resting on a hidden count, so that no small group
// of persons can be picked out. The store groups the certificates in SQL (see
// store.QualityByMonth); this package only adds the groups up.
//
// A certificate counts in the month it was signed, in Swedish time. "FMB
// exceedances" are the certificates with the finding
// fmb_exceeded_without_motivation: a sick leave longer than FMB's
// recommendation that the doctor did not motivate (a motivated one is not
// a quality problem).

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/disclosure"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/spreadsheet"
	"github.com/finsam/finsam/web/internal/svg"
)

// FindingCodes are the findings the board counts, in the order of
// the form.
var FindingCodes = []string{
	certificate.FindingNotExamined, certificate.FindingImpairmentVague, certificate.FindingActivityVague,
	certificate.FindingNoLink, certificate.FindingFMBExceeded, certificate.FindingEarlyStart, certificate.FindingPrognosisUnclear,
}

// qualityDefaultMonths is the period the board shows unless asked for
// another: the last year, this month included.
const qualityDefaultMonths = 12

// qualityFilter is the board's selection as asked for.
type qualityFilter struct {
	From, To           string // YYYY-MM
	Provider, Unit     string // HSA-ids; "" for all
	fromMonth, toMonth time.Time
	// sender keeps a region to the certificates it sent (0: all);
	// suppress hides small cells from readers outside FK.
	sender   int64
	suppress bool
}

// bound fits the filter to who reads: a region its own certificates, and
// small cells hidden outside Försäkringskassan.
func (f *qualityFilter) bound(a *site.Actor) {
	if a.OrgType == organisation.Region {
		f.sender = a.OrgID
	}
	f.suppress = a.OrgType != organisation.FK
}

// months are the boundaries of the filter's months, midnight on the first
// in Stockholm.
func (f qualityFilter) months() []time.Time {
	var out []time.Time
	for m := f.fromMonth; !m.After(f.toMonth); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return append(out, f.toMonth.AddDate(0, 1, 0))
}

// query is the filter as URL values, for links and exports.
func (f qualityFilter) query() url.Values {
	return url.Values{"from": {f.From}, "to": {f.To}, "provider": {f.Provider}, "unit": {f.Unit}}
}

// readQualityFilter reads the board's GET form. Errors are message ids.
func (s *Handlers) readQualityFilter(r *http.Request) (qualityFilter, []string) {
	q := r.URL.Query()
	now := s.Now().In(site.Stockholm)
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, site.Stockholm)
	f := qualityFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Provider: strings.TrimSpace(q.Get("provider")), Unit: strings.TrimSpace(q.Get("unit"))}
	var errs []string
	parse := func(v string, def time.Time) (time.Time, string) {
		if v == "" {
			return def, def.Format("2006-01")
		}
		t, err := time.ParseInLocation("2006-01", v, site.Stockholm)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			errs = append(errs, "quality.err.month")
			return def, v
		}
		return t, v
	}
	f.toMonth, f.To = parse(f.To, thisMonth)
	f.fromMonth, f.From = parse(f.From, f.toMonth.AddDate(0, 1-qualityDefaultMonths, 0))
	switch n := monthsBetween(f.fromMonth, f.toMonth) + 1; {
	case len(errs) > 0:
	case n < 1:
		errs = append(errs, "quality.err.order")
	case n > store.MaxQualityMonths:
		errs = append(errs, "quality.err.span")
	}
	if len(f.Provider) > 64 || len(f.Unit) > 64 || !hsaText(f.Provider) || !hsaText(f.Unit) {
		errs = append(errs, "quality.err.unit")
	}
	return f, errs
}

// hsaText reports whether v can be an HSA-id: valid UTF-8 without control
// characters (a NUL byte would not even reach PostgreSQL's text).
func hsaText(v string) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// Agg adds up rows of store.QualityByMonth.
type Agg struct {
	Certificates, WithoutFindings, Supplemented int
	ScoreSum                                    int64
	Findings                                    []int
	AnswerTimes                                 []time.Duration
	FirstActionHours                            caseload.Durations
}

// Add counts a row in.
func (g *Agg) Add(r store.QualityRow) {
	g.Certificates += r.Certificates
	g.WithoutFindings += r.WithoutFindings
	g.Supplemented += r.Supplemented
	g.ScoreSum += r.ScoreSum
	if g.Findings == nil {
		g.Findings = make([]int, len(r.Findings))
	}
	for i, n := range r.Findings {
		g.Findings[i] += n
	}
	g.AnswerTimes = append(g.AnswerTimes, r.AnswerTimes...)
	if len(r.FirstActionHours) > 0 && g.FirstActionHours == nil {
		g.FirstActionHours = caseload.Durations{}
	}
	for h, n := range r.FirstActionHours {
		g.FirstActionHours.Add(h, n)
	}
}

// Figures are an aggregate's numbers as shown and exported.
type Figures struct {
	Certificates    int
	WithoutFindings int
	ShareWithout    float64 // percent
	MeanScore       float64
	FMB             int
	Supplemented    int
	SupplementShare float64 // percent
	Answered        int
	MedianDays      float64 // median answer time in days; 0 with no answers
	Findings        []int
	// FirstActions counts the certificates FK has acted on, and
	// FirstActionDays is the median time to that first action in days.
	FirstActions    int
	FirstActionDays float64
}

var fmbIndex = slices.Index(FindingCodes, certificate.FindingFMBExceeded)

// Figures are the rows added so far as the board shows them.
func (g *Agg) Figures() Figures {
	f := Figures{Certificates: g.Certificates, WithoutFindings: g.WithoutFindings, Supplemented: g.Supplemented,
		Answered: len(g.AnswerTimes), Findings: g.Findings}
	if f.Findings == nil {
		f.Findings = make([]int, len(FindingCodes))
	}
	f.FMB = f.Findings[fmbIndex]
	if g.Certificates > 0 {
		n := float64(g.Certificates)
		f.ShareWithout = 100 * float64(g.WithoutFindings) / n
		f.MeanScore = float64(g.ScoreSum) / n
		f.SupplementShare = 100 * float64(g.Supplemented) / n
	}
	if len(g.AnswerTimes) > 0 {
		f.MedianDays = median(g.AnswerTimes).Hours() / 24
	}
	if f.FirstActions = g.FirstActionHours.Count(); f.FirstActions > 0 {
		f.FirstActionDays = float64(g.FirstActionHours.Percentile(50)) / 24
	}
	return f
}

// median of durations (the mean of the middle two for an even count). It
// sorts ts.
func median(ts []time.Duration) time.Duration {
	slices.Sort(ts)
	n := len(ts)
	if n%2 == 1 {
		return ts[n/2]
	}
	return (ts[n/2-1] + ts[n/2]) / 2
}

// qualityLine is one row of a board table.
type qualityLine struct {
	Label, Sub string // e.g. unit name and care provider
	Figures
	// suppress hides small cells: the reader is outside FK. hidden are the
	// counts (in measure order) that protect hides from this reader.
	suppress bool
	hidden   []bool
}

// small tells whether a median over n certificates or answers is hidden
// from the reader (primary suppression only: a median is no sum).
func (l qualityLine) small(n int) bool { return l.suppress && disclosure.Small(int64(n)) }

// hid tells whether the count of measure m is hidden from the reader.
func (l qualityLine) hid(m int) bool { return m < len(l.hidden) && l.hidden[m] }

// count is measure m as exported: the number, or its marker when hidden.
func (l qualityLine) count(m int) any {
	if !l.hid(m) {
		return int(measures(l.Figures)[m])
	}
	if disclosure.Small(measures(l.Figures)[m]) {
		return disclosure.Suppressed
	}
	return disclosure.Withheld
}

// text is measure m as shown.
func (l qualityLine) text(m int) string { return fmt.Sprint(l.count(m)) }

// CertText, WithoutText and FMBText write counts: "<5" for 1–4 outside FK,
// ".." for a count hidden so that a small one cannot be recomputed.
func (l qualityLine) CertText() string    { return l.text(measureCertificates) }
func (l qualityLine) WithoutText() string { return l.text(measureWithout) }
func (l qualityLine) FMBText() string     { return l.text(measureFinding0 + fmbIndex) }

// shareHidden, meanHidden and suppHidden tell whether a share or mean
// would reveal a hidden count: its numerator or denominator is hidden.
func (l qualityLine) shareHidden() bool {
	return l.hid(measureCertificates) || l.hid(measureWithout)
}
func (l qualityLine) meanHidden() bool { return l.hid(measureCertificates) }
func (l qualityLine) suppHidden() bool {
	return l.hid(measureCertificates) || l.hid(measureSupplemented)
}

// Share, Mean and Median write the figures as Swedish (or English) readers
// expect them; "–" where they would reveal a hidden count.
func (l qualityLine) Share(lang string) string {
	if l.shareHidden() {
		return "–"
	}
	return spreadsheet.Decimal(lang, l.ShareWithout) + " %"
}
func (l qualityLine) Mean(lang string) string {
	if l.meanHidden() {
		return "–"
	}
	return spreadsheet.Decimal(lang, l.MeanScore)
}
func (l qualityLine) SuppShare(lang string) string {
	if l.suppHidden() {
		return "–"
	}
	return spreadsheet.Decimal(lang, l.SupplementShare) + " %"
}
func (l qualityLine) MedianText(lang string) string {
	if l.small(l.Answered) {
		return "–"
	}
	return dash(l.Answered, spreadsheet.Decimal(lang, l.MedianDays))
}
func (l qualityLine) FirstActionText(lang string) string {
	if l.small(l.FirstActions) {
		return "–"
	}
	return dash(l.FirstActions, spreadsheet.Decimal(lang, l.FirstActionDays))
}

func dash(n int, s string) string {
	if n == 0 {
		return "–"
	}
	return s
}

// qualityTable is a table of lines: per care provider or per unit.
type qualityTable struct {
	Caption, Head, SubHead string
	Lines                  []qualityLine
}

// spark is one care provider's small chart.
type spark struct {
	Provider string
	Chart    template.HTML
}

// findingCount is one finding in the "most common" list.
type findingCount struct {
	Code, Label string
	Count       int
	Text        string // the count as shown
	Share       string // of the certificates
	// hidden says the count is not shown to this reader.
	hidden bool
}

type qualityData struct {
	Filter    qualityFilter
	Errors    []string
	Providers []site.Choice
	Units     []site.ChoiceGroup
	Total     qualityLine
	Months    []qualityLine
	Tables    []qualityTable // per care provider, per unit
	Findings  []findingCount
	// Suppressed says small cells are hidden from this reader.
	Suppressed bool
	// ProviderMonths is each care provider's figures month by month, and
	// Sparks its share without findings as a small multiple.
	ProviderMonths []qualityLine
	Sparks         []spark
	ChartShare     template.HTML
	ChartScore     template.HTML
	ChartFinds     template.HTML
	CSV, XLSX      string
	// UnitTrends is each care unit's months beside the year before
	// (PrevFrom – PrevTo), drawn when there are at most maxUnitCharts
	// units (UnitCount); UnitsCSV and UnitsXLSX export them.
	UnitTrends          []unitTrend
	UnitCount           int
	PrevFrom, PrevTo    string
	UnitsCSV, UnitsXLSX string
}

// qualityBoard shows the board.
func (s *Handlers) Board(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	f, errs := s.readQualityFilter(r)
	f.bound(a)
	d := qualityData{Filter: f}
	title := translate(lang, "quality.title")
	if len(errs) > 0 {
		for _, e := range errs {
			d.Errors = append(d.Errors, translate(lang, e))
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "quality", site.Page{Lang: lang, Title: title, Actor: a, Data: d})
		return nil
	}
	months := f.months()
	prevMonths := yearBefore(months)
	rows, prevRows, units, err := s.qualityRows(r, f, months, prevMonths)
	if err != nil {
		return site.Unavailable("quality board", err)
	}
	d.Providers, d.Units = qualityChoices(lang, units, f)
	d.CSV = site.WithQuery("/quality.csv", f.query())
	d.XLSX = site.WithQuery("/quality.xlsx", f.query())
	d.UnitsCSV = site.WithQuery("/quality/units.csv", f.query())
	d.UnitsXLSX = site.WithQuery("/quality/units.xlsx", f.query())
	d.PrevFrom, d.PrevTo = prevMonths[0].Format("2006-01"), prevMonths[len(prevMonths)-2].Format("2006-01")

	var total Agg
	byMonth := make([]Agg, len(months)-1)
	byProvider, byUnit := map[string]*Agg{}, map[string]*Agg{}
	names := map[string][2]string{}
	var providerOrder, unitOrder []string
	for _, row := range rows {
		total.Add(row)
		byMonth[row.Month].Add(row)
		if byProvider[row.CareProviderHSAID] == nil {
			byProvider[row.CareProviderHSAID] = &Agg{}
			providerOrder = append(providerOrder, row.CareProviderHSAID)
		}
		byProvider[row.CareProviderHSAID].Add(row)
		uk := row.CareProviderHSAID + "\x00" + row.UnitHSAID
		if byUnit[uk] == nil {
			byUnit[uk] = &Agg{}
			unitOrder = append(unitOrder, uk)
		}
		byUnit[uk].Add(row)
		names[row.CareProviderHSAID] = [2]string{row.CareProviderName, ""}
		names[uk] = [2]string{row.UnitName, row.CareProviderName}
	}
	d.Suppressed = f.suppress
	prot := protect(rows, months, f.suppress)
	byProviderMonth := map[string]*Agg{}
	for _, row := range rows {
		k := row.CareProviderHSAID + "\x00" + months[row.Month].Format("2006-01")
		if byProviderMonth[k] == nil {
			byProviderMonth[k] = &Agg{}
		}
		byProviderMonth[k].Add(row)
	}
	d.Total = prot.line(groupKey{}, total.Figures())
	var share, score []svg.ChartPoint
	for i := range byMonth {
		label := months[i].Format("2006-01")
		fig := byMonth[i].Figures()
		line := prot.line(groupKey{month: label}, fig)
		line.Label = label
		d.Months = append(d.Months, line)
		sp := svg.ChartPoint{Label: label, Value: fig.ShareWithout}
		mp := svg.ChartPoint{Label: label, Value: fig.MeanScore}
		if fig.Certificates > 0 && !line.shareHidden() {
			sp.Text, mp.Text = spreadsheet.Decimal(lang, fig.ShareWithout)+" %", spreadsheet.Decimal(lang, fig.MeanScore)
		}
		share, score = append(share, sp), append(score, mp)
	}
	slices.Sort(providerOrder)
	slices.SortFunc(providerOrder, func(x, y string) int { return strings.Compare(names[x][0], names[y][0]) })
	providers := qualityTable{Caption: translate(lang, "quality.table.providers"), Head: translate(lang, "quality.col.provider")}
	for _, p := range providerOrder {
		pl := prot.line(groupKey{provider: p}, byProvider[p].Figures())
		pl.Label = names[p][0]
		providers.Lines = append(providers.Lines, pl)
		var pts []svg.ChartPoint
		for i := range months[:len(months)-1] {
			m := months[i].Format("2006-01")
			pt := svg.ChartPoint{Label: m}
			if g := byProviderMonth[p+"\x00"+m]; g != nil {
				l := prot.line(groupKey{provider: p, month: m}, g.Figures())
				l.Label, l.Sub = names[p][0], m
				d.ProviderMonths = append(d.ProviderMonths, l)
				if l.Share(lang) != "–" {
					pt.Value, pt.Text = l.ShareWithout, l.Share(lang)
				}
			}
			pts = append(pts, pt)
		}
		d.Sparks = append(d.Sparks, spark{Provider: names[p][0], Chart: svg.Sparkline("spark-provider-"+strconv.Itoa(len(d.Sparks)),
			names[p][0], translate(lang, "quality.spark.desc"), pts, 100)})
	}
	slices.SortFunc(unitOrder, func(x, y string) int {
		return strings.Compare(names[x][1]+"\x00"+names[x][0], names[y][1]+"\x00"+names[y][0])
	})
	unitTable := qualityTable{Caption: translate(lang, "quality.table.units"), Head: translate(lang, "quality.col.unit"),
		SubHead: translate(lang, "quality.col.provider")}
	for _, u := range unitOrder {
		pu := strings.SplitN(u, "\x00", 2)
		ul := prot.line(groupKey{provider: pu[0], unit: pu[1]}, byUnit[u].Figures())
		ul.Label, ul.Sub = names[u][0], names[u][1]
		unitTable.Lines = append(unitTable.Lines, ul)
	}
	d.Tables = []qualityTable{providers, unitTable}
	// The year before is protected (a second pass over its cells) only
	// when the page draws the units.
	if d.UnitCount = countUnits(rows, prevRows); d.UnitCount <= maxUnitCharts {
		d.UnitTrends = unitTrends(rows, prevRows, months, prevMonths, prot, protect(prevRows, prevMonths, f.suppress))
		drawUnitTrends(lang, d.UnitTrends)
	}
	var finds []svg.ChartPoint
	for i, code := range FindingCodes {
		fc := findingCount{Code: code, Label: translate(lang, "quality.finding."+code), Count: d.Total.Findings[i],
			Text: d.Total.text(measureFinding0 + i), hidden: d.Total.hid(measureFinding0 + i)}
		if total.Certificates > 0 && !fc.hidden && !d.Total.hid(measureCertificates) {
			fc.Share = spreadsheet.Decimal(lang, 100*float64(fc.Count)/float64(total.Certificates)) + " %"
		}
		d.Findings = append(d.Findings, fc)
	}
	slices.SortStableFunc(d.Findings, func(x, y findingCount) int { return y.Count - x.Count })
	for _, fc := range d.Findings {
		v := float64(fc.Count)
		if fc.hidden {
			v = 0 // a bar would show the count
		}
		finds = append(finds, svg.ChartPoint{Label: fc.Label, Value: v, Text: fc.Text})
	}
	period := f.From + " – " + f.To
	d.ChartShare = svg.ColumnChart("chart-share", translate(lang, "quality.chart.share"),
		fmt.Sprintf(translate(lang, "quality.chart.share.desc"), period, spreadsheet.Decimal(lang, d.Total.ShareWithout)), share, 100, " %")
	d.ChartScore = svg.LineChart("chart-score", translate(lang, "quality.chart.score"),
		fmt.Sprintf(translate(lang, "quality.chart.score.desc"), period, spreadsheet.Decimal(lang, d.Total.MeanScore)), score, 100, "")
	findDesc := translate(lang, "quality.chart.findings.none")
	if len(d.Findings) > 0 && d.Findings[0].Count > 0 {
		findDesc = fmt.Sprintf(translate(lang, "quality.chart.findings.desc"), d.Findings[0].Label, d.Findings[0].Text)
	}
	d.ChartFinds = svg.BarChart("chart-findings", translate(lang, "quality.chart.findings"), findDesc, finds)
	s.Render(w, r, http.StatusOK, "quality", site.Page{Lang: lang, Title: title, Actor: a, Data: d})
	return nil
}

// qualityRows reads the aggregates and the filter's choices in one
// snapshot, and with prev (the same months a year before; nil for none)
// the counts of those months under the same filter.
func (s *Handlers) qualityRows(r *http.Request, f qualityFilter, months, prev []time.Time) (rows, prevRows []store.QualityRow, units []store.CareUnit, err error) {
	q := store.QualityQuery{Months: months, CareProviderHSAID: f.Provider, UnitHSAID: f.Unit, SenderOrgID: f.sender, FindingCodes: FindingCodes}
	err = s.Store.ReadTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if rows, err = store.QualityByMonth(r.Context(), tx, q); err != nil {
			return err
		}
		if prev != nil {
			pq := q
			pq.Months, pq.CountsOnly = prev, true
			if prevRows, err = store.QualityByMonth(r.Context(), tx, pq); err != nil {
				return err
			}
		}
		units, err = store.QualityUnitsSentBy(r.Context(), tx, months[0], months[len(months)-1], f.sender)
		return err
	})
	return rows, prevRows, units, err
}

// qualityChoices are the filter's care providers and units (grouped by
// provider).
func qualityChoices(lang string, units []store.CareUnit, f qualityFilter) ([]site.Choice, []site.ChoiceGroup) {
	providers := []site.Choice{{Value: "", Label: translate(lang, "quality.filter.all"), Selected: f.Provider == ""}}
	groups := []site.ChoiceGroup{{Label: translate(lang, "quality.filter.all"), Options: []site.Choice{{Value: "", Label: translate(lang, "quality.filter.allunits"), Selected: f.Unit == ""}}}}
	for _, u := range units {
		if len(providers) == 1 || providers[len(providers)-1].Value != u.CareProviderHSAID {
			providers = append(providers, site.Choice{Value: u.CareProviderHSAID, Label: u.CareProviderName, Selected: u.CareProviderHSAID == f.Provider})
			groups = append(groups, site.ChoiceGroup{Label: u.CareProviderName})
		}
		g := &groups[len(groups)-1]
		g.Options = append(g.Options, site.Choice{Value: u.UnitHSAID, Label: u.UnitName, Selected: u.UnitHSAID == f.Unit})
	}
	return providers, groups
}
