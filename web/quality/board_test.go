package quality_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/quality"
)

// demoWithCertificates is the demo installation over st with the demo's
// certificates loaded, which the board counts.
func demoWithCertificates(t *testing.T, st *store.Store) *webtest.Server {
	t.Helper()
	s := webtest.Demo(t, st)
	webtest.LoadDemoCertificates(t, st)
	return s
}

// regionManager adds a manager of a region, who reads the board
// (policy.ReadReports), and returns their user name.
func regionManager(t *testing.T, st *store.Store, region string) string {
	t.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword(webtest.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	name := "chef-" + region
	err = st.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, region)
		if err != nil {
			return err
		}
		_, err = store.CreateUser(ctx, tx, store.User{Username: name, Name: "Regionchef " + region, OrgID: org.ID,
			Roles: account.RolesOf(account.Manager), PasswordHash: hash})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return name
}

var certificatesFact = regexp.MustCompile(`<dt>Intyg</dt><dd>([^<]*)</dd>`)

// TestRegionsSeeTheirOwnUnitsAndSmallCellsAreHiddenOutsideFK: FK sees
// every care provider's figures in full; a region's manager only the
// certificates the region sent, another region none; and everyone outside
// FK gets counts of 1–4 as "<5".
func TestRegionsSeeTheirOwnUnitsAndSmallCellsAreHiddenOutsideFK(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoWithCertificates(t, st)
		gotland, stockholm := regionManager(t, st, "region-gotland"), regionManager(t, st, "region-stockholm")
		// One unit's single month: a cell of a few certificates.
		period := "/quality?from=2026-11&to=2026-11"
		fk := s.SignedIn(t, webtest.Manager).Do("GET", period, nil).Body.String()
		own := s.SignedIn(t, gotland).Do("GET", period, nil).Body.String()
		other := s.SignedIn(t, stockholm).Do("GET", period, nil).Body.String()
		board := s.SignedIn(t, "styrelse").Do("GET", period, nil).Body.String()
		fkN, ownN, otherN := certificatesFact.FindStringSubmatch(fk), certificatesFact.FindStringSubmatch(own), certificatesFact.FindStringSubmatch(other)
		if fkN == nil || ownN == nil || otherN == nil {
			t.Fatal("a board without its summary")
		}
		if fkN[1] == "0" || ownN[1] != fkN[1] || otherN[1] != "0" {
			t.Errorf("certificates: FK %s, Region Gotland (which sent them all) %s, Region Stockholm %s", fkN[1], ownN[1], otherN[1])
		}
		if !strings.Contains(own, "Hälsocentralen Visby (demo)") || strings.Contains(other, "Hälsocentralen Visby (demo)") {
			t.Error("Region Stockholm sees Region Gotland's units, or Gotland does not")
		}
		if strings.Contains(fk, "&lt;5") || strings.Contains(fk, "visas som &lt;5") {
			t.Error("FK's board hides small cells")
		}
		for who, body := range map[string]string{"region": own, "board": board} {
			if !strings.Contains(body, "visas som &lt;5") {
				t.Errorf("%s: the board does not say small cells are hidden", who)
			}
			for _, n := range regexp.MustCompile(`table__column--numeric">([1-4])</td>`).FindAllStringSubmatch(body, -1) {
				t.Errorf("%s: a count of %s is shown", who, n[1])
			}
		}
		if !strings.Contains(fk, `<title id="spark-provider-0-title">`) || !strings.Contains(fk, "Per vårdgivare och månad") {
			t.Error("no small multiples per care provider over time")
		}
		if !strings.Contains(own, "&lt;5") {
			t.Error("a region's month of one unit has no small cell: the test tests nothing")
		}
		// The same as JSON.
		var fkBoard, ownBoard quality.APIBoard
		json.Unmarshal(s.SignedIn(t, webtest.Manager).Do("GET", "/api/v1/dashboards/quality?from=2026-11&to=2026-11", nil).Body.Bytes(), &fkBoard)
		json.Unmarshal(s.SignedIn(t, gotland).Do("GET", "/api/v1/dashboards/quality?from=2026-11&to=2026-11", nil).Body.Bytes(), &ownBoard)
		if fmt.Sprint(fkBoard.Total.Certificates) != fkN[1] || fkBoard.Suppressed || !ownBoard.Suppressed || len(ownBoard.Units) == 0 {
			t.Errorf("API: FK %v certificates (page %s), suppressed %v; region suppressed %v, %d units", fkBoard.Total.Certificates, fkN[1],
				fkBoard.Suppressed, ownBoard.Suppressed, len(ownBoard.Units))
		}
		small := false
		all := append(append(append(append([]quality.APIFigures{ownBoard.Total}, ownBoard.Months...), ownBoard.Providers...), ownBoard.Units...), ownBoard.ProviderMonths...)
		for _, u := range all {
			if n, ok := u.Certificates.(float64); ok && n > 0 && n < 5 {
				t.Errorf("the region's API shows a count of %v", n)
			}
			if u.Certificates == "<5" && (u.SharePercent != nil || u.MeanScore != nil) {
				t.Errorf("a small unit's share or mean is shown: %+v", u)
			}
			if u.WithoutFindings == "<5" && u.SharePercent != nil || u.Supplemented == "<5" && u.SupplementPct != nil {
				t.Errorf("a share with a small numerator is shown: %+v", u)
			}
			for _, c := range []any{u.Certificates, u.WithoutFindings, u.FMBExceeded, u.Supplemented} {
				small = small || c == "<5"
			}
		}
		for _, f := range ownBoard.Findings {
			if n, ok := f.Count.(float64); ok && n > 0 && n < 5 {
				t.Errorf("the region's API shows %v certificates with %s", n, f.Code)
			}
			small = small || f.Count == "<5"
		}
		if !small {
			t.Error("no small cell in the region's API answer: the test tests nothing")
		}
		for _, bad := range []string{"from=2026-13", "from=2026-05&to=2026-01", "from=2020-01&to=2026-01"} {
			if rec := s.SignedIn(t, gotland).Do("GET", "/api/v1/dashboards/quality?"+bad, nil); rec.Code != http.StatusUnprocessableEntity ||
				!strings.Contains(rec.Body.String(), `"validation_failed"`) {
				t.Errorf("%s: %d", bad, rec.Code)
			}
		}
		csv := s.SignedIn(t, gotland).Do("GET", "/quality.csv?from=2026-11&to=2026-11", nil).Body.String()
		if !strings.Contains(csv, ";<5;") {
			t.Error("the region's CSV shows small counts")
		}
	})
}
