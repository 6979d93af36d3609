package coordination_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
		s, f, today, fk := begin(t, st)
		af := s.SignedIn(t, "samordnare-af")
		page := f.startInviting(t, fk, today, "kartlaggning", f.af)
		id := strings.TrimPrefix(page, "/samordning/")
		api := apiOf(page)

		showsPerson(t, "AF's list", af.DoBody("GET", "/api/v1/coordinations", "", ""))
		// The list is one audit entry naming the person, with the consent
		// the row went through.
		es := reads(t, st, "af", "list_coordinations")
		if len(es) != 1 || !strings.HasPrefix(es[0].Purpose, "listed=1 consent=") {
			t.Fatalf("AF's list audited as %+v", es)
		}
		var named int
		st.QueryRow(t.Context(), "SELECT count(*) FROM audit_persons WHERE seq = $1", es[0].Seq).Scan(&named)
		if named != 1 {
			t.Fatalf("AF's list names %d persons in the audit log, want 1", named)
		}
		rec := af.DoBody("GET", api, "", "")
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

// TestCoordinationAPINotesMinutesActions: through the API each
// organisation writes its own notes (the others see only the shared ones),
// edits only its own actions, and the organisation that convened a
// meeting records it held with its minutes and agreed actions, which land
// in the plan; bad input answers 422 with stable codes and writes nothing,
// and every write is audited.
func TestCoordinationAPINotesMinutesActions(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f, today, fk := begin(t, st)
		af := s.SignedIn(t, "samordnare-af")
		page := f.startInviting(t, fk, today, "avstamningsmote", f.af)
		api := apiOf(page)
		post := func(c *webtest.Client, path, body string, want int) map[string]any {
			t.Helper()
			rec := c.DoBody("POST", path, body, "application/json")
			expect(t, path, rec.Code, want, rec.Body.String())
			var out map[string]any
			json.Unmarshal(rec.Body.Bytes(), &out)
			return out
		}
		audited := func(action string) int {
			var n int
			st.QueryRow(t.Context(), "SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'ok'", action).Scan(&n)
			return n
		}

		// Notes: an empty one is refused; AF's own stays AF's unless shared.
		post(af, api+"/notes", `{"body":"  "}`, 422)
		if count(t, st, "coordination_notes") != 0 {
			t.Fatal("an empty note was written")
		}
		post(af, api+"/notes", `{"body":"AF internt"}`, http.StatusCreated)
		post(af, api+"/notes", `{"body":"AF delar","shared":true}`, http.StatusCreated)
		post(fk, api+"/notes", `{"body":"FK internt"}`, http.StatusCreated)
		if n := audited("add_coordination_note"); n != 3 {
			t.Errorf("%d notes audited, want 3", n)
		}
		var got struct {
			Notes []struct {
				Body   string `json:"body"`
				Shared bool   `json:"shared"`
			} `json:"notes"`
			PlanActions []struct {
				ID         int64  `json:"id"`
				OwnerOrgID int64  `json:"owner_org_id"`
				Status     string `json:"status"`
				Source     string `json:"source"`
				MeetingID  int64  `json:"meeting_id"`
			} `json:"plan_actions"`
			Meetings []struct {
				Status  string `json:"status"`
				Minutes string `json:"minutes"`
				Fee     *int64 `json:"doctor_fee_kr"`
			} `json:"meetings"`
		}
		read := func(c *webtest.Client) {
			t.Helper()
			rec := c.DoBody("GET", api, "", "")
			expect(t, "get", rec.Code, 200, rec.Body.String())
			got.Notes, got.PlanActions, got.Meetings = nil, nil, nil
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
		}
		bodies := func() []string {
			var out []string
			for _, n := range got.Notes {
				out = append(out, n.Body)
			}
			return out
		}
		read(fk)
		if b := bodies(); len(b) != 2 || !slices.Contains(b, "AF delar") || !slices.Contains(b, "FK internt") {
			t.Errorf("FK reads notes %q, want its own and AF's shared one", b)
		}
		read(af)
		if b := bodies(); len(b) != 2 || slices.Contains(b, "FK internt") {
			t.Errorf("AF reads notes %q, want its own two", b)
		}

		// A meeting FK convened ten minutes from now: not yet held.
		start := s.Clock.Now().Add(10 * time.Minute).Format(time.RFC3339)
		m := post(fk, api+"/meetings", fmt.Sprintf(`{"kind":"avstamningsmote","start":"%s","length_minutes":60,"video":true,"party_org_ids":[%d,%d],"person_attends":true}`,
			start, f.fk, f.af), http.StatusCreated)
		held := fmt.Sprintf("%s/meetings/%v/held", api, m["id"])
		body := fmt.Sprintf(`{"minutes":"Arbetsträning avtalad","length_minutes":95,"doctor_attended":true,
			"agreed_actions":[{"title":"Arbetsträning 25 %%","owner_org_id":%d,"owner_person":"Adam","due":"%s"}]}`, f.af, s.Clock.Now().AddDate(0, 0, 14).Format("2006-01-02"))
		if out := post(fk, held, body, 422); !strings.Contains(fmt.Sprint(out), "held_in_future") {
			t.Errorf("a meeting to come recorded held: %v", out)
		}
		s.Clock.Add(20 * time.Minute)
		actions := count(t, st, "plan_actions")
		post(fk, held, `{"minutes":"x","length_minutes":60,"agreed_actions":[{"owner_person":"Adam"}]}`, 422)
		post(fk, held, `{"minutes":"","length_minutes":5}`, 422)
		post(af, held, body, 403)
		if count(t, st, "plan_actions") != actions {
			t.Fatal("a refused record of the meeting wrote actions")
		}
		post(fk, held, body, 200)
		read(af)
		if len(got.Meetings) != 1 || got.Meetings[0].Status != "held" || got.Meetings[0].Minutes != "Arbetsträning avtalad" ||
			got.Meetings[0].Fee == nil || *got.Meetings[0].Fee != 750+2*375 {
			t.Errorf("meetings after the record: %+v", got.Meetings)
		}
		var agreed int64
		for _, a := range got.PlanActions {
			if a.Source == "meeting" && a.OwnerOrgID == f.af && a.MeetingID != 0 {
				agreed = a.ID
			}
		}
		if agreed == 0 {
			t.Fatalf("the agreed action is not in AF's plan: %+v", got.PlanActions)
		}
		if audited("record_meeting") != 1 {
			t.Errorf("the record of the meeting is not audited")
		}

		// AF's action: AF moves it on, FK may not.
		edit := fmt.Sprintf("%s/plan-actions/%d", api, agreed)
		post(af, edit, `{"status":"finished","due":"x","owner_person":""}`, 422)
		post(fk, edit, `{"status":"done","due":"`+today+`","owner_person":"Hanna"}`, 403)
		post(af, edit, `{"status":"ongoing","due":"`+today+`","owner_person":"Adam"}`, 200)
		read(fk)
		for _, a := range got.PlanActions {
			if a.ID == agreed && a.Status != "ongoing" {
				t.Errorf("AF's action after the edit: %+v", a)
			}
		}
		if audited("edit_plan_action") != 1 {
			t.Errorf("the edit is not audited once")
		}
	})
}
