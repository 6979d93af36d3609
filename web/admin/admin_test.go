package admin_test

import (
	"context"
	"html"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	webadmin "github.com/finsam/finsam/web/admin"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

// signedIn is a client signed in as user.
func signedIn(t *testing.T, s *webtest.Server, user, password string) *webtest.Client {
	t.Helper()
	return s.SignedInWith(t, user, password)
}

func officeNamed(t *testing.T, st *store.Store, org, slug string) store.Office {
	t.Helper()
	offices, err := store.Offices(context.Background(), st, webtest.OrgNamed(t, st, org).ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range offices {
		if o.Slug == slug {
			return o
		}
	}
	t.Fatalf("no office %s at %s", slug, org)
	return store.Office{}
}

// auditRowsFor counts the audit entries of an action by an actor.
func auditRowsFor(t *testing.T, st *store.Store, actor, action, outcome string) int {
	t.Helper()
	return webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = $1 AND action = $2 AND outcome = $3", actor, action, outcome)
}

var secretPattern = regexp.MustCompile(`id="secret">([^<]+)</code>`)

// shownSecret is the password or token a secret page shows.
func shownSecret(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	m := secretPattern.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("no secret shown: %d %s", rec.Code, rec.Body)
	}
	return html.UnescapeString(m[1])
}

// tableRows counts the body rows of the tables on a page.
func tableRows(body string) int {
	return strings.Count(body, `<tr class="table__row">`) - strings.Count(body, `<thead class="table__head">`)
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

func TestAdminCreatesAUserWhoCanSignIn(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		admin := signedIn(t, s, "admin", "demo")
		office := officeNamed(t, st, "fk", "lfc-visby")

		form := admin.Do("GET", "/admin/users/new?org=fk", nil)
		if form.Code != 200 || !strings.Contains(form.Body.String(), `value="fk"`) || !strings.Contains(form.Body.String(), office.Name) {
			t.Fatalf("new-user form for fk: %d", form.Code)
		}
		rec := admin.Do("POST", "/admin/users", url.Values{
			"org": {"fk"}, "username": {"nils.nilsson"}, "name": {"Nils Nilsson"}, "email": {"nils@example.se"},
			"office": {itoa(office.ID)}, "roles": {"case_worker", "manager"}, "password_mode": {"generate"},
		})
		password := shownSecret(t, rec)
		if err := account.CheckPasswordRules(password); err != nil {
			t.Fatalf("generated password %q: %v", password, err)
		}
		if strings.Count(rec.Body.String(), password) != 1 {
			t.Fatal("the password must be shown exactly once on the page")
		}
		u := webtest.UserNamed(t, st, "nils.nilsson")
		if u.OrgID != webtest.OrgNamed(t, st, "fk").ID || u.OfficeID != office.ID || u.Roles != account.RolesOf(account.CaseWorker, account.Manager) ||
			u.Email != "nils@example.se" || u.Name != "Nils Nilsson" {
			t.Fatalf("stored user %+v", u)
		}
		if strings.Contains(admin.Do("GET", "/admin/users/"+itoa(u.ID), nil).Body.String(), password) {
			t.Fatal("the password is shown again on the user's page")
		}
		nils := signedIn(t, s, "nils.nilsson", password)
		if page := nils.Do("GET", "/account", nil); page.Code != 200 || !strings.Contains(page.Body.String(), "Nils Nilsson") {
			t.Fatalf("the new user's account page: %d", page.Code)
		}
		if n := auditRowsFor(t, st, "admin", "create_user", audit.OutcomeOK); n != 1 {
			t.Fatalf("%d create_user entries, want 1", n)
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'create_user' AND resource_id = $1", itoa(u.ID)); n != 1 {
			t.Fatal("the create_user entry does not name the user")
		}

		// A password the administrator sets: no secret page, the user's page.
		rec = admin.Do("POST", "/admin/users", url.Values{
			"org": {"af"}, "username": {"eva"}, "name": {"Eva Ek"}, "roles": {"coordinator"},
			"password_mode": {"set"}, "password": {"ett-långt-lösenord"}, "repeat": {"ett-långt-lösenord"},
		})
		eva := webtest.UserNamed(t, st, "eva")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users/"+itoa(eva.ID)+"?done=created" {
			t.Fatalf("create with a set password: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if eva.OrgID != webtest.OrgNamed(t, st, "af").ID {
			t.Fatal("a system administrator's choice of organisation was not kept")
		}
		signedIn(t, s, "eva", "ett-långt-lösenord")

		list := admin.Do("GET", "/admin/users", nil).Body.String()
		for _, want := range []string{"nils.nilsson", "eva", "handlaggare", "samordnare-af", `href="/admin/users/` + itoa(eva.ID) + `"`} {
			if !strings.Contains(list, want) {
				t.Errorf("the system administrator's user list lacks %s", want)
			}
		}
		if filtered := admin.Do("GET", "/admin/users?org=af", nil).Body.String(); strings.Contains(filtered, "nils.nilsson") || !strings.Contains(filtered, "samordnare-af") {
			t.Error("the organisation filter does not filter")
		}
	})
}

func TestInvalidUserIs422WithFieldErrorsAndWritesNothing(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		admin := signedIn(t, s, "admin", "demo")
		afOffice := officeNamed(t, st, "af", "af-gotland")
		valid := func() url.Values {
			return url.Values{"org": {"fk"}, "username": {"ny"}, "name": {"Ny Användare"}, "roles": {"case_worker"}, "password_mode": {"generate"}}
		}
		tests := []struct {
			name   string
			change func(url.Values)
			field  string
			text   string // the Swedish message
		}{
			{"no user name", func(v url.Values) { v.Set("username", "") }, "username", "Fyll i det här fältet."},
			{"user name in capitals", func(v url.Values) { v.Set("username", "Ny") }, "username", "Använd bara små bokstäver"},
			{"user name taken", func(v url.Values) { v.Set("username", "handlaggare") }, "username", "Användarnamnet är upptaget"},
			{"no name", func(v url.Values) { v.Set("name", " ") }, "name", "Fyll i det här fältet."},
			{"bad e-mail", func(v url.Values) { v.Set("email", "inte en adress") }, "email", "Skriv en e-postadress"},
			{"no role", func(v url.Values) { v.Del("roles") }, "roles", "Välj minst en roll."},
			{"unknown role", func(v url.Values) { v.Set("roles", "root") }, "roles", "Välj roller i listan."},
			{"another organisation's office", func(v url.Values) { v.Set("office", itoa(afOffice.ID)) }, "office", "Välj ett kontor i listan."},
			{"short password", func(v url.Values) {
				v.Set("password_mode", "set")
				v.Set("password", "kort")
				v.Set("repeat", "kort")
			}, "password", "minst 12 tecken"},
			{"passwords differ", func(v url.Values) {
				v.Set("password_mode", "set")
				v.Set("password", "ett-långt-lösenord")
				v.Set("repeat", "ett-annat-lösenord")
			}, "repeat", "Lösenorden är inte lika."},
			{"no password choice", func(v url.Values) { v.Del("password_mode") }, "password_mode", "Fyll i det här fältet."},
		}
		users := webtest.Count(t, st, "SELECT count(*) FROM users")
		entries := webtest.Count(t, st, "SELECT count(*) FROM audit_log")
		for _, tc := range tests {
			v := valid()
			tc.change(v)
			rec := admin.Do("POST", "/admin/users", v)
			body := rec.Body.String()
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tc.name, rec.Code)
				continue
			}
			if !strings.Contains(body, tc.text) || !strings.Contains(body, `label__message--error`) || !strings.Contains(body, `href="#`+tc.field+`"`) {
				t.Errorf("%s: no field error %q at %s", tc.name, tc.text, tc.field)
			}
			if tc.field != "roles" && tc.field != "password_mode" && !strings.Contains(body, `id="`+tc.field+`"`) {
				t.Errorf("%s: the summary links to #%s, which is not on the page", tc.name, tc.field)
			}
			if tc.field == "name" || tc.field == "username" {
				if !strings.Contains(body, "text-field--error") || !strings.Contains(body, `aria-invalid="true"`) {
					t.Errorf("%s: the field is not marked as wrong", tc.name)
				}
			}
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM users"); n != users {
			t.Fatalf("invalid forms created %d users", n-users)
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log"); n != entries {
			t.Fatalf("invalid forms wrote %d audit entries", n-entries)
		}

		// The typed values come back, so nothing needs to be typed again.
		v := valid()
		v.Set("email", "fel")
		v.Set("name", "Åsa <Öberg>")
		body := admin.Do("POST", "/admin/users", v).Body.String()
		if !strings.Contains(body, `value="Åsa &lt;Öberg&gt;"`) || !strings.Contains(body, `value="fel"`) || !strings.Contains(body, `value="case_worker" checked`) {
			t.Error("the form does not keep what was typed")
		}

		// English.
		admin.SetCookie(&http.Cookie{Name: site.LangCookie, Value: "en"})
		v = valid()
		v.Set("username", "")
		if body := admin.Do("POST", "/admin/users", v).Body.String(); !strings.Contains(body, "Fill in this field.") {
			t.Error("no English field error")
		}
		admin.DropCookie(site.LangCookie)

		// Oversized and cross-site forms are refused before anything is read.
		v = valid()
		v.Set("name", strings.Repeat("a", site.MaxFormBytes*2))
		if rec := admin.Do("POST", "/admin/users", v); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized form: %d", rec.Code)
		}
		if rec := admin.Do("POST", "/admin/users", valid(), "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"); rec.Code != http.StatusForbidden {
			t.Errorf("cross-site form: %d", rec.Code)
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM users"); n != users {
			t.Fatal("a refused form created a user")
		}
	})
}

func TestOrgAdminManagesOnlyTheirOwnOrganisation(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		b := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		other := webtest.UserNamed(t, st, "samordnare-af")
		own := webtest.UserNamed(t, st, "chef")

		list := b.Do("GET", "/admin/users", nil)
		if list.Code != 200 || !strings.Contains(list.Body.String(), "chef") || strings.Contains(list.Body.String(), "samordnare-af") {
			t.Fatalf("an organisation administrator's user list: %d", list.Code)
		}
		if strings.Contains(list.Body.String(), `id="org"`) {
			t.Error("an organisation administrator is offered the organisation filter")
		}
		denied := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE outcome = 'denied'")
		for _, tc := range []struct {
			method, path string
			form         url.Values
			status       int
		}{
			{"GET", "/admin/users/" + itoa(other.ID), nil, 404},
			{"POST", "/admin/users/" + itoa(other.ID), url.Values{"name": {"Hacked"}, "roles": {"admin"}}, 404},
			{"POST", "/admin/users/" + itoa(other.ID) + "/password", url.Values{}, 404},
			{"POST", "/admin/users/" + itoa(other.ID) + "/sessions/end", url.Values{}, 404},
			{"GET", "/admin/users?org=af", nil, 404},
			{"GET", "/admin/users/new?org=af", nil, 404},
			{"POST", "/admin/users", url.Values{"org": {"af"}, "username": {"smuggled"}, "name": {"S"}, "roles": {"admin"}, "password_mode": {"generate"}}, 404},
			{"GET", "/admin/organisations/af", nil, 404},
			{"POST", "/admin/organisations/af/offices", url.Values{"slug": {"x"}, "name": {"X"}, "kind": {"office"}}, 404},
			{"POST", "/admin/organisations", url.Values{"slug": {"x"}, "name": {"X"}, "type": {"association"}}, 403},
			{"GET", "/admin/tokens?org=af", nil, 404},
		} {
			rec := b.Do(tc.method, tc.path, tc.form)
			if rec.Code != tc.status {
				t.Errorf("%s %s: %d, want %d", tc.method, tc.path, rec.Code, tc.status)
			}
			if strings.Contains(rec.Body.String(), other.Name) {
				t.Errorf("%s %s shows the other organisation's user", tc.method, tc.path)
			}
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE outcome = 'denied'") - denied; n != 11 {
			t.Errorf("%d refusals audited, want one for each of the 11 refused requests", n)
		}
		if got := webtest.UserNamed(t, st, "samordnare-af"); got.Name != other.Name || got.Roles != other.Roles {
			t.Fatal("another organisation's user was changed")
		}
		if _, err := store.UserByName(context.Background(), st, "smuggled"); err == nil {
			t.Fatal("a user was created in another organisation")
		}

		// Their own organisation works.
		if rec := b.Do("GET", "/admin/users/"+itoa(own.ID), nil); rec.Code != 200 {
			t.Fatalf("own organisation's user: %d", rec.Code)
		}
		rec := b.Do("POST", "/admin/users/"+itoa(own.ID), url.Values{"name": {"Cecilia Chef"}, "roles": {"manager", "board"}, "office": {itoa(own.OfficeID)}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("update own organisation's user: %d %s", rec.Code, rec.Body)
		}
		if got := webtest.UserNamed(t, st, "chef"); got.Name != "Cecilia Chef" || got.Roles != account.RolesOf(account.Manager, account.Board) {
			t.Fatalf("update not stored: %+v", got)
		}
		if rec := b.Do("GET", "/admin/organisations/fk", nil); rec.Code != 200 {
			t.Fatalf("own organisation's page: %d", rec.Code)
		}
		orgs := b.Do("GET", "/admin/organisations?q=gotland", nil).Body.String()
		if !strings.Contains(orgs, "Region Gotland") || strings.Contains(orgs, `href="/admin/organisations/region-gotland"`) {
			t.Error("the organisation list must list all but link only to the administrator's own")
		}
		if strings.Contains(orgs, `<form method="post" action="/admin/organisations"`) {
			t.Error("an organisation administrator is offered the new-organisation form")
		}
		// A token form naming another organisation makes a token for their own.
		rec = b.Do("POST", "/admin/tokens", url.Values{"org": {"af"}, "name": {"Journal"}, "scopes": {"certificates:write"}})
		tok, err := store.TokenBySecret(context.Background(), st, shownSecret(t, rec))
		if err != nil || tok.OrgID != webtest.OrgNamed(t, st, "fk").ID {
			t.Fatalf("token %+v, %v: want one of fk", tok, err)
		}

		// Somebody without the admin role gets 403 at the route.
		worker := signedIn(t, s, "handlaggare", "demo")
		for _, p := range []string{"/admin/users", "/admin/organisations", "/admin/tokens", "/admin/audit", "/admin/users/" + itoa(own.ID)} {
			if rec := worker.Do("GET", p, nil); rec.Code != http.StatusForbidden {
				t.Errorf("case worker GET %s: %d, want 403", p, rec.Code)
			}
		}
		if rec := s.Client(t).Do("GET", "/admin/users", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("anonymous: %d %s", rec.Code, rec.Header().Get("Location"))
		}
	})
}

func TestAdminsCannotLockThemselvesOut(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		b := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		me := webtest.UserNamed(t, st, webtest.OrgAdmin)
		self := "/admin/users/" + itoa(me.ID)
		for _, tc := range []struct {
			form url.Values
			text string
		}{
			{url.Values{"name": {me.Name}, "roles": {"manager"}}, "Du kan inte ta bort din egen administratörsroll"},
			{url.Values{"name": {me.Name}, "roles": {"admin"}, "disabled": {"true"}}, "Du kan inte inaktivera ditt eget konto"},
		} {
			rec := b.Do("POST", self, tc.form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), tc.text) {
				t.Errorf("%v: %d", tc.form, rec.Code)
			}
		}
		for _, p := range []string{self + "/password", self + "/sessions/end"} {
			if rec := b.Do("POST", p, url.Values{}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Mitt konto") {
				t.Errorf("%s on oneself: %d", p, rec.Code)
			}
		}
		if got := webtest.UserNamed(t, st, webtest.OrgAdmin); got.Roles != me.Roles || got.Disabled || got.PasswordHash != me.PasswordHash {
			t.Fatal("the administrator's own account changed")
		}
		if rec := b.Do("GET", "/admin/users", nil); rec.Code != 200 {
			t.Fatal("the administrator lost access")
		}
		// Changing other things about oneself is fine.
		if rec := b.Do("POST", self, url.Values{"name": {"Frans Förvaltare"}, "roles": {"admin", "board"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("own name: %d", rec.Code)
		}
	})
}

func TestAdminPasswordSessionsAndDisable(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		admin := signedIn(t, s, "admin", "demo")
		chef := webtest.UserNamed(t, st, "chef")
		path := "/admin/users/" + itoa(chef.ID)

		// A new password ends the user's sessions; the old one stops working.
		laptop := signedIn(t, s, "chef", "demo")
		password := shownSecret(t, admin.Do("POST", path+"/password", url.Values{}))
		if rec := laptop.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
			t.Fatal("the session survived a new password")
		}
		if rec := s.Client(t).Login("chef", "demo"); rec.Code != http.StatusUnauthorized {
			t.Fatal("the old password still works")
		}
		signedIn(t, s, "chef", password)

		// Ending the sessions.
		phone := signedIn(t, s, "chef", password)
		rec := admin.Do("POST", path+"/sessions/end", url.Values{})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != path+"?done=sessions" {
			t.Fatalf("end sessions: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if rec := phone.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
			t.Fatal("a session survived")
		}
		if page := admin.Do("GET", rec.Header().Get("Location"), nil); !strings.Contains(page.Body.String(), "inloggningar är avslutade") {
			t.Error("no confirmation after ending the sessions")
		}

		// Roles and disabling.
		tablet := signedIn(t, s, "chef", password)
		rec = admin.Do("POST", path, url.Values{"name": {chef.Name}, "email": {"chef@example.se"}, "office": {itoa(chef.OfficeID)},
			"roles": {"manager", "board"}, "disabled": {"true"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("update: %d %s", rec.Code, rec.Body)
		}
		if rec := tablet.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
			t.Fatal("a disabled user's session survived")
		}
		if rec := s.Client(t).Login("chef", password); rec.Code != http.StatusUnauthorized {
			t.Fatal("a disabled user signed in")
		}
		got := webtest.UserNamed(t, st, "chef")
		if !got.Disabled || got.Roles != account.RolesOf(account.Manager, account.Board) || got.Email != "chef@example.se" {
			t.Fatalf("stored %+v", got)
		}
		var purpose string
		if err := st.QueryRow(context.Background(), "SELECT purpose FROM audit_log WHERE action = 'update_user' AND resource_id = $1", itoa(chef.ID)).Scan(&purpose); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(purpose, "roles=manager->manager,board") || !strings.Contains(purpose, "disabled=false->true") {
			t.Errorf("the audit entry does not say what changed: %q", purpose)
		}
		for action, want := range map[string]int{"set_password": 1, "end_sessions": 1, "update_user": 1} {
			if n := auditRowsFor(t, st, "admin", action, audit.OutcomeOK); n != want {
				t.Errorf("%d %s entries, want %d", n, action, want)
			}
		}
		for _, bad := range []string{"/admin/users/999999", "/admin/users/abc", "/admin/users/-1"} {
			if rec := admin.Do("GET", bad, nil); rec.Code != http.StatusNotFound {
				t.Errorf("%s: %d", bad, rec.Code)
			}
		}
	})
}

func TestAdminTokens(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		admin := signedIn(t, s, "admin", "demo")
		tokens := webtest.Count(t, st, "SELECT count(*) FROM api_tokens")
		for _, form := range []url.Values{
			{"org": {"region-gotland"}, "name": {""}, "scopes": {"certificates:write"}},
			{"org": {"region-gotland"}, "name": {"Journal"}},
			{"org": {"region-gotland"}, "name": {"Journal"}, "scopes": {"root"}},
		} {
			if rec := admin.Do("POST", "/admin/tokens", form); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "label__message--error") {
				t.Errorf("%v: %d", form, rec.Code)
			}
		}
		if webtest.Count(t, st, "SELECT count(*) FROM api_tokens") != tokens {
			t.Fatal("an invalid form made a token")
		}

		rec := admin.Do("POST", "/admin/tokens", url.Values{"org": {"region-gotland"}, "name": {"Journalsystemet"}, "scopes": {"certificates:write", "certificates:read"}})
		secret := shownSecret(t, rec)
		if !account.LooksLikeToken(secret) || strings.Count(rec.Body.String(), secret) != 1 {
			t.Fatalf("token %q not shown exactly once", secret)
		}
		tok, err := store.TokenBySecret(context.Background(), st, secret)
		if err != nil || tok.OrgID != webtest.OrgNamed(t, st, "region-gotland").ID || len(tok.Scopes) != 2 || tok.Name != "Journalsystemet" {
			t.Fatalf("stored token %+v, %v", tok, err)
		}
		list := admin.Do("GET", "/admin/tokens", nil).Body.String()
		if strings.Contains(list, secret) || !strings.Contains(list, tok.Prefix) || !strings.Contains(list, "Journalsystemet") {
			t.Fatal("the token list must show the token's start, never the token")
		}

		api := s.Client(t)
		if rec := api.Do("GET", "/api/v1/openapi.json", nil, "Authorization", "Bearer "+secret); rec.Code != 200 {
			t.Fatalf("the new token on the API: %d %s", rec.Code, rec.Body)
		}
		if rec := api.Do("GET", "/api/v1/openapi.json", nil, "Authorization", "Bearer "+secret[:len(secret)-1]+"x"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("a wrong token: %d", rec.Code)
		}

		// Revoking asks first, and the token works until it is confirmed.
		rec = webtest.ConfirmThen(t, admin, "/admin/tokens/"+itoa(tok.ID)+"/revoke", url.Values{}, "Återkalla API-nyckeln?", func() bool {
			return api.Do("GET", "/api/v1/openapi.json", nil, "Authorization", "Bearer "+secret).Code != 200
		})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", rec.Code)
		}
		if rec := api.Do("GET", "/api/v1/openapi.json", nil, "Authorization", "Bearer "+secret); rec.Code != http.StatusUnauthorized {
			t.Fatalf("a revoked token: %d", rec.Code)
		}
		if rec := admin.Do("POST", "/admin/tokens/"+itoa(tok.ID)+"/revoke", url.Values{}); rec.Code != http.StatusSeeOther {
			t.Fatalf("revoking twice: %d", rec.Code)
		}
		if rec := admin.Do("POST", "/admin/tokens/999999/revoke", url.Values{}); rec.Code != http.StatusNotFound {
			t.Fatalf("revoking a token that does not exist: %d", rec.Code)
		}
		if !strings.Contains(admin.Do("GET", "/admin/tokens", nil).Body.String(), "Återkallad") {
			t.Error("the list does not show the token as revoked")
		}
		if n := auditRowsFor(t, st, "admin", "create_token", audit.OutcomeOK); n != 1 {
			t.Errorf("%d create_token entries", n)
		}
		if n := auditRowsFor(t, st, "admin", "revoke_token", audit.OutcomeOK); n != 1 {
			t.Errorf("%d revoke_token entries (revoking twice is one)", n)
		}

		// Another organisation's token is 404 to an organisation's administrator.
		fkAdmin := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		other := shownSecret(t, admin.Do("POST", "/admin/tokens", url.Values{"org": {"af"}, "name": {"AF"}, "scopes": {"rules:evaluate"}}))
		afTok, _ := store.TokenBySecret(context.Background(), st, other)
		if rec := fkAdmin.Do("POST", "/admin/tokens/"+itoa(afTok.ID)+"/revoke", url.Values{}); rec.Code != http.StatusNotFound {
			t.Fatalf("revoking another organisation's token: %d", rec.Code)
		}
		if _, err := store.TokenBySecret(context.Background(), st, other); err != nil {
			t.Fatal("another organisation's token was revoked")
		}
		if strings.Contains(fkAdmin.Do("GET", "/admin/tokens", nil).Body.String(), "AF") {
			t.Error("an organisation administrator sees another organisation's tokens")
		}
	})
}

func TestAdminOrganisationsAndOffices(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		admin := signedIn(t, s, "admin", "demo")

		regions := admin.Do("GET", "/admin/organisations?type=region", nil).Body.String()
		if n := tableRows(regions); n != 21 {
			t.Errorf("%d regions listed, want 21", n)
		}
		munis := admin.Do("GET", "/admin/organisations?type=municipality", nil).Body.String()
		if n := tableRows(munis); n != webadmin.OrgsPerPage || !strings.Contains(munis, "sida 1 av 6") {
			t.Errorf("municipalities page 1: %d rows", n)
		}
		last := admin.Do("GET", "/admin/organisations?type=municipality&page=6", nil).Body.String()
		if n := tableRows(last); n != 290-5*webadmin.OrgsPerPage {
			t.Errorf("municipalities page 6: %d rows, want %d", n, 290-5*webadmin.OrgsPerPage)
		}
		if !strings.Contains(last, "page=5") || strings.Contains(last, "page=7") {
			t.Error("the last page links back but not on")
		}
		search := admin.Do("GET", "/admin/organisations?q=GOTLAND", nil).Body.String()
		for _, want := range []string{"Region Gotland", "Gotlands kommun", "Samordningsförbundet Gotland"} {
			if !strings.Contains(search, want) {
				t.Errorf("a search for GOTLAND lacks %s", want)
			}
		}
		if !strings.Contains(admin.Do("GET", "/admin/organisations?q=malmö", nil).Body.String(), "Malmö kommun") {
			t.Error("a search for malmö does not find Malmö kommun")
		}

		page := admin.Do("GET", "/admin/organisations/finsam-gotland", nil).Body.String()
		for _, want := range []string{"Försäkringskassan", "Arbetsförmedlingen", "Region Gotland", "Gotlands kommun"} {
			if !strings.Contains(page, want) {
				t.Errorf("the association's page lacks the member %s", want)
			}
		}
		fk := admin.Do("GET", "/admin/organisations/fk", nil).Body.String()
		for _, want := range []string{"Lokalt försäkringscenter Visby", "Tillfälligt nedsatt arbetsförmåga", "Gotland (0980)", `href="/admin/users?org=fk">4<`} {
			if !strings.Contains(fk, want) {
				t.Errorf("fk's page lacks %s", want)
			}
		}
		if rec := admin.Do("GET", "/admin/organisations/no-such", nil); rec.Code != http.StatusNotFound {
			t.Errorf("unknown organisation: %d", rec.Code)
		}

		orgs := webtest.Count(t, st, "SELECT count(*) FROM organisations")
		for _, tc := range []struct {
			form  url.Values
			field string
		}{
			{url.Values{"slug": {"Stor Bokstav"}, "name": {"X"}, "type": {"association"}}, "slug"},
			{url.Values{"slug": {"fk"}, "name": {"X"}, "type": {"association"}}, "slug"},
			{url.Values{"slug": {"ny"}, "name": {""}, "type": {"association"}}, "name"},
			{url.Values{"slug": {"ny"}, "name": {"X"}, "type": {"company"}}, "type"},
			{url.Values{"slug": {"ny"}, "name": {"X"}, "type": {"region"}, "code": {"99"}}, "code"},
			{url.Values{"slug": {"ny"}, "name": {"X"}, "type": {"municipality"}, "code": {"0980"}}, "code"},
		} {
			rec := admin.Do("POST", "/admin/organisations", tc.form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `href="#new-`+tc.field+`"`) {
				t.Errorf("%v: %d", tc.form, rec.Code)
			}
		}
		if webtest.Count(t, st, "SELECT count(*) FROM organisations") != orgs {
			t.Fatal("an invalid form created an organisation")
		}
		rec := admin.Do("POST", "/admin/organisations", url.Values{"slug": {"samordningsforbundet-norra-gotland"}, "name": {"Samordningsförbundet Norra Gotland"}, "type": {"association"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/organisations/samordningsforbundet-norra-gotland?done=created" {
			t.Fatalf("create organisation: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		if n := auditRowsFor(t, st, "admin", "create_organisation", audit.OutcomeOK); n != 1 {
			t.Errorf("%d create_organisation entries", n)
		}

		fkOrg := webtest.OrgNamed(t, st, "fk")
		groups, _ := store.CustomerGroups(context.Background(), st, fkOrg.ID)
		offices := webtest.Count(t, st, "SELECT count(*) FROM offices")
		for _, tc := range []struct {
			org   string
			form  url.Values
			field string
		}{
			{"fk", url.Values{"slug": {"lfc-visby"}, "name": {"X"}, "kind": {"local_office"}}, "slug"},
			{"fk", url.Values{"slug": {"lk-slite"}, "name": {"X"}, "kind": {"local_office"}, "municipality": {"9999"}}, "municipality"},
			{"fk", url.Values{"slug": {"lk-slite"}, "name": {"X"}, "kind": {"palace"}}, "kind"},
			{"fk", url.Values{"slug": {"lk-slite"}, "name": {"X"}, "kind": {"local_office"}, "group": {"999999"}}, "group"},
			{"af", url.Values{"slug": {"af-slite"}, "name": {"X"}, "kind": {"insurance_centre"}}, "kind"},
		} {
			rec := admin.Do("POST", "/admin/organisations/"+tc.org+"/offices", tc.form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `href="#office-`+tc.field+`"`) {
				t.Errorf("%s %v: %d", tc.org, tc.form, rec.Code)
			}
		}
		if webtest.Count(t, st, "SELECT count(*) FROM offices") != offices {
			t.Fatal("an invalid form created an office")
		}
		rec = admin.Do("POST", "/admin/organisations/fk/offices", url.Values{"slug": {"lk-slite"}, "name": {"Lokalt kontor Slite"},
			"kind": {"local_office"}, "group": {itoa(groups[0].ID)}, "municipality": {"0980"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("create office: %d %s", rec.Code, rec.Body)
		}
		o := officeNamed(t, st, "fk", "lk-slite")
		if o.Kind != store.OfficeLocal || o.CustomerGroupID != groups[0].ID || o.MunicipalityCode != "0980" {
			t.Fatalf("stored office %+v", o)
		}
		if !strings.Contains(admin.Do("GET", "/admin/organisations/fk", nil).Body.String(), "Lokalt kontor Slite") {
			t.Error("the new office is not listed")
		}
		if n := auditRowsFor(t, st, "admin", "create_office", audit.OutcomeOK); n != 1 {
			t.Errorf("%d create_office entries", n)
		}
		// An organisation's administrator adds offices to their own.
		fkAdmin := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		if rec := fkAdmin.Do("POST", "/admin/organisations/fk/offices", url.Values{"slug": {"lk-hemse"}, "name": {"Lokalt kontor Hemse"}, "kind": {"local_office"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("organisation administrator's office: %d", rec.Code)
		}
	})
}

func TestAuditSearch(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		signedIn(t, s, "handlaggare", "demo")
		s.Client(t).Login("handlaggare", "wrong")
		admin := signedIn(t, s, "admin", "demo")

		rec := admin.Do("GET", "/admin/audit?action=sign_in", nil)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "handlaggare") || !strings.Contains(body, "Inloggning") ||
			!strings.Contains(body, "misslyckad") || !strings.Contains(body, "genomförd") {
			t.Fatalf("sign-ins not found: %d", rec.Code)
		}
		if n := tableRows(body); n != 3 {
			t.Errorf("%d sign-ins listed, want 3 (handlaggare ok and failed, admin)", n)
		}
		if n := tableRows(admin.Do("GET", "/admin/audit?user=handlaggare&action=sign_in", nil).Body.String()); n != 2 {
			t.Errorf("%d sign-ins by handlaggare, want 2", n)
		}
		today := s.Clock.Now().In(site.Stockholm)
		if n := tableRows(admin.Do("GET", "/admin/audit?action=sign_in&from="+today.Format(time.DateOnly)+"&to="+today.Format(time.DateOnly), nil).Body.String()); n != 3 {
			t.Errorf("today's sign-ins: %d", n)
		}
		if n := tableRows(admin.Do("GET", "/admin/audit?action=sign_in&from="+today.AddDate(0, 0, 1).Format(time.DateOnly), nil).Body.String()); n != 0 {
			t.Errorf("tomorrow's sign-ins: %d", n)
		}
		if n := auditRowsFor(t, st, "admin", "read_audit", audit.OutcomeOK); n != 4 {
			t.Errorf("%d read_audit entries after 4 searches", n)
		}
		var purpose string
		st.QueryRow(context.Background(), "SELECT purpose FROM audit_log WHERE action = 'read_audit' ORDER BY seq LIMIT 1").Scan(&purpose)
		if purpose != "action=sign_in" {
			t.Errorf("read_audit records the search as %q", purpose)
		}
		for _, q := range []string{"from=2026-13-01", "to=igår", "from=2026-11-23&to=2026-11-01", "user=nobody"} {
			if rec := admin.Do("GET", "/admin/audit?"+q, nil); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "label__message--error") {
				t.Errorf("%s: %d", q, rec.Code)
			}
		}

		// An organisation's administrator sees their own staff only; another
		// organisation's user name is as unknown as a made-up one.
		fkAdmin := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		fkView := fkAdmin.Do("GET", "/admin/audit?action=sign_in", nil).Body.String()
		if !strings.Contains(fkView, "handlaggare") || strings.Contains(fkView, ">admin<") || tableRows(fkView) != 3 {
			t.Errorf("an organisation administrator's view: %d rows", tableRows(fkView))
		}
		if rec := fkAdmin.Do("GET", "/admin/audit?user=admin", nil); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Det finns ingen sådan användare") {
			t.Errorf("another organisation's user: %d", rec.Code)
		}

		// Paging backwards, newest first, with nothing lost or repeated.
		ctx := context.Background()
		var events []audit.Event
		for i := range 120 {
			events = append(events, audit.Event{ActorName: "batch", ActorOrg: "af", Action: "read_person", Outcome: audit.OutcomeOK,
				ResourceType: "person", ResourceID: "r" + itoa(int64(i))})
		}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.AppendAudit(ctx, tx, webtest.Keys(t), events...) }); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		next := "/admin/audit?action=read_person"
		pages := 0
		older := regexp.MustCompile(`href="(/admin/audit\?[^"]*before=[^"]*)">Äldre poster`)
		for next != "" {
			pages++
			body := admin.Do("GET", next, nil).Body.String()
			for _, m := range regexp.MustCompile(`Person (r\d+)<`).FindAllStringSubmatch(body, -1) {
				if seen[m[1]] {
					t.Fatalf("%s on two pages", m[1])
				}
				seen[m[1]] = true
			}
			next = ""
			if m := older.FindStringSubmatch(body); m != nil {
				next = html.UnescapeString(m[1])
			}
		}
		if pages != 3 || len(seen) != 120 || !seen["r0"] || !seen["r119"] {
			t.Fatalf("%d pages, %d entries", pages, len(seen))
		}
	})
}

func TestAccessLogExtractForOnePerson(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.DemoWithOrgAdmin(t, st)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(4, 2))
		person := personnummer.Generate(rng, time.Date(1979, 3, 14, 0, 0, 0, 0, time.UTC), false)
		someoneElse := personnummer.Generate(rng, time.Date(1985, 6, 1, 0, 0, 0, 0, time.UTC), false)
		keys := webtest.Keys(t)
		key := keys.PersonKey(person)
		at := time.Date(2026, 10, 5, 13, 45, 0, 0, time.UTC)
		events := []audit.Event{
			{At: at, ActorName: "handlaggare", ActorOrg: "fk", ActorRoles: "case_worker", Action: "read_person", Outcome: audit.OutcomeOK, ResourceType: "case", ResourceID: "17", PersonKey: key},
			{At: at.Add(time.Hour), ActorName: "handlaggare", ActorOrg: "fk", ActorRoles: "case_worker", Action: "write_person", Outcome: audit.OutcomeOK, ResourceType: "case", ResourceID: "17", PersonKey: key, Purpose: "avstämningsmöte"},
			{At: at.Add(2 * time.Hour), ActorName: "=HYPERLINK(\"http://evil.example\")", ActorOrg: "fk", Action: "read_person", Outcome: audit.OutcomeDenied, ResourceType: "case", ResourceID: "17", PersonKey: key},
			{At: at.Add(3 * time.Hour), ActorName: "samordnare-af", ActorOrg: "af", ActorRoles: "coordinator", Action: "read_person", Outcome: audit.OutcomeOK, ResourceType: "plan", ResourceID: "3", PersonKey: key, Purpose: "samordning med samtycke"},
			{At: at.Add(4 * time.Hour), ActorName: "handlaggare", ActorOrg: "fk", Action: "read_person", Outcome: audit.OutcomeOK, ResourceType: "case", ResourceID: "99", PersonKey: keys.PersonKey(someoneElse)},
		}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.AppendAudit(ctx, tx, keys, events...) }); err != nil {
			t.Fatal(err)
		}
		admin := signedIn(t, s, "admin", "demo")
		var responses []*httptest.ResponseRecorder

		rec := admin.Do("POST", "/admin/audit/person", url.Values{"personnummer": {person.String()}})
		responses = append(responses, rec)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "Loggutdrag "+person.Masked()) {
			t.Fatalf("extract page: %d", rec.Code)
		}
		if n := tableRows(body); n != 4 {
			t.Errorf("%d entries on the extract, want 4", n)
		}
		for _, want := range []string{"2026-10-05 15:45:00", "Handläggare", "Försäkringskassan", "Arbetsförmedlingen", "samordning med samtycke", "Ändring av personuppgifter", "nekad"} {
			if !strings.Contains(body, want) {
				t.Errorf("the extract lacks %q", want)
			}
		}
		if strings.Contains(body, "case 99") {
			t.Error("the extract shows another person's entry")
		}

		// The same extract as CSV, in the 10-digit form.
		ten := string(person[2:8]) + "-" + string(person[8:])
		rec = admin.Do("POST", "/admin/audit/person", url.Values{"personnummer": {ten}, "format": {"csv"}})
		responses = append(responses, rec)
		records := webtest.CSVDownload(t, rec, "loggutdrag-")
		if got := strings.Join(records[0], ","); got != "tid,användare,organisation,roller,åtgärd,utfall,resurs,syfte" {
			t.Fatalf("header %q", got)
		}
		// The four entries and the extract made a moment ago, which is itself
		// an access to the person's data.
		if len(records) != 1+5 {
			t.Fatalf("%d rows, want 5: %q", len(records)-1, records)
		}
		if records[1][4] != "Loggutdrag" || !strings.HasPrefix(records[1][0], s.Clock.Now().In(site.Stockholm).Format(time.DateOnly)) {
			t.Errorf("the newest row is not the earlier extract: %q", records[1])
		}
		var formula []string
		for _, rec := range records[1:] {
			if strings.Contains(rec[1], "HYPERLINK") {
				formula = rec
			}
		}
		if formula == nil || !strings.HasPrefix(formula[1], "'=") {
			t.Errorf("a user name starting with = must not reach Excel as a formula: %q", formula)
		}
		if records[len(records)-1][0] != "2026-10-05 15:45:00" || records[len(records)-1][6] != "Ärende 17" {
			t.Errorf("oldest row %q", records[len(records)-1])
		}

		// An organisation's administrator gets their organisation's part.
		fkAdmin := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		rec = fkAdmin.Do("POST", "/admin/audit/person", url.Values{"personnummer": {person.String()}})
		responses = append(responses, rec)
		if n := tableRows(rec.Body.String()); rec.Code != 200 || n != 3 || strings.Contains(rec.Body.String(), "Arbetsförmedlingen") {
			t.Errorf("fk's extract: %d, %d rows", rec.Code, n)
		}

		// Each extract is audited with the person's key and nothing else about them.
		if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'audit_extract' AND person_key = $1", key); n != 3 {
			t.Errorf("%d audit_extract entries with the person's key, want 3", n)
		}

		// Bad numbers: 422 with the reason, nothing audited.
		before := webtest.Count(t, st, "SELECT count(*) FROM audit_log")
		badCheck := string(person[:11]) + string(rune('0'+(person[11]-'0'+1)%10))
		for _, tc := range []struct{ in, text string }{
			{"", "Fyll i det här fältet."},
			{"abc", "Skriv personnumret som ÅÅÅÅMMDD-NNNN."},
			{badCheck, "Kontrollsiffran stämmer inte."},
			{"19790230-1234", "Födelsedatumet i personnumret finns inte."},
			{"20991231-1234", "har inte inträffat än"},
		} {
			rec := admin.Do("POST", "/admin/audit/person", url.Values{"personnummer": {tc.in}})
			responses = append(responses, rec)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), tc.text) {
				t.Errorf("%q: %d", tc.in, rec.Code)
			}
		}
		if webtest.Count(t, st, "SELECT count(*) FROM audit_log") != before {
			t.Error("a refused extract was audited as made")
		}
		// There is no way to ask by GET, where the number would be in the URL.
		if rec := admin.Do("GET", "/admin/audit/person?personnummer="+person.String(), nil); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("GET extract: %d", rec.Code)
		}

		// The personnummer is nowhere but in the pages that show it.
		forms := []string{string(person), person.String(), ten, string(person[2:])}
		for _, f := range forms {
			if strings.Contains(s.Logs.String(), f) {
				t.Errorf("the server log contains the personnummer %s", f)
			}
			for _, rec := range responses {
				if strings.Contains(rec.Header().Get("Location"), f) {
					t.Errorf("a Location header contains the personnummer")
				}
			}
			if n := webtest.Count(t, st, `SELECT count(*) FROM audit_log WHERE actor_name LIKE $1 OR resource_id LIKE $1 OR purpose LIKE $1
				OR person_key LIKE $1 OR request_id LIKE $1`, "%"+f+"%"); n != 0 {
				t.Errorf("the audit log contains the personnummer %s", f)
			}
		}
		// The extract page carries the number in a form body only, for the CSV button.
		page := responses[0].Body.String()
		for _, m := range regexp.MustCompile(`(?:href|action)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
			for _, f := range forms {
				if strings.Contains(m[1], f) {
					t.Errorf("a link or form address on the extract page contains the personnummer: %s", m[1])
				}
			}
		}
		if !strings.Contains(page, `<input type="hidden" name="personnummer" value="`+string(person)+`">`) || !strings.Contains(page, `method="post"`) {
			t.Error("the CSV button does not send the number in a POST body")
		}
	})
}

// TestAdminPagesAreClean renders every administration page, in both
// languages, and checks what the CSP test and the message test cannot see
// from outside: no inline script or style, no missing message id, a label
// for every input.
func TestAdminPagesAreClean(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := webtest.DemoWithOrgAdmin(t, st)
	admin := signedIn(t, s, "admin", "demo")
	chef := webtest.UserNamed(t, st, "chef")
	rng := rand.New(rand.NewPCG(1, 1))
	person := personnummer.Generate(rng, time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), false)
	type pageCase struct {
		method, path string
		form         url.Values
		status       int
	}
	pages := func(lang string) []pageCase {
		return []pageCase{
			{"GET", "/admin/users", nil, 200},
			{"GET", "/admin/users/new", nil, 200},
			{"POST", "/admin/users", url.Values{"org": {"fk"}}, 422},
			{"POST", "/admin/users", url.Values{"org": {"fk"}, "username": {"ny-" + lang}, "name": {"Ny"}, "roles": {"board"}, "password_mode": {"generate"}}, 200},
			{"GET", "/admin/users/" + itoa(chef.ID), nil, 200},
			{"POST", "/admin/users/" + itoa(chef.ID), url.Values{}, 422},
			{"GET", "/admin/organisations", nil, 200},
			{"POST", "/admin/organisations", url.Values{}, 422},
			{"GET", "/admin/organisations/fk", nil, 200},
			{"GET", "/admin/organisations/finsam-gotland", nil, 200},
			{"POST", "/admin/organisations/fk/offices", url.Values{}, 422},
			{"GET", "/admin/tokens", nil, 200},
			{"POST", "/admin/tokens", url.Values{}, 422},
			{"GET", "/admin/audit", nil, 200},
			{"GET", "/admin/audit?from=x", nil, 422},
			{"POST", "/admin/audit/person", url.Values{"personnummer": {person.String()}}, 200},
			{"POST", "/admin/audit/person", url.Values{"personnummer": {"x"}}, 422},
		}
	}
	inputID := regexp.MustCompile(`<(?:input|select)[^>]* id="([^"]+)"`)
	for _, lang := range []string{"sv", "en"} {
		admin.SetCookie(&http.Cookie{Name: site.LangCookie, Value: lang})
		for _, p := range pages(lang) {
			rec := admin.Do(p.method, p.path, p.form)
			body := rec.Body.String()
			if rec.Code != p.status {
				t.Errorf("%s %s %s: %d, want %d", lang, p.method, p.path, rec.Code, p.status)
				continue
			}
			for _, bad := range []string{"<script", "<style", " style=", " onclick=", " onload=", "admin.", "%!"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s %s %s contains %q", lang, p.method, p.path, bad)
				}
			}
			for _, m := range inputID.FindAllStringSubmatch(body, -1) {
				if !strings.Contains(body, `for="`+m[1]+`"`) {
					t.Errorf("%s %s: input #%s has no label", p.method, p.path, m[1])
				}
			}
		}
	}
}

// FK's organisation page shows administrators the latest nightly recompute
// (the demo runs one when it loads its cases).
func TestAdminSeesTheLatestRecomputeRun(t *testing.T) {
	s := webtest.DemoOn(t, store.SQLite)
	admin := signedIn(t, s, "admin", "demo")
	if strings.Contains(admin.Do("GET", "/admin/organisations/fk", nil).Body.String(), "Nattlig omräkning") {
		t.Error("a run shown before any ran")
	}
	if _, err := demo.LoadCases(context.Background(), s.Store, demo.DefaultSeed, s.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	body := admin.Do("GET", "/admin/organisations/fk", nil).Body.String()
	for _, want := range []string{"Nattlig omräkning av ärenden", "Beräknad för dag", "Kunde inte beräknas"} {
		if !strings.Contains(body, want) {
			t.Errorf("the FK page lacks %q", want)
		}
	}
	if body := admin.Do("GET", "/admin/organisations/region-gotland", nil).Body.String(); strings.Contains(body, "Nattlig omräkning") {
		t.Error("the recompute shown on a region's page")
	}
}
