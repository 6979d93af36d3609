package coordination_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// The region's coordinator records a consent the region obtained (to share
// with the municipality for a SIP) and, holding it, invites the
// municipality, whose coordinator then sees the person through the
// region's consent; AF, named in nobody's consent, still gets 404.
func TestConsentOfAnotherAgency(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f, today, fk := begin(t, st)
		region := s.SignedIn(t, "samordnare-region")
		kommun := s.SignedIn(t, "samordnare-kommun")
		page := f.startInviting(t, fk, today, "sip", f.region)

		// Without its own consent the region may not invite.
		rec := invite(region, page, f.kommun)
		expect(t, "region invites without a consent of its own", rec.Code, 403, "")
		rec = region.Do("POST", page+"/samtycken", url.Values{"purpose": {"sip"}, "valid_from": {today}, "valid_until": {today},
			"method": {"oral"}, "oral_recorded_by": {"Rut Rehabkoordinator"}, "oral_recorded_on": {today},
			"parts_" + strconv.FormatInt(f.kommun, 10): {"basic", "plan"}})
		expect(t, "region's consent", rec.Code, http.StatusSeeOther, rec.Body.String())
		rec = invite(region, page, f.kommun)
		expect(t, "region invites the municipality", rec.Code, http.StatusSeeOther, rec.Body.String())
		showsPerson(t, "the municipality's page", kommun.Do("GET", page, nil))
		consents, _ := store.PersonConsents(t.Context(), st, personID(t, st))
		var regionConsent int64
		for _, c := range consents {
			if c.RecordedByOrg == f.region {
				regionConsent = c.ID
			}
		}
		es := reads(t, st, "gotlands-kommun", "read_coordination")
		if len(es) != 1 || !strings.HasPrefix(es[0].Purpose, fmt.Sprintf("consent=%d ", regionConsent)) {
			t.Fatalf("the municipality's read is not audited with the region's consent %d: %+v", regionConsent, es)
		}
		// FK cannot withdraw the region's consent; the region can.
		rec = fk.Do("POST", fmt.Sprintf("/samtycken/%d/aterkalla", regionConsent), nil)
		expect(t, "FK withdraws the region's consent", rec.Code, 404, "")
		// The region withdraws it, after a confirmation page; until then
		// the municipality still sees the person.
		rec = webtest.ConfirmThen(t, region, fmt.Sprintf("/samtycken/%d/aterkalla", regionConsent), url.Values{"return": {page}},
			"Återkalla samtycket?", func() bool { return kommun.Do("GET", page, nil).Code != 200 })
		expect(t, "region withdraws", rec.Code, http.StatusSeeOther, "")
		if loc := rec.Header().Get("Location"); loc != page+"?klart=withdrawn" {
			t.Errorf("back to %q, want %q", loc, page+"?klart=withdrawn")
		}
		if body := region.Do("GET", page+"?klart=withdrawn", nil).Body.String(); !strings.Contains(body, "Samtycket är återkallat.") {
			t.Error("the page says nothing after the withdrawal")
		}
		rec = kommun.Do("GET", page, nil)
		expect(t, "municipality after withdrawal", rec.Code, 404, "")
	})
}
