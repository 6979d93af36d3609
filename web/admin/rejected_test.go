package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

func TestRejectedCertificatesForAdministrators(t *testing.T) {
	webtest.EachDemoWithOrgAdmin(t, func(t *testing.T, s *webtest.Server) {
		// What intake refused, sent by the API and by an import (as
		// finsam import does: the intake over the same database).
		in := intake.New(s.Store, webtest.Keys(t), certificate.DefaultFMB(), s.Clock.Now)
		ctx := context.Background()
		region, fk := webtest.OrgNamed(t, s.Store, "region-gotland"), webtest.OrgNamed(t, s.Store, "fk")
		// Invalid: a valid personnummer, nothing else; malformed: not JSON.
		pnr := string(demo.Persons(3, 1)[0].Personnummer)
		for _, sub := range []intake.Submission{
			{SenderOrgID: region.ID, Body: []byte(`{"id": "r1", "patient": {"personnummer": "` + pnr + `"}, "other": "<script>x</script>"}`), Source: "api"},
			{SenderOrgID: fk.ID, Body: []byte(`not json`), Source: "import:a.jsonl:3"},
		} {
			if res, err := in.Submit(ctx, sub); err != nil || res.Status == intake.Accepted {
				t.Fatalf("%+v %v", res, err)
			}
		}
		list, _ := store.RejectedList(ctx, s.Store, store.RejectedQuery{})
		if len(list) != 2 {
			t.Fatalf("%d rejected", len(list))
		}
		regionID, fkID := list[1].ID, list[0].ID

		admin := signedIn(t, s, "admin", "demo")
		body := admin.Do("GET", "/admin/certificates/rejected", nil).Body.String()
		if tableRows(body) != 2 || !strings.Contains(body, "Region Gotland") || !strings.Contains(body, "Bryter mot reglerna") ||
			!strings.Contains(body, "Inte ett läsbart intyg") || !strings.Contains(body, "import:a.jsonl:3") {
			t.Errorf("the system administrator's list: %d rows\n%s", tableRows(body), body)
		}
		if strings.Contains(body, pnr) {
			t.Error("the list shows a personnummer")
		}
		// The system administrator sees why, not the certificate: no
		// personnummer, no body, and no read of the person audited.
		rec := admin.Do("GET", "/admin/certificates/rejected/"+itoa(regionID), nil)
		one := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(one, "diagnoses") || !strings.Contains(one, "Bryter mot reglerna") ||
			!strings.Contains(one, "rollen intygsförvaltare") {
			t.Errorf("detail for the administrator: %d\n%s", rec.Code, one)
		}
		if strings.Contains(one, pnr) || strings.Contains(one, "<pre") || strings.Contains(one, "script") {
			t.Errorf("the administrator reads the body:\n%s", one)
		}
		n, _ := personnummer.Parse(pnr, s.Clock.Now())
		if c := webtest.Count(t, s.Store, "SELECT count(*) FROM audit_log WHERE person_key = $1", webtest.Keys(t).PersonKey(n)); c != 0 {
			t.Errorf("%d audit entries of the administrator reading the person", c)
		}

		// The region's intake steward reads the body, audited with the
		// person's key; FK's rejected certificate is not theirs.
		steward := signedIn(t, s, "intygsforvaltare", "demo")
		body = steward.Do("GET", "/certificates/rejected", nil).Body.String()
		if tableRows(body) != 1 || !strings.Contains(body, `href="/certificates/rejected/`+itoa(regionID)+`"`) || strings.Contains(body, pnr) {
			t.Errorf("the steward's list: %d rows\n%s", tableRows(body), body)
		}
		rec = steward.Do("GET", "/certificates/rejected/"+itoa(regionID), nil)
		one = rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(one, "&lt;script&gt;x&lt;/script&gt;") || strings.Contains(one, "<script>x") ||
			!strings.Contains(one, "<pre") || !strings.Contains(one, pnr) || !strings.Contains(one, "diagnoses") {
			t.Errorf("detail for the steward: %d\n%s", rec.Code, one)
		}
		if c := webtest.Count(t, s.Store, "SELECT count(*) FROM audit_log WHERE actor_name = 'intygsforvaltare' AND action = 'read_rejected_certificate' AND person_key = $1",
			webtest.Keys(t).PersonKey(n)); c != 1 {
			t.Errorf("%d audit entries of the steward's reading with the person's key", c)
		}
		if code := steward.Do("GET", "/certificates/rejected/"+itoa(fkID), nil).Code; code != http.StatusNotFound {
			t.Errorf("the region's steward, FK's: %d, want 404", code)
		}
		for _, path := range []string{"/certificates/rejected", "/certificates/rejected/" + itoa(regionID)} {
			if code := admin.Do("GET", path, nil).Code; code != http.StatusForbidden {
				t.Errorf("the system administrator, %s: %d, want 403", path, code)
			}
		}

		// FK's administrator sees what FK sent, and nothing of the region's.
		fkAdmin := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		body = fkAdmin.Do("GET", "/admin/certificates/rejected", nil).Body.String()
		if tableRows(body) != 1 || strings.Contains(body, "Region Gotland") {
			t.Errorf("FK admin's list: %d rows", tableRows(body))
		}
		if code := fkAdmin.Do("GET", "/admin/certificates/rejected/"+itoa(regionID), nil).Code; code != http.StatusNotFound {
			t.Errorf("FK admin, the region's: %d, want 404", code)
		}
		if code := fkAdmin.Do("GET", "/admin/certificates/rejected/"+itoa(fkID), nil).Code; code != http.StatusOK {
			t.Errorf("FK admin, FK's: %d", code)
		}
		if code := signedIn(t, s, "handlaggare", "demo").Do("GET", "/admin/certificates/rejected", nil).Code; code != http.StatusForbidden {
			t.Errorf("case worker: %d, want 403", code)
		}
	})
}
