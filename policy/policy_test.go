package policy

import (
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
)

const (
	fkOrg     = 1
	regionOrg = 2
	kommunOrg = 3
	afOrg     = 4
	assocOrg  = 5
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func user(org int64, typ organisation.Type, roles ...account.Role) *Actor {
	return &Actor{UserID: 100 + org, OrgID: org, OrgType: typ, Roles: account.RolesOf(roles...)}
}

var (
	anonymous       = &Actor{}
	fkCaseWorker    = user(fkOrg, organisation.FK, account.CaseWorker)
	fkManager       = user(fkOrg, organisation.FK, account.Manager)
	fkAdmin         = user(fkOrg, organisation.FK, account.Admin)
	regionCoord     = user(regionOrg, organisation.Region, account.Coordinator)
	kommunCoord     = user(kommunOrg, organisation.Municipality, account.Coordinator)
	afCoord         = user(afOrg, organisation.AF, account.Coordinator)
	assocStaff      = user(assocOrg, organisation.Association, account.AssociationStaff)
	boardMember     = user(assocOrg, organisation.Association, account.Board)
	regionSteward   = user(regionOrg, organisation.Region, account.IntakeSteward)
	operatorSteward = &Actor{UserID: 8, OrgID: assocOrg, OrgType: organisation.Association, Roles: account.RolesOf(account.IntakeSteward), Operator: true}
	systemAdmin     = &Actor{UserID: 9, OrgID: assocOrg, OrgType: organisation.Association, Roles: account.RolesOf(account.Admin), SystemAdmin: true}
	certToken       = &Actor{TokenID: 1, OrgID: regionOrg, OrgType: organisation.Region, Scopes: ScopeCertificatesWrite}
	readOnlyToken   = &Actor{TokenID: 2, OrgID: regionOrg, OrgType: organisation.Region, Scopes: ScopeCertificatesRead}
	ownedByFK       = Resource{OrgID: fkOrg, Now: now}
	consentRegion   = Consent{OrgID: regionOrg, Parts: PartBasic | PartPlan | PartDiagnoses, ValidFrom: now.AddDate(0, -1, 0), ValidUntil: now.AddDate(0, 1, 0)}
	consentKommun   = Consent{OrgID: kommunOrg, Parts: PartBasic | PartPlan, ValidFrom: now.AddDate(0, -1, 0)}
	fkWithConsents  = Resource{OrgID: fkOrg, Now: now, Consents: []Consent{consentRegion, consentKommun}}
	expiredConsent  = Resource{OrgID: fkOrg, Now: now, Consents: []Consent{{OrgID: regionOrg, Parts: PartBasic, ValidFrom: now.AddDate(-1, 0, 0), ValidUntil: now}}}
	futureConsent   = Resource{OrgID: fkOrg, Now: now, Consents: []Consent{{OrgID: regionOrg, Parts: PartBasic, ValidFrom: now.Add(time.Hour)}}}
	withdrawnConsnt = Resource{OrgID: fkOrg, Now: now, Consents: []Consent{{OrgID: regionOrg, Parts: PartBasic, ValidFrom: now.AddDate(0, -1, 0), Withdrawn: true}}}
)

// canCase is one row of a table of Can's decisions: actor does act on res.
type canCase struct {
	name  string
	actor *Actor
	act   Action
	res   Resource
	want  Decision
}

// checkCan asks Can for every row of tests.
func checkCan(t *testing.T, tests []canCase) {
	t.Helper()
	for _, tc := range tests {
		if got := Can(tc.actor, tc.act, tc.res); got != tc.want {
			t.Errorf("%s: Can = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCan(t *testing.T) {
	checkCan(t, []canCase{
		{"anyone reads public pages", anonymous, Public, Resource{}, Allow},
		{"anonymous must sign in", anonymous, SignedIn, Resource{}, Unauthenticated},
		{"anonymous cannot read persons", anonymous, ReadPerson, ownedByFK, Unauthenticated},
		{"an undeclared action is denied", fkAdmin, Action(0), Resource{}, Deny},

		// Own organisation.
		{"case worker reads own org's person", fkCaseWorker, ReadPerson, ownedByFK, Allow},
		{"case worker writes own org's person", fkCaseWorker, WritePerson, ownedByFK, Allow},
		{"case worker reads diagnoses", fkCaseWorker, ReadDiagnoses, ownedByFK, Allow},
		{"manager reads own org's person", fkManager, ReadPerson, ownedByFK, Allow},
		{"manager does not write cases", fkManager, WritePerson, ownedByFK, Deny},
		{"manager does not read diagnoses", fkManager, ReadDiagnoses, ownedByFK, Deny},

		// Another organisation, through consent only.
		{"region coordinator with consent reads basic", regionCoord, ReadPerson, fkWithConsents, Allow},
		{"region coordinator with consent covering diagnoses reads them", regionCoord, ReadDiagnoses, fkWithConsents, Allow},
		{"municipality coordinator with consent reads basic", kommunCoord, ReadPerson, fkWithConsents, Allow},
		{"municipality coordinator never reads diagnoses", kommunCoord, ReadDiagnoses, fkWithConsents, Deny},
		{"AF without consent sees nothing", afCoord, ReadPerson, fkWithConsents, Hidden},
		{"region coordinator without consent sees nothing", regionCoord, ReadPerson, ownedByFK, Hidden},
		{"expired consent gives nothing", regionCoord, ReadPerson, expiredConsent, Hidden},
		{"consent not yet valid gives nothing", regionCoord, ReadPerson, futureConsent, Hidden},
		{"withdrawn consent gives nothing", regionCoord, ReadPerson, withdrawnConsnt, Hidden},
		{"FK case worker cannot read a region's person", fkCaseWorker, ReadPerson, Resource{OrgID: regionOrg, Now: now}, Hidden},

		// Roles without case access.
		{"board reads no person", boardMember, ReadPerson, Resource{OrgID: assocOrg, Now: now}, Deny},
		{"admin reads no person data", fkAdmin, ReadPerson, ownedByFK, Deny},
		{"admin reads no diagnoses", fkAdmin, ReadDiagnoses, ownedByFK, Deny},
		{"association staff reads own participants", assocStaff, ReadPerson, Resource{OrgID: assocOrg, Now: now}, Allow},
		{"association staff never reads diagnoses", assocStaff, ReadDiagnoses, Resource{OrgID: assocOrg, Now: now}, Deny},

		// Administration.
		{"admin manages own org's users", fkAdmin, ManageUsers, Resource{OrgID: fkOrg}, Allow},
		{"admin cannot manage another org's users", fkAdmin, ManageUsers, Resource{OrgID: regionOrg}, Hidden},
		{"system admin manages every org's users", systemAdmin, ManageUsers, Resource{OrgID: fkOrg}, Allow},
		{"org admin cannot create organisations", fkAdmin, ManageOrganisations, Resource{}, Deny},
		{"system admin creates organisations", systemAdmin, ManageOrganisations, Resource{}, Allow},
		{"case worker cannot manage users", fkCaseWorker, ManageUsers, Resource{OrgID: fkOrg}, Deny},
		{"admin reads own org's audit log", fkAdmin, ReadAudit, Resource{OrgID: fkOrg}, Allow},
		{"case worker cannot read the audit log", fkCaseWorker, ReadAudit, Resource{}, Deny},
		{"board reads reports", boardMember, ReadReports, Resource{}, Allow},
		{"admin reads no reports", fkAdmin, ReadReports, Resource{}, Deny},

		// Rejected certificates: administrators see the reasons
		// (ManageUsers), only intake stewards the body.
		{"steward reads own org's rejected certificates", regionSteward, ReadRejectedCertificates, Resource{OrgID: regionOrg}, Allow},
		{"steward cannot see another org's", regionSteward, ReadRejectedCertificates, Resource{OrgID: fkOrg}, Hidden},
		{"operator's steward reads every org's", operatorSteward, ReadRejectedCertificates, Resource{OrgID: fkOrg}, Allow},
		{"system admin reads no rejected certificate's body", systemAdmin, ReadRejectedCertificates, Resource{OrgID: fkOrg}, Deny},
		{"org admin reads no rejected certificate's body", fkAdmin, ReadRejectedCertificates, Resource{OrgID: fkOrg}, Deny},
		{"case worker reads no rejected certificate's body", fkCaseWorker, ReadRejectedCertificates, Resource{OrgID: fkOrg}, Deny},
		{"steward reads no person", regionSteward, ReadPerson, Resource{OrgID: regionOrg, Now: now}, Deny},
		{"steward manages no users", regionSteward, ManageUsers, Resource{OrgID: regionOrg}, Deny},
		{"a flag alone is not the role", &Actor{UserID: 7, OrgID: assocOrg, Roles: account.RolesOf(account.Admin), Operator: true, SystemAdmin: true}, ReadRejectedCertificates, Resource{OrgID: fkOrg}, Deny},
		{"token reads no rejected certificate", readOnlyToken, ReadRejectedCertificates, Resource{OrgID: regionOrg}, Deny},

		// Coordination associations.
		{"association staff runs own association", assocStaff, ManageAssociation, Resource{OrgID: assocOrg}, Allow},
		{"association staff cannot see another association's register", assocStaff, ManageAssociation, Resource{OrgID: 99}, Hidden},
		{"board does not run the association", boardMember, ManageAssociation, Resource{OrgID: assocOrg}, Deny},
		{"case worker does not run associations", fkCaseWorker, ManageAssociation, Resource{}, Deny},
		{"board reads own association's reports", boardMember, ReadAssociationReports, Resource{OrgID: assocOrg}, Allow},
		{"board member of another association reads none", boardMember, ReadAssociationReports, Resource{OrgID: 99}, Deny},
		{"board seat from a member organisation reads reports", user(kommunOrg, organisation.Municipality, account.Board), ReadAssociationReports, Resource{OrgID: assocOrg, BoardSeat: true}, Allow},
		{"a seat without a report role is not enough at the route", kommunCoord, ReadAssociationReports, Resource{}, Deny},
		{"staff reads own association's reports", assocStaff, ReadAssociationReports, Resource{OrgID: assocOrg}, Allow},
		{"admin reads no association reports", fkAdmin, ReadAssociationReports, Resource{OrgID: assocOrg, Member: true}, Deny},
		{"member's manager reads its contributions", fkManager, ReadContributions, Resource{OrgID: assocOrg, Member: true}, Allow},
		{"member's admin reads its contributions", fkAdmin, ReadContributions, Resource{OrgID: assocOrg, Member: true}, Allow},
		{"non-member's manager reads none", fkManager, ReadContributions, Resource{OrgID: assocOrg}, Deny},
		{"member's coordinator reads none", kommunCoord, ReadContributions, Resource{OrgID: assocOrg, Member: true}, Deny},
		{"board reads own association's contributions", boardMember, ReadContributions, Resource{OrgID: assocOrg}, Allow},
		{"association's own admin reads no contributions", systemAdmin, ReadContributions, Resource{OrgID: assocOrg}, Deny},

		// API tokens.
		{"token with scope sends certificates", certToken, SendCertificates, Resource{OrgID: regionOrg}, Allow},
		{"token without scope cannot send", readOnlyToken, SendCertificates, Resource{OrgID: regionOrg}, Deny},
		{"token for another org's resource sees nothing", certToken, SendCertificates, Resource{OrgID: fkOrg}, Hidden},
		{"token cannot use pages", certToken, SignedIn, Resource{}, Deny},
		{"token cannot read persons", certToken, ReadPerson, Resource{OrgID: regionOrg}, Deny},
		{"token cannot manage users", certToken, ManageUsers, Resource{OrgID: regionOrg}, Deny},
		{"user cannot use token-only actions", fkCaseWorker, SendCertificates, Resource{OrgID: fkOrg}, Deny},
	})
}

// Every action has a name for the audit log.
func TestActionNames(t *testing.T) {
	seen := map[string]bool{}
	for a := Public; a < numActions; a++ {
		n := a.String()
		if n == "" || n == "invalid" || seen[n] {
			t.Errorf("action %d has name %q", a, n)
		}
		seen[n] = true
	}
}

var sink Decision

// The common case: a case worker reading a person of their own organisation.
func BenchmarkCanOwnOrganisation(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Can(fkCaseWorker, ReadPerson, ownedByFK)
	}
}

// The consent path: another organisation reading through two consents.
func BenchmarkCanThroughConsent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Can(kommunCoord, ReadPerson, fkWithConsents)
	}
}

// Within FK, office-bound staff see their own office's cases only; a case
// without an office, or staff without one, are not restricted by office.
func TestOffices(t *testing.T) {
	visby := &Actor{UserID: 201, OrgID: fkOrg, OrgType: organisation.FK, Roles: account.RolesOf(account.CaseWorker), OfficeID: 10}
	visbyChef := &Actor{UserID: 202, OrgID: fkOrg, OrgType: organisation.FK, Roles: account.RolesOf(account.Manager), OfficeID: 10}
	director := &Actor{UserID: 203, OrgID: fkOrg, OrgType: organisation.FK, Roles: account.RolesOf(account.Manager)}
	visbyCase := Resource{OrgID: fkOrg, OfficeID: 10, Now: now}
	kalmarCase := Resource{OrgID: fkOrg, OfficeID: 11, Now: now}
	unowned := Resource{OrgID: fkOrg, Now: now}
	checkCan(t, []canCase{
		{"case worker, own office", visby, ReadPerson, visbyCase, Allow},
		{"case worker writes, own office", visby, WritePerson, visbyCase, Allow},
		{"case worker, other office", visby, ReadPerson, kalmarCase, Hidden},
		{"case worker writes, other office", visby, WritePerson, kalmarCase, Hidden},
		{"case worker diagnoses, other office", visby, ReadDiagnoses, kalmarCase, Hidden},
		{"case worker, case without office", visby, ReadPerson, unowned, Allow},
		{"case worker may not assign", visby, AssignCases, visbyCase, Deny},
		{"office manager reads own office's figures", visbyChef, ReadCaseloadFigures, visbyCase, Allow},
		{"office manager, other office's figures", visbyChef, ReadCaseloadFigures, kalmarCase, Hidden},
		{"director reads every office's figures", director, ReadCaseloadFigures, kalmarCase, Allow},
		{"case worker reads no caseload figures", visby, ReadCaseloadFigures, Resource{}, Deny},
		{"another organisation's manager reads no caseload figures", &Actor{UserID: 204, OrgID: kommunOrg, OrgType: organisation.Municipality,
			Roles: account.RolesOf(account.Manager)}, ReadCaseloadFigures, Resource{}, Deny},
		{"manager assigns in own office", visbyChef, AssignCases, visbyCase, Allow},
		{"manager, other office", visbyChef, AssignCases, kalmarCase, Hidden},
		{"manager without office assigns anywhere", director, AssignCases, kalmarCase, Allow},
		{"manager without office reads anywhere", director, ReadPerson, kalmarCase, Allow},
		{"other organisation's manager", user(afOrg, organisation.AF, account.Manager), AssignCases, visbyCase, Hidden},
		{"administrator never assigns", fkAdmin, AssignCases, visbyCase, Deny},
		{"FK's administrator adds rules parameters", fkAdmin, ManageRulesParameters, Resource{}, Allow},
		{"the system administrator adds rules parameters", systemAdmin, ManageRulesParameters, Resource{}, Allow},
		{"another organisation's administrator does not", user(regionOrg, organisation.Region, account.Admin), ManageRulesParameters, Resource{}, Deny},
		{"FK's case worker does not", fkCaseWorker, ManageRulesParameters, Resource{}, Deny},
		{"a token does not", certToken, ManageRulesParameters, Resource{}, Deny},
	})
}

// Coordination across agencies: each part of the person's data is a
// separate choice, the consent that allowed is named for the audit log,
// and another organisation never writes the owner's data.
func TestConsentParts(t *testing.T) {
	af := user(afOrg, organisation.AF, account.Coordinator)
	consent := Consent{ID: 42, OrgID: afOrg, Parts: PartBasic | PartPlan | PartSickLeave, ValidFrom: now.AddDate(0, 0, -7), ValidUntil: now.AddDate(0, 6, 0)}
	regionOnly := Consent{ID: 43, OrgID: regionOrg, Parts: PartBasic | PartDiagnoses, ValidFrom: now.AddDate(0, 0, -7)}
	res := func(p Part) Resource {
		return Resource{OrgID: fkOrg, Now: now, Part: p, Consents: []Consent{regionOnly, consent}}
	}
	tests := []struct {
		name    string
		a       *Actor
		act     Action
		r       Resource
		want    Decision
		consent int64
	}{
		{"AF reads basic details through its consent", af, ReadPerson, res(0), Allow, 42},
		{"AF reads the plan", af, ReadPerson, res(PartPlan), Allow, 42},
		{"AF reads sick-leave periods", af, ReadPerson, res(PartSickLeave), Allow, 42},
		{"AF does not read FK's decisions it was not given", af, ReadPerson, res(PartDecisions), Hidden, 0},
		{"AF never reads diagnoses", af, ReadDiagnoses, res(0), Deny, 0},
		{"AF adds its own plan actions", af, Coordinate, res(0), Allow, 42},
		{"AF does not write FK's case data", af, WritePerson, res(0), Hidden, 0},
		{"region reads diagnoses through the other consent", regionCoord, ReadDiagnoses, res(0), Allow, 43},
		{"region without the plan part does not coordinate", regionCoord, Coordinate, res(0), Hidden, 0},
		{"region without the sick-leave part does not see it", regionCoord, ReadPerson, res(PartSickLeave), Hidden, 0},
		{"FK's case worker reads its own case without a consent", fkCaseWorker, ReadPerson, res(PartDecisions), Allow, 0},
		{"FK's case worker coordinates its own case", fkCaseWorker, Coordinate, res(0), Allow, 0},
		{"FK's manager does not coordinate", fkManager, Coordinate, res(0), Deny, 0},
		{"a board member does not coordinate", boardMember, Coordinate, Resource{}, Deny, 0},
		{"withdrawn: AF gets nothing", af, ReadPerson, Resource{OrgID: fkOrg, Now: now, Consents: []Consent{{ID: 42, OrgID: afOrg, Parts: PartBasic, ValidFrom: now.AddDate(0, 0, -7), Withdrawn: true}}}, Hidden, 0},
		{"ended: AF gets nothing", af, ReadPerson, Resource{OrgID: fkOrg, Now: now, Consents: []Consent{{ID: 42, OrgID: afOrg, Parts: PartBasic, ValidFrom: now.AddDate(0, 0, -7), ValidUntil: now}}}, Hidden, 0},
		{"anonymous must sign in to coordinate", anonymous, Coordinate, res(0), Unauthenticated, 0},
		{"a token never coordinates", certToken, Coordinate, res(0), Deny, 0},
	}
	for _, tt := range tests {
		d, id := Decide(tt.a, tt.act, tt.r)
		if d != tt.want || id != tt.consent {
			t.Errorf("%s: Decide = %v, consent %d; want %v, consent %d", tt.name, d, id, tt.want, tt.consent)
		}
		if c := Can(tt.a, tt.act, tt.r); c != d {
			t.Errorf("%s: Can = %v, Decide = %v", tt.name, c, d)
		}
	}
}

// A consent is recorded by the organisation that obtained it: FK's case
// workers and the agencies' coordinators, each for their own organisation.
func TestManageConsents(t *testing.T) {
	checkCan(t, []canCase{
		{"FK's case worker records FK's consents", fkCaseWorker, ManageConsents, Resource{OrgID: fkOrg}, Allow},
		{"AF's coordinator records AF's", afCoord, ManageConsents, Resource{OrgID: afOrg}, Allow},
		{"AF's coordinator cannot touch FK's", afCoord, ManageConsents, Resource{OrgID: fkOrg}, Hidden},
		{"the route admits coordinators", kommunCoord, ManageConsents, Resource{}, Allow},
		{"FK's manager records none", fkManager, ManageConsents, Resource{}, Deny},
		{"an administrator records none", fkAdmin, ManageConsents, Resource{}, Deny},
		{"association staff record none here", assocStaff, ManageConsents, Resource{}, Deny},
		{"a case worker outside FK records none", user(regionOrg, organisation.Region, account.CaseWorker), ManageConsents, Resource{}, Deny},
	})
}

// The decision through consent for one part, among five consents of a
// person, the last of them the one that allows: the coordination pages ask
// it for every item they show.
func BenchmarkCanThroughConsentPart(b *testing.B) {
	r := Resource{OrgID: fkOrg, Now: now, Part: PartSickLeave}
	for i := range 5 {
		r.Consents = append(r.Consents, Consent{ID: int64(i + 1), OrgID: int64(10 + i), Parts: PartBasic | PartPlan, ValidFrom: now.AddDate(0, -1, 0)})
	}
	r.Consents[4] = Consent{ID: 5, OrgID: afOrg, Parts: PartBasic | PartSickLeave, ValidFrom: now.AddDate(0, -1, 0), ValidUntil: now.AddDate(0, 1, 0)}
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = Decide(afCoord, ReadPerson, r)
	}
}
