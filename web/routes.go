package web

import (
	"net/http"

	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/web/internal/site"
)

// registerRoutes is the one place where every route is declared, each with
// the action it needs (see package policy). Handlers check the resource
// itself (whose organisation, which consent) with Site.Authorize.
func (s *Server) registerRoutes() {
	// Operations and static files: public, no actor looked up.
	s.infra("GET /healthz", s.healthz)
	s.infra("GET /readyz", s.readyz)
	s.infra("GET /metrics", s.metrics.handler().ServeHTTP)
	s.infra("GET /static/{file}", s.site.Static)

	// Public pages. Routes whose handler is wrapped in s.reads only read
	// and may be served from a read replica (replica.go).
	s.route(KindPage, "GET /{$}", policy.Public, s.readsRoute(s.startPage))
	s.route(KindPage, "GET /login", policy.Public, s.features.signin.Form)
	s.route(KindPage, "POST /login", policy.Public, s.features.signin.SignIn)
	s.route(KindPage, "POST /logout", policy.Public, s.features.signin.SignOut)
	s.route(KindPage, "GET /login/oidc/{org}", policy.Public, s.features.signin.OIDCStart)
	s.route(KindPage, "GET /login/oidc/{org}/callback", policy.Public, s.features.signin.OIDCCallback)

	// The signed-in user's own account.
	own := s.features.account
	s.route(KindPage, "GET /account", policy.SignedIn, own.Page)
	s.route(KindPage, "POST /account/password", policy.SignedIn, own.ChangePassword)
	s.route(KindPage, "POST /account/sessions/end-all", policy.SignedIn, own.EndAllSessions)

	// Administration (package web/admin): users, organisations and offices, API
	// tokens, the audit log. The route's action admits administrators; the
	// handlers then authorize the owning organisation of each user, office
	// or token (policy.Resource{OrgID}), so that an organisation's
	// administrator gets 404 for another organisation's. Persons are
	// searched by POST only: a personnummer never appears in a URL or a log.
	adm := s.features.admin
	s.route(KindPage, "GET /admin/users", policy.ManageUsers, adm.Users)
	s.route(KindPage, "GET /admin/users/new", policy.ManageUsers, adm.UserNew)
	s.route(KindPage, "POST /admin/users", policy.ManageUsers, adm.UserCreate)
	s.route(KindPage, "GET /admin/users/{id}", policy.ManageUsers, adm.User)
	s.route(KindPage, "POST /admin/users/{id}", policy.ManageUsers, adm.UserUpdate)
	s.route(KindPage, "POST /admin/users/{id}/password", policy.ManageUsers, adm.UserPassword)
	s.route(KindPage, "POST /admin/users/{id}/sessions/end", policy.ManageUsers, adm.UserEndSessions)
	s.route(KindPage, "GET /admin/organisations", policy.ManageUsers, adm.Organisations)
	s.route(KindPage, "POST /admin/organisations", policy.ManageOrganisations, adm.OrganisationCreate)
	s.route(KindPage, "GET /admin/organisations/{slug}", policy.ManageUsers, adm.Organisation)
	s.route(KindPage, "POST /admin/organisations/{slug}/offices", policy.ManageUsers, adm.OfficeCreate)
	s.route(KindPage, "GET /admin/tokens", policy.ManageTokens, adm.Tokens)
	s.route(KindPage, "POST /admin/tokens", policy.ManageTokens, adm.TokenCreate)
	s.route(KindPage, "POST /admin/tokens/{id}/revoke", policy.ManageTokens, adm.TokenRevoke)
	s.route(KindPage, "GET /admin/audit", policy.ReadAudit, adm.AuditLog)
	s.route(KindPage, "POST /admin/audit/person", policy.ReadAudit, adm.AuditExtract)

	// The search of the page header (package web/search): a person by
	// personnummer or name, a case by number, a certificate by id. The
	// query travels in the body of a POST only, never in a URL or a log;
	// the result links carry ids. ReadPerson admits the roles that read
	// persons; the handler searches only what each one's own pages show
	// (an office's cases, the coordinations the consents open, an
	// association's participants) and asks the policy of every row as its
	// page does. GET shows the form alone.
	sok := s.features.search
	s.route(KindPage, "GET /sok", policy.ReadPerson, sok.Page)
	s.route(KindPage, "POST /sok", policy.ReadPerson, sok.Search)

	// The JSON API.
	s.route(KindAPI, "GET /api/v1/openapi.json", policy.Public, s.openAPIDocument)

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

	// Certificates (package web/certificates): care providers send FK 7804 certificates with
	// a token scoped certificates:write.
	s.route(KindAPI, "POST /api/v1/certificates", policy.SendCertificates, s.features.certificates.Receive)

	// Supplement requests (web/cases, web/internal/supplement): an FK case
	// worker asks the care provider to complete a certificate (WritePerson
	// on the FK organisation, to which every FK 7804 is addressed, and on
	// the office of the certificate's case, as the certificate page decides
	// in loadCertificate; others get 404). The care provider's system fetches its open requests and
	// reminders with a token scoped certificates:read: they are messages
	// about certificates it sent, so the action is ReadSentCertificates, and
	// a token sees only messages addressed to its own organisation.
	s.route(KindPage, "POST /certificates/{id}/supplement", policy.WritePerson, s.features.cases.Supplement)
	s.route(KindAPI, "GET /api/v1/messages", policy.ReadSentCertificates, s.listMessages)

	// Certificates: FK's pages (package web/certificates). Every
	// FK 7804 is addressed to Försäkringskassan: the handlers authorize
	// ReadPerson on the FK organisation (FK case workers and managers; other
	// organisations get 404) and ReadDiagnoses before showing a diagnosis.
	// The inbox lists the certificates of the user's office; links carry
	// finsam's certificate id, never a personnummer.
	s.route(KindPage, "GET /certificates", policy.ReadPerson, s.features.certificates.Inbox)
	s.route(KindPage, "GET /certificates/{id}", policy.ReadPerson, s.features.certificates.Page)

	// The quality board (package web/quality): counts per care provider,
	// unit and month, no personal data, for the roles that read reports.
	qual := s.features.quality
	s.route(KindPage, "GET /quality", policy.ReadReports, s.readsRoute(qual.Board))
	s.route(KindPage, "GET /quality.csv", policy.ReadReports, s.readsRoute(qual.CSV))
	s.route(KindPage, "GET /quality.xlsx", policy.ReadReports, s.readsRoute(qual.XLSX))
	s.route(KindAPI, "GET /api/v1/dashboards/quality", policy.ReadReports, s.readsRoute(qual.API))
	s.route(KindPage, "GET /quality/units.csv", policy.ReadReports, s.readsRoute(qual.UnitsCSV))
	s.route(KindPage, "GET /quality/units.xlsx", policy.ReadReports, s.readsRoute(qual.UnitsXLSX))
	s.route(KindAPI, "GET /api/v1/dashboards/quality/units", policy.ReadReports, s.readsRoute(qual.UnitsAPI))

	// The managers' dashboards (package web/dashboards): FK's caseload by
	// customer group, office and case worker, each figure with the list of
	// the cases it counts; an office's manager sees their own office only.
	// They only read, and may be served from a read replica.
	dash := s.features.dashboards
	s.route(KindPage, "GET /dashboards", policy.ReadCaseloadFigures, s.readsRoute(dash.Page))
	s.route(KindPage, "GET /dashboards/lista", policy.ReadCaseloadFigures, s.readsRoute(dash.ListPage))
	s.route(KindPage, "GET /dashboards.csv", policy.ReadCaseloadFigures, s.readsRoute(dash.CSV))
	s.route(KindPage, "GET /dashboards.xlsx", policy.ReadCaseloadFigures, s.readsRoute(dash.XLSX))
	s.route(KindAPI, "GET /api/v1/dashboards/caseload", policy.ReadCaseloadFigures, s.readsRoute(dash.API))
	s.route(KindAPI, "GET /api/v1/dashboards/caseload/cases", policy.ReadCaseloadFigures, s.readsRoute(dash.ListAPI))
	// What-if over the caseload: a rules scenario re-evaluates the open
	// cases in the background beside the law; it only reads.
	s.route(KindPage, "GET /dashboards/vad-om", policy.ReadCaseloadFigures, dash.WhatifPage)
	s.route(KindPage, "POST /dashboards/vad-om", policy.ReadCaseloadFigures, dash.WhatifStart)
	s.route(KindAPI, "POST /api/v1/dashboards/whatif", policy.ReadCaseloadFigures, dash.APIStart)
	s.route(KindAPI, "GET /api/v1/dashboards/whatif", policy.ReadCaseloadFigures, dash.APIStatus)

	// Certificate administration (package web/admin): the
	// rejected certificates, of the administrator's (or intake steward's)
	// organisation or, for the operating organisation's, all; the FMB table, which any administrator may
	// read and only a system administrator may replace (it changes every
	// organisation's quality scores).
	s.route(KindPage, "GET /admin/certificates/rejected", policy.ManageUsers, adm.Rejected)
	s.route(KindPage, "GET /admin/certificates/rejected/{id}", policy.ManageUsers, adm.RejectedOne)
	// Administrators see a rejected certificate's reasons and failing
	// fields only; its body (personnummer, diagnoses, medical text) only
	// the intake steward, audited.
	s.route(KindPage, "GET /certificates/rejected", policy.ReadRejectedCertificates, adm.StewardRejected)
	s.route(KindPage, "GET /certificates/rejected/{id}", policy.ReadRejectedCertificates, adm.StewardRejectedOne)
	s.route(KindPage, "GET /admin/fmb", policy.ManageUsers, adm.FMB)
	s.route(KindPage, "POST /admin/fmb", policy.ManageOrganisations, adm.FMBLoad)

	// Case work (package web/cases): FK's worklists and case pages. Reads
	// need ReadPerson and writes WritePerson on the case's office of the FK
	// organisation (its case workers write, its managers read; staff of
	// another office or organisation get 404); managers re-assign cases of
	// their office (AssignCases). Links carry the case's id, never a
	// personnummer. Every form carries the case's version: a stale one
	// writes nothing and answers 409.
	cs := s.features.cases
	s.route(KindPage, "GET /arenden", policy.ReadPerson, cs.Worklist)
	s.route(KindPage, "GET /arenden/kontor", policy.AssignCases, cs.OfficeWorklist)
	s.route(KindPage, "GET /arenden.csv", policy.ReadPerson, cs.WorklistCSV)
	s.route(KindPage, "GET /arenden/kontor.csv", policy.AssignCases, cs.OfficeWorklistCSV)
	s.route(KindPage, "POST /arenden/kontor/tilldela", policy.AssignCases, cs.AssignCases)
	s.route(KindPage, "GET /arenden/nytt", policy.WritePerson, cs.New)
	s.route(KindPage, "POST /arenden/nytt", policy.WritePerson, cs.Create)
	s.route(KindPage, "GET /arenden/{id}", policy.ReadPerson, cs.Page)
	s.route(KindPage, "GET /arenden/{id}/utskrift", policy.ReadPerson, cs.Print)
	s.route(KindPage, "POST /arenden/{id}/tilldela", policy.AssignCases, cs.AssignCase)
	s.route(KindPage, "POST /arenden/{id}/kontor", policy.AssignCases, cs.Move)
	s.route(KindPage, "POST /arenden/{id}/fakta", policy.WritePerson, cs.Facts)
	s.route(KindPage, "POST /arenden/{id}/status", policy.WritePerson, cs.Status)
	s.route(KindPage, "POST /arenden/{id}/perioder", policy.WritePerson, cs.Period)
	s.route(KindPage, "POST /arenden/{id}/frister/{deadlineID}", policy.WritePerson, cs.Deadline)
	s.route(KindPage, "POST /arenden/{id}/anteckningar", policy.WritePerson, cs.Note)
	s.route(KindPage, "POST /arenden/{id}/beslut", policy.WritePerson, cs.Decision)
	s.route(KindPage, "POST /arenden/{id}/atgarder", policy.WritePerson, cs.Action)
	s.route(KindPage, "POST /arenden/{id}/atgarder/{actionID}", policy.WritePerson, cs.ActionStatus)
	// The same as JSON for signed-in users: writes take the
	// case's version and answer 409 stale_version on a conflict.
	s.route(KindAPI, "GET /api/v1/cases", policy.ReadPerson, cs.APICases)
	s.route(KindAPI, "GET /api/v1/cases/{id}", policy.ReadPerson, cs.APICase)
	s.route(KindAPI, "GET /api/v1/cases/{id}/deadlines", policy.ReadPerson, cs.APICaseDeadlines)
	s.route(KindAPI, "POST /api/v1/cases/{id}/deadlines/{deadlineID}/close", policy.WritePerson, cs.APICloseDeadline)
	s.route(KindAPI, "GET /api/v1/cases/{id}/decisions", policy.ReadPerson, cs.APICaseDecisions)
	s.route(KindAPI, "POST /api/v1/cases/{id}/decisions", policy.WritePerson, cs.APIAddDecision)
	s.route(KindAPI, "GET /api/v1/cases/{id}/plan-actions", policy.ReadPerson, cs.APICasePlanActions)
	s.route(KindAPI, "POST /api/v1/cases/{id}/plan-actions", policy.WritePerson, cs.APIAddPlanAction)

	// Coordination associations (package web/forbund): pages under
	// /forbund/{slug}/ and the API under /api/v1/associations/{slug}/. The
	// association's staff run it (ManageAssociation: personal data only to
	// them), its board reads reports (ReadAssociationReports) and member
	// organisations read their own contributions (ReadContributions).
	fb := s.features.forbund
	s.route(KindPage, "GET /forbund", policy.SignedIn, fb.List)
	s.route(KindPage, "GET /forbund/{slug}", policy.ReadContributions, fb.Overview)
	s.route(KindPage, "GET /forbund/{slug}/installningar", policy.ManageAssociation, fb.SettingsPage)
	s.route(KindPage, "POST /forbund/{slug}/installningar", policy.ManageAssociation, fb.SettingsSave)
	s.route(KindPage, "GET /forbund/{slug}/styrelse", policy.ReadContributions, fb.BoardPage)
	s.route(KindPage, "POST /forbund/{slug}/styrelse", policy.ManageAssociation, fb.SeatAdd)
	s.route(KindPage, "POST /forbund/{slug}/styrelse/avsluta", policy.ManageAssociation, fb.SeatEnd)
	s.route(KindPage, "POST /forbund/{slug}/styrelse/ta-bort", policy.ManageAssociation, fb.SeatRemove)
	s.route(KindPage, "GET /forbund/{slug}/finansiering", policy.ReadContributions, fb.FinancePage)
	s.route(KindPage, "POST /forbund/{slug}/finansiering", policy.ManageAssociation, fb.SplitSave)
	s.route(KindPage, "POST /forbund/{slug}/finansiering/betalningar", policy.ManageAssociation, fb.PaymentsSave)
	s.route(KindPage, "GET /forbund/{slug}/budget", policy.ManageAssociation, fb.BudgetPage)
	s.route(KindPage, "POST /forbund/{slug}/budget", policy.ManageAssociation, fb.BudgetAdd)
	s.route(KindPage, "POST /forbund/{slug}/budget/ta-bort", policy.ManageAssociation, fb.BudgetDelete)
	s.route(KindPage, "POST /forbund/{slug}/budget/eget-kapital", policy.ManageAssociation, fb.EquitySave)
	s.route(KindPage, "GET /forbund/{slug}/fordelning", policy.ManageAssociation, fb.AllocationPage)
	s.route(KindPage, "POST /forbund/{slug}/fordelning", policy.ManageAssociation, fb.AllocationRun)
	s.route(KindAPI, "GET /api/v1/associations/{slug}", policy.ReadContributions, fb.APIAssociation)
	s.route(KindAPI, "GET /api/v1/associations/{slug}/contributions", policy.ReadContributions, fb.APIContributions)
	s.route(KindAPI, "POST /api/v1/associations/{slug}/contributions", policy.ManageAssociation, fb.APIContributionsSave)
	s.route(KindAPI, "GET /api/v1/associations/{slug}/budget-lines", policy.ManageAssociation, fb.APIBudgetLines)
	s.route(KindAPI, "POST /api/v1/associations/{slug}/budget-lines", policy.ManageAssociation, fb.APIBudgetLineAdd)
	s.route(KindAPI, "POST /api/v1/associations/{slug}/equity", policy.ManageAssociation, fb.APIEquitySave)
	s.route(KindAPI, "POST /api/v1/associations/{slug}/allocation", policy.ManageAssociation, fb.APIAllocation)
	// Insatser and participants: the association's staff only; a
	// participant's personal data is shown to them, audited.
	m := policy.ManageAssociation
	s.route(KindPage, "GET /forbund/{slug}/insatser", m, fb.InsatsList)
	s.route(KindPage, "GET /forbund/{slug}/insatser/ny", m, fb.InsatsNew)
	s.route(KindPage, "POST /forbund/{slug}/insatser/ny", m, fb.InsatsCreate)
	s.route(KindPage, "GET /forbund/{slug}/insatser/{insatsID}", m, fb.InsatsShow)
	s.route(KindPage, "POST /forbund/{slug}/insatser/{insatsID}", m, fb.InsatsUpdate)
	s.route(KindPage, "GET /forbund/{slug}/insatser/{insatsID}/deltagare/ny", m, fb.ParticipantNew)
	s.route(KindPage, "POST /forbund/{slug}/insatser/{insatsID}/deltagare/ny", m, fb.ParticipantCreate)
	s.route(KindPage, "GET /forbund/{slug}/deltagare", m, fb.ParticipantList)
	s.route(KindPage, "GET /forbund/{slug}/deltagare/{participantID}", m, fb.ParticipantShow)
	s.route(KindPage, "POST /forbund/{slug}/deltagare/{participantID}/start", m, fb.ParticipantStart)
	s.route(KindPage, "POST /forbund/{slug}/deltagare/{participantID}/avboj", m, fb.ParticipantDecline)
	s.route(KindPage, "POST /forbund/{slug}/deltagare/{participantID}/utskrivning", m, fb.ParticipantEnd)
	s.route(KindPage, "POST /forbund/{slug}/deltagare/{participantID}/uppfoljning", m, fb.ParticipantFollowUp)
	s.route(KindPage, "GET /forbund/{slug}/kodlistor", m, fb.CodeListsPage)
	s.route(KindPage, "POST /forbund/{slug}/kodlistor", m, fb.CodeListsUpload)
	api := "/api/v1/associations/{slug}/"
	s.route(KindAPI, "GET "+api+"insatser", m, fb.APIInsatser)
	s.route(KindAPI, "POST "+api+"insatser", m, fb.APIInsatsCreate)
	s.route(KindAPI, "GET "+api+"insatser/{insatsID}", m, fb.APIInsats)
	s.route(KindAPI, "PUT "+api+"insatser/{insatsID}", m, fb.APIInsatsUpdate)
	s.route(KindAPI, "GET "+api+"insatser/{insatsID}/participants", m, fb.APIParticipants)
	s.route(KindAPI, "POST "+api+"insatser/{insatsID}/participants", m, fb.APIParticipantCreate)
	s.route(KindAPI, "GET "+api+"participants/{participantID}", m, fb.APIParticipant)
	s.route(KindAPI, "POST "+api+"participants/{participantID}/end", m, fb.APIParticipantEnd)
	s.route(KindAPI, "POST "+api+"participants/{participantID}/follow-up", m, fb.APIParticipantFollowUp)
	// Referral from case work (web/cases): an FK case worker with
	// write access to the case; the form is a page of its own, linked from
	// the case page's section "Hänvisa till samordningsförbund".
	s.route(KindPage, "GET /arenden/{id}/hanvisning", policy.WritePerson, cs.ReferralPage)
	s.route(KindPage, "POST /arenden/{id}/hanvisning", policy.WritePerson, cs.Refer)
	// Reports: counts, no personal data; read from a replica.
	s.route(KindPage, "GET /forbund/{slug}/rapporter", policy.ReadAssociationReports, s.readsRoute(fb.ReportPage))
	s.route(KindPage, "GET /forbund/{slug}/rapporter/arsrapport.pdf", policy.ReadAssociationReports, s.readsRoute(fb.ReportPDF))
	s.route(KindPage, "GET /forbund/{slug}/rapporter/arsrapport.xlsx", policy.ReadAssociationReports, s.readsRoute(fb.ReportXLSX))
	s.route(KindPage, "GET /forbund/{slug}/rapporter/uppfoljning-finsam.csv", policy.ReadAssociationReports, s.readsRoute(fb.UppfoljningCSV))
	s.route(KindAPI, "GET /api/v1/associations/{slug}/reports/yearly", policy.ReadAssociationReports, s.readsRoute(fb.APIYearly))
	s.route(KindAPI, "GET /api/v1/associations/{slug}/reports/uppfoljning-finsam.csv", policy.ReadAssociationReports, s.readsRoute(fb.UppfoljningCSV))

	// Coordination across the agencies (package web/coordination, ADR 20):
	// a case's coordination belongs to the organisation leading it; others
	// see it only when invited and only the parts the person's consent
	// covers for them (ReadPerson with the part; Coordinate writes their
	// own part). Consents are recorded and withdrawn by the organisation
	// that obtained them (ManageConsents).
	coord := s.features.coord
	s.route(KindPage, "GET /samordning", policy.ReadPerson, coord.List)
	s.route(KindPage, "GET /samordning/vardenheter", policy.ReadPerson, coord.Units)
	s.route(KindPage, "GET /arenden/{id}/samordning", policy.Coordinate, coord.CasePage)
	s.route(KindPage, "POST /arenden/{id}/samordning", policy.Coordinate, coord.Start)
	s.route(KindPage, "POST /arenden/{id}/samordning/samtycken", policy.ManageConsents, coord.CaseConsent)
	s.route(KindPage, "POST /samtycken/{consentID}/aterkalla", policy.ManageConsents, coord.WithdrawConsent)
	s.route(KindPage, "GET /samordning/{id}", policy.ReadPerson, coord.Page)
	s.route(KindPage, "POST /samordning/{id}/samtycken", policy.ManageConsents, coord.RecordConsent)
	s.route(KindPage, "POST /samordning/{id}/parter", policy.Coordinate, coord.Invite)
	s.route(KindPage, "POST /samordning/{id}/moten", policy.Coordinate, coord.AddMeeting)
	s.route(KindPage, "POST /samordning/{id}/moten/{meetingID}", policy.Coordinate, coord.MeetingHeld)
	s.route(KindPage, "POST /samordning/{id}/moten/{meetingID}/installt", policy.Coordinate, coord.CancelMeeting)
	s.route(KindPage, "POST /samordning/{id}/atgarder", policy.Coordinate, coord.AddAction)
	s.route(KindPage, "POST /samordning/{id}/atgarder/{actionID}", policy.Coordinate, coord.EditAction)
	s.route(KindPage, "POST /samordning/{id}/anteckningar", policy.Coordinate, coord.AddNote)
	s.route(KindAPI, "GET /api/v1/coordinations", policy.ReadPerson, coord.APIList)
	s.route(KindAPI, "GET /api/v1/coordinations/{coordinationID}", policy.ReadPerson, coord.APIGet)
	s.route(KindAPI, "POST /api/v1/coordinations/{coordinationID}/consents", policy.ManageConsents, coord.APIConsent)
	s.route(KindAPI, "POST /api/v1/coordinations/{coordinationID}/meetings", policy.Coordinate, coord.APIMeeting)
	s.route(KindAPI, "POST /api/v1/coordinations/{coordinationID}/plan-actions", policy.Coordinate, coord.APIAction)
	s.route(KindAPI, "POST /api/v1/consents/{consentID}/withdraw", policy.ManageConsents, coord.APIWithdraw)
	s.route(KindAPI, "POST /api/v1/coordinations/{coordinationID}/meetings/{meetingID}/held", policy.Coordinate, coord.APIMeetingHeld)
	s.route(KindAPI, "POST /api/v1/coordinations/{coordinationID}/plan-actions/{actionID}", policy.Coordinate, coord.APIEditAction)
	s.route(KindAPI, "POST /api/v1/coordinations/{coordinationID}/notes", policy.Coordinate, coord.APINote)
	// The region's way in (ADR 33): from its care units' patients, the
	// region records its patient's consent and starts a coordination it
	// leads.
	s.route(KindPage, "GET /samordning/vardenheter/arenden/{id}", policy.Coordinate, coord.RegionPage)
	s.route(KindPage, "POST /samordning/vardenheter/arenden/{id}", policy.Coordinate, coord.RegionStart)
	s.route(KindPage, "POST /samordning/vardenheter/arenden/{id}/samtycken", policy.ManageConsents, coord.RegionConsent)

	// The associations' public websites (package web/publicsite): under
	// /f/{site}/ and on their own host names (Config.PublicSiteHosts).
	// Public and anonymous: no cookies, cacheable; the forms visitors send
	// (interest, sign-up, cancellation, problem report) write only what
	// they say. The staff edit the site under /forbund/{slug}/webb
	// (ManageAssociation; the handlers check the association).
	{
		pub := s.features.publicsite
		get := func(pattern string, h func(w http.ResponseWriter, r *http.Request, a *site.Actor) error) {
			s.route(KindPage, "GET "+pattern, policy.Public, s.readsRoute(h))
		}
		post := func(pattern string, h func(w http.ResponseWriter, r *http.Request, a *site.Actor) error) {
			s.route(KindPage, "POST "+pattern, policy.Public, h)
		}
		get("/f/{site}/{$}", pub.Start)
		get("/f/{site}/aktivitetskatalogen", pub.Catalogue)
		get("/f/{site}/aktivitetskatalogen/{id}", pub.Insats)
		get("/f/{site}/aktivitetskatalogen/{id}/utskrift", pub.InsatsPrint)
		post("/f/{site}/aktivitetskatalogen/{id}/intresse", pub.Interest)
		get("/f/{site}/projekt", pub.Projects)
		get("/f/{site}/natverket", pub.Network)
		get("/f/{site}/moten", pub.Events)
		get("/f/{site}/moten.ics", pub.Calendar)
		get("/f/{site}/moten/{id}", pub.Event)
		get("/f/{site}/moten/{id}/ics", pub.EventICS)
		post("/f/{site}/moten/{id}/anmalan", pub.Signup)
		get("/f/{site}/avanmalan/{token}", pub.CancelForm)
		post("/f/{site}/avanmalan/{token}", pub.Cancel)
		get("/f/{site}/nyheter", pub.News)
		get("/f/{site}/nyheter.xml", pub.Feed)
		get("/f/{site}/nyheter/{slug}", pub.NewsItem)
		get("/f/{site}/sida/{slug}", pub.Page)
		get("/f/{site}/sida/{slug}/lattlast", pub.EasyPage)
		get("/f/{site}/sok", pub.Search)
		get("/f/{site}/sitemap.xml", pub.Sitemap)
		get("/f/{site}/robots.txt", pub.Robots)
		get("/f/{site}/tillganglighet", pub.Statement)
		get("/f/{site}/integritet", pub.Privacy)
		get("/f/{site}/rapportera", pub.ReportForm)
		post("/f/{site}/rapportera", pub.Report)
		get("/f/{site}/nyheter.atom", pub.AtomFeed)
		get("/f/{site}/bilder/{file}", pub.Image)
		get("/f/{site}/{rest...}", pub.NotFound)

		// Editing, by the association's staff.
		staff := func(method, pattern string, h func(w http.ResponseWriter, r *http.Request, a *site.Actor) error) {
			s.route(KindPage, method+" /forbund/{slug}/webb"+pattern, policy.ManageAssociation, h)
		}
		staff("GET", "", pub.Overview)
		staff("POST", "/installningar", pub.SaveSettings)
		staff("POST", "/natverket", pub.AddNetworkOrg)
		staff("GET", "/intresse", pub.Interests)
		staff("POST", "/intresse/{interestID}/klar", pub.InterestDone)
		staff("GET", "/katalog/{insatsID}", pub.Entry)
		staff("POST", "/katalog/{insatsID}", pub.SaveEntry)
		staff("GET", "/sidor/ny", pub.NewPage)
		staff("POST", "/sidor/ny", pub.SavePage)
		staff("GET", "/sidor/{pageID}", pub.EditPage)
		staff("POST", "/sidor/{pageID}", pub.SavePage)
		staff("POST", "/sidor/{pageID}/aterstall", pub.RestorePage)
		staff("POST", "/sidor/{pageID}/bilder", pub.UploadImage)
		staff("POST", "/sidor/{pageID}/bilder/{imageID}/ta-bort", pub.DeleteImage)
		staff("GET", "/moten/ny", pub.NewEvent)
		staff("POST", "/moten/ny", pub.SaveEvent)
		staff("GET", "/moten/{eventID}", pub.EditEvent)
		staff("POST", "/moten/{eventID}", pub.SaveEvent)
		staff("GET", "/moten/{eventID}/anmalningar.csv", pub.SignupsCSV)
		staff("GET", "/natverket/{orgID}", pub.NetworkOrg)
		staff("POST", "/natverket/{orgID}", pub.SaveNetworkOrg)
	}

	// Everything else: 404, or 405 when the path exists for another method.
	s.mux.HandleFunc("/", s.unmatched)
}
