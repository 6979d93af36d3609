package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestRejectedCertificatesForAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := adminServer(t, st)
		t.Cleanup(s.Close)
		ctx := context.Background()
		region, fk := orgNamed(t, st, "region-gotland"), orgNamed(t, st, "fk")
		// Invalid: a valid personnummer, nothing else; malformed: not JSON.
		pnr := string(demo.Persons(3, 1)[0].Personnummer)
		for _, sub := range []intake.Submission{
			{SenderOrgID: region.ID, Body: []byte(`{"id": "r1", "patient": {"personnummer": "` + pnr + `"}, "other": "<script>x</script>"}`), Source: "api"},
			{SenderOrgID: fk.ID, Body: []byte(`not json`), Source: "import:a.jsonl:3"},
		} {
			if res, err := s.intake.Submit(ctx, sub); err != nil || res.Status == intake.Accepted {
				t.Fatalf("%+v %v", res, err)
			}
		}
		list, _ := store.RejectedList(ctx, st, store.RejectedQuery{})
		if len(list) != 2 {
			t.Fatalf("%d rejected", len(list))
		}
		regionID, fkID := list[1].ID, list[0].ID

		admin := signedIn(t, s, "admin", "demo")
		body := admin.do("GET", "/admin/certificates/rejected", nil).Body.String()
		if tableRows(body) != 2 || !strings.Contains(body, "Region Gotland") || !strings.Contains(body, "Bryter mot reglerna") ||
			!strings.Contains(body, "Inte ett läsbart intyg") || !strings.Contains(body, "import:a.jsonl:3") {
			t.Errorf("the system administrator's list: %d rows\n%s", tableRows(body), body)
		}
		if strings.Contains(body, pnr) {
			t.Error("the list shows a personnummer")
		}
		rec := admin.do("GET", "/admin/certificates/rejected/"+itoa(regionID), nil)
		one := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(one, "&lt;script&gt;x&lt;/script&gt;") || strings.Contains(one, "<script>x") ||
			!strings.Contains(one, "<pre") || !strings.Contains(one, "diagnoses") {
			t.Errorf("detail: %d\n%s", rec.Code, one)
		}
		n, _ := personnummer.Parse(pnr, s.now())
		if c := count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'admin' AND action = 'read_rejected_certificate' AND person_key = $1",
			s.audit.Keys().PersonKey(n)); c != 1 {
			t.Errorf("%d audit entries of the detail with the person's key", c)
		}

		// FK's administrator sees what FK sent, and nothing of the region's.
		fkAdmin := signedIn(t, s, orgAdmin, orgAdminPassword)
		body = fkAdmin.do("GET", "/admin/certificates/rejected", nil).Body.String()
		if tableRows(body) != 1 || strings.Contains(body, "Region Gotland") {
			t.Errorf("FK admin's list: %d rows", tableRows(body))
		}
		if code := fkAdmin.do("GET", "/admin/certificates/rejected/"+itoa(regionID), nil).Code; code != http.StatusNotFound {
			t.Errorf("FK admin, the region's: %d, want 404", code)
		}
		if code := fkAdmin.do("GET", "/admin/certificates/rejected/"+itoa(fkID), nil).Code; code != http.StatusOK {
			t.Errorf("FK admin, FK's: %d", code)
		}
		if code := signedIn(t, s, "handlaggare", "demo").do("GET", "/admin/certificates/rejected", nil).Code; code != http.StatusForbidden {
			t.Errorf("case worker: %d, want 403", code)
		}
	})
}
