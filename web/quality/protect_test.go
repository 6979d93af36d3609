package quality_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/quality"
)

// published is what a reader gets of one count (certificates, or without
// findings) of the board: the cells (care unit × month, from the CSV or
// the units over time) and the sums of the API, each as the text shown
// ("<5", ".." or a number).
type published map[string]string

// csvCells are column col of the board's CSV, keyed "c|provider|unit|month".
func csvCells(t *testing.T, csvBody string, col int) published {
	t.Helper()
	recs, err := webtest.CSVRecords(csvBody)
	if err != nil || len(recs) < 2 {
		t.Fatalf("CSV: %v, %d records", err, len(recs))
	}
	p := published{}
	for _, rec := range recs[1:] {
		p["c|"+rec[1]+"|"+rec[3]+"|"+rec[0]] = rec[col]
	}
	return p
}

// unitCells are one count of the units over time, this period's (prev
// false) or the year before's, keyed as csvCells by the month it counts.
func unitCells(trends quality.APIUnitTrends, prev bool, count func(quality.APIUnitMonth) any) published {
	p := published{}
	for _, u := range trends.Units {
		for _, m := range u.Months {
			month := m.Month
			if prev {
				month = m.PrevMonth
			}
			p["c|"+u.CareProviderHSA+"|"+u.UnitHSA+"|"+month] = apiText(count(m))
		}
	}
	return p
}

func apiText(v any) string { return strings.TrimSuffix(fmt.Sprint(v), ".0") }

// readPublished adds the sums of the board's API to the cells,
// keyed "u|provider|unit", "pm|provider|month", "p|provider", "m|month",
// "all".
func readPublished(cells published, board quality.APIBoard, api func(quality.APIFigures) any) published {
	p := published{}
	for k, v := range cells {
		p[k] = v
	}
	p["all"] = apiText(api(board.Total))
	for _, x := range board.Months {
		p["m|"+x.Month] = apiText(api(x))
	}
	for _, x := range board.Providers {
		p["p|"+x.CareProviderHSA] = apiText(api(x))
	}
	for _, x := range board.Units {
		p["u|"+x.CareProviderHSA+"|"+x.UnitHSA] = apiText(api(x))
	}
	for _, x := range board.ProviderMonths {
		p["pm|"+x.CareProviderHSA+"|"+x.Month] = apiText(api(x))
	}
	return p
}

// equations are the sums that hold between the groups: each a list of
// keys whose last is the sum of the others.
func (p published) equations() [][]string {
	sums := map[string][]string{}
	var order []string
	add := func(total, part string) {
		if _, ok := sums[total]; !ok {
			order = append(order, total)
		}
		for _, k := range sums[total] {
			if k == part {
				return
			}
		}
		sums[total] = append(sums[total], part)
	}
	for k := range p {
		f := strings.Split(k, "|")
		if f[0] != "c" {
			continue
		}
		prov, unit, month := f[1], f[2], f[3]
		add("u|"+prov+"|"+unit, k)
		add("pm|"+prov+"|"+month+"=units", k)
		add("p|"+prov+"=units", "u|"+prov+"|"+unit)
		add("p|"+prov, "pm|"+prov+"|"+month)
		add("m|"+month, "pm|"+prov+"|"+month)
		add("all", "m|"+month)
		add("all=providers", "p|"+prov)
	}
	var out [][]string
	for _, total := range order {
		out = append(out, append(sums[total], strings.TrimSuffix(strings.TrimSuffix(total, "=units"), "=providers")))
	}
	return out
}

// recover is what a reader can work out from the published values by
// subtraction: repeatedly, a sum with one unknown member gives it. It
// returns the values known in the end.
func (p published) recover() map[string]int {
	known := map[string]int{}
	for k, v := range p {
		if n, err := strconv.Atoi(v); err == nil {
			known[k] = n
		}
	}
	eqs := p.equations()
	for changed := true; changed; {
		changed = false
		for _, eq := range eqs {
			unknown, sum := "", 0
			missing := 0
			for i, k := range eq {
				n, ok := known[k]
				if !ok {
					missing++
					unknown = k
					continue
				}
				if i == len(eq)-1 {
					sum += n
				} else {
					sum -= n
				}
			}
			if missing != 1 {
				continue
			}
			if unknown == eq[len(eq)-1] {
				known[unknown] = -sum
			} else {
				known[unknown] = sum
			}
			changed = true
		}
	}
	return known
}

// measure is one count of the board: its CSV column (-1: none), its
// place in the API's sums and in the units over time, this period's and
// the year before's.
type measure struct {
	name       string
	col        int
	api        func(quality.APIFigures) any
	unit, prev func(quality.APIUnitMonth) any
}

var measuresPublished = []measure{
	{"certificates", 5, func(x quality.APIFigures) any { return x.Certificates },
		func(m quality.APIUnitMonth) any { return m.Certificates }, func(m quality.APIUnitMonth) any { return m.PrevCertificates }},
	{"without findings", 6, func(x quality.APIFigures) any { return x.WithoutFindings },
		func(m quality.APIUnitMonth) any { return m.WithoutFindings }, func(m quality.APIUnitMonth) any { return m.PrevWithoutFindings }},
	{"FMB exceeded", 9, func(x quality.APIFigures) any { return x.FMBExceeded },
		func(m quality.APIUnitMonth) any { return m.FMBExceeded }, nil},
	{"supplemented", -1, func(x quality.APIFigures) any { return x.Supplemented },
		func(m quality.APIUnitMonth) any { return m.Supplemented }, func(m quality.APIUnitMonth) any { return m.PrevSupplemented }},
}

// readerView is everything one reader gets of one period: the board's
// CSV and API, and the units over time.
type readerView struct {
	csv   string
	board quality.APIBoard
	units quality.APIUnitTrends
}

// sameCells checks that the units over time show each cell as the board's
// CSV does (a unit's month without certificates is no CSV row: 0).
func sameCells(t *testing.T, name string, units, csv published) {
	t.Helper()
	for k, v := range csv {
		if units[k] != v {
			t.Errorf("%s %s: the units over time show %q, the CSV %q", name, k, units[k], v)
		}
	}
	for k, v := range units {
		if _, ok := csv[k]; !ok && v != "0" {
			t.Errorf("%s %s: the units over time show %q, the CSV has no row", name, k, v)
		}
	}
}

// checkHidden compares what a region sees of one count with FK's exact
// figures: each is the same, or hidden ("<5" for 1–4, ".." for another
// non-zero count); and subtraction over the sums recovers no hidden
// count. It returns how many are hidden, how many a reader would recover
// were only 1–4 hidden, and everything the region can work out.
func checkHidden(t *testing.T, name string, region, fk published) (hidden, leaks int, known map[string]int) {
	t.Helper()
	naive := published{}
	for k, v := range region {
		exact, err := strconv.Atoi(fk[k])
		if err != nil {
			t.Fatalf("%s %s: FK sees %q", name, k, fk[k])
		}
		switch {
		case v == "<5" && exact >= 1 && exact <= 4, v == ".." && exact > 0:
			hidden++
		case v != fk[k]:
			t.Errorf("%s %s: the region sees %q, FK %q", name, k, v, fk[k])
		}
		naive[k] = fk[k]
		if exact >= 1 && exact <= 4 {
			naive[k] = "<5"
		}
	}
	known = region.recover()
	for k, v := range region {
		if _, err := strconv.Atoi(v); err != nil {
			if n, ok := known[k]; ok {
				t.Errorf("%s %s: hidden as %q but recomputed as %d", name, k, v, n)
			}
		}
	}
	recovered := naive.recover()
	for k, v := range naive {
		if _, ok := recovered[k]; ok && v == "<5" {
			leaks++
		}
	}
	t.Logf("%s: %d groups, %d hidden", name, len(region), hidden)
	return hidden, leaks, known
}

// TestNoHiddenCountCanBeRecomputedOutsideFK reads the board of a region
// over a year — its CSV of care unit × month, the sums per unit, provider
// and month, and the units over time with the year before — as the
// region's manager, and works out everything that subtraction gives: no
// hidden count ("<5" or "..") is among it. The units over time show this
// period's cells as the CSV does, and the year before's as the board of
// those months does, whose own sums are checked alike. A reader given only
// primary suppression (FK's figures with 1–4 hidden) would recover some,
// so the data do test the complementary suppression. FK sees every count.
func TestNoHiddenCountCanBeRecomputedOutsideFK(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoWithCertificates(t, st)
		gotland := regionManager(t, st, "region-gotland")
		// A year, in which Region Gotland's units have months of 1–4 FMB
		// exceedances beside larger ones; the demo's certificates begin in
		// January 2025, so the year before has eleven months of them.
		const period, before = "from=2025-12&to=2026-11", "from=2024-12&to=2025-11"
		get := func(user, path, query string) string {
			rec := s.SignedIn(t, user).Do("GET", path+"?"+query, nil)
			if rec.Code != 200 {
				t.Fatalf("%s %s: %d", user, path, rec.Code)
			}
			return rec.Body.String()
		}
		view := func(user, query string) readerView {
			v := readerView{csv: get(user, "/quality.csv", query)}
			if err := json.Unmarshal([]byte(get(user, "/api/v1/dashboards/quality", query)), &v.board); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(get(user, "/api/v1/dashboards/quality/units", query)), &v.units); err != nil {
				t.Fatal(err)
			}
			return v
		}
		region, fk := view(gotland, period), view(webtest.Manager, period)
		regionBefore, fkBefore := view(gotland, before), view(webtest.Manager, before)
		if !region.units.Suppressed || fk.units.Suppressed || len(region.units.Units) == 0 || region.units.PreviousFrom != "2024-12" {
			t.Fatalf("units over time: region suppressed %v, FK %v, %d units, from %s", region.units.Suppressed, fk.units.Suppressed,
				len(region.units.Units), region.units.PreviousFrom)
		}
		page := get(gotland, "/quality", period)
		leaks, allHidden, prevHidden := 0, 0, 0
		known, fkKnown := map[string]map[string]int{}, map[string]map[string]int{}
		for _, m := range measuresPublished {
			regionCells, fkCells := unitCells(region.units, false, m.unit), unitCells(fk.units, false, m.unit)
			if m.col >= 0 {
				sameCells(t, m.name, regionCells, csvCells(t, region.csv, m.col))
				sameCells(t, m.name+" (FK)", fkCells, csvCells(t, fk.csv, m.col))
			}
			fkPublished := readPublished(fkCells, fk.board, m.api)
			hidden, naive, got := checkHidden(t, m.name, readPublished(regionCells, region.board, m.api), fkPublished)
			known[m.name], fkKnown[m.name] = got, fkPublished.recover()
			allHidden, leaks = allHidden+hidden, leaks+naive
			if m.prev == nil {
				continue
			}
			// The year before: the board of those months, and its cells as
			// the units over time show them.
			regionPrev, fkPrev := unitCells(region.units, true, m.prev), unitCells(fk.units, true, m.prev)
			if m.col >= 0 {
				sameCells(t, m.name+" a year before", regionPrev, csvCells(t, regionBefore.csv, m.col))
			}
			hidden, _, _ = checkHidden(t, m.name+" a year before", readPublished(regionPrev, regionBefore.board, m.api),
				readPublished(fkPrev, fkBefore.board, m.api))
			prevHidden += hidden
		}
		// The certificates with findings are no column, but the certificates
		// minus those without: none of 1–4 may follow.
		for k, c := range known["certificates"] {
			if w, ok := known["without findings"][k]; ok {
				if exact := fkKnown["certificates"][k] - fkKnown["without findings"][k]; c-w != exact || exact >= 1 && exact <= 4 {
					t.Errorf("%s: %d certificates with findings follow (FK: %d)", k, c-w, exact)
				}
			}
		}
		if allHidden == 0 || prevHidden == 0 {
			t.Fatalf("the region's board hides %d counts, of the year before %d: the test tests nothing", allHidden, prevHidden)
		}
		if leaks == 0 {
			t.Error("primary suppression alone leaks nothing here: the test does not test complementary suppression")
		}
		if !strings.Contains(region.csv, ";..;") {
			t.Error("no withheld count (\"..\") in the region's CSV")
		}
		if strings.Contains(fk.csv, ";..;") || strings.Contains(fk.csv, ";<5;") {
			t.Error("FK's CSV hides counts")
		}
		if total := fmt.Sprint(region.board.Total.Certificates); !strings.Contains(page, "<dt>Intyg</dt><dd>"+total+"</dd>") {
			t.Errorf("the page's total is not the API's %s", total)
		}
	})
}
