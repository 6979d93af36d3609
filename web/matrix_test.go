package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/fixture"
)

// who may use a route, written down here independently of package policy:
// the matrix test compares what the server does with this table.
type who int

const (
	everyone           who = iota // no sign-in needed
	signedInUsers                 // any signed-in person; not API tokens
	admins                        // administrators: their own organisation, or all for the system admin
	systemAdmins                  // only the administrator of the operating organisation
	certificateSenders            // API tokens scoped certificates:write of a care provider
	certificateReaders            // API tokens scoped certificates:read
	fkCaseWorkers                 // FK's case workers; other organisations' case workers get 404
	fkCaseRoles                   // FK's case workers and managers; other organisations' case staff get 404
	reportReaders                 // roles that read reports: managers, board, association staff, case workers
	fkManagers                    // FK's managers (re-assigning cases); everyone else 403
	// Coordination associations (web/forbund), probed on
	// Samordningsförbundet Gotland (finsam-gotland).
	associationStaff    // the association's staff (forbund); everyone else 403
	associationReaders  // its staff and board (forbund, styrelse)
	contributionReaders // its staff and board, and member organisations' managers and administrators
	rulesAdmins         // FK's administrators and the system administrator (rules parameters)
	intakeStewards      // intake stewards, of their organisation's rejected certificates; others' get them 404
	// Coordination across the agencies (web/coordination), probed on a
	// coordination FK leads of the Visby case, to which no other
	// organisation is invited.
	personReaders // the roles that read persons at all: FK's case workers and managers, coordinators, association staff
	coordinators  // FK's case workers; another agency's coordinators get 404 (not invited), everyone else 403
	// regionCoordinators: the coordinators of the region whose care unit
	// certified the case (the region's way into coordination, probed on
	// the case of the matrix certificate); FK's case workers and other
	// agencies' coordinators get 404, everyone else 403.
	regionCoordinators
)

// matrixParts lets each part of the interface (one file per part) add its
// routes' rules and fixtures without editing this file: an init function
// appends to them.
var (
	// matrixFixtureHooks make a part's fixtures after the common ones; they
	// put the ids its routes are probed with into fixtures.assoc, keyed by
	// the path parameter's name ("id", "participantID", "year").
	matrixFixtureHooks []func(t *testing.T, st *store.Store, f *fixtures)
)

// routeAccess lists every route. A route missing here fails the test: whoever
// adds a route says who may use it.
var routeAccess = map[string]who{
	"GET /healthz":                   everyone,
	"GET /readyz":                    everyone,
	"GET /metrics":                   everyone,
	"GET /static/{file}":             everyone,
	"GET /{$}":                       everyone,
	"GET /login":                     everyone,
	"POST /login":                    everyone,
	"POST /logout":                   everyone,
	"GET /login/oidc/{org}":          everyone,
	"GET /login/oidc/{org}/callback": everyone,
	"GET /rakna":                     everyone,
	"GET /api/v1/openapi.json":       everyone,
	"POST /api/v1/rules/evaluate":    everyone,
	"POST /api/v1/certificates":      certificateSenders,
	"GET /api/v1/messages":           certificateReaders,

	"POST /certificates/{id}/supplement": fkCaseWorkers,
	"GET /certificates":                  fkCaseRoles,
	"GET /certificates/{id}":             fkCaseRoles,
	"GET /quality":                       reportReaders,

	"GET /arenden":                                         fkCaseRoles,
	"GET /arenden/kontor":                                  fkManagers,
	"GET /arenden.csv":                                     fkCaseRoles,
	"GET /arenden/kontor.csv":                              fkManagers,
	"POST /arenden/kontor/tilldela":                        fkManagers,
	"GET /arenden/{id}":                                    fkCaseRoles,
	"GET /arenden/{id}/utskrift":                           fkCaseRoles,
	"GET /arenden/nytt":                                    fkCaseWorkers,
	"POST /arenden/nytt":                                   fkCaseWorkers,
	"POST /arenden/{id}/tilldela":                          fkManagers,
	"POST /arenden/{id}/kontor":                            fkManagers,
	"POST /arenden/{id}/fakta":                             fkCaseWorkers,
	"POST /arenden/{id}/status":                            fkCaseWorkers,
	"POST /arenden/{id}/perioder":                          fkCaseWorkers,
	"POST /arenden/{id}/frister/{deadlineID}":              fkCaseWorkers,
	"POST /arenden/{id}/anteckningar":                      fkCaseWorkers,
	"POST /arenden/{id}/beslut":                            fkCaseWorkers,
	"POST /arenden/{id}/atgarder":                          fkCaseWorkers,
	"POST /arenden/{id}/atgarder/{actionID}":               fkCaseWorkers,
	"GET /api/v1/cases":                                    fkCaseRoles,
	"GET /api/v1/cases/{id}":                               fkCaseRoles,
	"GET /api/v1/cases/{id}/deadlines":                     fkCaseRoles,
	"POST /api/v1/cases/{id}/deadlines/{deadlineID}/close": fkCaseWorkers,
	"GET /api/v1/cases/{id}/decisions":                     fkCaseRoles,
	"POST /api/v1/cases/{id}/decisions":                    fkCaseWorkers,
	"GET /api/v1/cases/{id}/plan-actions":                  fkCaseRoles,
	"POST /api/v1/cases/{id}/plan-actions":                 fkCaseWorkers,
	"GET /quality.csv":                                     reportReaders,
	"GET /quality.xlsx":                                    reportReaders,
	"GET /quality/units.csv":                               reportReaders,
	"GET /quality/units.xlsx":                              reportReaders,

	"GET /account":                   signedInUsers,
	"POST /account/password":         signedInUsers,
	"POST /account/sessions/end-all": signedInUsers,

	"GET /admin/users":                         admins,
	"GET /admin/users/new":                     admins,
	"POST /admin/users":                        admins,
	"GET /admin/users/{id}":                    admins,
	"POST /admin/users/{id}":                   admins,
	"POST /admin/users/{id}/password":          admins,
	"POST /admin/users/{id}/sessions/end":      admins,
	"GET /admin/organisations":                 admins,
	"POST /admin/organisations":                systemAdmins,
	"GET /admin/organisations/{slug}":          admins,
	"POST /admin/organisations/{slug}/offices": admins,
	"GET /admin/tokens":                        admins,
	"POST /admin/tokens":                       admins,
	"POST /admin/tokens/{id}/revoke":           admins,
	"GET /admin/audit":                         admins,
	"POST /admin/audit/person":                 admins,
	"GET /admin/certificates/rejected":         admins,
	"GET /admin/certificates/rejected/{id}":    admins,
	"GET /admin/fmb":                           admins,
	"GET /certificates/rejected":               intakeStewards,
	"GET /certificates/rejected/{id}":          intakeStewards,
	"POST /admin/fmb":                          systemAdmins,
}

// identity is one row of the matrix.
type identity struct {
	name     string
	username string // demo user to sign in as ("" for anonymous or token)
	token    bool
	admin    bool // holds the admin role
	system   bool // administrator of the operating organisation
	org      string
	// caseWriter holds a role that may change case data (policy.WritePerson).
	caseWriter bool
	// reports holds a role that reads reports (policy.ReadReports).
	reports bool
}

var identities = []identity{
	{name: "anonymous"},
	{name: "case worker", username: "handlaggare", org: "fk", reports: true},
	{name: "manager", username: "chef", org: "fk", reports: true},
	{name: "AF coordinator", username: "samordnare-af", org: "af", caseWriter: true},
	{name: "region coordinator", username: "samordnare-region", org: "region-gotland", caseWriter: true},
	{name: "municipality coordinator", username: "samordnare-kommun", org: "gotlands-kommun", caseWriter: true},
	{name: "association staff", username: "forbund", org: "finsam-gotland", caseWriter: true, reports: true},
	{name: "board", username: "styrelse", org: "finsam-gotland", reports: true},
	{name: "FK admin", username: "fk-admin", admin: true, org: "fk"},
	{name: "system admin", username: "admin", admin: true, system: true, org: "finsam-gotland"},
	{name: "intake steward", username: "intygsforvaltare", org: "region-gotland"},
	{name: "API token", token: true, org: "region-gotland"},
}

// fixtures are the ids the parameterised routes are probed with: a
// resource of the identity's own organisation and one of another.
type fixtures struct {
	userOf  map[string]int64 // org slug → a user there
	tokenOf map[string]int64 // org slug → a token there
	token   string           // the API token's secret
	// certificate is a certificate Region Gotland sent (finsam's id).
	certificate int64
	rejectedOf  map[string]int64 // org slug → a certificate it sent that was rejected
	// caseID is a sickness case of FK's Visby office (the demo case
	// worker's and manager's) with one deadline and one plan action.
	caseID, deadlineID, actionID int64
	// assoc holds the ids that association routes are probed with, by path
	// parameter name; {slug} is always finsam-gotland.
	assoc map[string]int64
	// coord holds the ids the coordination routes are probed with, by path
	// parameter name.
	coord map[string]int64
}

func matrixSetup(t *testing.T, st *store.Store) (*Server, fixtures) {
	s, _ := demoServer(t, st)
	ctx := context.Background()
	f := fixtures{userOf: map[string]int64{}, tokenOf: map[string]int64{}, token: account.NewSecret(account.TokenPrefix)}
	err := st.Tx(ctx, func(tx *store.Tx) error {
		fk, err := store.OrganisationBySlug(ctx, tx, "fk")
		if err != nil {
			return err
		}
		if _, err := store.CreateUser(ctx, tx, store.User{Username: "fk-admin", Name: "Frans FK-admin (demo)", OrgID: fk.ID,
			Roles: account.RolesOf(account.Admin)}); err != nil {
			return err
		}
		users, err := store.Users(ctx, tx, 0)
		if err != nil {
			return err
		}
		for _, u := range users {
			org, _ := store.OrganisationByID(ctx, tx, u.OrgID)
			if u.Username != "fk-admin" && u.Username != "admin" {
				f.userOf[org.Slug] = u.ID
			}
		}
		for i, slug := range []string{"region-gotland", "fk", "finsam-gotland"} {
			org, _ := store.OrganisationBySlug(ctx, tx, slug)
			secret := f.token
			if i > 0 {
				secret = account.NewSecret(account.TokenPrefix)
			}
			id, err := store.CreateToken(ctx, tx, store.Token{OrgID: org.ID, Name: "matrix",
				Scopes: []account.Scope{account.ScopeCertificatesWrite, account.ScopeCertificatesRead}}, secret)
			if err != nil {
				return err
			}
			f.tokenOf[slug] = id
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	region, _ := store.OrganisationBySlug(ctx, st, "region-gotland")
	res, err := s.intake.Submit(ctx, intake.Submission{SenderOrgID: region.ID, Body: sampleCertificates(1)[0], Source: "api"})
	if err != nil || res.Status != intake.Accepted {
		t.Fatalf("certificate fixture: %+v %v", res, err)
	}
	f.certificate = res.CertificateID
	f.rejectedOf = map[string]int64{}
	for _, slug := range []string{"fk", "af", "finsam-gotland", "region-gotland"} {
		org, _ := store.OrganisationBySlug(ctx, st, slug)
		res, err := s.intake.Submit(ctx, intake.Submission{SenderOrgID: org.ID, Body: []byte(`{"id": "bad"}`), Source: "api"})
		if err != nil || res.Status != intake.Invalid {
			t.Fatalf("rejected fixture: %+v %v", res, err)
		}
		rejected, _ := store.RejectedList(ctx, st, store.RejectedQuery{SenderOrgID: org.ID, Limit: 1})
		f.rejectedOf[slug] = rejected[0].ID
	}
	f.caseID, f.deadlineID, f.actionID = matrixCase(t, st)
	f.assoc = map[string]int64{}
	f.coord = map[string]int64{}
	for _, hook := range matrixFixtureHooks {
		hook(t, st, &f)
	}
	return s, f
}

// matrixCase makes a case in the Visby office with a deadline and a plan
// action, for the routes under /arenden/{id} and /api/v1/cases/{id}.
func matrixCase(t *testing.T, st *store.Store) (caseID, deadlineID, actionID int64) {
	t.Helper()
	return officeCase(t, st, "lfc-visby", "197001019801", "Matris Matrisson")
}

// officeCase makes a case of a person in an office of FK, with one open
// deadline and one plan action.
func officeCase(t *testing.T, st *store.Store, officeSlug, pnr, name string) (caseID, deadlineID, actionID int64) {
	t.Helper()
	ctx := context.Background()
	now := fixture.Now
	caseID = fixture.OfficeCase(t, st, officeSlug, pnr, name, "matrix")
	fk, err := store.OrganisationBySlug(ctx, st, "fk")
	if err != nil {
		t.Fatal(err)
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		up := store.CaseUpdate{ID: caseID, Deadlines: []store.StoredDeadline{{Kind: "assess_day_91", Due: time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC), Ref: "SFB 27 kap. 47 §"}}}
		if err := store.SaveRecomputed(ctx, tx, []store.RecomputeCase{{ID: caseID}}, []store.CaseUpdate{up}, now); err != nil {
			return err
		}
		ds, err := store.CaseDeadlines(ctx, tx, caseID)
		if err != nil || len(ds) != 1 {
			return fmt.Errorf("deadline fixture: %v %v", ds, err)
		}
		deadlineID = ds[0].ID
		last := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		actionID, err = store.AddPlanAction(ctx, tx, caseID, 1, store.PlanAction{Title: "Avstämningsmöte", OwnerOrgID: fk.ID, Due: last}, 0, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return caseID, deadlineID, actionID
}

// probe is one concrete request for a route: a path with its parameters
// filled in, and whether the resource belongs to another organisation.
type probe struct {
	path  string
	other bool
}

func probesFor(r Route, id identity, f fixtures) []probe {
	own := id.org
	if own == "" || own == "region-gotland" && !id.token && false {
		own = "fk"
	}
	other := "af"
	if own == "af" {
		other = "fk"
	}
	if own == "" {
		own = "fk"
	}
	// A user of the identity's organisation (or of FK when it has none to
	// probe with) and one of another.
	userOwn, ok := f.userOf[own]
	if !ok {
		userOwn = f.userOf["fk"]
	}
	tokOwn, ok := f.tokenOf[own]
	if !ok {
		tokOwn = f.tokenOf["fk"]
	}
	tokOther := f.tokenOf["fk"]
	if own == "fk" {
		tokOther = f.tokenOf["region-gotland"]
	}
	fill := func(path, value string) string {
		return regexp.MustCompile(`\{[a-z]+\}`).ReplaceAllString(path, value)
	}
	switch {
	case strings.HasPrefix(r.Path, "/admin/users/{id}"):
		return []probe{{fill(r.Path, itoa(userOwn)), false}, {fill(r.Path, itoa(f.userOf[other])), true}}
	case strings.HasPrefix(r.Path, "/admin/tokens/{id}"):
		return []probe{{fill(r.Path, itoa(tokOwn)), false}, {fill(r.Path, itoa(tokOther)), true}}
	case strings.HasPrefix(r.Path, "/admin/organisations/{slug}"):
		return []probe{{fill(r.Path, own), false}, {fill(r.Path, other), true}}
	case r.Path == "/static/{file}":
		return []probe{{"/static/finsam.css", false}}
	case r.Path == "/admin/certificates/rejected/{id}" || r.Path == "/certificates/rejected/{id}":
		rejOwn, ok := f.rejectedOf[own]
		if !ok {
			rejOwn = f.rejectedOf["fk"]
		}
		return []probe{{fill(r.Path, itoa(rejOwn)), false}, {fill(r.Path, itoa(f.rejectedOf[other])), true}}
	case strings.HasPrefix(r.Path, "/arenden/{id}") || strings.HasPrefix(r.Path, "/api/v1/cases/{id}"):
		p := strings.Replace(r.Path, "{id}", itoa(f.caseID), 1)
		p = strings.Replace(p, "{deadlineID}", itoa(f.deadlineID), 1)
		p = strings.Replace(p, "{actionID}", itoa(f.actionID), 1)
		return []probe{{p, false}}
	case strings.HasPrefix(r.Path, "/certificates/{id}"):
		return []probe{{fill(r.Path, itoa(f.certificate)), false}}
	case strings.HasPrefix(r.Path, "/forbund/{slug}") || strings.HasPrefix(r.Path, "/api/v1/associations/{slug}"):
		p := strings.Replace(r.Path, "{slug}", "finsam-gotland", 1)
		p = regexp.MustCompile(`\{([a-zA-Z]+)\}`).ReplaceAllStringFunc(p, func(m string) string {
			return itoa(f.assoc[m[1:len(m)-1]])
		})
		return []probe{{p, false}}
	case strings.HasPrefix(r.Path, "/samordning/vardenheter/arenden/{id}"):
		return []probe{{strings.Replace(r.Path, "{id}", itoa(f.coord["unitCase"]), 1), false}}
	case strings.HasPrefix(r.Path, "/samordning/{id}") || strings.HasPrefix(r.Path, "/samtycken/") ||
		strings.HasPrefix(r.Path, "/api/v1/coordinations/{coordinationID}") || strings.HasPrefix(r.Path, "/api/v1/consents/"):
		p := regexp.MustCompile(`\{([a-zA-Z]+)\}`).ReplaceAllStringFunc(r.Path, func(m string) string {
			return itoa(f.coord[m[1:len(m)-1]])
		})
		return []probe{{p, false}}
	case strings.Contains(r.Path, "{org}"):
		return []probe{{fill(r.Path, "fk"), false}}
	}
	return []probe{{strings.TrimSuffix(r.Path, "{$}"), false}}
}

// denied is the answer a refused request must get.
func expectDenied(t *testing.T, label string, r Route, rule who, id identity, other bool, rec *httptest.ResponseRecorder) {
	t.Helper()
	switch {
	case id.name == "anonymous" && r.Kind == KindAPI:
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", label, rec.Code)
		}
	case id.name == "anonymous":
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
			t.Errorf("%s: %d %s, want 303 to /login", label, rec.Code, rec.Header().Get("Location"))
		}
	case other && id.admin && rule != intakeStewards, (rule == fkCaseWorkers || rule == fkCaseRoles) && id.caseWriter, other && rule == intakeStewards && id.username == "intygsforvaltare",
		rule == coordinators && strings.HasPrefix(id.username, "samordnare-"),
		rule == regionCoordinators && (strings.HasPrefix(id.username, "samordnare-") || id.username == "handlaggare"):
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404 (another organisation's)", label, rec.Code)
		}
	default:
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", label, rec.Code)
		}
	}
}

var personnummerLike = regexp.MustCompile(`\b(19|20)\d{6}-?\d{4}\b`)

// TestAccessMatrix sends every route to every kind of actor, for their own
// organisation's resources and another's, and checks the answer against
// routeAccess: allowed requests are served; refused ones get 401/303 to
// sign in, 403, or 404 for other organisations' resources — with no personal
// data in the body.
func TestAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := matrixSetup(t, st)
		ctx := context.Background()
		names := map[string]string{} // display names of every user, to look for in refusals
		users, _ := store.Users(ctx, st, 0)
		userID := map[string]int64{}
		for _, u := range users {
			names[u.Username] = u.Name
			userID[u.Username] = u.ID
		}
		for _, r := range s.Routes() {
			rule, ok := routeAccess[r.Pattern()]
			if !ok {
				t.Errorf("route %s is not in routeAccess: say who may use it", r.Pattern())
				continue
			}
			for _, id := range identities {
				for _, p := range probesFor(r, id, f) {
					label := r.Method + " " + p.path + " as " + id.name
					req := httptest.NewRequest(r.Method, p.path, strings.NewReader(url.Values{}.Encode()))
					if r.Method == http.MethodPost {
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						if r.Kind == KindAPI {
							req = httptest.NewRequest(r.Method, p.path, strings.NewReader(`{"date":"2020-01-01"}`))
							req.Header.Set("Content-Type", "application/json")
						}
					}
					switch {
					case id.token:
						req.Header.Set("Authorization", "Bearer "+f.token)
					case id.username != "":
						// A fresh session per request: some routes end sessions.
						secret := account.NewSecret(account.SessionPrefix)
						now := s.now().UTC()
						if err := st.Tx(ctx, func(tx *store.Tx) error {
							return store.CreateSession(ctx, tx, store.Session{IDHash: account.HashSecret(secret), UserID: userID[id.username],
								CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour), RemoteAddr: "192.0.2.1", UserAgent: "matrix"})
						}); err != nil {
							t.Fatal(err)
						}
						req.AddCookie(&http.Cookie{Name: sessionCookie, Value: secret})
					}
					rec := httptest.NewRecorder()
					s.Handler().ServeHTTP(rec, req)

					allowed := false
					switch rule {
					case everyone:
						allowed = true
					case signedInUsers:
						allowed = id.username != ""
					case admins:
						allowed = id.admin && (!p.other || id.system)
					case systemAdmins:
						allowed = id.system
					case certificateSenders, certificateReaders:
						allowed = id.token
					case fkCaseWorkers:
						allowed = id.username == "handlaggare"
					case fkCaseRoles:
						allowed = id.username == "handlaggare" || id.username == "chef"
					case reportReaders:
						allowed = id.reports
					case fkManagers:
						allowed = id.username == "chef"
					case associationStaff:
						allowed = id.username == "forbund"
					case associationReaders:
						allowed = id.username == "forbund" || id.username == "styrelse"
					case rulesAdmins:
						allowed = id.username == "fk-admin" || id.system
					case intakeStewards:
						allowed = id.username == "intygsforvaltare" && !p.other
					case personReaders:
						allowed = id.username == "handlaggare" || id.username == "chef" || id.caseWriter
					case coordinators:
						allowed = id.username == "handlaggare"
					case regionCoordinators:
						allowed = id.username == "samordnare-region"
					case contributionReaders:
						// FK is a member: its manager and administrator read FK's own rows.
						allowed = id.username == "forbund" || id.username == "styrelse" || id.username == "chef" || id.username == "fk-admin"
					}
					if allowed {
						loc := rec.Header().Get("Location")
						if rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized && rule != everyone ||
							rec.Code == http.StatusNotFound && rule != everyone || strings.HasPrefix(loc, "/login?next=") {
							t.Errorf("%s: %d %s, want it served", label, rec.Code, loc)
						}
						continue
					}
					expectDenied(t, label, r, rule, id, p.other, rec)
					body := rec.Body.String()
					// The error page keeps the signed-in header, with the
					// asker's own name; nobody else's may show.
					for username, name := range names {
						if username != id.username && strings.Contains(body, name) {
							t.Errorf("%s: the refusal shows %s's name", label, username)
						}
					}
					if personnummerLike.MatchString(body) {
						t.Errorf("%s: the refusal contains something like a personnummer", label)
					}
				}
			}
		}
	})
}
