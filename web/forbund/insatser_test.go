package forbund_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/webtest"
)

func gotlandMembers(t *testing.T, st *store.Store) (assocID int64, members []organisation.Organisation) {
	t.Helper()
	org, err := store.OrganisationBySlug(context.Background(), st, "finsam-gotland")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.AssociationMembers(context.Background(), st, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return org.ID, ms
}

func insatsForm(name string, parties ...int64) url.Values {
	f := url.Values{"name": {name}, "kind": {"individual"}, "follow_up": {"individual"}, "status": {"ongoing"},
		"start": {"2026-01-01"}, "end": {"2027-12-31"}, "planned": {"20"}, "public": {"on"},
		"budget_year": {"2026", ""}, "budget_financier": {"state", "state"}, "budget_amount": {"150 000", ""},
		"doc_title": {"Projektplan", ""}, "doc_ref": {"Dnr 2026-12", ""}}
	for _, p := range parties {
		f.Add("parties", strconv.FormatInt(p, 10))
	}
	if len(parties) > 0 {
		f.Set("responsible", strconv.FormatInt(parties[0], 10))
	}
	return f
}

func consentForm(pnr, start string) url.Values {
	return url.Values{"mode": {"consent"}, "consent_by": {"Frida"}, "consent_on": {"2026-03-01"}, "consent_covers": {"Registrering i insatsen och uppföljning"},
		"consent_document": {"SUS 9443, dnr 2026-7"}, "personnummer": {pnr}, "name": {"Testa Testsson"}, "start": {start},
		"income_source": {"activity_compensation", ""}, "income_extent": {"100", ""}, "occupation": {""}, "education": {""}}
}

func TestInsatserPagesAndParticipants(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		b := s.Client(t)
		if rec := b.Login("forbund", "demo"); rec.Code != http.StatusSeeOther {
			t.Fatalf("login: %d", rec.Code)
		}
		_, ms := gotlandMembers(t, st)
		base := "/forbund/finsam-gotland"

		// One party: a field error, nothing written.
		rec := b.Do("POST", base+"/insatser/ny", insatsForm("Steget vidare", ms[0].ID))
		statusIs(t, "one party", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), "minst två av medlemmarna") || !strings.Contains(rec.Body.String(), `value="Steget vidare"`) {
			t.Errorf("one party: the Swedish message and the kept values are missing")
		}
		if n := countRows(t, st, "insatser"); n != 0 {
			t.Fatalf("one party wrote %d insatser", n)
		}
		rec = b.Do("POST", base+"/insatser/ny", insatsForm("Steget vidare", ms[0].ID, ms[1].ID))
		statusIs(t, "create", rec.Code, http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		insatsID, _ := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
		page := b.Do("GET", loc, nil)
		statusIs(t, "insats page", page.Code, http.StatusOK)
		for _, want := range []string{"Steget vidare", "Projektplan", "150 000"} {
			if !strings.Contains(page.Body.String(), want) {
				t.Errorf("insats page lacks %q", want)
			}
		}
		if list := b.Do("GET", base+"/insatser?status=ongoing&year=2026", nil); !strings.Contains(list.Body.String(), "Steget vidare") {
			t.Errorf("list lacks the insats")
		}
		if list := b.Do("GET", base+"/insatser?year=2030", nil); strings.Contains(list.Body.String(), "Steget vidare") {
			t.Errorf("year filter shows an insats of other years")
		}

		// Stale edit: 409, nothing written.
		edit := insatsForm("Steget vidare 2", ms[0].ID, ms[1].ID)
		edit.Set("version", "1")
		statusIs(t, "edit", b.Do("POST", loc, edit).Code, http.StatusSeeOther)
		edit.Set("name", "Steget vidare 3")
		rec = b.Do("POST", loc, edit)
		statusIs(t, "stale edit", rec.Code, http.StatusConflict)
		in, _ := store.InsatsByID(context.Background(), st, ms[0].ID*0+insatsAssoc(t, st), insatsID)
		if in.Name != "Steget vidare 2" || in.Version != 2 {
			t.Errorf("after a stale edit: %q v%d", in.Name, in.Version)
		}

		// Personal data without consent: field error, nothing written.
		persons := countRows(t, st, "persons")
		noConsent := consentForm("199001152389", "2026-03-02")
		noConsent.Set("mode", "anonymous")
		rec = b.Do("POST", loc+"/deltagare/ny", noConsent)
		statusIs(t, "no consent", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), "skriftliga samtycke") {
			t.Errorf("no consent: message missing")
		}
		if countRows(t, st, "participants") != 0 || countRows(t, st, "persons") != persons {
			t.Fatalf("no consent wrote")
		}
		// Bad check digit.
		rec = b.Do("POST", loc+"/deltagare/ny", consentForm("199001152385", "2026-03-02"))
		statusIs(t, "bad personnummer", rec.Code, http.StatusUnprocessableEntity)

		rec = b.Do("POST", loc+"/deltagare/ny", consentForm("199001152389", "2026-03-02"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("register with consent: %d %s", rec.Code, problemsIn(rec.Body.String()))
		}
		pLoc := rec.Header().Get("Location")
		pid, _ := strconv.ParseInt(pLoc[strings.LastIndex(pLoc, "/")+1:], 10, 64)
		p, err := store.ParticipantByID(context.Background(), st, insatsAssoc(t, st), pid)
		if err != nil || p.Sex != "female" || p.AgeGroup != "30-39" || p.Consent == nil || p.Consent.DocumentRef != "SUS 9443, dnr 2026-7" {
			t.Fatalf("registered: %+v %v", p, err)
		}
		if countAudit(t, st, "register_participant", "ok") != 1 {
			t.Errorf("registration not audited")
		}
		// Twice, overlapping: field error, nothing written.
		rec = b.Do("POST", loc+"/deltagare/ny", consentForm("199001152389", "2026-05-01"))
		statusIs(t, "twice", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), "redan registrerad") || countRows(t, st, "participants") != 1 {
			t.Errorf("twice: %d participants", countRows(t, st, "participants"))
		}

		// Reading the registration shows and audits the personal data.
		reads := countAudit(t, st, "read_participant", "ok")
		page = b.Do("GET", pLoc, nil)
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "19900115-2389") {
			t.Fatalf("participant page: %d %s", page.Code, page.Body.String()[:min(300, len(page.Body.String()))])
		}
		if countAudit(t, st, "read_participant", "ok") != reads+1 {
			t.Errorf("participant read not audited")
		}

		// Anonymous registration.
		anon := url.Values{"mode": {"anonymous"}, "sex": {"male"}, "age_group": {"25-29"}, "start": {"2026-04-01"}}
		rec = b.Do("POST", loc+"/deltagare/ny", anon)
		statusIs(t, "anonymous", rec.Code, http.StatusSeeOther)
		aLoc := rec.Header().Get("Location")

		// End before start: field error, nothing written.
		v := func(loc string) string {
			id, _ := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
			p, _ := store.ParticipantByID(context.Background(), st, insatsAssoc(t, st), id)
			return strconv.Itoa(p.Version)
		}
		rec = b.Do("POST", pLoc+"/utskrivning", url.Values{"version": {v(pLoc)}, "end": {"2026-03-01"}, "end_reason": {"work"}})
		statusIs(t, "end before start", rec.Code, http.StatusUnprocessableEntity)
		if p, _ := store.ParticipantByID(context.Background(), st, insatsAssoc(t, st), pid); p.Status != association.Active {
			t.Errorf("end before start wrote: %s", p.Status)
		}
		reasons := association.MustDefaultCodeLists().List(association.ListEndReason).Codes
		for _, l := range []string{pLoc, aLoc} {
			ver := v(l)
			rec = webtest.ConfirmThen(t, b, l+"/utskrivning", url.Values{"version": {ver}, "end": {"2026-06-30"}, "end_reason": {reasons[0].Code}},
				"Skriva ut deltagaren?", func() bool { return v(l) != ver })
			statusIs(t, "end", rec.Code, http.StatusSeeOther)
			if body := b.Do("GET", l, nil).Body.String(); !strings.Contains(body, "Deltagaren är utskriven.") {
				t.Error("the participant page says nothing after registering out")
			}
		}
		rec = b.Do("POST", pLoc+"/uppfoljning", url.Values{"version": {v(pLoc)}, "phase": {"6m"}, "on": {"2026-11-20"}, "not_reached": {"on"}})
		statusIs(t, "follow-up", rec.Code, http.StatusSeeOther)
		page = b.Do("GET", loc, nil)
		if !strings.Contains(page.Body.String(), `<span id="count-avslutade">2</span>`) {
			t.Errorf("insats page does not show 2 ended participants")
		}
		if countAudit(t, st, "end_participant", "ok") != 2 || countAudit(t, st, "follow_up_participant", "ok") != 1 {
			t.Errorf("writes not audited")
		}

		// The participants grouped by status, the active ones first; the
		// filter shows one group, and only its named rows are read (and
		// audited).
		for _, tc := range []struct {
			name, query   string
			status        int
			shown, hidden []string
		}{
			{"all groups", loc, http.StatusOK, []string{`id="pagaende"`, `id="vantande"`, `id="avslutade"`, `<span id="count-pagaende">0</span>`}, nil},
			{"finished only", loc + "?status=ended", http.StatusOK, []string{`id="avslutade"`, `<span id="count-avslutade">2</span>`}, []string{`id="pagaende"`, `id="vantande"`}},
			{"unknown status", loc + "?status=x", http.StatusOK, []string{"Välj pågående, väntande eller avslutade.", `id="pagaende"`}, nil},
			{"association list, ended 2026", base + "/deltagare?status=ended&ended=2026", http.StatusOK,
				[]string{`<span id="count-avslutade">2</span>`, `href="/forbund/finsam-gotland/insatser/` + strconv.FormatInt(insatsID, 10) + `"`, `aria-current="page"`}, []string{`id="pagaende"`}},
			{"association list, ended 2025", base + "/deltagare?ended=2025", http.StatusOK, []string{`<span id="count-avslutade">0</span>`}, nil},
			{"association list, bad year", base + "/deltagare?started=tjugo", http.StatusUnprocessableEntity, []string{"Ange ett år mellan 2004 och 2200.", `aria-invalid="true"`}, nil},
		} {
			rec := b.Do("GET", tc.query, nil)
			statusIs(t, tc.name, rec.Code, tc.status)
			bodyShows(t, tc.name, rec.Body.String(), tc.shown, tc.hidden)
		}
		all := b.Do("GET", loc, nil).Body.String()
		if i, j, k := strings.Index(all, `id="pagaende"`), strings.Index(all, `id="vantande"`), strings.Index(all, `id="avslutade"`); !(i < j && j < k) {
			t.Errorf("groups out of order: ongoing %d, waiting %d, finished %d", i, j, k)
		}
		lists := func() int { return countAudit(t, st, "list_participants", "ok") }
		named := func() int { return webtest.Count(t, st, "SELECT count(*) FROM audit_persons") }
		beforeLists, beforeNamed := lists(), named()
		b.Do("GET", loc+"?status=active", nil)
		if lists() != beforeLists || named() != beforeNamed {
			t.Errorf("a filter without named rows audited a list")
		}
		b.Do("GET", base+"/deltagare?status=ended", nil)
		if lists() != beforeLists+1 || named() != beforeNamed+1 {
			t.Errorf("the list's one named participant: %d list entries naming %d persons, want one naming one", lists()-beforeLists, named()-beforeNamed)
		}
	})
}

func insatsAssoc(t *testing.T, st *store.Store) int64 {
	id, _ := gotlandMembers(t, st)
	return id
}

func TestInsatserIsolationAndAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ctx := context.Background()
		insatsID, participantID := storetest.Insats(t, st, "finsam-gotland")
		// A second association with its own staff user.
		err := st.Tx(ctx, func(tx *store.Tx) error {
			other, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "finsam-annat", Name: "Samordningsförbundet Annat", Type: organisation.Association})
			if err != nil {
				return err
			}
			fk, _ := store.OrganisationBySlug(ctx, tx, "fk")
			if err := store.AddAssociationMember(ctx, tx, other.ID, fk.ID); err != nil {
				return err
			}
			id, err := store.CreateUser(ctx, tx, store.User{Username: "annat", Name: "Annat Förbund", OrgID: other.ID, Roles: account.RolesOf(account.AssociationStaff)})
			if err != nil {
				return err
			}
			hash, _ := account.HashPassword("demo")
			return store.SetPassword(ctx, tx, id, hash)
		})
		if err != nil {
			t.Fatal(err)
		}
		ob := s.Client(t)
		ob.Login("annat", "demo")
		for _, path := range []string{"/forbund/finsam-annat/deltagare/" + itoa(participantID), "/forbund/finsam-annat/insatser/" + itoa(insatsID),
			"/api/v1/associations/finsam-annat/participants/" + itoa(participantID)} {
			statusIs(t, "other association "+path, ob.Do("GET", path, nil).Code, http.StatusNotFound)
		}
		statusIs(t, "other association's slug", ob.Do("GET", "/forbund/finsam-gotland/deltagare/"+itoa(participantID), nil).Code, http.StatusNotFound)

		b := s.Client(t)
		b.Login("forbund", "demo")
		api := "/api/v1/associations/finsam-gotland"
		_, ms := gotlandMembers(t, st)
		body := `{"name":"API-insats","kind":"individual","responsible_org_id":` + itoa(ms[0].ID) + `,"party_org_ids":[` + itoa(ms[0].ID) +
			`],"start":"2026-01-01","follow_up":"individual","status":"ongoing"}`
		rec := b.DoBody("POST", api+"/insatser", body, "application/json")
		statusIs(t, "api one party", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), `"code":"too_few_parties"`) {
			t.Errorf("api one party: %s", rec.Body)
		}
		body = strings.Replace(body, `"party_org_ids":[`+itoa(ms[0].ID), `"party_org_ids":[`+itoa(ms[0].ID)+","+itoa(ms[2].ID), 1)
		rec = b.DoBody("POST", api+"/insatser", body, "application/json")
		statusIs(t, "api create", rec.Code, http.StatusCreated)
		var created struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		json.Unmarshal(rec.Body.Bytes(), &created)
		put := strings.Replace(body, `"name":"API-insats"`, `"name":"API-insats 2","version":1`, 1)
		statusIs(t, "api put", b.DoBody("PUT", api+"/insatser/"+itoa(created.ID), put, "application/json").Code, http.StatusOK)
		rec = b.DoBody("PUT", api+"/insatser/"+itoa(created.ID), put, "application/json")
		statusIs(t, "api stale put", rec.Code, http.StatusConflict)
		if !strings.Contains(rec.Body.String(), "stale_version") {
			t.Errorf("stale: %s", rec.Body)
		}
		reg := `{"personnummer":"199001152389","name":"Testa","start":"2026-03-01","sex":"female","age_group":"30-39"}`
		rec = b.DoBody("POST", api+"/insatser/"+itoa(created.ID)+"/participants", reg, "application/json")
		statusIs(t, "api no consent", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), `"code":"personal_data_without_consent"`) || countRows(t, st, "participants") != 1 {
			t.Errorf("api no consent: %s", rec.Body)
		}
		reg = `{"consent":{"on":"2026-02-20","covers":"registrering","document_ref":"SUS 9443"},"personnummer":"199001152389","name":"Testa","start":"2026-03-01"}`
		rec = b.DoBody("POST", api+"/insatser/"+itoa(created.ID)+"/participants", reg, "application/json")
		statusIs(t, "api register", rec.Code, http.StatusCreated)
		var p struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		json.Unmarshal(rec.Body.Bytes(), &p)
		reads := countAudit(t, st, "read_participant", "ok")
		rec = b.Do("GET", api+"/participants/"+itoa(p.ID), nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "19900115-2389") || countAudit(t, st, "read_participant", "ok") != reads+1 {
			t.Errorf("api read: %d %s", rec.Code, rec.Body)
		}
		rec = b.DoBody("POST", api+"/participants/"+itoa(p.ID)+"/end", `{"version":1,"end":"2026-02-01","end_reason":"work"}`, "application/json")
		statusIs(t, "api end before start", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), `"code":"end_before_start"`) {
			t.Errorf("api end before start: %s", rec.Body)
		}
		rec = b.DoBody("POST", api+"/participants/"+itoa(p.ID)+"/end", `{"version":1,"end":"2026-06-30","end_reason":"work",
			"end_measurement":{"income_sources":[{"source":"salary","extent":100}],"occupation":"","education":""}}`, "application/json")
		if rec.Code != http.StatusOK {
			t.Fatalf("api end: %d %s", rec.Code, rec.Body)
		}
		rec = b.DoBody("POST", api+"/participants/"+itoa(p.ID)+"/follow-up", `{"version":2,"phase":"6m","on":"2026-11-20","not_reached":true,"income_sources":[]}`, "application/json")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"phase":"6m"`) {
			t.Fatalf("api follow-up: %d %s", rec.Code, rec.Body)
		}
		statusIs(t, "api stale follow-up", b.DoBody("POST", api+"/participants/"+itoa(p.ID)+"/follow-up",
			`{"version":2,"phase":"12m","on":"2026-11-21","not_reached":true}`, "application/json").Code, http.StatusConflict)
		reads = countAudit(t, st, "read_participant", "ok")
		rec = b.Do("GET", api+"/insatser/"+itoa(created.ID)+"/participants", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"status":"ended"`) || countAudit(t, st, "read_participant", "ok") != reads+1 {
			t.Errorf("api participants: %d %s", rec.Code, rec.Body)
		}
		rec = b.Do("GET", api+"/insatser/"+itoa(created.ID), nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"participants":{"active":0,"ended":1,"pending":0}`) {
			t.Errorf("api insats: %d %s", rec.Code, rec.Body)
		}
		en := b.Do("GET", "/forbund/finsam-gotland/deltagare/"+itoa(p.ID)+"?lang=en", nil)
		if en.Code != http.StatusOK || !strings.Contains(en.Body.String(), "6 months after the end") {
			t.Errorf("English participant page: %d", en.Code)
		}
	})
}

// problemsIn is the error summary of a page, for failure messages.
func problemsIn(body string) string {
	i := strings.Index(body, "error-list__list")
	if i < 0 {
		return ""
	}
	return body[i:min(len(body), i+800)]
}

func TestCodeListUploadAndDecline(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		storetest.Insats(t, st, "finsam-gotland") // one participant, female, 30-39
		b := s.Client(t)
		b.Login("forbund", "demo")
		upload := func(body string) *httptest.ResponseRecorder {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "list.json")
			fw.Write([]byte(body))
			mw.Close()
			return b.DoBody("POST", "/forbund/finsam-gotland/kodlistor", buf.String(), mw.FormDataContentType())
		}
		dropsFemale := `{"name":"sex","description":"d","source":"Förbundets egen","complete":false,"note":"","codes":[{"code":"male","sv":"Man","en":"Man"}]}`
		rec := upload(dropsFemale)
		statusIs(t, "list that drops a used code", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), "female") {
			t.Errorf("the refusal does not name the code")
		}
		statusIs(t, "broken list", upload(`{"name":"sex"`).Code, http.StatusUnprocessableEntity)
		own := `{"name":"sex","description":"d","source":"Förbundets egen","complete":false,"note":"","codes":[{"code":"female","sv":"Kvinna","en":"Woman"},{"code":"male","sv":"Man","en":"Man"},{"code":"unknown","sv":"Okänt","en":"Unknown"}]}`
		statusIs(t, "own list", upload(own).Code, http.StatusOK)
		page := b.Do("GET", "/forbund/finsam-gotland/kodlistor", nil)
		if !strings.Contains(page.Body.String(), "Okänt") || !strings.Contains(page.Body.String(), "Förbundets egen") {
			t.Errorf("code list page does not show the own list")
		}
		// The own list is used by validation from then on.
		id, _ := gotlandMembers(t, st)
		list, _ := store.Insatser(context.Background(), st, store.InsatsQuery{AssociationID: id})
		anon := url.Values{"mode": {"anonymous"}, "sex": {"unknown"}, "age_group": {"25-29"}, "start": {"2026-04-01"}}
		statusIs(t, "code of the own list", b.Do("POST", "/forbund/finsam-gotland/insatser/"+itoa(list[0].ID)+"/deltagare/ny", anon).Code, http.StatusSeeOther)
	})
}

func TestProtectedIdentityAndDecline(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ctx := context.Background()
		insatsID, _ := storetest.Insats(t, st, "finsam-gotland")
		assocID := insatsAssoc(t, st)
		var pendingID int64
		err := st.Tx(ctx, func(tx *store.Tx) error {
			if _, err := store.SavePerson(ctx, tx, store.Person{Personnummer: "199001152389", Name: "Skyddad Person", ProtectedIdentity: true}, insatsTestNow); err != nil {
				return err
			}
			p, err := store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: assocID, InsatsID: insatsID, Sex: "male", AgeGroup: "40-49",
				Status: association.Pending, Referral: "FK ärende 9"}, association.MustDefaultCodeLists(), civil.MustParse("2026-11-23"), insatsTestNow)
			pendingID = p.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b := s.Client(t)
		b.Login("forbund", "demo")
		base := "/forbund/finsam-gotland"
		rec := b.Do("POST", base+"/insatser/"+itoa(insatsID)+"/deltagare/ny", consentForm("199001152389", "2026-03-02"))
		statusIs(t, "protected identity with consent", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), "skyddade personuppgifter") || countRows(t, st, "participants") != 2 {
			t.Errorf("protected identity: %s", problemsIn(rec.Body.String()))
		}
		page := b.Do("GET", base+"/insatser/"+itoa(insatsID), nil)
		if !strings.Contains(page.Body.String(), "FK ärende 9") {
			t.Errorf("the pending registration is not listed")
		}
		statusIs(t, "decline from an old version", b.Do("POST", base+"/deltagare/"+itoa(pendingID)+"/avboj", url.Values{"version": {"2"}}).Code, http.StatusConflict)
		rec = webtest.ConfirmThen(t, b, base+"/deltagare/"+itoa(pendingID)+"/avboj", url.Values{"version": {"1"}}, "Avböja registreringen?",
			func() bool { return countRows(t, st, "participants") != 2 })
		statusIs(t, "decline", rec.Code, http.StatusSeeOther)
		if countRows(t, st, "participants") != 1 || countAudit(t, st, "decline_participant", "ok") != 1 {
			t.Errorf("decline: %d registrations", countRows(t, st, "participants"))
		}
	})
}

var insatsTestNow = civil.MustParse("2026-11-23").Time()
