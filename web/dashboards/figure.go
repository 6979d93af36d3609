package dashboards

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// phases are the chain phases the dashboard counts, and caseload.Unknown
// for the open cases not sick on their evaluation day (no phase).
var phases = []string{rules.Phase1To90, rules.Phase91To180, rules.Phase181To365, rules.Phase366On, caseload.Unknown}

// figureQuery is a figure as the URL values of its list.
func figureQuery(f caseload.Figure) url.Values {
	q := url.Values{"fig": {f.Kind}}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	switch f.Kind {
	case caseload.Phase:
		p := f.Phase
		if p == "" {
			p = caseload.Unknown
		}
		set("phase", p)
	case caseload.Past:
		set("day", strconv.Itoa(f.Day))
	case caseload.Ongoing:
		set("on", f.On)
	case caseload.Inflow, caseload.Outflow:
		set("wfrom", f.From)
		set("wto", f.To)
	case caseload.Ended:
		set("chapter", f.Chapter)
		set("sex", f.Sex)
		set("age", f.AgeGroup)
	case caseload.Deadline:
		set("deadline", f.Deadline)
		if f.Met {
			q.Set("met", "1")
		}
	}
	return q
}

// listQuery is the query of the list of a figure under a filter, with the
// scope's office and case worker narrowed to a row's (0: as filtered).
func listQuery(flt filter, f caseload.Figure, office, worker int64) string {
	q := flt.query()
	if office != 0 {
		q.Set("office", strconv.FormatInt(office, 10))
	}
	switch {
	case worker == store.NoOne:
		q.Set("worker", unassigned)
	case worker != 0:
		q.Set("worker", strconv.FormatInt(worker, 10))
	}
	for k, v := range figureQuery(f) {
		q[k] = v
	}
	for k, v := range q {
		if len(v) == 0 || v[0] == "" {
			delete(q, k)
		}
	}
	return q.Encode()
}

// readFigure reads a list's figure; its days must lie in the filter's
// period.
func readFigure(q url.Values, flt filter) (caseload.Figure, site.Problems) {
	var ps site.Problems
	f := caseload.Figure{Kind: q.Get("fig")}
	if !slices.Contains(caseload.Kinds, f.Kind) {
		ps.Add("fig", "unknown")
		return f, ps
	}
	day := func(field string) string {
		v := q.Get(field)
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			ps.Add(field, "date")
			return ""
		}
		if t.Before(flt.scope.From) || t.After(flt.scope.To) {
			ps.Add(field, "outside")
		}
		return v
	}
	switch f.Kind {
	case caseload.Phase:
		f.Phase = q.Get("phase")
		if !slices.Contains(phases, f.Phase) {
			ps.Add("phase", "unknown")
		}
		if f.Phase == caseload.Unknown {
			f.Phase = ""
		}
	case caseload.Past:
		n, err := strconv.Atoi(q.Get("day"))
		if err != nil || !slices.Contains(caseload.PastDays, n) {
			ps.Add("day", "unknown")
		}
		f.Day = n
	case caseload.Ongoing:
		f.On = day("on")
	case caseload.Inflow, caseload.Outflow:
		f.From, f.To = day("wfrom"), day("wto")
		if !ps.Any() && f.From > f.To {
			ps.Add("wto", "order")
		}
	case caseload.Ended:
		f.Chapter, f.Sex, f.AgeGroup = q.Get("chapter"), q.Get("sex"), q.Get("age")
		if _, ok := caseload.ChapterByID(f.Chapter); !ok && f.Chapter != "" && f.Chapter != caseload.Unknown {
			ps.Add("chapter", "unknown")
		}
		if f.Sex != "" && f.Sex != caseload.Woman && f.Sex != caseload.Man {
			ps.Add("sex", "unknown")
		}
		if _, ok := caseload.AgeGroupByID(f.AgeGroup); !ok && f.AgeGroup != "" && f.AgeGroup != caseload.Unknown {
			ps.Add("age", "unknown")
		}
	case caseload.Deadline:
		f.Deadline = q.Get("deadline")
		if !slices.Contains(store.CaseloadDeadlineKinds, f.Deadline) {
			ps.Add("deadline", "unknown")
		}
		switch q.Get("met") {
		case "", "0":
		case "1":
			f.Met = true
		default:
			ps.Add("met", "unknown")
		}
	}
	return f, ps
}
