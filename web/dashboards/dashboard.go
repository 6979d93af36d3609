package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/svg"
)

// Count is one figure: its value and the query of the list of the cases
// it counts (the same filter and the figure).
type Count struct {
	Value int
	Query string
}

// Href is the list of the figure's cases, as a page.
func (c Count) Href() string { return "/dashboards/lista?" + c.Query }

// API is the same list as JSON.
func (c Count) API() string { return "/api/v1/dashboards/caseload/cases?" + c.Query }

// MarshalJSON writes the figure with its list's address.
func (c Count) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Value int    `json:"value"`
		List  string `json:"list"`
	}{c.Value, c.API()})
}

// Labelled is a figure with its key and its words.
type Labelled struct {
	Key   string `json:"key"`
	Label string `json:"-"`
	Count Count  `json:"count"`
}

// Week is one week of the period (clipped to it): the cases sick on its
// last day, those that began in it and those that ended in it.
type Week struct {
	Label   string `json:"week"`
	From    string `json:"from"`
	To      string `json:"to"`
	Ongoing Count  `json:"ongoing"`
	Inflow  Count  `json:"inflow"`
	Outflow Count  `json:"outflow"`
	// Previous is the cases sick on the same weekday 52 weeks before.
	Previous *Count `json:"ongoing_year_before,omitempty"`
}

// OfficeSeries is one office's cases sick at the end of each week: the
// small multiples.
type OfficeSeries struct {
	OfficeID int64   `json:"office_id"`
	Office   string  `json:"office"`
	Ongoing  []Count `json:"ongoing"`
}

// weeks is the weekly series of a flow under a filter, of one office
// (only, with office true) or of all.
func weeks(lang string, flt filter, flow store.CaseloadFlow, office int64, only bool) []Week {
	started, ended := map[string]int{}, map[string]int{}
	for _, x := range flow.Started {
		if !only || x.OfficeID == office {
			started[x.Day.Format(time.DateOnly)] += x.Count
		}
	}
	for _, x := range flow.Closed {
		if !only || x.OfficeID == office {
			ended[x.Day.Format(time.DateOnly)] += x.Count
		}
	}
	var begun, over int
	for o, n := range flow.StartedBefore {
		if !only || o == office {
			begun += n
			over += flow.EndedBefore[o]
		}
	}
	narrow := int64(0)
	if only {
		narrow = office
	}
	count := func(f caseload.Figure, n int) Count { return Count{Value: n, Query: listQuery(flt, f, narrow, 0)} }
	var out []Week
	from, to := flt.scope.From, flt.scope.To
	for ws := from; !ws.After(to); {
		we := ws.AddDate(0, 0, 6-(int(ws.Weekday())+6)%7)
		if we.After(to) {
			we = to
		}
		var in, gone int
		for day := ws; !day.After(we); day = day.AddDate(0, 0, 1) {
			k := day.Format(time.DateOnly)
			in += started[k]
			begun += started[k]
			if day.Before(we) {
				over += ended[k]
			}
			gone += ended[k]
		}
		y, n := we.ISOWeek()
		wf, wt := ws.Format(time.DateOnly), we.Format(time.DateOnly)
		out = append(out, Week{Label: fmt.Sprintf(translate(lang, "dash.week"), y, n), From: wf, To: wt,
			Ongoing: count(caseload.Figure{Kind: caseload.Ongoing, On: wt}, begun-over),
			Inflow:  count(caseload.Figure{Kind: caseload.Inflow, From: wf, To: wt}, in),
			Outflow: count(caseload.Figure{Kind: caseload.Outflow, From: wf, To: wt}, gone)})
		over += ended[wt] // the week's last day ends before the next week's
		ws = we.AddDate(0, 0, 1)
	}
	return out
}

// DurationRow is the closed cases of one group and their durations.
type DurationRow struct {
	Key    string `json:"key"`
	Label  string `json:"-"`
	Cases  Count  `json:"cases"`
	Median int    `json:"median_days"`
	P90    int    `json:"p90_days"`
}

// DurationTable is the durations broken down one way.
type DurationTable struct {
	By      string        `json:"by"` // chapter, sex, age_group
	Caption string        `json:"-"`
	Head    string        `json:"-"`
	Rows    []DurationRow `json:"rows"`
}

// DeadlineRow is one deadline kind: the cases it was due in, and in how
// many it was met.
type DeadlineRow struct {
	Kind  string  `json:"kind"`
	Label string  `json:"-"`
	Cases Count   `json:"cases"`
	Met   Count   `json:"met"`
	Share float64 `json:"share_percent"`
}

// PlaceRow is the open cases of an office, or of a case worker at an
// office.
type PlaceRow struct {
	OfficeID int64  `json:"office_id"`
	Office   string `json:"office"`
	WorkerID int64  `json:"case_worker_id,omitempty"` // NoOne: nobody's
	Worker   string `json:"case_worker,omitempty"`
	Open     Count  `json:"open"`
	Overdue  Count  `json:"overdue"`
	Warnings Count  `json:"warnings"`
}

// Supplements are the supplement requests sent in the period.
type Supplements struct {
	Cases    Count   `json:"cases"`
	Requests int     `json:"requests"`
	Answered int     `json:"answered"`
	Median   float64 `json:"median_answer_days"`
}

// Coordination is the coordination across the agencies of the open
// cases: how many are coordinated and how soon, and how many have held an
// avstämningsmöte and how soon (medians in days from the case's first
// day; null without cases).
type Coordination struct {
	Open             int      `json:"open"`
	Coordinated      Count    `json:"coordinated"`
	Share            float64  `json:"share_percent"`
	DaysToStart      *float64 `json:"median_days_to_coordination"`
	Reconciled       Count    `json:"reconciled"`
	DaysToReconciled *float64 `json:"median_days_to_avstamningsmote"`
}

// Dashboard is every figure of a filter.
type Dashboard struct {
	From       string          `json:"from"`
	To         string          `json:"to"`
	ComputedAt time.Time       `json:"computed_at"`
	Totals     []Labelled      `json:"totals"`
	Phases     []Labelled      `json:"phases"`
	Weeks      []Week          `json:"weeks"`
	Multiples  []OfficeSeries  `json:"office_weeks"`
	Durations  []DurationTable `json:"durations"`
	Deadlines  []DeadlineRow   `json:"deadlines"`
	Supplement Supplements     `json:"supplements"`
	Coord      Coordination    `json:"coordination"`
	Offices    []PlaceRow      `json:"offices"`
	Workers    []PlaceRow      `json:"case_workers"`
}

// build adds the summary up into the dashboard.
func build(lang string, flt filter, c choices, sum store.CaseloadSummary, prevFlow store.CaseloadFlow, at time.Time) Dashboard {
	d := Dashboard{From: flt.From, To: flt.To, ComputedAt: at}
	count := func(f caseload.Figure, n int, office, worker int64) Count {
		return Count{Value: n, Query: listQuery(flt, f, office, worker)}
	}
	// Open cases: totals, phases, offices and case workers.
	var open, overdue, warnings int
	past := make([]int, len(caseload.PastDays))
	byPhase := map[string]int{}
	type place struct{ open, overdue, warnings int }
	byOffice := map[int64]*place{}
	byWorker := map[[2]int64]*place{}
	for _, p := range sum.Places {
		open += p.Open
		overdue += p.Overdue
		warnings += p.Warnings
		byPhase[p.Phase] += p.Open
		for i, n := range p.Past {
			past[i] += n
		}
		if byOffice[p.OfficeID] == nil {
			byOffice[p.OfficeID] = &place{}
		}
		worker := p.UserID
		if worker == 0 {
			worker = store.NoOne
		}
		k := [2]int64{p.OfficeID, worker}
		if byWorker[k] == nil {
			byWorker[k] = &place{}
		}
		for _, pl := range []*place{byOffice[p.OfficeID], byWorker[k]} {
			pl.open += p.Open
			pl.overdue += p.Overdue
			pl.warnings += p.Warnings
		}
	}
	d.Totals = append(d.Totals, Labelled{Key: "open", Label: translate(lang, "dash.open"), Count: count(caseload.Figure{Kind: caseload.Open}, open, 0, 0)})
	for i, day := range caseload.PastDays {
		d.Totals = append(d.Totals, Labelled{Key: "past_" + strconv.Itoa(day), Label: fmt.Sprintf(translate(lang, "dash.past"), day),
			Count: count(caseload.Figure{Kind: caseload.Past, Day: day}, past[i], 0, 0)})
	}
	d.Totals = append(d.Totals,
		Labelled{Key: "overdue", Label: translate(lang, "dash.overdue"), Count: count(caseload.Figure{Kind: caseload.Overdue}, overdue, 0, 0)},
		Labelled{Key: "warnings", Label: translate(lang, "dash.warnings"), Count: count(caseload.Figure{Kind: caseload.Warnings}, warnings, 0, 0)})
	for _, ph := range phases {
		key := ph
		if ph == caseload.Unknown {
			key = ""
		}
		d.Phases = append(d.Phases, Labelled{Key: ph, Label: translate(lang, "dash.phase."+ph),
			Count: count(caseload.Figure{Kind: caseload.Phase, Phase: key}, byPhase[key], 0, 0)})
	}
	officeIDs := make([]int64, 0, len(byOffice))
	for id := range byOffice {
		officeIDs = append(officeIDs, id)
	}
	name := func(id int64) string {
		if n := c.officeName(id); n != "" {
			return n
		}
		return translate(lang, "dash.none")
	}
	slices.SortFunc(officeIDs, func(a, b int64) int { return strings.Compare(name(a), name(b)) })
	for _, id := range officeIDs {
		p := byOffice[id]
		d.Offices = append(d.Offices, PlaceRow{OfficeID: id, Office: name(id),
			Open:     count(caseload.Figure{Kind: caseload.Open}, p.open, id, 0),
			Overdue:  count(caseload.Figure{Kind: caseload.Overdue}, p.overdue, id, 0),
			Warnings: count(caseload.Figure{Kind: caseload.Warnings}, p.warnings, id, 0)})
	}
	workerName := func(id int64) string {
		if id == store.NoOne {
			return translate(lang, "dash.unassigned")
		}
		if n := c.workerName(id); n != "" {
			return n
		}
		return translate(lang, "dash.otherworker")
	}
	keys := make([][2]int64, 0, len(byWorker))
	for k := range byWorker {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int64) int {
		if c := strings.Compare(name(a[0]), name(b[0])); c != 0 {
			return c
		}
		return strings.Compare(workerName(a[1]), workerName(b[1]))
	})
	for _, k := range keys {
		p := byWorker[k]
		d.Workers = append(d.Workers, PlaceRow{OfficeID: k[0], Office: name(k[0]), WorkerID: k[1], Worker: workerName(k[1]),
			Open:     count(caseload.Figure{Kind: caseload.Open}, p.open, k[0], k[1]),
			Overdue:  count(caseload.Figure{Kind: caseload.Overdue}, p.overdue, k[0], k[1]),
			Warnings: count(caseload.Figure{Kind: caseload.Warnings}, p.warnings, k[0], k[1])})
	}

	// Weeks: Monday to Sunday, the first and last clipped to the period;
	// the same weeks a year (52 weeks) before; and each office's.
	d.Weeks = weeks(lang, flt, sum.Flow, 0, false)
	prev := flt.shifted(-7 * 52)
	for i, w := range weeks(lang, prev, prevFlow, 0, false) {
		if i < len(d.Weeks) {
			d.Weeks[i].Previous = &w.Ongoing
		}
	}
	for _, id := range officeIDs {
		os := OfficeSeries{OfficeID: id, Office: name(id)}
		for _, w := range weeks(lang, flt, sum.Flow, id, true) {
			os.Ongoing = append(os.Ongoing, w.Ongoing)
		}
		d.Multiples = append(d.Multiples, os)
	}

	// Durations by chapter, sex and age group.
	byChapter, bySex, byAge := map[string]caseload.Durations{}, map[string]caseload.Durations{}, map[string]caseload.Durations{}
	all := caseload.Durations{}
	for _, e := range sum.Durations {
		for _, m := range []struct {
			h map[string]caseload.Durations
			k string
		}{{byChapter, e.Chapter}, {bySex, e.Sex}, {byAge, e.AgeGroup}} {
			if m.h[m.k] == nil {
				m.h[m.k] = caseload.Durations{}
			}
			m.h[m.k].Add(e.Days, e.Count)
		}
		all.Add(e.Days, e.Count)
	}
	row := func(key, label string, h caseload.Durations, f caseload.Figure) DurationRow {
		return DurationRow{Key: key, Label: label, Cases: count(f, h.Count(), 0, 0), Median: h.Percentile(50), P90: h.Percentile(90)}
	}
	chapters := DurationTable{By: "chapter", Caption: translate(lang, "dash.dur.chapter"), Head: translate(lang, "dash.col.chapter")}
	for _, ch := range append(slices.Clone(caseload.Chapters), caseload.Chapter{ID: caseload.Unknown}) {
		h := byChapter[ch.ID]
		if h == nil {
			continue
		}
		label := translate(lang, "dash.chapter.unknown")
		if ch.ID != caseload.Unknown {
			label = fmt.Sprintf(translate(lang, "dash.chapter"), ch.ID, ch.From, ch.To)
		}
		chapters.Rows = append(chapters.Rows, row(ch.ID, label, h, caseload.Figure{Kind: caseload.Ended, Chapter: ch.ID}))
	}
	chapters.Rows = append(chapters.Rows, row("", translate(lang, "dash.all"), all, caseload.Figure{Kind: caseload.Ended}))
	sexes := DurationTable{By: "sex", Caption: translate(lang, "dash.dur.sex"), Head: translate(lang, "dash.col.sex")}
	for _, sx := range []string{caseload.Woman, caseload.Man} {
		if h := bySex[sx]; h != nil {
			sexes.Rows = append(sexes.Rows, row(sx, translate(lang, "dash.sex."+sx), h, caseload.Figure{Kind: caseload.Ended, Sex: sx}))
		}
	}
	ages := DurationTable{By: "age_group", Caption: translate(lang, "dash.dur.age"), Head: translate(lang, "dash.col.age")}
	for _, g := range append(slices.Clone(caseload.AgeGroups), caseload.AgeGroup{ID: caseload.Unknown}) {
		if h := byAge[g.ID]; h != nil {
			label := translate(lang, "dash.age.unknown")
			if g.ID != caseload.Unknown {
				label = strings.Replace(g.ID, "-", "–", 1)
			}
			ages.Rows = append(ages.Rows, row(g.ID, label, h, caseload.Figure{Kind: caseload.Ended, AgeGroup: g.ID}))
		}
	}
	d.Durations = []DurationTable{chapters, sexes, ages}

	for _, dl := range sum.Deadlines {
		r := DeadlineRow{Kind: dl.Kind, Label: translate(lang, "dash.deadline."+dl.Kind),
			Cases: count(caseload.Figure{Kind: caseload.Deadline, Deadline: dl.Kind}, dl.Cases, 0, 0),
			Met:   count(caseload.Figure{Kind: caseload.Deadline, Deadline: dl.Kind, Met: true}, dl.Met, 0, 0)}
		if dl.Cases > 0 {
			r.Share = round1(100 * float64(dl.Met) / float64(dl.Cases))
		}
		d.Deadlines = append(d.Deadlines, r)
	}
	d.Supplement = Supplements{Cases: count(caseload.Figure{Kind: caseload.Supplement}, sum.SupplementCases, 0, 0),
		Requests: sum.SupplementRequests, Answered: len(sum.AnswerTimes)}
	if len(sum.AnswerTimes) > 0 {
		d.Supplement.Median = round1(median(sum.AnswerTimes) / float64(24*time.Hour))
	}
	d.Coord = Coordination{Open: open, Coordinated: count(caseload.Figure{Kind: caseload.Coordinated}, len(sum.CoordinationDays), 0, 0),
		Reconciled: count(caseload.Figure{Kind: caseload.Reconciled}, len(sum.ReconciliationDays), 0, 0)}
	if open > 0 {
		d.Coord.Share = round1(100 * float64(len(sum.CoordinationDays)) / float64(open))
	}
	medianDays := func(days []int) *float64 {
		if len(days) == 0 {
			return nil
		}
		m := round1(median(days))
		return &m
	}
	d.Coord.DaysToStart, d.Coord.DaysToReconciled = medianDays(sum.CoordinationDays), medianDays(sum.ReconciliationDays)
	return d
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

// median is the middle of xs (the mean of the two middle ones of an even
// number), as a float64 of xs's unit; xs must not be empty.
func median[T int | time.Duration](xs []T) float64 {
	ts := slices.Clone(xs)
	slices.Sort(ts)
	n := len(ts)
	if n%2 == 1 {
		return float64(ts[n/2])
	}
	return (float64(ts[n/2-1]) + float64(ts[n/2])) / 2
}

// summary is the dashboard's summary of a checked filter: from the cache,
// or computed in one snapshot. A summary past its minute is still
// answered while one refresh runs in the background, in a snapshot of its
// own (see cache.go).
func (h *Handlers) summary(ctx context.Context, tx *store.Tx, flt filter) (summaryEntry, error) {
	now := h.Now()
	e, ok, refresh := h.cache.get(flt.scope, now)
	if refresh {
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), summaryStale)
			defer cancel()
			var fresh summaryEntry
			err := h.Store.ReadTx(ctx, func(tx *store.Tx) error {
				var err error
				fresh, err = h.compute(ctx, tx, flt, h.Now())
				return err
			})
			if err != nil {
				h.cache.done(flt.scope)
				return
			}
			h.cache.put(flt.scope, fresh)
		}()
	}
	if ok {
		return e, nil
	}
	e, err := h.compute(ctx, tx, flt, now)
	if err != nil {
		return e, err
	}
	h.cache.put(flt.scope, e)
	return e, nil
}

// compute is the summary of a checked filter and the flow of the same
// period a year before, read in tx.
func (h *Handlers) compute(ctx context.Context, tx *store.Tx, flt filter, now time.Time) (summaryEntry, error) {
	e := summaryEntry{at: now, views: &builtViews{views: map[viewKey]*builtView{}}}
	var err error
	if e.sum, err = store.CaseloadSummaryOf(ctx, tx, flt.scope); err != nil {
		return e, err
	}
	e.prev, err = store.CaseloadFlowOf(ctx, tx, flt.shifted(-7*52).scope)
	return e, err
}

// load checks the filter and computes its dashboard in one snapshot.
// Field problems come back as site.Problems with the choices to show the
// form again.
func (h *Handlers) load(r *http.Request, a *site.Actor, lang string) (filter, choices, Dashboard, error) {
	flt, c, _, v, err := h.loadView(r, a, lang)
	var d Dashboard
	if v != nil {
		d = v.dash
	}
	return flt, c, d, err
}

// loadView is load with the summary the dashboard was built from and the
// view kept with it: the built dashboard is shared by every request for it
// while the summary is cached, and must not be changed.
func (h *Handlers) loadView(r *http.Request, a *site.Actor, lang string) (filter, choices, summaryEntry, *builtView, error) {
	flt, ps := h.readFilter(r)
	var c choices
	var e summaryEntry
	var v *builtView
	err := h.Store.ReadTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if c, err = loadChoices(r.Context(), tx, a, h.Now()); err != nil {
			return site.Unavailable("dashboard choices", err)
		}
		flt.check(c, &ps)
		if ps.Any() {
			return ps
		}
		flt.bound(a)
		if e, err = h.summary(r.Context(), tx, flt); err != nil {
			return site.Unavailable("dashboard", err)
		}
		v = e.view(viewKey{lang: lang, office: a.OfficeID}, func() Dashboard { return build(lang, flt, c, e.sum, e.prev, e.at) })
		return nil
	})
	return flt, c, e, v, err
}

// pageData is the dashboard page.
type pageData struct {
	Filter   filter
	Problems []problemView
	Groups   []site.Choice
	Offices  []site.Choice
	Workers  []site.Choice
	Dash     Dashboard
	Charts   map[string]template.HTML
	Computed string
	Exports  []site.Choice // href, label
	XLSX     string
	// Places are the offices' rows, each with the address of the office's
	// own dashboard when the page shows several offices.
	Places []placeView
	// WorkerRows are the case workers the page shows: every one of a
	// single office, or the few with the most overdue cases when the page
	// shows several offices (the rest are on each office's dashboard, in
	// the CSV and XLSX exports and in the API). WorkersOf is then how many
	// case-worker rows there are in all; 0 when WorkerRows holds them all.
	WorkerRows []PlaceRow
	WorkersOf  int
}

// placeView is an office's row on the page.
type placeView struct {
	PlaceRow
	Href string // the office's dashboard; empty when the page is one office's
}

// worstWorkers is how many case workers a page of several offices shows:
// a director of a customer group steers by offices, and looks at the case
// workers with the most overdue cases; an office's own page shows all of
// its case workers.
const worstWorkers = 10

// placeRows are the page's office and case-worker rows (see pageData).
func placeRows(flt filter, d Dashboard) (places []placeView, workers []PlaceRow, of int) {
	several := flt.scope.OfficeID == 0 && len(d.Offices) > 1
	for _, o := range d.Offices {
		v := placeView{PlaceRow: o}
		if several && o.OfficeID != 0 {
			q := flt.query()
			q.Set("office", strconv.FormatInt(o.OfficeID, 10))
			v.Href = site.WithQuery("/dashboards", q) + "#handlaggare"
		}
		places = append(places, v)
	}
	if !several || len(d.Workers) <= worstWorkers {
		return places, d.Workers, 0
	}
	worst := slices.Clone(d.Workers)
	slices.SortStableFunc(worst, func(a, b PlaceRow) int {
		if c := b.Overdue.Value - a.Overdue.Value; c != 0 {
			return c
		}
		if c := b.Warnings.Value - a.Warnings.Value; c != 0 {
			return c
		}
		return b.Open.Value - a.Open.Value
	})
	return places, worst[:worstWorkers], len(d.Workers)
}

// problemView is a field problem as the page shows it.
type problemView struct{ Field, Text string }

func (d pageData) Error(field string) string {
	for _, p := range d.Problems {
		if p.Field == field {
			return p.Text
		}
	}
	return ""
}

func problems(lang string, ps site.Problems) []problemView {
	out := make([]problemView, 0, len(ps))
	for _, p := range ps {
		out = append(out, problemView{Field: p.Field, Text: translate(lang, "dash.err."+p.Code)})
	}
	return out
}

// formChoices are the filter's selects.
func formChoices(lang string, c choices, flt filter, a *site.Actor) (groups, offices, workers []site.Choice) {
	groups = []site.Choice{{Value: "", Label: translate(lang, "dash.filter.allgroups"), Selected: flt.Group == ""}}
	for _, g := range c.groups {
		v := strconv.FormatInt(g.ID, 10)
		groups = append(groups, site.Choice{Value: v, Label: g.Name, Selected: v == flt.Group})
	}
	if a.OfficeID == 0 {
		offices = []site.Choice{{Value: "", Label: translate(lang, "dash.filter.alloffices"), Selected: flt.Office == ""}}
	}
	for _, o := range c.offices {
		v := strconv.FormatInt(o.ID, 10)
		offices = append(offices, site.Choice{Value: v, Label: o.Name, Selected: v == flt.Office})
	}
	workers = []site.Choice{{Value: "", Label: translate(lang, "dash.filter.allworkers"), Selected: flt.Worker == ""},
		{Value: unassigned, Label: translate(lang, "dash.unassigned"), Selected: flt.Worker == unassigned}}
	// The case workers of the office the page shows: a director chooses
	// an office first, since a select of every case worker in the country
	// (over a thousand) is neither usable nor light. The one chosen stays
	// on offer.
	for _, u := range c.workers {
		v := strconv.FormatInt(u.ID, 10)
		if v == flt.Worker || flt.scope.OfficeID != 0 && u.OfficeID == flt.scope.OfficeID {
			workers = append(workers, site.Choice{Value: v, Label: u.Name, Selected: v == flt.Worker})
		}
	}
	return groups, offices, workers
}

// Page shows the dashboard.
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	flt, c, e, v, err := h.loadView(r, a, lang)
	var d Dashboard
	if v != nil {
		d = v.dash
	}
	data := pageData{Filter: flt, Dash: d}
	status := http.StatusOK
	if ps, ok := err.(site.Problems); ok {
		data.Problems = problems(lang, ps)
		status = http.StatusUnprocessableEntity
		if c.groups == nil && c.offices == nil {
			return err
		}
	} else if err != nil {
		return err
	}
	data.Groups, data.Offices, data.Workers = formChoices(lang, c, flt, a)
	if status == http.StatusOK {
		data.Charts = e.chartsOf(v, func(d Dashboard) map[string]template.HTML { return charts(lang, d) })
		data.Computed = site.SwedishDate(d.ComputedAt).Format("2006-01-02 15:04")
		for _, t := range tableIDs {
			q := flt.query()
			q.Set("table", t)
			data.Exports = append(data.Exports, site.Choice{Value: site.WithQuery("/dashboards.csv", q), Label: translate(lang, "dash.table."+t)})
		}
		data.XLSX = site.WithQuery("/dashboards.xlsx", flt.query())
		data.Places, data.WorkerRows, data.WorkersOf = placeRows(flt, d)
	}
	h.Render(w, r, status, "dashboards", site.Page{Lang: lang, Title: translate(lang, "dash.title"), Actor: a, Data: data})
	return nil
}

// API answers the dashboard as JSON.
func (h *Handlers) API(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	_, _, d, err := h.load(r, a, "en")
	if err != nil {
		return err
	}
	site.WriteJSON(w, http.StatusOK, d)
	return nil
}

// charts draws the dashboard's charts, each described in words; the
// tables under them hold the same numbers.
func charts(lang string, d Dashboard) map[string]template.HTML {
	out := map[string]template.HTML{}
	var ongoing, inflow []svg.ChartPoint
	top, topIn := 0.0, 0.0
	for _, wk := range d.Weeks {
		ongoing = append(ongoing, svg.ChartPoint{Label: wk.Label, Value: float64(wk.Ongoing.Value), Text: strconv.Itoa(wk.Ongoing.Value)})
		inflow = append(inflow, svg.ChartPoint{Label: wk.Label, Value: float64(wk.Inflow.Value), Text: strconv.Itoa(wk.Inflow.Value)})
		top, topIn = max(top, float64(wk.Ongoing.Value)), max(topIn, float64(wk.Inflow.Value))
	}
	period := d.From + " – " + d.To
	last := 0
	if len(d.Weeks) > 0 {
		last = d.Weeks[len(d.Weeks)-1].Ongoing.Value
	}
	var previous []svg.ChartPoint
	lastPrev := 0
	for _, wk := range d.Weeks {
		p := svg.ChartPoint{Label: wk.Label}
		if wk.Previous != nil {
			p.Value, p.Text = float64(wk.Previous.Value), strconv.Itoa(wk.Previous.Value)
			top, lastPrev = max(top, p.Value), wk.Previous.Value
		}
		previous = append(previous, p)
	}
	out["ongoing"] = svg.LinesChart("chart-ongoing", translate(lang, "dash.chart.ongoing"),
		fmt.Sprintf(translate(lang, "dash.chart.ongoing.desc"), period, last, lastPrev),
		[]svg.Series{{Name: translate(lang, "dash.chart.thisyear"), Points: ongoing},
			{Name: translate(lang, "dash.chart.yearbefore"), Class: "previous", Points: previous}}, niceTop(top))
	for i, m := range d.Multiples {
		var pts []svg.ChartPoint
		mt := 0.0
		for _, c := range m.Ongoing {
			pts = append(pts, svg.ChartPoint{Value: float64(c.Value), Text: strconv.Itoa(c.Value)})
			mt = max(mt, float64(c.Value))
		}
		first, lastN := 0, 0
		if len(m.Ongoing) > 0 {
			first, lastN = m.Ongoing[0].Value, m.Ongoing[len(m.Ongoing)-1].Value
		}
		out["office-"+strconv.Itoa(i)] = svg.Sparkline("chart-office-"+strconv.Itoa(i), m.Office,
			fmt.Sprintf(translate(lang, "dash.chart.office.desc"), first, lastN), pts, niceTop(mt))
	}
	in := 0
	for _, wk := range d.Weeks {
		in += wk.Inflow.Value
	}
	out["inflow"] = svg.ColumnChart("chart-inflow", translate(lang, "dash.chart.inflow"),
		fmt.Sprintf(translate(lang, "dash.chart.inflow.desc"), period, in), inflow, niceTop(topIn), "")
	var ph []svg.ChartPoint
	for _, p := range d.Phases {
		ph = append(ph, svg.ChartPoint{Label: p.Label, Value: float64(p.Count.Value), Text: strconv.Itoa(p.Count.Value)})
	}
	out["phases"] = svg.BarChart("chart-phases", translate(lang, "dash.chart.phases"), translate(lang, "dash.chart.phases.desc"), ph)
	var dur []svg.ChartPoint
	if len(d.Durations) > 0 {
		for _, row := range d.Durations[0].Rows {
			if row.Key == "" {
				continue
			}
			dur = append(dur, svg.ChartPoint{Label: row.Label, Value: float64(row.Median),
				Text: fmt.Sprintf(translate(lang, "dash.days"), row.Median)})
		}
	}
	out["durations"] = svg.BarChart("chart-durations", translate(lang, "dash.chart.durations"),
		translate(lang, "dash.chart.durations.desc"), dur)
	return out
}

// niceTop is a round number at or above v for a chart's axis.
func niceTop(v float64) float64 {
	if v <= 0 {
		return 4
	}
	p := 1.0
	for p*10 <= v {
		p *= 10
	}
	for _, m := range []float64{1, 2, 4, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
