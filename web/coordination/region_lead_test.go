package coordination_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// The region's way into coordination: its coordinator opens a patient of
// its care units from the patients view, is refused starting without a
// consent the region holds (422 in Swedish, nothing written), records the
// consent, starts the coordination as its lead and invites FK, which the
// consent covers (AF, which it does not, is refused). FK's case worker,
// until invited, is told who leads and cannot start a second coordination;
// invited, it sees the person through the region's consent. Another region's
// coordinator gets 404 for the case, audited, and writes nothing.
func TestRegionLedCoordination(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.Demo(t, st)
		now := s.Clock.Now()
		f := setup(t, st, now)
		ctx := context.Background()
		err := st.Tx(ctx, func(tx *store.Tx) error {
			unit, err := store.OrganisationBySlug(ctx, tx, "vardcentral-visby-demo")
			if err != nil {
				return err
			}
			_, err = store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: unit.ID, CertID: "region-lead-1", PersonID: personID(t, st),
				CaseID: f.caseID, SignedAt: now.Add(-24 * time.Hour), ReceivedAt: now.Add(-24 * time.Hour), UnitName: "Vårdcentralen Visby (demo)",
				FirstDay: now.AddDate(0, 0, -10).Truncate(24 * time.Hour), LastDay: now.AddDate(0, 0, 20).Truncate(24 * time.Hour),
				Findings: []byte("[]"), Source: "api", Body: []byte("{}"), BodyHash: "region-lead-1"})
			if err != nil {
				return err
			}
			_, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "region-annan", Name: "Region Annan", Type: organisation.Region})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		s.AddUser(t, "region-annan", "samordnare-annan", webtest.DemoPassword, account.Coordinator)
		region := s.SignedIn(t, "samordnare-region")
		other := s.SignedIn(t, "samordnare-annan")
		entry := fmt.Sprintf("/samordning/vardenheter/arenden/%d", f.caseID)
		today := now.Format("2006-01-02")
		consent := url.Values{"purpose": {"koordinering"}, "valid_from": {today}, "valid_until": {now.AddDate(0, 3, 0).Format("2006-01-02")},
			"method": {"oral"}, "oral_recorded_by": {"Rut Rehabkoordinator"}, "oral_recorded_on": {today},
			"parts_" + strconv.FormatInt(f.fk, 10): {"basic", "plan"}}

		// The patients view leads to the case.
		rec := region.Do("GET", "/samordning/vardenheter", nil)
		if !strings.Contains(rec.Body.String(), `href="`+entry+`"`) {
			t.Fatalf("the patients view has no way into coordinating the case\n%s", rec.Body.String())
		}
		rec = region.Do("GET", entry, nil)
		expect(t, "region's page", rec.Code, 200, rec.Body.String())

		// Another region's coordinator: 404 for everything, audited.
		for _, p := range []struct{ method, path string }{{"GET", entry}, {"POST", entry}, {"POST", entry + "/samtycken"}} {
			rec := other.Do(p.method, p.path, consent)
			expect(t, "another region "+p.method+" "+p.path, rec.Code, http.StatusNotFound, rec.Body.String())
		}
		if n := len(denials(t, st, "region-annan")); n != 3 {
			t.Errorf("%d refusals of the other region audited, want 3", n)
		}
		if n := count(t, st, "consents"); n != 0 {
			t.Fatalf("%d consents after the other region's attempts", n)
		}

		// Without a consent the region holds: 422 in Swedish, nothing written.
		rec = region.Do("POST", entry, nil)
		expect(t, "start without consent", rec.Code, http.StatusUnprocessableEntity, rec.Body.String())
		if !strings.Contains(rec.Body.String(), "Det finns inget gällande samtycke som din organisation har registrerat.") {
			t.Errorf("the refusal does not say why\n%s", rec.Body.String())
		}
		if n := count(t, st, "coordinations"); n != 0 {
			t.Fatalf("%d coordinations after a refused start", n)
		}

		rec = region.Do("POST", entry+"/samtycken", consent)
		expect(t, "region's consent", rec.Code, http.StatusSeeOther, rec.Body.String())
		if loc := rec.Header().Get("Location"); loc != entry+"?klart=consent" {
			t.Errorf("after the consent to %q", loc)
		}
		rec = region.Do("POST", entry, nil)
		expect(t, "region starts", rec.Code, http.StatusSeeOther, rec.Body.String())
		page := rec.Header().Get("Location")
		k, err := store.CoordinationByID(ctx, st, mustID(t, idInLocation.FindStringSubmatch(page)[1]))
		if err != nil || k.LeadOrgID != f.region || k.CaseID != f.caseID {
			t.Fatalf("coordination %+v %v, want the case's led by the region", k, err)
		}
		if n := len(reads(t, st, "region-gotland", "start_coordination")); n != 1 {
			t.Errorf("%d starts audited", n)
		}

		// FK, not yet invited, is told who leads the case's coordination
		// and does not start a second one.
		fk := s.SignedIn(t, webtest.CaseWorker)
		fkEntry := fmt.Sprintf("/arenden/%d/samordning", f.caseID)
		rec = fk.Do("GET", fkEntry, nil)
		expect(t, "FK's case page", rec.Code, 200, rec.Body.String())
		if !strings.Contains(rec.Body.String(), "Ärendet samordnas redan av Region Gotland") {
			t.Errorf("FK's case page does not say who coordinates the case\n%s", rec.Body.String())
		}
		rec = fk.Do("POST", fkEntry, nil)
		expect(t, "FK starts a second", rec.Code, http.StatusConflict, rec.Body.String())
		if n := count(t, st, "coordinations"); n != 1 {
			t.Fatalf("%d coordinations of the case", n)
		}

		// The region invites FK, which the consent covers; not AF.
		rec = invite(region, page, f.af)
		expect(t, "region invites AF", rec.Code, http.StatusUnprocessableEntity, rec.Body.String())
		rec = invite(region, page, f.fk)
		expect(t, "region invites FK", rec.Code, http.StatusSeeOther, rec.Body.String())
		showsPerson(t, "FK's page through the region's consent", fk.Do("GET", page, nil))
		es := reads(t, st, "fk", "read_coordination")
		if len(es) != 1 || !strings.HasPrefix(es[0].Purpose, "consent=") {
			t.Errorf("FK's read is not audited with the region's consent: %+v", es)
		}
		// The region's page of the case now goes to its coordination.
		rec = region.Do("GET", entry, nil)
		expect(t, "region's page once started", rec.Code, http.StatusSeeOther, "")
		if rec.Header().Get("Location") != page {
			t.Errorf("to %q, want %q", rec.Header().Get("Location"), page)
		}
		// Another region still gets 404, and AF (not invited) too.
		rec = other.Do("GET", page, nil)
		expect(t, "another region on the coordination", rec.Code, http.StatusNotFound, "")
		rec = s.SignedIn(t, "samordnare-af").Do("GET", page, nil)
		expect(t, "AF on the coordination", rec.Code, http.StatusNotFound, "")
	})
}
