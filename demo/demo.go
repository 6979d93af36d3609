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
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// DefaultSeed is the seed `--demo` uses, so every demo looks the same.
const DefaultSeed uint64 = 20080701

// Dataset is one generated demo data set.
type Dataset struct {
	Organisations []OrgSpec
}

// OrgSpec is an organisation with its parent named by slug.
type OrgSpec struct {
	organisation.Organisation
	ParentSlug string
}

// Generate builds the data set for a seed. The same seed always gives the
// same data set.
func Generate(seed uint64) Dataset {
	_ = seed // organisations are fixed; persons and cases (later issues) use the seed
	return Dataset{Organisations: organisations()}
}

// organisations are the bodies of the demo: the two national agencies, a few
// regions and municipalities with their SCB codes (län and kommunkod,
// SCB "Kommuner och län", 2025), coordination associations and care
// providers. HSA-ids of care providers are made up and marked DEMO.
func organisations() []OrgSpec {
	o := func(slug, name string, t organisation.Type, code, parent string) OrgSpec {
		return OrgSpec{Organisation: organisation.Organisation{Slug: slug, Name: name, Type: t, Code: code}, ParentSlug: parent}
	}
	return []OrgSpec{
		o("fk", "Försäkringskassan", organisation.FK, "", ""),
		o("af", "Arbetsförmedlingen", organisation.AF, "", ""),
		o("region-stockholm", "Region Stockholm", organisation.Region, "01", ""),
		o("region-uppsala", "Region Uppsala", organisation.Region, "03", ""),
		o("region-gotland", "Region Gotland", organisation.Region, "09", ""),
		o("region-skane", "Region Skåne", organisation.Region, "12", ""),
		o("stockholms-kommun", "Stockholms kommun", organisation.Municipality, "0180", "region-stockholm"),
		o("sodertalje-kommun", "Södertälje kommun", organisation.Municipality, "0181", "region-stockholm"),
		o("uppsala-kommun", "Uppsala kommun", organisation.Municipality, "0380", "region-uppsala"),
		o("gotlands-kommun", "Gotlands kommun", organisation.Municipality, "0980", "region-gotland"),
		o("malmo-kommun", "Malmö kommun", organisation.Municipality, "1280", "region-skane"),
		o("samordningsforbundet-gotland", "Samordningsförbundet Gotland", organisation.Association, "", ""),
		o("samordningsforbundet-uppsala", "Samordningsförbundet Uppsala län", organisation.Association, "", ""),
		o("vardcentral-visby-demo", "Vårdcentral Visby (demo)", organisation.CareProvider, "SE0000000000-DEMO1", "region-gotland"),
		o("vardcentral-gottsunda-demo", "Vårdcentral Gottsunda (demo)", organisation.CareProvider, "SE0000000000-DEMO2", "region-uppsala"),
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
// database holds no organisations yet, and reports whether it did. Running
// it twice, or on a database in use, changes nothing.
func LoadIfEmpty(ctx context.Context, st *store.Store, seed uint64) (bool, error) {
	ds := Generate(seed)
	loaded := false
	err := st.Tx(ctx, func(tx *store.Tx) error {
		loaded = false
		n, err := store.CountOrganisations(ctx, tx)
		if err != nil || n > 0 {
			return err
		}
		ids := map[string]int64{}
		for _, spec := range ds.Organisations {
			org := spec.Organisation
			if spec.ParentSlug != "" {
				id, ok := ids[spec.ParentSlug]
				if !ok {
					return fmt.Errorf("demo: %s names parent %s before it exists", org.Slug, spec.ParentSlug)
				}
				org.ParentID = id
			}
			created, err := store.CreateOrganisation(ctx, tx, org)
			if err != nil {
				return err
			}
			ids[org.Slug] = created.ID
		}
		if err := store.SetSetting(ctx, tx, "demo.seed", strconv.FormatUint(seed, 10)); err != nil {
			return err
		}
		loaded = true
		return nil
	})
	return loaded, err
}
