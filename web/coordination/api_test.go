package coordination_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// The API takes the same way as the pages: the consent decides what the
// answer holds, bad input answers 422 with stable codes and writes
// nothing, and a withdrawn consent makes the coordination 404.
func TestCoordinationAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.Demo(t, st)
		f := setup(t, st, s.Clock.Now())
		today := s.Clock.Now().Format("2006-01-02")
		fk := s.SignedIn(t, webtest.CaseWorker)
		af := s.SignedIn(t, "samordnare-af")
		caseURL := fmt.Sprintf("/arenden/%d/samordning", f.caseID)
		fk.Do("POST", caseURL+"/samtycken", url.Values{"purpose": {"kartlaggning"}, "valid_from": {today}, "valid_until": {today},
			"method": {"written"}, "document_ref": {"7462"}, "parts_" + strconv.FormatInt(f.af, 10): {"basic", "plan"}})
		rec := fk.Do("POST", caseURL, nil)
		page := rec.Header().Get("Location")
		id := strings.TrimPrefix(page, "/samordning/")
		fk.Do("POST", page+"/parter", url.Values{"org": {strconv.FormatInt(f.af, 10)}})
		api := "/api/v1/coordinations/" + id

		rec = af.DoBody("GET", "/api/v1/coordinations", "", "")
		expect(t, "list", rec.Code, 200, rec.Body.String())
		if !strings.Contains(rec.Body.String(), personName) {
			t.Fatal("AF's list lacks the person")
		}
		rec = af.DoBody("GET", api, "", "")
		expect(t, "get", rec.Code, 200, rec.Body.String())
		var got struct {
			Via         string            `json:"via"`
			SickLeave   []json.RawMessage `json:"sick_leave"`
			Diagnoses   []string          `json:"diagnoses"`
			PlanActions []json.RawMessage `json:"plan_actions"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(got.Via, "consent=") || got.SickLeave != nil || got.Diagnoses != nil || got.PlanActions == nil {
			t.Fatalf("AF's answer holds what the consent does not give it, or lacks the plan: %s", rec.Body.String())
		}
		actions := count(t, st, "plan_actions")
		rec = af.DoBody("POST", api+"/plan-actions", `{"title":"Arbetsträning","due":"`+today+`","source":"kartlaggning"}`, "application/json")
		expect(t, "no owner", rec.Code, 422, rec.Body.String())
		if !strings.Contains(rec.Body.String(), `"owner_required"`) || count(t, st, "plan_actions") != actions {
			t.Fatalf("no owner: %s", rec.Body.String())
		}
		rec = af.DoBody("POST", api+"/plan-actions", fmt.Sprintf(`{"title":"Arbetsträning","owner_org_id":%d,"owner_person":"Adam","due":"%s","source":"kartlaggning"}`, f.af, today), "application/json")
		expect(t, "action", rec.Code, http.StatusCreated, rec.Body.String())
		// A meeting FK convenes through the API; AF cannot call it off,
		// FK can.
		start := s.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339)
		rec = fk.DoBody("POST", api+"/meetings", fmt.Sprintf(`{"kind":"other","start":"%s","length_minutes":60,"video":true,"party_org_ids":[%d,%d]}`, start, f.fk, f.af), "application/json")
		expect(t, "meeting", rec.Code, http.StatusCreated, rec.Body.String())
		var created struct{ ID int64 }
		json.Unmarshal(rec.Body.Bytes(), &created)
		cancel := fmt.Sprintf("%s/moten/%d/installt", page, created.ID)
		rec = af.Do("POST", cancel, url.Values{})
		expect(t, "AF calls FK's meeting off", rec.Code, 403, "")
		rec = webtest.ConfirmThen(t, fk, cancel, url.Values{}, "Ställa in mötet?", func() bool {
			ms, _ := store.Meetings(t.Context(), st, mustID(t, id))
			return len(ms) != 1 || ms[0].Status != "planned"
		})
		expect(t, "FK calls it off", rec.Code, http.StatusSeeOther, rec.Body.String())
		if ms, _ := store.Meetings(t.Context(), st, mustID(t, id)); len(ms) != 1 || ms[0].Status != "cancelled" {
			t.Fatalf("meetings after calling off: %+v", ms)
		}
		consents, _ := store.PersonConsents(t.Context(), st, personID(t, st))
		rec = af.DoBody("POST", fmt.Sprintf("/api/v1/consents/%d/withdraw", consents[0].ID), "", "")
		expect(t, "AF withdraws FK's consent", rec.Code, 404, rec.Body.String())
		rec = fk.DoBody("POST", fmt.Sprintf("/api/v1/consents/%d/withdraw", consents[0].ID), "", "")
		expect(t, "withdraw", rec.Code, 200, rec.Body.String())
		rec = af.DoBody("GET", api, "", "")
		expect(t, "after withdrawal", rec.Code, 404, rec.Body.String())
	})
}
