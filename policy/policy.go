// Package policy decides every access in finsam: Can(actor, action,
// resource). It is pure (no I/O, no clock: "now" is part of the resource),
// so the whole access model can be read in this one file and tested as a
// table.
//
// The rules:
//   - Staff see only their own organisation's data.
//   - Another organisation's staff see a person's data only through a
//     coordination the person consented to, only the parts the consent
//     covers (Resource.Part), and only while it is valid and not withdrawn
//     (see Consent); Decide names the consent for the audit log. Through a
//     consent they write only their own part of the coordination
//     (Coordinate), never the owner's data (WritePerson).
//   - Diagnoses are visible only to roles that need them: FK case workers,
//     and coordinators in health care (regions) through consent.
//   - Within an organisation, staff bound to an office see that office's
//     cases only (a case worker in Visby does not open Kalmar's cases).
//   - Managers re-assign cases between case workers of their office.
//   - Administrators manage users, offices and tokens but never read case
//     data; of a rejected certificate they see the reasons, and only an
//     intake steward reads its body.
//   - API tokens act for their organisation within their scopes only.
package policy

import (
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
)

// Action is something an actor wants to do. Every route declares one.
type Action uint8

// The actions.
const (
	invalidAction Action = iota
	// Public needs no sign-in: the start page, sign-in, static files,
	// health checks, the public API.
	Public
	// SignedIn needs any signed-in user: the account page, sign-out.
	SignedIn
	// ViewOrganisations lists organisations and their offices.
	ViewOrganisations
	// ManageOrganisations creates and edits organisations (system
	// administrators). An organisation's own offices and customer groups
	// are managed under ManageUsers with that organisation as the resource.
	ManageOrganisations
	// ManageUsers creates users, sets roles, disables accounts.
	ManageUsers
	// ManageTokens creates and revokes API tokens.
	ManageTokens
	// ReadAudit searches the audit log and makes access-log extracts.
	ReadAudit
	// ReadPerson reads a person's case data (not diagnoses).
	ReadPerson
	// WritePerson changes a person's case data.
	WritePerson
	// ReadDiagnoses reads diagnoses, the most sensitive part.
	ReadDiagnoses
	// ReadReports reads aggregated reports without personal data.
	ReadReports
	// SendCertificates sends medical certificates (API tokens).
	SendCertificates
	// ReadSentCertificates reads back certificates the organisation sent.
	ReadSentCertificates
	// AssignCases re-assigns cases between case workers (managers).
	AssignCases
	// ManageAssociation runs a coordination association (samordningsförbund): its
	// members, financing, insatser and participants, personal data
	// included. Only the association's own staff; the resource's OrgID is
	// the association.
	ManageAssociation
	// ReadAssociationReports reads an association's reports (aggregates,
	// small cells suppressed): its staff and its board — board-role users of
	// the association, or anyone holding a current seat on its board or
	// preparatory group (Resource.BoardSeat).
	ReadAssociationReports
	// ReadContributions reads an association's contributions and invoices:
	// its staff and board in full; a member organisation's managers, board
	// members and administrators (Resource.Member) their own organisation's
	// rows only, which the handler filters.
	ReadContributions
	// ManageRulesParameters adds legislation parameter values and
	// scenarios to the rules engine: Försäkringskassan's administrators
	// and the system administrator.
	ManageRulesParameters
	// ReadRejectedCertificates reads rejected certificates in full: the
	// body as received, with its personnummer and health data. Only intake
	// stewards, for certificates their organisation sent, or any of an
	// operator's steward (Resource.OrgID is the sender). Administrators see
	// the reasons and the failing fields only (ManageUsers).
	ReadRejectedCertificates
	// ReadCaseloadFigures reads the managers' dashboards of Försäkringskassan's
	// caseload (counts per customer group, office and case worker, and the
	// lists of cases they count, without names): FK's managers, an
	// office-bound one for their own office only (Resource.OfficeID), a
	// director without an office for every office.
	ReadCaseloadFigures
	// ManageConsents records and withdraws a person's consents to share
	// data between agencies: FK's case workers and the coordinators of AF,
	// the regions and the municipalities, each for the consents their own
	// organisation obtained (Resource.OrgID is the recording organisation).
	ManageConsents
	// Coordinate writes one's own organisation's part of a coordination
	// across agencies (invitations, meetings, plan actions, notes): FK's
	// case workers on their organisation's cases, and another agency's
	// coordinators only through a consent that covers PartPlan for their
	// organisation. Resource.OrgID owns the coordination.
	Coordinate
	numActions
)

var actionNames = [numActions]string{"invalid", "public", "signed_in", "view_organisations", "manage_organisations",
	"manage_users", "manage_tokens", "read_audit", "read_person", "write_person", "read_diagnoses", "read_reports",
	"send_certificates", "read_sent_certificates", "assign_cases", "manage_association", "read_association_reports",
	"read_contributions", "manage_rules_parameters", "read_rejected_certificates", "read_caseload_figures", "manage_consents", "coordinate"}

// String is the stable name of the action, as written to the audit log.
func (a Action) String() string {
	if a < numActions {
		return actionNames[a]
	}
	return "invalid"
}

// Valid reports whether a is a declared action.
func (a Action) Valid() bool { return a > invalidAction && a < numActions }

// Part is a part of a person's data that a consent may cover. Each is a
// separate choice of the person's.
type Part uint8

// The parts.
const (
	PartBasic        Part = 1 << iota // name, contact, case status, deadlines
	PartPlan                          // the joint rehabilitation plan and the meetings
	PartCertificates                  // certificate content other than diagnoses
	PartDiagnoses                     // diagnoses and medical text
	PartSickLeave                     // sick-leave periods and degrees
	PartDecisions                     // Försäkringskassan's decisions
)

// AllParts are the parts a consent can cover, in the order people choose
// them.
var AllParts = [...]Part{PartBasic, PartPlan, PartSickLeave, PartDecisions, PartDiagnoses}

// Consent is what a person's recorded consent must provide for a read under
// it: the organisations they agreed to share with, which parts, and for how
// long. A recorded consent naming several organisations is one Consent per
// organisation, all with the recorded consent's ID.
type Consent struct {
	// ID is the recorded consent's id, written to the audit log with every
	// access through it.
	ID         int64
	OrgID      int64
	Parts      Part
	ValidFrom  time.Time
	ValidUntil time.Time // exclusive; zero means until withdrawn
	Withdrawn  bool
}

// covers reports whether the consent lets org see part at now.
func (c *Consent) covers(org int64, part Part, now time.Time) bool {
	return !c.Withdrawn && c.OrgID == org && c.Parts&part == part &&
		!now.Before(c.ValidFrom) && (c.ValidUntil.IsZero() || now.Before(c.ValidUntil))
}

// Actor is who asks: a signed-in user or an API token, never both. The zero
// Actor is anonymous.
type Actor struct {
	UserID  int64
	TokenID int64
	OrgID   int64
	OrgType organisation.Type
	Roles   account.Roles
	// SystemAdmin marks an administrator of the organisation that operates
	// the installation: they manage every organisation, not only their own.
	SystemAdmin bool
	// Operator marks any user of the organisation that operates the
	// installation (its intake steward reads every sender's rejected
	// certificates).
	Operator bool
	// Scopes of an API token.
	Scopes ScopeSet
	// OfficeID is the user's office, 0 for none. FK staff with an office
	// see only that office's cases.
	OfficeID int64
}

// Anonymous reports whether nobody is signed in.
func (a *Actor) Anonymous() bool { return a.UserID == 0 && a.TokenID == 0 }

// ScopeSet is a set of API token scopes.
type ScopeSet uint8

// Scope bits, matching account.KnownScopes.
const (
	ScopeCertificatesWrite ScopeSet = 1 << iota
	ScopeCertificatesRead
	ScopeRulesEvaluate
)

// ScopesOf converts scope names into a set; unknown names are ignored.
func ScopesOf(names ...account.Scope) ScopeSet {
	var s ScopeSet
	for _, n := range names {
		switch n {
		case account.ScopeCertificatesWrite:
			s |= ScopeCertificatesWrite
		case account.ScopeCertificatesRead:
			s |= ScopeCertificatesRead
		case account.ScopeRulesEvaluate:
			s |= ScopeRulesEvaluate
		}
	}
	return s
}

// Resource is what is asked for. The zero Resource asks whether the actor
// may perform the action at all (the route-level check); handlers then ask
// again with the resource's owner filled in.
type Resource struct {
	// OrgID owns the resource (the organisation whose case, user or token it
	// is). 0 means no particular owner.
	OrgID int64
	// Consents are the person's consents, for person data owned by another
	// organisation.
	Consents []Consent
	// Now is the time of the request, for consent validity.
	Now time.Time
	// OfficeID is the office that owns a case, 0 for none.
	OfficeID int64
	// For an association's resources (OrgID is the association):
	// BoardSeat says the actor holds a current seat on its board or
	// preparatory group; Member says the actor's organisation is one of
	// its members. The handler looks both up; policy stays pure.
	BoardSeat bool
	Member    bool
	// Part is the part of a person's data asked for through a consent;
	// zero means PartBasic. ReadDiagnoses always asks for PartDiagnoses,
	// Coordinate for PartPlan.
	Part Part
}

// Decision is the answer. Its zero value denies.
type Decision uint8

// The decisions, each with the HTTP status it maps to.
const (
	// Deny: the actor may not (403).
	Deny Decision = iota
	// Allow: go ahead.
	Allow
	// Unauthenticated: sign in first (401, or a redirect to /login).
	Unauthenticated
	// Hidden: the resource belongs to someone the actor may not even know
	// about; answer as if it did not exist (404).
	Hidden
)

// Allowed reports whether d allows.
func (d Decision) Allowed() bool { return d == Allow }

var (
	caseRoles      = account.RolesOf(account.CaseWorker, account.Manager, account.Coordinator, account.AssociationStaff)
	caseWriteRoles = account.RolesOf(account.CaseWorker, account.Coordinator, account.AssociationStaff)
	reportRoles    = account.RolesOf(account.Manager, account.Board, account.AssociationStaff, account.CaseWorker)
	adminRole      = account.RolesOf(account.Admin)
	// Roles in a coordination association.
	assocStaffRole   = account.RolesOf(account.AssociationStaff)
	assocReportRoles = account.RolesOf(account.AssociationStaff, account.Board)
	memberReadRoles  = account.RolesOf(account.Manager, account.Board, account.Admin)
	consentRoles     = account.RolesOf(account.CaseWorker, account.Coordinator)
)

// Can decides whether actor a may perform act on r.
func Can(a *Actor, act Action, r Resource) Decision {
	// Decide's switch, repeated so that the common case costs no extra
	// call.
	switch act {
	case ReadPerson, WritePerson, ReadDiagnoses, Coordinate:
		if a.TokenID == 0 && !a.Anonymous() {
			d, _ := canPerson(a, act, r)
			return d
		}
	}
	return can(a, act, r)
}

// Decide is Can that also says through which consent it allowed: the
// consent's ID when another organisation's person data is read or written
// under a consent, 0 otherwise. The caller writes it to the audit log.
func Decide(a *Actor, act Action, r Resource) (Decision, int64) {
	switch act {
	case ReadPerson, WritePerson, ReadDiagnoses, Coordinate:
		if a.TokenID == 0 && !a.Anonymous() {
			return canPerson(a, act, r)
		}
	}
	return can(a, act, r), 0
}

func can(a *Actor, act Action, r Resource) Decision {
	if act == Public {
		return Allow
	}
	if !act.Valid() {
		return Deny
	}
	if a.Anonymous() {
		return Unauthenticated
	}
	if a.TokenID != 0 {
		return canToken(a, act, r)
	}
	switch act {
	case SignedIn, ViewOrganisations:
		return Allow
	case ManageOrganisations:
		if a.Roles.HasAny(adminRole) && a.SystemAdmin {
			return Allow
		}
		return Deny
	case ReadRejectedCertificates:
		if !a.Roles.Has(account.IntakeSteward) {
			return Deny
		}
		if r.OrgID == 0 || r.OrgID == a.OrgID || a.Operator {
			return Allow
		}
		return Hidden
	case ManageUsers, ManageTokens, ReadAudit:
		if !a.Roles.HasAny(adminRole) {
			return Deny
		}
		if r.OrgID == 0 || r.OrgID == a.OrgID || a.SystemAdmin {
			return Allow
		}
		return Hidden
	case ManageRulesParameters:
		if a.Roles.HasAny(adminRole) && (a.OrgType == organisation.FK || a.SystemAdmin) {
			return Allow
		}
		return Deny
	case ReadReports:
		if a.Roles.HasAny(reportRoles) {
			return Allow
		}
		return Deny
	case ManageConsents:
		if !coordinates(a) {
			return Deny
		}
		if r.OrgID != 0 && r.OrgID != a.OrgID {
			return Hidden
		}
		return Allow
	case ManageAssociation, ReadAssociationReports, ReadContributions:
		return canAssociation(a, act, r)
	case ReadCaseloadFigures:
		if a.OrgType != organisation.FK || !a.Roles.Has(account.Manager) {
			return Deny
		}
		if r.OrgID != 0 && r.OrgID != a.OrgID || !sameOffice(a, r) {
			return Hidden
		}
		return Allow
	case AssignCases:
		if !a.Roles.Has(account.Manager) {
			return Deny
		}
		if r.OrgID != 0 && r.OrgID != a.OrgID || !sameOffice(a, r) {
			return Hidden
		}
		return Allow
	}
	return Deny
}

// canAssociation applies the coordination association's rules. The route-level
// check (no owner) admits the roles that may ever do act; with an owner,
// the association's own staff do everything, its board reads reports and
// contributions, and a member organisation reads its own contributions.
// Anyone else gets 404 for another association's participants and 403 for
// the rest: an association's existence is public, its registers are not.
func canAssociation(a *Actor, act Action, r Resource) Decision {
	roles := assocStaffRole
	switch act {
	case ReadAssociationReports:
		roles = assocReportRoles
	case ReadContributions:
		roles = assocReportRoles | memberReadRoles
	}
	if !a.Roles.HasAny(roles) {
		return Deny
	}
	if r.OrgID == 0 {
		return Allow
	}
	own := a.OrgID == r.OrgID
	switch act {
	case ManageAssociation:
		if own {
			return Allow
		}
		return Hidden
	case ReadAssociationReports:
		if own && a.Roles.HasAny(assocReportRoles) || r.BoardSeat {
			return Allow
		}
	case ReadContributions:
		if own && a.Roles.HasAny(assocReportRoles) || r.BoardSeat || r.Member && a.Roles.HasAny(memberReadRoles) {
			return Allow
		}
	}
	return Deny
}

// canPerson applies the person-data rules: the own organisation (within
// the office) without consent; another organisation only through a consent
// that covers it, the part asked for and the time, and never to write the
// owner's data (Coordinate writes one's own part of a coordination).
func canPerson(a *Actor, act Action, r Resource) (Decision, int64) {
	roles := caseRoles
	part := r.Part
	if part == 0 {
		part = PartBasic
	}
	switch act {
	case WritePerson:
		roles = caseWriteRoles
	case Coordinate:
		part = PartPlan
		if !coordinates(a) {
			return Deny, 0
		}
	case ReadDiagnoses:
		part = PartDiagnoses
		// Who needs diagnoses: FK case workers for the benefit decision, and
		// health-care coordinators (regions). Not managers, associations,
		// boards, municipalities or AF.
		switch {
		case a.OrgType == organisation.FK && a.Roles.Has(account.CaseWorker):
		case a.OrgType == organisation.Region && a.Roles.Has(account.Coordinator):
		default:
			return Deny, 0
		}
		roles = consentRoles
	}
	if !a.Roles.HasAny(roles) {
		return Deny, 0
	}
	if r.OrgID == 0 || r.OrgID == a.OrgID {
		if !sameOffice(a, r) {
			return Hidden, 0
		}
		return Allow, 0
	}
	if act == WritePerson {
		return Hidden, 0
	}
	for i := range r.Consents {
		if r.Consents[i].covers(a.OrgID, part, r.Now) {
			return Allow, r.Consents[i].ID
		}
	}
	return Hidden, 0
}

// coordinates reports whether a takes part in coordination across agencies
// for their organisation: FK's case workers and every agency's
// coordinators.
func coordinates(a *Actor) bool {
	return a.Roles.Has(account.Coordinator) || a.OrgType == organisation.FK && a.Roles.Has(account.CaseWorker)
}

// sameOffice reports whether an office-bound actor may see a resource of
// its own organisation: staff with an office see that office's cases only;
// staff without one (a customer group's manager, say) see them all.
func sameOffice(a *Actor, r Resource) bool {
	return a.OfficeID == 0 || r.OfficeID == 0 || a.OfficeID == r.OfficeID
}

// canToken applies the API-token rules: a token acts only for its own
// organisation and only within its scopes.
func canToken(a *Actor, act Action, r Resource) Decision {
	var need ScopeSet
	switch act {
	case SendCertificates:
		need = ScopeCertificatesWrite
	case ReadSentCertificates:
		need = ScopeCertificatesRead
	default:
		return Deny
	}
	if a.Scopes&need == 0 {
		return Deny
	}
	if r.OrgID != 0 && r.OrgID != a.OrgID {
		return Hidden
	}
	return Allow
}
