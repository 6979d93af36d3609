package web

import "github.com/finsam/finsam/policy"

// registerRoutes is the one place where every route is declared, each with
// the action it needs (see package policy). Handlers check the resource
// itself (whose organisation, which consent) with s.authorize.
func (s *Server) registerRoutes() {
	// Operations and static files: public, no actor looked up.
	s.infra("GET /healthz", s.healthz)
	s.infra("GET /readyz", s.readyz)
	s.infra("GET /metrics", s.metrics.handler().ServeHTTP)
	s.infra("GET /static/{file}", s.site.Static)

	// Public pages. Routes whose handler is wrapped in s.reads only read
	// and may be served from a read replica (replica.go).
	s.page("GET /{$}", policy.Public, s.reads(s.startPage))
	s.page("GET /login", policy.Public, s.loginForm)
	s.page("POST /login", policy.Public, s.login)
	s.page("POST /logout", policy.Public, s.logout)
	s.page("GET /login/oidc/{org}", policy.Public, s.oidcStart)
	s.page("GET /login/oidc/{org}/callback", policy.Public, s.oidcCallback)

	// The signed-in user's own account.
	own := s.features.account
	s.route(KindPage, "GET /account", policy.SignedIn, own.Page)
	s.route(KindPage, "POST /account/password", policy.SignedIn, own.ChangePassword)
	s.route(KindPage, "POST /account/sessions/end-all", policy.SignedIn, own.EndAllSessions)

	// Administration (issue 4): users, organisations and offices, API
	// tokens, the audit log. The route's action admits administrators; the
	// handlers then authorize the owning organisation of each user, office
	// or token (policy.Resource{OrgID}), so that an organisation's
	// administrator gets 404 for another organisation's. Persons are
	// searched by POST only: a personnummer never appears in a URL or a log.
	s.page("GET /admin/users", policy.ManageUsers, s.adminUsers)
	s.page("GET /admin/users/new", policy.ManageUsers, s.adminUserNew)
	s.page("POST /admin/users", policy.ManageUsers, s.adminUserCreate)
	s.page("GET /admin/users/{id}", policy.ManageUsers, s.adminUser)
	s.page("POST /admin/users/{id}", policy.ManageUsers, s.adminUserUpdate)
	s.page("POST /admin/users/{id}/password", policy.ManageUsers, s.adminUserPassword)
	s.page("POST /admin/users/{id}/sessions/end", policy.ManageUsers, s.adminUserEndSessions)
	s.page("GET /admin/organisations", policy.ManageUsers, s.adminOrganisations)
	s.page("POST /admin/organisations", policy.ManageOrganisations, s.adminOrganisationCreate)
	s.page("GET /admin/organisations/{slug}", policy.ManageUsers, s.adminOrganisation)
	s.page("POST /admin/organisations/{slug}/offices", policy.ManageUsers, s.adminOfficeCreate)
	s.page("GET /admin/tokens", policy.ManageTokens, s.adminTokens)
	s.page("POST /admin/tokens", policy.ManageTokens, s.adminTokenCreate)
	s.page("POST /admin/tokens/{id}/revoke", policy.ManageTokens, s.adminTokenRevoke)
	s.page("GET /admin/audit", policy.ReadAudit, s.adminAudit)
	s.page("POST /admin/audit/person", policy.ReadAudit, s.adminAuditPerson)

	// The JSON API.
	s.api("GET /api/v1/openapi.json", policy.Public, s.openAPIDocument)

	// Rules (package web/calculator): the sickness-benefit engine as an API
	// and as the calculator page. Public: the input is a situation, not a person, so
	// nothing personal is sent or kept.
	calc := s.features.calculator
	s.route(KindAPI, "POST /api/v1/rules/evaluate", policy.Public, calc.Evaluate)
	s.route(KindPage, "GET /rakna", policy.Public, calc.Page)
	// The parameters behind it: public to read, built-in and stored values
	// alike; Försäkringskassan's administrators add values after the
	// release and scenarios (ManageRulesParameters).
	s.route(KindPage, "GET /regler/parametrar", policy.Public, s.readsRoute(calc.ParamsPage))
	s.route(KindAPI, "GET /api/v1/rules/parameters", policy.Public, s.readsRoute(calc.APIParams))
	s.route(KindAPI, "GET /api/v1/rules/scenarios", policy.Public, s.readsRoute(calc.APIScenarios))
	s.route(KindPage, "GET /admin/regler", policy.ManageRulesParameters, calc.AdminPage)
	s.route(KindPage, "POST /admin/regler/varden", policy.ManageRulesParameters, calc.AdminAddValue)
	s.route(KindPage, "POST /admin/regler/scenarier", policy.ManageRulesParameters, calc.AdminAddScenario)
	s.route(KindAPI, "POST /api/v1/rules/parameters", policy.ManageRulesParameters, calc.APIAddParam)
	s.route(KindAPI, "POST /api/v1/rules/scenarios", policy.ManageRulesParameters, calc.APIAddScenario)

	// Certificates (issue 6): care providers send FK 7804 certificates with
	// a token scoped certificates:write.
	s.api("POST /api/v1/certificates", policy.SendCertificates, s.receiveCertificate)

	// Supplement requests (issue 6 item 5, supplement.go): an FK case
	// worker asks the care provider to complete a certificate (WritePerson
	// on the FK organisation, to which every FK 7804 is addressed, and on
	// the office of the certificate's case, as the certificate page decides
	// in loadCertificate; others get 404). The care provider's system fetches its open requests and
	// reminders with a token scoped certificates:read: they are messages
	// about certificates it sent, so the action is ReadSentCertificates, and
	// a token sees only messages addressed to its own organisation.
	s.page("POST /certificates/{id}/supplement", policy.WritePerson, s.supplementCreate)
	s.api("GET /api/v1/messages", policy.ReadSentCertificates, s.listMessages)

	// Certificates: FK's pages (issue 6 item 6, certificate_pages.go). Every
	// FK 7804 is addressed to Försäkringskassan: the handlers authorize
	// ReadPerson on the FK organisation (FK case workers and managers; other
	// organisations get 404) and ReadDiagnoses before showing a diagnosis.
	// The inbox lists the certificates of the user's office; links carry
	// finsam's certificate id, never a personnummer.
	s.page("GET /certificates", policy.ReadPerson, s.certificateInbox)
	s.page("GET /certificates/{id}", policy.ReadPerson, s.certificatePage)

	// The quality board (package web/quality): counts per care provider,
	// unit and month, no personal data, for the roles that read reports.
	qual := s.features.quality
	s.route(KindPage, "GET /quality", policy.ReadReports, s.readsRoute(qual.Board))
	s.route(KindPage, "GET /quality.csv", policy.ReadReports, s.readsRoute(qual.CSV))
	s.route(KindPage, "GET /quality.xlsx", policy.ReadReports, s.readsRoute(qual.XLSX))

	// Certificate administration (admin_rejected.go, admin_fmb.go): the
	// rejected certificates, of the administrator's (or intake steward's)
	// organisation or, for the operating organisation's, all; the FMB table, which any administrator may
	// read and only a system administrator may replace (it changes every
	// organisation's quality scores).
	s.page("GET /admin/certificates/rejected", policy.ManageUsers, s.adminRejected)
	s.page("GET /admin/certificates/rejected/{id}", policy.ManageUsers, s.adminRejectedOne)
	// Administrators see a rejected certificate's reasons and failing
	// fields only; its body (personnummer, diagnoses, medical text) only
	// the intake steward, audited.
	s.page("GET /certificates/rejected", policy.ReadRejectedCertificates, s.stewardRejected)
	s.page("GET /certificates/rejected/{id}", policy.ReadRejectedCertificates, s.stewardRejectedOne)
	s.page("GET /admin/fmb", policy.ManageUsers, s.adminFMB)
	s.page("POST /admin/fmb", policy.ManageOrganisations, s.adminFMBLoad)

	// Case work (issue 7, cases.go): FK's worklists and case pages. Reads
	// need ReadPerson and writes WritePerson on the case's office of the FK
	// organisation (its case workers write, its managers read; staff of
	// another office or organisation get 404); managers re-assign cases of
	// their office (AssignCases). Links carry the case's id, never a
	// personnummer. Every form carries the case's version: a stale one
	// writes nothing and answers 409.
	s.page("GET /arenden", policy.ReadPerson, s.worklistPage)
	s.page("GET /arenden/kontor", policy.AssignCases, s.officeWorklistPage)
	s.page("GET /arenden/nytt", policy.WritePerson, s.newCase)
	s.page("POST /arenden/nytt", policy.WritePerson, s.newCasePost)
	s.page("GET /arenden/{id}", policy.ReadPerson, s.casePage)
	s.page("POST /arenden/{id}/tilldela", policy.AssignCases, s.assignCase)
	s.page("POST /arenden/{id}/kontor", policy.AssignCases, s.caseMovePost)
	s.page("POST /arenden/{id}/fakta", policy.WritePerson, s.caseFactsPost)
	s.page("POST /arenden/{id}/status", policy.WritePerson, s.caseStatusPost)
	s.page("POST /arenden/{id}/perioder", policy.WritePerson, s.casePeriodPost)
	s.page("POST /arenden/{id}/frister/{deadlineID}", policy.WritePerson, s.caseDeadlinePost)
	s.page("POST /arenden/{id}/anteckningar", policy.WritePerson, s.caseNotePost)
	s.page("POST /arenden/{id}/beslut", policy.WritePerson, s.caseDecisionPost)
	s.page("POST /arenden/{id}/atgarder", policy.WritePerson, s.caseActionPost)
	s.page("POST /arenden/{id}/atgarder/{actionID}", policy.WritePerson, s.caseActionStatusPost)
	// The same as JSON for signed-in users (cases_api.go): writes take the
	// case's version and answer 409 stale_version on a conflict.
	s.api("GET /api/v1/cases", policy.ReadPerson, s.apiCases)
	s.api("GET /api/v1/cases/{id}", policy.ReadPerson, s.apiCase)
	s.api("GET /api/v1/cases/{id}/deadlines", policy.ReadPerson, s.apiCaseDeadlines)
	s.api("POST /api/v1/cases/{id}/deadlines/{deadlineID}/close", policy.WritePerson, s.apiCloseDeadline)
	s.api("GET /api/v1/cases/{id}/decisions", policy.ReadPerson, s.apiCaseDecisions)
	s.api("POST /api/v1/cases/{id}/decisions", policy.WritePerson, s.apiAddDecision)
	s.api("GET /api/v1/cases/{id}/plan-actions", policy.ReadPerson, s.apiCasePlanActions)
	s.api("POST /api/v1/cases/{id}/plan-actions", policy.WritePerson, s.apiAddPlanAction)

	// Coordination associations (issue 8, association.go): pages under
	// /forbund/{slug}/ and the API under /api/v1/associations/{slug}/. The
	// association's staff run it (ManageAssociation: personal data only to
	// them), its board reads reports (ReadAssociationReports) and member
	// organisations read their own contributions (ReadContributions).
	s.registerAssociationRoutes()

	// The associations' public websites (package web/publicsite): under
	// /f/{site}/ and on their own host names (Config.PublicSiteHosts).
	// Public and anonymous: no cookies, cacheable; the forms visitors send
	// (interest, sign-up, cancellation, problem report) write only what
	// they say. The staff edit the site under /forbund/{slug}/webb
	// (ManageAssociation; the handlers check the association).
	s.registerPublicSiteRoutes()

	// Everything else: 404, or 405 when the path exists for another method.
	s.mux.HandleFunc("/", s.unmatched)
}
