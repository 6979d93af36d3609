// Package demo generates finsam's synthetic demo data set: deterministic for
// a seed, used by `finsam serve --demo`, `finsam demo`, the tests and the
// benchmarks. Every person in it is made up; personnummer are in the test
// series (see personnummer.Generate) and pass the checksum.
//
// Organisations are real public bodies (names and SCB codes are public
// facts); what finsam records about them in a demo is not.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// DefaultSeed is the seed `--demo` uses, so every demo looks the same.
const DefaultSeed uint64 = 20080701

// Dataset is one generated demo data set.
type Dataset struct {
	Organisations []OrgSpec
	Users         []UserSpec
}

// OrgSpec is an organisation with its parent named by slug, its offices and,
// for an association, its members.
type OrgSpec struct {
	organisation.Organisation
	ParentSlug     string
	CustomerGroups []store.CustomerGroup
	Offices        []OfficeSpec
	Members        []string // slugs, for associations
}

// OfficeSpec is an office with its customer group named by slug.
type OfficeSpec struct {
	store.Office
	CustomerGroupSlug string
}

// UserSpec is a demo user; every demo user gets the demo password.
type UserSpec struct {
	Username, Name, Org, Office string
	Roles                       account.Roles
}

// OperatorOrg is the organisation that operates the demo installation.
const OperatorOrg = "finsam-gotland"

// Generate builds the data set for a seed. The same seed always gives the
// same data set.
func Generate(seed uint64) Dataset {
	_ = seed // organisations and users are fixed; Persons and GenerateCases use the seed
	return Dataset{Organisations: organisations(), Users: users()}
}

// organisations are the bodies of the demo around Gotland: FK with
// the customer group for temporarily reduced work capacity and the local
// office in Visby, AF with its Gotland office, Region Gotland (which also
// sends certificates), Gotland municipality and Samordningsförbundet
// Gotland; and every other region and municipality from SCB's code list, so
// that the installation knows the whole country.
func organisations() []OrgSpec {
	o := func(slug, name string, t organisation.Type, code, parent string) OrgSpec {
		return OrgSpec{Organisation: organisation.Organisation{Slug: slug, Name: name, Type: t, Code: code}, ParentSlug: parent}
	}
	fk := o("fk", "Försäkringskassan", organisation.FK, "", "")
	fk.OrgNumber = "2021005521"
	fk.CustomerGroups = []store.CustomerGroup{
		{Slug: "tillfalligt-nedsatt", Name: "Tillfälligt nedsatt arbetsförmåga – kan behöva rehabilitering"},
		{Slug: "varaktigt-nedsatt", Name: "Varaktigt nedsatt arbetsförmåga"},
	}
	fk.Offices = []OfficeSpec{
		{Office: store.Office{Slug: "lfc-visby", Name: "Lokalt försäkringscenter Visby", Kind: store.OfficeInsuranceCentre, MunicipalityCode: "0980"}, CustomerGroupSlug: "tillfalligt-nedsatt"},
		{Office: store.Office{Slug: "lk-visby", Name: "Lokalt kontor Visby", Kind: store.OfficeLocal, MunicipalityCode: "0980"}},
		// A second office with cases of its own, so that the office filter
		// and the office boundary (a case worker in Roma cannot open a
		// case of Visby's) can be shown.
		{Office: store.Office{Slug: "lk-roma", Name: "Lokalt kontor Roma", Kind: store.OfficeLocal, MunicipalityCode: "0980"}, CustomerGroupSlug: "varaktigt-nedsatt"},
	}
	af := o("af", "Arbetsförmedlingen", organisation.AF, "", "")
	af.OrgNumber = "2021006883"
	af.Offices = []OfficeSpec{{Office: store.Office{Slug: "af-gotland", Name: "Arbetsförmedlingen Gotland", Kind: store.OfficeOther, MunicipalityCode: "0980"}}}
	assoc := o(OperatorOrg, "Samordningsförbundet Gotland", organisation.Association, "", "")
	assoc.Members = []string{"fk", "af", "region-gotland", "gotlands-kommun"}

	out := []OrgSpec{fk, af}
	for _, r := range codelist.Regions() {
		out = append(out, o(codelist.Slug(r.Name), r.Name, organisation.Region, r.Code, ""))
	}
	taken := map[string]bool{}
	for _, m := range codelist.Municipalities() {
		name := municipalityName(m.Name)
		slug := codelist.Slug(name)
		if taken[slug] { // Håbo and Habo fold to the same slug
			slug += "-" + m.Code
		}
		taken[slug] = true
		region, _ := codelist.RegionByCode(m.RegionCode)
		out = append(out, o(slug, name, organisation.Municipality, m.Code, codelist.Slug(region.Name)))
	}
	out = append(out, assoc,
		o("vardcentral-visby-demo", "Vårdcentralen Visby (demo)", organisation.CareProvider, "SE0000000000-DEMO1", "region-gotland"))
	return out
}

// municipalityName is the usual name of a municipality's authority: the
// genitive of the place name and "kommun" ("Gotlands kommun", "Malmö
// kommun": names ending in a vowel or s take no genitive s).
func municipalityName(place string) string {
	last := []rune(place)[len([]rune(place))-1]
	if strings.ContainsRune("aeiouyåäösxz", last) {
		return place + " kommun"
	}
	return place + "s kommun"
}

// users are the demo users, one per role, and a member organisation's
// reader of the coordination association.
func users() []UserSpec {
	r := account.RolesOf
	return []UserSpec{
		{"handlaggare", "Hanna Handläggare (demo)", "fk", "lfc-visby", r(account.CaseWorker)},
		{"chef", "Cecilia Chef (demo)", "fk", "lfc-visby", r(account.Manager)},
		// A director (försäkringsdirektör) without an office: the
		// dashboards of every office and customer group.
		{"direktor", "Dora Direktör (demo)", "fk", "", r(account.Manager)},
		{"samordnare-af", "Adam Arbetsförmedlare (demo)", "af", "af-gotland", r(account.Coordinator)},
		{"samordnare-region", "Rut Rehabkoordinator (demo)", "region-gotland", "", r(account.Coordinator)},
		{"samordnare-kommun", "Kalle Kommunsamordnare (demo)", "gotlands-kommun", "", r(account.Coordinator)},
		// A member organisation's manager who reads the municipality's own
		// contributions to the association (policy.ReadContributions).
		{"ekonomi-kommun", "Eva Ekonomichef (demo)", "gotlands-kommun", "", r(account.Manager)},
		// The association's director (förbundschef).
		{"forbund", "Frida Förbundschef (demo)", OperatorOrg, "", r(account.AssociationStaff)},
		{"styrelse", "Sture Styrelseledamot (demo)", OperatorOrg, "", r(account.Board)},
		{"admin", "Ada Administratör (demo)", OperatorOrg, "", r(account.Admin)},
		// The care provider's intake steward reads the certificates the
		// region sent that intake rejected, to get them corrected.
		{"intygsforvaltare", "Ingrid Intygsförvaltare (demo)", "region-gotland", "", r(account.IntakeSteward)},
	}
}

// Person is a synthetic person.
type Person struct {
	Personnummer personnummer.Number
	GivenName    string
	FamilyName   string
}

var (
	givenNames  = []string{"Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Elin", "Johan", "Sara", "Per", "Fatima", "Ali", "Leila", "Mehmet", "Aino", "Juha"}
	familyNames = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Testsson", "Demosson"}
)

// Persons generates n synthetic persons of working age (born 1960–2005).
// A few in every hundred get a samordningsnummer.
func Persons(seed uint64, n int) []Person {
	rng := rand.New(rand.NewPCG(seed, 0x70657273))
	first := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	out := make([]Person, n)
	for i := range out {
		birth := first.AddDate(0, 0, rng.IntN(days+1))
		out[i] = Person{
			Personnummer: personnummer.Generate(rng, birth, rng.IntN(100) < 3),
			GivenName:    givenNames[rng.IntN(len(givenNames))],
			FamilyName:   familyNames[rng.IntN(len(familyNames))],
		}
	}
	return out
}

// LoadIfEmpty loads the data set of seed in one transaction when the
// database holds no organisations yet, and reports whether it did. Demo
// users get the password password (which need not follow the password rules:
// demo mode only). Running it twice, or on a database in use, changes
// nothing.
func LoadIfEmpty(ctx context.Context, st *store.Store, seed uint64, password string) (bool, error) {
	if password == "" {
		return false, fmt.Errorf("demo: empty demo password")
	}
	ds := Generate(seed)
	hash, err := account.HashPassword(password)
	if err != nil {
		return false, err
	}
	loaded := false
	err = st.Tx(ctx, func(tx *store.Tx) error {
		loaded = false
		n, err := store.CountOrganisations(ctx, tx)
		if err != nil || n > 0 {
			return err
		}
		orgs := map[string]int64{}
		offices := map[string]int64{}
		for _, spec := range ds.Organisations {
			org := spec.Organisation
			if spec.ParentSlug != "" {
				id, ok := orgs[spec.ParentSlug]
				if !ok {
					return fmt.Errorf("demo: %s names parent %s before it exists", org.Slug, spec.ParentSlug)
				}
				org.ParentID = id
			}
			created, err := store.CreateOrganisation(ctx, tx, org)
			if err != nil {
				return err
			}
			orgs[org.Slug] = created.ID
			groups := map[string]int64{}
			for _, g := range spec.CustomerGroups {
				g.OrgID = created.ID
				if groups[g.Slug], err = store.CreateCustomerGroup(ctx, tx, g); err != nil {
					return err
				}
			}
			for _, of := range spec.Offices {
				of.OrgID = created.ID
				of.CustomerGroupID = groups[of.CustomerGroupSlug]
				if offices[of.Slug], err = store.CreateOffice(ctx, tx, of.Office); err != nil {
					return err
				}
			}
			for _, m := range spec.Members {
				if err := store.AddAssociationMember(ctx, tx, created.ID, orgs[m]); err != nil {
					return fmt.Errorf("demo: member %s of %s: %w", m, org.Slug, err)
				}
			}
		}
		for _, u := range ds.Users {
			if _, err := store.CreateUser(ctx, tx, store.User{Username: u.Username, Name: u.Name, OrgID: orgs[u.Org],
				OfficeID: offices[u.Office], Roles: u.Roles, PasswordHash: hash}); err != nil {
				return err
			}
		}
		if err := store.SetSetting(ctx, tx, store.SettingOperatorOrg, OperatorOrg); err != nil {
			return err
		}
		if err := store.SetSetting(ctx, tx, "demo.seed", strconv.FormatUint(seed, 10)); err != nil {
			return err
		}
		loaded = true
		return nil
	})
	return loaded, err
}
