package quality_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/quality"
)

// published is what a reader gets of one count (certificates, or without
// findings) of the board: the cells of the CSV (care unit × month) and the
// sums of the API, each as the text shown ("<5", ".." or a number).
type published map[string]string

// cellKey and the sum keys name the board's groups: "c|provider|unit|month",
// "u|provider|unit", "pm|provider|month", "p|provider", "m|month", "all".
func readPublished(t *testing.T, csvBody string, board quality.APIBoard, col int, api func(quality.APIFigures) any) published {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("CSV: %v, %d records", err, len(recs))
	}
	p := published{}
	for _, rec := range recs[1:] {
		p["c|"+rec[1]+"|"+rec[3]+"|"+rec[0]] = rec[col]
	}
	text := func(v any) string { return strings.TrimSuffix(fmt.Sprint(v), ".0") }
	p["all"] = text(api(board.Total))
	for _, x := range board.Months {
		p["m|"+x.Month] = text(api(x))
	}
	for _, x := range board.Providers {
		p["p|"+x.CareProviderHSA] = text(api(x))
	}
	for _, x := range board.Units {
		p["u|"+x.CareProviderHSA+"|"+x.UnitHSA] = text(api(x))
	}
	for _, x := range board.ProviderMonths {
		p["pm|"+x.CareProviderHSA+"|"+x.Month] = text(api(x))
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

// TestNoHiddenCountCanBeRecomputedOutsideFK reads the board of a region
// over several months — its CSV of care unit × month and the sums per unit,
// provider and month — as the region's manager, and works out everything
// that subtraction gives: no hidden count ("<5" or "..") is among it. A
// reader given only primary suppression (FK's figures with 1–4 hidden)
// would recover some, so the data do test the complementary suppression.
// FK sees every count.
func TestNoHiddenCountCanBeRecomputedOutsideFK(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.Demo(t, st)
		if _, err := demo.LoadCertificates(context.Background(), st, webtest.Keys(t), demo.DefaultSeed); err != nil {
			t.Fatal(err)
		}
		gotland := regionManager(t, st, "region-gotland")
		// A year, in which Region Gotland's units have months of 1–4 FMB
		// exceedances beside larger ones.
		const period = "from=2025-12&to=2026-11"
		get := func(user, path string) string {
			rec := s.SignedIn(t, user).Do("GET", path+"?"+period, nil)
			if rec.Code != 200 {
				t.Fatalf("%s %s: %d", user, path, rec.Code)
			}
			return rec.Body.String()
		}
		board := func(user string) quality.APIBoard {
			var b quality.APIBoard
			if err := json.Unmarshal([]byte(get(user, "/api/v1/dashboards/quality")), &b); err != nil {
				t.Fatal(err)
			}
			return b
		}
		regionCSV, fkCSV := get(gotland, "/quality.csv"), get(webtest.Manager, "/quality.csv")
		regionBoard, fkBoard := board(gotland), board(webtest.Manager)
		page := get(gotland, "/quality")
		leaks, allHidden := 0, 0
		known := map[string]map[string]int{}
		for _, m := range []struct {
			name string
			col  int
			api  func(quality.APIFigures) any
		}{
			{"certificates", 5, func(x quality.APIFigures) any { return x.Certificates }},
			{"without findings", 6, func(x quality.APIFigures) any { return x.WithoutFindings }},
			{"FMB exceeded", 9, func(x quality.APIFigures) any { return x.FMBExceeded }},
		} {
			region := readPublished(t, regionCSV, regionBoard, m.col, m.api)
			fk := readPublished(t, fkCSV, fkBoard, m.col, m.api)
			hidden := 0
			naive := published{}
			for k, v := range region {
				exact, err := strconv.Atoi(fk[k])
				if err != nil {
					t.Fatalf("%s %s: FK sees %q", m.name, k, fk[k])
				}
				switch {
				case v == "<5" && exact >= 1 && exact <= 4, v == ".." && exact > 0:
					hidden++
				case v != fk[k]:
					t.Errorf("%s %s: the region sees %q, FK %q", m.name, k, v, fk[k])
				}
				naive[k] = fk[k]
				if exact >= 1 && exact <= 4 {
					naive[k] = "<5"
				}
			}
			got := region.recover()
			known[m.name] = got
			for k, v := range region {
				if _, err := strconv.Atoi(v); err != nil {
					if n, ok := got[k]; ok {
						t.Errorf("%s %s: hidden as %q but recomputed as %d", m.name, k, v, n)
					}
				}
			}
			for k, v := range naive {
				if _, ok := naive.recover()[k]; ok && v == "<5" {
					leaks++
				}
			}
			t.Logf("%s: %d groups, %d hidden", m.name, len(region), hidden)
			allHidden += hidden
		}
		// The certificates with findings are no column, but the certificates
		// minus those without: none of 1–4 may follow.
		fkCerts := readPublished(t, fkCSV, fkBoard, 5, func(x quality.APIFigures) any { return x.Certificates }).recover()
		fkWithout := readPublished(t, fkCSV, fkBoard, 6, func(x quality.APIFigures) any { return x.WithoutFindings }).recover()
		for k, c := range known["certificates"] {
			if w, ok := known["without findings"][k]; ok {
				if exact := fkCerts[k] - fkWithout[k]; c-w != exact || exact >= 1 && exact <= 4 {
					t.Errorf("%s: %d certificates with findings follow (FK: %d)", k, c-w, exact)
				}
			}
		}
		if allHidden == 0 {
			t.Fatal("the region's board hides no count: the test tests nothing")
		}
		if leaks == 0 {
			t.Error("primary suppression alone leaks nothing here: the test does not test complementary suppression")
		}
		if !strings.Contains(regionCSV, ";..;") {
			t.Error("no withheld count (\"..\") in the region's CSV")
		}
		if strings.Contains(fkCSV, ";..;") || strings.Contains(fkCSV, ";<5;") {
			t.Error("FK's CSV hides counts")
		}
		if total := fmt.Sprint(regionBoard.Total.Certificates); !strings.Contains(page, "<dt>Intyg</dt><dd>"+total+"</dd>") {
			t.Errorf("the page's total is not the API's %s", total)
		}
	})
}
