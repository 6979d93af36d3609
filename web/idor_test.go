package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// The test of this file walks the route table and, for every route whose
// path names a certificate (received or rejected), case, deadline, plan
// action, insats or participant, sends each kind of actor an id that
// belongs to another office or another organisation. The answer must be the one an id that
// does not exist gets (404, or the route's own refusal of a role that may
// never use it), with nothing written and nothing audited but the refusal.

// idorKind says what a route's path parameters name.
type idorKind int

const (
	idorCase        idorKind = iota + 1 // {id} a case; {deadlineID}, {actionID} its deadline and plan action
	idorCertificate                     // {id} a certificate
	idorInsats                          // {slug} an association, {insatsID} its insats
	idorParticipant                     // {slug} an association, {participantID} its participant
	idorAssociation                     // {slug} an association only
	idorRejected                        // {id} a rejected certificate
	idorUnitCase                        // {id} a case reached through the region's care units
)

// idorExempt are the routes with path parameters that name no resource of
// a person, or whose owner rules differ; each says where it is tested.
var idorExempt = map[string]string{
	"GET /static/{file}":             "public files",
	"GET /login/oidc/{org}":          "public: an organisation's sign-in",
	"GET /login/oidc/{org}/callback": "public: an organisation's sign-in",
	// Administration: a system administrator manages every organisation,
	// so there is no other organisation for them; TestAccessMatrix probes
	// another organisation's users, tokens, offices and rejected
	// certificates for the other roles.
	"GET /admin/users/{id}":                    "TestAccessMatrix",
	"POST /admin/users/{id}":                   "TestAccessMatrix",
	"POST /admin/users/{id}/password":          "TestAccessMatrix",
	"POST /admin/users/{id}/sessions/end":      "TestAccessMatrix",
	"GET /admin/organisations/{slug}":          "TestAccessMatrix",
	"POST /admin/organisations/{slug}/offices": "TestAccessMatrix",
	"POST /admin/tokens/{id}/revoke":           "TestAccessMatrix",
	"GET /admin/certificates/rejected/{id}":    "TestAccessMatrix and TestRejectedCertificatesForAdministrators",
	// Coordination: another organisation's access depends on invitation
	// and consent, not on the owner alone; web/coordination's tests probe
	// it (TestCoordinationAcrossAgencies, TestCoordinationProbes).
	"GET /samordning/{id}":                                                  "web/coordination",
	"POST /samordning/{id}/samtycken":                                       "web/coordination",
	"POST /samordning/{id}/parter":                                          "web/coordination",
	"POST /samordning/{id}/moten":                                           "web/coordination",
	"POST /samordning/{id}/moten/{meetingID}":                               "web/coordination",
	"POST /samordning/{id}/moten/{meetingID}/installt":                      "web/coordination",
	"POST /samordning/{id}/atgarder":                                        "web/coordination",
	"POST /samordning/{id}/atgarder/{actionID}":                             "web/coordination",
	"POST /samordning/{id}/anteckningar":                                    "web/coordination",
	"POST /samtycken/{consentID}/aterkalla":                                 "web/coordination",
	"GET /api/v1/coordinations/{coordinationID}":                            "web/coordination",
	"POST /api/v1/coordinations/{coordinationID}/consents":                  "web/coordination",
	"POST /api/v1/coordinations/{coordinationID}/meetings":                  "web/coordination",
	"POST /api/v1/coordinations/{coordinationID}/plan-actions":              "web/coordination",
	"POST /api/v1/consents/{consentID}/withdraw":                            "web/coordination",
	"POST /api/v1/coordinations/{coordinationID}/meetings/{meetingID}/held": "web/coordination",
	"POST /api/v1/coordinations/{coordinationID}/plan-actions/{actionID}":   "web/coordination",
	"POST /api/v1/coordinations/{coordinationID}/notes":                     "web/coordination",
}

var pathParam = regexp.MustCompile(`\{([a-zA-Z]+)\}`)

// idorKindOf classifies a route; ok is false for one that nobody has
// classified yet.
func idorKindOf(r Route) (idorKind, bool) {
	params := map[string]bool{}
	for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
		params[m[1]] = true
	}
	only := func(names ...string) bool {
		for p := range params {
			if !slices.Contains(names, p) {
				return false
			}
		}
		return true
	}
	switch {
	case strings.HasPrefix(r.Path, "/arenden/{id}") || strings.HasPrefix(r.Path, "/api/v1/cases/{id}"):
		return idorCase, only("id", "deadlineID", "actionID")
	case strings.HasPrefix(r.Path, "/samordning/vardenheter/arenden/{id}"):
		return idorUnitCase, only("id")
	case strings.HasPrefix(r.Path, "/certificates/rejected/{id}"):
		return idorRejected, only("id")
	case strings.HasPrefix(r.Path, "/certificates/{id}"):
		return idorCertificate, only("id")
	case strings.HasPrefix(r.Path, "/forbund/{slug}") || strings.HasPrefix(r.Path, "/api/v1/associations/{slug}"):
		switch {
		case params["insatsID"]:
			return idorInsats, only("slug", "insatsID")
		case params["participantID"]:
			return idorParticipant, only("slug", "participantID")
		}
		return idorAssociation, only("slug")
	}
	return 0, false
}

// idorFixtures are the other office's and the other association's ids,
// and the own ones a mixed probe pairs them with.
type idorFixtures struct {
	fixtures
	// ownCase is Visby's case (the matrix case), assigned to the demo case
	// worker so that her forms ask no purpose.
	ownCase int64
	// Roma's case with its deadline and plan action, and a certificate
	// joined to it.
	romaCase, romaDeadline, romaAction, romaCertificate int64
	// Another association, with an insats and a participant.
	otherAssoc                    string
	otherInsats, otherParticipant int64
}

const idorMissing = 987654321 // an id nothing has

func idorSetup(t *testing.T, st *store.Store) (*Server, idorFixtures) {
	t.Helper()
	s, base := matrixSetup(t, st)
	ctx := context.Background()
	f := idorFixtures{fixtures: base, ownCase: base.caseID, otherAssoc: "finsam-annat"}
	f.romaCase, f.romaDeadline, f.romaAction = officeCase(t, st, "lk-roma", "196504049804", "Romana Romasson")
	cert, err := store.CertificateByID(ctx, st, base.certificate)
	if err != nil || cert.CaseID == 0 {
		t.Fatalf("the matrix certificate is in no case: %+v %v", cert, err)
	}
	f.romaCertificate = cert.ID
	err = st.Tx(ctx, func(tx *store.Tx) error {
		fk, err := store.OrganisationBySlug(ctx, tx, "fk")
		if err != nil {
			return err
		}
		var roma, visby int64
		offices, err := store.Offices(ctx, tx, fk.ID)
		if err != nil {
			return err
		}
		for _, o := range offices {
			switch o.Slug {
			case "lk-roma":
				roma = o.ID
			case "lfc-visby":
				visby = o.ID
			}
		}
		if err := store.SetCaseOwner(ctx, tx, cert.CaseID, roma, 0, 0); err != nil {
			return err
		}
		worker, err := store.UserByName(ctx, tx, "handlaggare")
		if err != nil {
			return err
		}
		if err := store.SetCaseOwner(ctx, tx, f.ownCase, visby, 0, worker.ID); err != nil {
			return err
		}
		// Another association, whose members are none of the identities'
		// organisations.
		assoc, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: f.otherAssoc, Name: "Samordningsförbundet Annat",
			Type: organisation.Association})
		if err != nil {
			return err
		}
		members := 0
		orgs, err := store.Organisations(ctx, tx, organisation.Municipality)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.Slug != "gotlands-kommun" && members < 2 {
				if err := store.AddAssociationMember(ctx, tx, assoc.ID, o.ID); err != nil {
					return err
				}
				members++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.otherInsats, f.otherParticipant = storetest.Insats(t, st, f.otherAssoc)
	return s, f
}

// idorProbe is a request with another office's or organisation's ids, and
// the same request with ids that do not exist.
type idorProbe struct {
	name            string
	foreign, absent string
	// caseID is the case whose version the form carries (0 for none).
	caseID int64
}

func idorProbes(r Route, kind idorKind, f idorFixtures) []idorProbe {
	fill := func(values map[string]string) string {
		return pathParam.ReplaceAllStringFunc(r.Path, func(m string) string { return values[m[1:len(m)-1]] })
	}
	n := itoa
	switch kind {
	case idorCase:
		ps := []idorProbe{{name: "another office's case", caseID: f.romaCase,
			foreign: fill(map[string]string{"id": n(f.romaCase), "deadlineID": n(f.romaDeadline), "actionID": n(f.romaAction)}),
			absent:  fill(map[string]string{"id": n(idorMissing), "deadlineID": n(idorMissing), "actionID": n(idorMissing)})}}
		if strings.Contains(r.Path, "{deadlineID}") || strings.Contains(r.Path, "{actionID}") {
			ps = append(ps, idorProbe{name: "another office's deadline or action under an own case", caseID: f.ownCase,
				foreign: fill(map[string]string{"id": n(f.ownCase), "deadlineID": n(f.romaDeadline), "actionID": n(f.romaAction)}),
				absent:  fill(map[string]string{"id": n(f.ownCase), "deadlineID": n(idorMissing), "actionID": n(idorMissing)})})
		}
		return ps
	case idorUnitCase:
		// The Visby case has no certificate of Region Gotland's care
		// units: to the region it is another organisation's case, and to
		// FK it is not the region's to open.
		return []idorProbe{{name: "a case no care unit of the region certified", caseID: f.ownCase,
			foreign: fill(map[string]string{"id": n(f.ownCase)}), absent: fill(map[string]string{"id": n(idorMissing)})}}
	case idorCertificate:
		return []idorProbe{{name: "a certificate of another office's case",
			foreign: fill(map[string]string{"id": n(f.romaCertificate)}), absent: fill(map[string]string{"id": n(idorMissing)})}}
	case idorRejected:
		return []idorProbe{{name: "another organisation's rejected certificate",
			foreign: fill(map[string]string{"id": n(f.rejectedOf["af"])}), absent: fill(map[string]string{"id": n(idorMissing)})}}
	case idorInsats, idorParticipant:
		id := map[idorKind]int64{idorInsats: f.otherInsats, idorParticipant: f.otherParticipant}[kind]
		return []idorProbe{
			{name: "another association's, under the own association",
				foreign: fill(map[string]string{"slug": "finsam-gotland", "insatsID": n(id), "participantID": n(id)}),
				absent:  fill(map[string]string{"slug": "finsam-gotland", "insatsID": n(idorMissing), "participantID": n(idorMissing)})},
			{name: "another association's, under that association",
				foreign: fill(map[string]string{"slug": f.otherAssoc, "insatsID": n(id), "participantID": n(id)}),
				absent:  fill(map[string]string{"slug": f.otherAssoc, "insatsID": n(idorMissing), "participantID": n(idorMissing)})},
		}
	case idorAssociation:
		// An association's existence is public (GET /forbund lists them),
		// so its refusal need not look like a missing one: absent is "".
		return []idorProbe{{name: "another association", foreign: fill(map[string]string{"slug": f.otherAssoc})}}
	}
	return nil
}

// idorBody is a request body that would write, were the access check
// missing: the case's current version and the fields of the route's form.
func idorBody(t *testing.T, st *store.Store, r Route, p idorProbe) (string, string) {
	version := 1
	if p.caseID != 0 {
		version = caseVersionOf(t, st, p.caseID)
	}
	if r.Kind == KindAPI {
		switch {
		case strings.HasSuffix(r.Path, "/close"):
			return "application/json", fmt.Sprintf(`{"version":%d,"note":"Klar"}`, version)
		case strings.HasSuffix(r.Path, "/decisions"):
			return "application/json", fmt.Sprintf(`{"version":%d,"outcome":"granted","decided_on":"2026-11-23","paragraph":"SFB 27 kap.","justification":"Ja"}`, version)
		case strings.HasSuffix(r.Path, "/plan-actions"):
			return "application/json", fmt.Sprintf(`{"version":%d,"title":"Möte","due":"2026-12-10"}`, version)
		}
		return "application/json", fmt.Sprintf(`{"version":%d}`, version)
	}
	f := url.Values{"version": {itoa(int64(version))}}
	switch {
	case strings.HasSuffix(r.Path, "/supplement"):
		f = url.Values{"question": {"6"}, "text-6": {"Beskriv funktionsnedsättningen."}, "last_answer_date": {"2026-12-07"}}
	case strings.Contains(r.Path, "/frister/"):
		f.Set("note", "Klar")
	case strings.Contains(r.Path, "/atgarder/"), strings.HasSuffix(r.Path, "/status"):
		f.Set("status", store.ActionDone)
		if strings.HasSuffix(r.Path, "/status") {
			f.Set("status", store.CaseClosed)
		}
	case strings.HasSuffix(r.Path, "/anteckningar"):
		f.Set("kind", "note")
		f.Set("body", "Anteckning")
	}
	return "application/x-www-form-urlencoded", f.Encode()
}

// TestEveryRouteWithAnIDRefusesOtherOfficesAndOrganisations is the
// insecure-direct-object-reference test: every route of the table whose
// path names a person's resource answers another office's or another
// organisation's id exactly as an id that does not exist (404 for the
// roles that may use the route, the route's own refusal for the rest),
// writes nothing and audits nothing but the refusal.
func TestEveryRouteWithAnIDRefusesOtherOfficesAndOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := idorSetup(t, st)
		ctx := context.Background()
		cookies := map[string]*http.Cookie{}
		for _, id := range identities {
			if id.username == "" {
				continue
			}
			u, err := store.UserByName(ctx, st, id.username)
			if err != nil {
				t.Fatal(err)
			}
			secret := account.NewSecret(account.SessionPrefix)
			now := s.now().UTC()
			if err := st.Tx(ctx, func(tx *store.Tx) error {
				return store.CreateSession(ctx, tx, store.Session{IDHash: account.HashSecret(secret), UserID: u.ID,
					CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(10 * time.Hour), RemoteAddr: "192.0.2.1", UserAgent: "idor"})
			}); err != nil {
				t.Fatal(err)
			}
			cookies[id.username] = &http.Cookie{Name: sessionCookie, Value: secret}
		}
		send := func(id identity, method, path, contentType, body string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			if method != http.MethodGet {
				req.Header.Set("Content-Type", contentType)
			}
			switch {
			case id.token:
				req.Header.Set("Authorization", "Bearer "+f.token)
			case id.username != "":
				req.AddCookie(cookies[id.username])
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			return rec
		}
		allowedAudit := func() int {
			var n int
			if err := st.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE outcome <> $1", "denied").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Sessions and tokens note when they were last used; the audit log
		// gets the refusals, checked above.
		skip := []string{"audit_log", "audit_head", "audit_checkpoints", "sessions", "api_tokens"}
		probed := 0
		for _, r := range s.Routes() {
			if !strings.Contains(r.Path, "{") || strings.HasSuffix(r.Path, "{$}") {
				continue
			}
			if _, ok := idorExempt[r.Pattern()]; ok {
				continue
			}
			kind, ok := idorKindOf(r)
			if !ok {
				t.Errorf("route %s takes a path parameter this test does not know: say in idorKindOf what it names, so that it is probed with other offices' and organisations' ids", r.Pattern())
				continue
			}
			before := storetest.Snapshot(t, st, skip...)
			for _, p := range idorProbes(r, kind, f) {
				for _, id := range identities {
					bodies := []bool{false}
					if r.Method != http.MethodGet {
						// An invalid form must not answer with the resource
						// either.
						bodies = append(bodies, true)
					}
					for _, invalid := range bodies {
						label := fmt.Sprintf("%s %s (%s) as %s", r.Method, p.foreign, p.name, id.name)
						contentType, body := idorBody(t, st, r, p)
						if invalid {
							label += ", invalid form"
							body = "{"
							if contentType != "application/json" {
								body = "version=x"
							}
						}
						audited := allowedAudit()
						got := send(id, r.Method, p.foreign, contentType, body)
						probed++
						if n := allowedAudit(); n != audited {
							t.Errorf("%s: %d entries audited as done, want none", label, n-audited)
						}
						switch {
						case invalid && p.caseID == f.ownCase:
							// The own case's form is checked before its
							// deadline or action is looked up: what
							// matters is that the answer is the absent
							// one's.
						case got.Code == http.StatusNotFound, got.Code == http.StatusForbidden, got.Code == http.StatusUnauthorized:
						case got.Code == http.StatusSeeOther && strings.HasPrefix(got.Header().Get("Location"), "/login?next="):
						default:
							t.Errorf("%s: %d %s, want a refusal", label, got.Code, got.Header().Get("Location"))
							continue
						}
						if p.absent == "" {
							continue
						}
						want := send(id, r.Method, p.absent, contentType, body)
						if got.Code != want.Code {
							t.Errorf("%s: %d, but %d for an id that does not exist", label, got.Code, want.Code)
						}
						if want.Code != http.StatusNotFound && routeAllows(id, r) && !(invalid && p.caseID == f.ownCase) {
							t.Errorf("%s: %d for an id that does not exist, want 404", label, want.Code)
						}
						if b := got.Body.String(); strings.Contains(b, "Romana") || strings.Contains(b, "19650404") {
							t.Errorf("%s: the refusal shows the other office's person", label)
						}
					}
				}
			}
			after := storetest.Snapshot(t, st, skip...)
			for table, rows := range after {
				if !slices.Equal(rows, before[table]) {
					t.Errorf("%s: table %s changed: %d rows before, %d after", r.Pattern(), table, len(before[table]), len(rows))
				}
			}
		}
		if probed == 0 {
			t.Fatal("no route was probed")
		}
	})
}

// routeAllows reports whether the route's own check admits the identity,
// so that what it refuses for a resource must be 404.
func routeAllows(id identity, r Route) bool {
	rule := routeAccess[r.Pattern()]
	switch rule {
	case fkCaseWorkers:
		return id.username == "handlaggare" || id.caseWriter
	case fkCaseRoles:
		return id.username == "handlaggare" || id.username == "chef" || id.caseWriter
	case fkManagers:
		return id.username == "chef"
	case associationStaff:
		return id.username == "forbund"
	case intakeStewards:
		return id.username == "intygsforvaltare"
	}
	return false
}
