package cases_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/webtest"
)

func TestReferralFromCaseWork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.Demo(t, st)
		ctx := context.Background()
		insatsID, _ := storetest.Insats(t, st, "finsam-gotland")
		caseID := referralCase(t, st)
		fkb := signedIn(t, s, "handlaggare", "demo")
		casePage := fkb.Do("GET", "/arenden/"+itoa(caseID)+"?syfte=coordination", nil)
		if !strings.Contains(casePage.Body.String(), "/arenden/"+itoa(caseID)+"/hanvisning") {
			t.Fatalf("case page lacks the referral section: %d %s", casePage.Code, casePage.Body.String()[:min(2000, len(casePage.Body.String()))])
		}
		form := fkb.Do("GET", "/arenden/"+itoa(caseID)+"/hanvisning", nil)
		statusIs(t, "referral form", form.Code, http.StatusOK)
		assocID := insatsAssoc(t, st)
		target := itoa(assocID) + ":" + itoa(insatsID)
		if !strings.Contains(form.Body.String(), `value="`+target+`"`) {
			t.Fatalf("referral form does not offer the insats")
		}
		version := strconv.Itoa(caseVersionOf(t, st, caseID))
		bad := url.Values{"version": {version}, "insats": {target}, "consent_on": {"2026-11-20"}, "consent_document": {"FK 9443"}}
		rec := fkb.Do("POST", "/arenden/"+itoa(caseID)+"/hanvisning", bad)
		statusIs(t, "referral without what the consent covers", rec.Code, http.StatusUnprocessableEntity)
		if countRows(t, st, "participants") != 1 || strconv.Itoa(caseVersionOf(t, st, caseID)) != version {
			t.Fatalf("a refused referral wrote")
		}
		good := url.Values{"version": {version}, "insats": {target}, "consent_on": {"2026-11-20"}, "consent_document": {"FK 9443"},
			"consent_covers": {"Hänvisning till insatsen och registrering där"}}
		// The case is not assigned to the case worker: without the purpose
		// the case page asked for (its cookie), the referral asks again and
		// writes nothing.
		other := signedIn(t, s, "handlaggare", "demo")
		if rec := other.Do("POST", "/arenden/"+itoa(caseID)+"/hanvisning", good); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `name="syfte"`) {
			t.Errorf("referral without a purpose: %d, want the purpose page", rec.Code)
		}
		if countRows(t, st, "participants") != 1 || strconv.Itoa(caseVersionOf(t, st, caseID)) != version {
			t.Fatalf("a referral without a purpose wrote")
		}
		rec = fkb.Do("POST", "/arenden/"+itoa(caseID)+"/hanvisning", good)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("referral: %d %s", rec.Code, problemsIn(rec.Body.String()))
		}
		statusIs(t, "stale referral", fkb.Do("POST", "/arenden/"+itoa(caseID)+"/hanvisning", good).Code, http.StatusConflict)
		pending, err := store.Participants(ctx, st, store.ParticipantQuery{AssociationID: assocID, Status: association.Pending})
		if err != nil || len(pending) != 1 || pending[0].Referral != "FK ärende "+itoa(caseID) || pending[0].PersonID == 0 {
			t.Fatalf("pending registration: %+v %v", pending, err)
		}
		if countAudit(t, st, "refer_to_association", "ok") != 1 || countAudit(t, st, "register_participant", "ok") != 1 {
			t.Errorf("referral not audited on both sides")
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'refer_to_association' AND purpose LIKE '% purpose=coordination'"); n != 1 {
			t.Errorf("%d referral audit rows with the purpose, want 1", n)
		}

		// The association's staff see it as pending and start it.
		b := signedIn(t, s, "forbund", "demo")
		page := b.Do("GET", "/forbund/finsam-gotland/insatser/"+itoa(insatsID), nil)
		if !strings.Contains(page.Body.String(), "FK ärende "+itoa(caseID)) || !strings.Contains(page.Body.String(), "Matris Matrisson") {
			t.Errorf("insats page does not list the pending registration")
		}
		pLoc := "/forbund/finsam-gotland/deltagare/" + itoa(pending[0].ID)
		rec = b.Do("POST", pLoc+"/start", url.Values{"version": {"1"}, "start": {"2026-11-23"}, "income_source": {"sickness_benefit"}, "income_extent": {"100"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("start: %d %s", rec.Code, problemsIn(rec.Body.String()))
		}
		p, _ := store.ParticipantByID(ctx, st, assocID, pending[0].ID)
		if p.Status != association.Active || p.Start.String() != "2026-11-23" || p.Measure(association.PhaseStart) == nil {
			t.Errorf("started: %+v", p)
		}

		// A person with a protected identity is referred anonymously: sex
		// and age group only, the referral text to ask FK by.
		if _, err := st.Exec(ctx, "UPDATE persons SET protected_identity = TRUE WHERE personnummer = '197001019801'"); err != nil {
			t.Fatal(err)
		}
		good.Set("version", strconv.Itoa(caseVersionOf(t, st, caseID)))
		rec = fkb.Do("POST", "/arenden/"+itoa(caseID)+"/hanvisning", good)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("protected referral: %d %s", rec.Code, problemsIn(rec.Body.String()))
		}
		pending, _ = store.Participants(ctx, st, store.ParticipantQuery{AssociationID: assocID, Status: association.Pending})
		if len(pending) != 1 || pending[0].PersonID != 0 || pending[0].Sex != "female" || pending[0].AgeGroup != "50-59" {
			t.Errorf("protected referral: %+v", pending)
		}
	})
}

// referralCase makes a case of a person of Gotland (municipality 0980,
// which Samordningsförbundet Gotland covers) in FK's office in Visby, not
// assigned to anyone.
func referralCase(t *testing.T, st *store.Store) int64 {
	return fixture.OfficeCase(t, st, "lfc-visby", "197001019801", "Matris Matrisson", "referral")
}

// insatsAssoc is the demo's Samordningsförbundet Gotland.
func insatsAssoc(t *testing.T, st *store.Store) int64 {
	return webtest.OrgNamed(t, st, "finsam-gotland").ID
}

// problemsIn is the error summary of a page, for failure messages.
func problemsIn(body string) string {
	i := strings.Index(body, "error-list__list")
	if i < 0 {
		return ""
	}
	return body[i:min(len(body), i+800)]
}
