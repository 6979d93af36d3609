package quality_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/svg/svgtest"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/quality"
)

// TestUnitsOverTimeForEachReader: each care unit's months beside the same
// months a year before, on the page as small multiples (two charts per
// unit, each unit followed by its table), as CSV, XLSX and JSON. FK sees
// every unit with exact counts and the year before's counts as the board
// of those months shows them; Region Gotland (which sent every demo
// certificate) the same units with small counts hidden; Region Stockholm
// none of them.
func TestUnitsOverTimeForEachReader(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoWithCertificates(t, st)
		gotland, stockholm := regionManager(t, st, "region-gotland"), regionManager(t, st, "region-stockholm")
		const period = "from=2025-12&to=2026-11"
		units := func(user string) quality.APIUnitTrends {
			rec := s.SignedIn(t, user).Do("GET", "/api/v1/dashboards/quality/units?"+period, nil)
			var u quality.APIUnitTrends
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", user, rec.Code, rec.Body)
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		fk, own, other := units(webtest.Manager), units(gotland), units(stockholm)
		if len(fk.Units) != 4 || len(own.Units) != 4 || len(other.Units) != 0 {
			t.Fatalf("units: FK %d, Region Gotland %d, Region Stockholm %d", len(fk.Units), len(own.Units), len(other.Units))
		}
		if fk.From != "2025-12" || fk.To != "2026-11" || fk.PreviousFrom != "2024-12" || fk.PreviousTo != "2025-11" || fk.Suppressed || !own.Suppressed {
			t.Errorf("FK's answer: %s – %s, the year before %s – %s, suppressed %v; the region's suppressed %v",
				fk.From, fk.To, fk.PreviousFrom, fk.PreviousTo, fk.Suppressed, own.Suppressed)
		}
		// FK's counts add up to the board's per unit, for this period and
		// the year before (the board of those months).
		var board, boardBefore quality.APIBoard
		json.Unmarshal(s.SignedIn(t, webtest.Manager).Do("GET", "/api/v1/dashboards/quality?"+period, nil).Body.Bytes(), &board)
		json.Unmarshal(s.SignedIn(t, webtest.Manager).Do("GET", "/api/v1/dashboards/quality?from=2024-12&to=2025-11", nil).Body.Bytes(), &boardBefore)
		perUnit := func(b quality.APIBoard) map[string]float64 {
			out := map[string]float64{}
			for _, u := range b.Units {
				out[u.UnitHSA] = u.Certificates.(float64)
			}
			return out
		}
		want, wantBefore := perUnit(board), perUnit(boardBefore)
		for _, u := range fk.Units {
			if len(u.Months) != 12 || u.Months[0].Month != "2025-12" || u.Months[0].PrevMonth != "2024-12" || u.Months[11].Month != "2026-11" {
				t.Fatalf("%s: months %+v", u.Unit, u.Months)
			}
			sum, sumBefore := 0.0, 0.0
			for _, m := range u.Months {
				sum += m.Certificates.(float64)
				sumBefore += m.PrevCertificates.(float64)
				if n := m.Certificates.(float64); n > 0 && (m.SharePercent == nil || m.SupplementPct == nil) {
					t.Errorf("%s %s: FK gets no share of %v certificates", u.Unit, m.Month, n)
				}
			}
			if sum != want[u.UnitHSA] || sum == 0 || sumBefore != wantBefore[u.UnitHSA] || sumBefore == 0 {
				t.Errorf("%s: %v certificates, the board %v; a year before %v, that board %v", u.Unit, sum, want[u.UnitHSA], sumBefore, wantBefore[u.UnitHSA])
			}
		}
		// Outside FK no share rests on a hidden count.
		hidden := 0
		for _, u := range own.Units {
			for _, m := range u.Months {
				for _, c := range []struct {
					counts []any
					share  *float64
				}{{[]any{m.Certificates, m.WithoutFindings}, m.SharePercent}, {[]any{m.Certificates, m.Supplemented}, m.SupplementPct},
					{[]any{m.PrevCertificates, m.PrevWithoutFindings}, m.PrevSharePercent}, {[]any{m.PrevCertificates, m.PrevSupplemented}, m.PrevSupplementPercent}} {
					for _, n := range c.counts {
						if _, ok := n.(string); ok {
							hidden++
							if c.share != nil {
								t.Errorf("%s %s: a share of %v rests on a hidden count", u.Unit, m.Month, *c.share)
							}
						} else if v := n.(float64); v > 0 && v < 5 {
							t.Errorf("%s %s: a count of %v is shown", u.Unit, m.Month, v)
						}
					}
				}
			}
		}
		if hidden == 0 {
			t.Error("the region's units over time hide nothing: the test tests nothing")
		}

		// The page: per unit two small charts on the same scales, the
		// year before dashed, and the unit's table.
		page := s.SignedIn(t, webtest.Manager).Do("GET", "/quality?"+period, nil).Body.String()
		if n := strings.Count(page, `<section class="finsam-unit-trend"`); n != 4 {
			t.Errorf("%d units over time on FK's page", n)
		}
		pics := smallCharts.FindAllString(page, -1)
		if len(pics) != 8 {
			t.Fatalf("%d small charts", len(pics))
		}
		var suppTop string
		for i, p := range pics {
			if err := svgtest.WellFormed(p); err != nil {
				t.Fatalf("small chart %d: %v", i, err)
			}
			if !strings.Contains(p, "</title><desc") || !strings.Contains(p, "finsam-chart__line--previous") {
				t.Errorf("small chart %d without its title and description, or without the year before", i)
			}
			// Same scales: the value axis reads 0, half and top; every share
			// chart's top is 100 %, every supplement chart's the same.
			texts, _ := svgtest.Shapes(p)
			if len(texts) < 3 {
				t.Fatalf("small chart %d: %d texts", i, len(texts))
			}
			top := texts[2].S
			if i == 1 {
				suppTop = top
			}
			if i%2 == 0 && top != "100 %" || i%2 == 1 && top != suppTop {
				t.Errorf("small chart %d: top %q", i, top)
			}
		}
		if !strings.Contains(page, `aria-label="Hälsocentralen Visby (demo): per månad och året före"`) {
			t.Error("no table for Hälsocentralen Visby")
		}
		if body := s.SignedIn(t, stockholm).Do("GET", "/quality?"+period, nil).Body.String(); !strings.Contains(body, "Inga intyg i urvalet.") ||
			strings.Contains(body, "finsam-unit-trend") {
			t.Error("Region Stockholm's page shows units over time")
		}

		// CSV: one row per unit and month, the year before beside.
		rec := s.SignedIn(t, gotland).Do("GET", "/quality/units.csv?"+period, nil)
		recs, err := webtest.CSVRecords(rec.Body.String())
		if err != nil || rec.Code != http.StatusOK || len(recs) != 1+4*12 {
			t.Fatalf("CSV: %d, %d records, %v", rec.Code, len(recs), err)
		}
		if recs[0][11] != "Samma månad året före" || recs[1][0] != "2025-12" || recs[1][11] != "2024-12" {
			t.Errorf("CSV: %v / %v", recs[0], recs[1])
		}
		if !strings.Contains(rec.Header().Get("Content-Disposition"), "intygskvalitet-vardenheter-2025-12-2026-11.csv") {
			t.Errorf("CSV file name: %q", rec.Header().Get("Content-Disposition"))
		}
		if body := s.SignedIn(t, stockholm).Do("GET", "/quality/units.csv?"+period, nil).Body.String(); strings.Contains(body, "DEMO") {
			t.Error("Region Stockholm's CSV holds Region Gotland's units")
		}
		x := s.SignedIn(t, gotland).Do("GET", "/quality/units.xlsx?"+period, nil)
		if x.Code != http.StatusOK || !strings.HasPrefix(x.Body.String(), "PK") {
			t.Errorf("XLSX: %d, %q", x.Code, x.Header().Get("Content-Type"))
		}

		// A bad filter: field problems in the API, 422 for the files.
		for _, bad := range []string{"from=2026-13", "from=2026-05&to=2026-01", "from=2020-01&to=2026-01", "unit=" + strings.Repeat("x", 65)} {
			rec := s.SignedIn(t, gotland).Do("GET", "/api/v1/dashboards/quality/units?"+bad, nil)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"validation_failed"`) {
				t.Errorf("API %s: %d %s", bad, rec.Code, rec.Body)
			}
			for _, f := range []string{"csv", "xlsx"} {
				if rec := s.SignedIn(t, gotland).Do("GET", "/quality/units."+f+"?"+bad, nil); rec.Code != http.StatusUnprocessableEntity {
					t.Errorf("%s %s: %d", f, bad, rec.Code)
				}
			}
		}
	})
}

var smallCharts = regexp.MustCompile(`<svg[^>]*finsam-chart--small.*?</svg>`)
