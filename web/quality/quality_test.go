package quality_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/spreadsheet"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/quality"
)

// boardMonths are the quality board's default months at the test clock
// (2026-11-23): December 2025 to November 2026.
func boardMonths() []time.Time {
	var out []time.Time
	for i := 0; i <= 12; i++ {
		out = append(out, time.Date(2025, 12+time.Month(i), 1, 0, 0, 0, 0, site.Stockholm))
	}
	return out
}

// certPagesServer is the demo with the demo's certificates loaded (all
// for persons on Gotland) and one more certificate for a person in
// Stockholm, whose id it returns.
func certPagesServer(t *testing.T, st *store.Store) (*webtest.Server, int64) {
	t.Helper()
	s := webtest.Demo(t, st)
	webtest.LoadDemoCertificates(t, st)
	return s, s.AddStockholmCertificate(t)
}

func TestQualityBoard(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := certPagesServer(t, st)
		ctx := context.Background()
		rows, err := store.QualityByMonth(ctx, st, store.QualityQuery{Months: boardMonths(), FindingCodes: quality.FindingCodes})
		if err != nil || len(rows) == 0 {
			t.Fatal(rows, err)
		}
		var total quality.Agg
		for _, r := range rows {
			total.Add(r)
		}
		fig := total.Figures()
		chef := s.SignedIn(t, "chef")

		t.Run("the board shows the store's numbers", func(t *testing.T) {
			rec := chef.Do("GET", "/quality", nil)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("%d", rec.Code)
			}
			facts := regexp.MustCompile(`(?s)<dt>Intyg</dt><dd>(\d+)</dd>\s*<dt>Andel utan brister</dt><dd>([0-9,]+ %)</dd>\s*<dt>Medelpoäng</dt><dd>([0-9,]+)</dd>\s*<dt>Över FMB utan motivering</dt><dd>(\d+)</dd>`).FindStringSubmatch(body)
			if facts == nil {
				t.Fatalf("no summary on the page")
			}
			want := []string{strconv.Itoa(fig.Certificates), spreadsheet.Decimal("sv", fig.ShareWithout) + " %", spreadsheet.Decimal("sv", fig.MeanScore), strconv.Itoa(fig.FMB)}
			for i, w := range want {
				if facts[i+1] != w {
					t.Errorf("summary figure %d: %q, want %q", i, facts[i+1], w)
				}
			}
			if fig.FMB == 0 || fig.WithoutFindings == 0 || fig.WithoutFindings == fig.Certificates {
				t.Errorf("the demo data should have some of everything: %+v", fig)
			}
			// Three charts, each an image with a title and a description,
			// each followed by a table.
			if n := strings.Count(body, `role="img" aria-labelledby="chart-`); n != 3 {
				t.Errorf("%d charts", n)
			}
			for _, id := range []string{"chart-share", "chart-score", "chart-findings"} {
				if !strings.Contains(body, `<title id="`+id+`-title">`) || !strings.Contains(body, `<desc id="`+id+`-desc">`) {
					t.Errorf("%s lacks a title or description", id)
				}
				after := body[strings.Index(body, `id="`+id+`-title"`):]
				after = after[strings.Index(after, "</svg>"):]
				next := strings.Index(after, `role="img" aria-labelledby="chart-`)
				if table := strings.Index(after, "<table"); table < 0 || next >= 0 && table > next {
					t.Errorf("%s is not followed by its table", id)
				}
			}
			for _, bad := range []string{" style=", "<script", "%!"} {
				if strings.Contains(body, bad) {
					t.Errorf("the board contains %q", bad)
				}
			}
			if id := regexp.MustCompile(`quality\.[a-z_]+\.[a-z]`).FindString(body); id != "" {
				t.Errorf("an untranslated message id: %s", id)
			}
			if !strings.Contains(body, "Otydlig aktivitetsbegränsning") || !strings.Contains(body, "Hälsocentralen Visby (demo)") {
				t.Error("no finding labels or units")
			}
			if en := chef.Do("GET", "/quality?lang=en", nil).Body.String(); !strings.Contains(en, "Vague activity limitation") {
				t.Error("no English board")
			}
			chef.Do("GET", "/quality?lang=sv", nil) // back to Swedish for the rest
		})

		t.Run("filters narrow the selection", func(t *testing.T) {
			unit := rows[0].UnitHSAID
			body := chef.Do("GET", "/quality?from=2026-01&to=2026-03&unit="+unit, nil).Body.String()
			q := store.QualityQuery{Months: []time.Time{time.Date(2026, 1, 1, 0, 0, 0, 0, site.Stockholm), time.Date(2026, 2, 1, 0, 0, 0, 0, site.Stockholm),
				time.Date(2026, 3, 1, 0, 0, 0, 0, site.Stockholm), time.Date(2026, 4, 1, 0, 0, 0, 0, site.Stockholm)}, UnitHSAID: unit}
			sel, _ := store.QualityByMonth(ctx, st, q)
			n := 0
			for _, r := range sel {
				n += r.Certificates
			}
			if !strings.Contains(body, "<dt>Intyg</dt><dd>"+strconv.Itoa(n)+"</dd>") || n == 0 || n >= fig.Certificates {
				t.Errorf("the unit's first quarter: want %d certificates", n)
			}
			for _, bad := range []string{"from=2026-13", "from=2026-05&to=2026-01", "from=2020-01&to=2026-01", "to=x"} {
				if rec := chef.Do("GET", "/quality?"+bad, nil); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "message-box--error") {
					t.Errorf("%s: %d", bad, rec.Code)
				}
			}
		})

		t.Run("the CSV export has every month and unit", func(t *testing.T) {
			recs := webtest.CSVDownload(t, chef.Do("GET", "/quality.csv", nil), "intygskvalitet-2025-12-2026-11.csv")
			if len(recs) != len(rows)+1 || recs[0][0] != "Månad" || recs[0][5] != "Intyg" || len(recs[0]) != 13+len(quality.FindingCodes) {
				t.Fatalf("%d records, header %v", len(recs), recs[0])
			}
			r0 := rows[0]
			if recs[1][0] != "2025-12" || recs[1][3] != r0.UnitHSAID || recs[1][5] != strconv.Itoa(r0.Certificates) ||
				recs[1][6] != strconv.Itoa(r0.WithoutFindings) {
				t.Errorf("first row %v, want %+v", recs[1], r0)
			}
			if !strings.Contains(recs[1][8], ",") {
				t.Errorf("the mean score %q has no decimal comma", recs[1][8])
			}
		})

		t.Run("the XLSX export opens in Excel with numbers as numbers", func(t *testing.T) {
			rec := chef.Do("GET", "/quality.xlsx?from=2025-12&to=2026-11", nil)
			if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheetml") {
				t.Fatalf("%d %v", rec.Code, rec.Header())
			}
			x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			if got := x.GetSheetName(0); got != "Kvalitet" {
				t.Errorf("sheet %q", got)
			}
			cells := func(ref string) string {
				v, err := x.GetCellValue("Kvalitet", ref)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			if cells("A1") != "Månad" || cells("F1") != "Intyg" || cells("A2") != "2025-12" || cells("D2") != rows[0].UnitHSAID ||
				cells("F2") != strconv.Itoa(rows[0].Certificates) {
				t.Errorf("cells A1 %q F1 %q A2 %q D2 %q F2 %q", cells("A1"), cells("F1"), cells("A2"), cells("D2"), cells("F2"))
			}
			if typ, _ := x.GetCellType("Kvalitet", "F2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Error("the count is text, not a number")
			}
			all, _ := x.GetRows("Kvalitet")
			if len(all) != len(rows)+1 {
				t.Errorf("%d rows, want %d", len(all), len(rows)+1)
			}
		})

		t.Run("only report roles", func(t *testing.T) {
			for user, want := range map[string]int{"styrelse": 200, "forbund": 200, "handlaggare": 200, "samordnare-af": 403, "admin": 403} {
				if code := s.SignedIn(t, user).Do("GET", "/quality.csv", nil).Code; code != want {
					t.Errorf("%s: %d, want %d", user, code, want)
				}
			}
		})
	})
}
