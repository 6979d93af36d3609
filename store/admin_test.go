package store_test

import (
	"context"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// adminFixture is an association with two members, users in two of them and
// one revoked and one active token.
func adminFixture(t *testing.T, s *store.Store) map[string]organisation.Organisation {
	t.Helper()
	ctx := context.Background()
	orgs := map[string]organisation.Organisation{}
	storetest.Write(t, s, func(tx *store.Tx) error {
		for _, o := range []organisation.Organisation{
			{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK},
			{Slug: "region-gotland", Name: "Region Gotland", Type: organisation.Region, Code: "09"},
			{Slug: "forbund", Name: "Samordningsförbundet", Type: organisation.Association},
		} {
			created, err := store.CreateOrganisation(ctx, tx, o)
			if err != nil {
				return err
			}
			orgs[o.Slug] = created
		}
		for _, m := range []string{"fk", "region-gotland"} {
			if err := store.AddAssociationMember(ctx, tx, orgs["forbund"].ID, orgs[m].ID); err != nil {
				return err
			}
		}
		for i, u := range []struct{ name, org string }{{"a", "fk"}, {"b", "fk"}, {"c", "region-gotland"}} {
			if _, err := store.CreateUser(ctx, tx, store.User{Username: u.name, Name: u.name, OrgID: orgs[u.org].ID, Roles: account.RolesOf(account.Role(i))}); err != nil {
				return err
			}
		}
		for i, secret := range []string{account.NewSecret(account.TokenPrefix), account.NewSecret(account.TokenPrefix)} {
			id, err := store.CreateToken(ctx, tx, store.Token{OrgID: orgs["fk"].ID, Name: "t", Scopes: []account.Scope{account.ScopeCertificatesWrite}}, secret)
			if err != nil {
				return err
			}
			if i == 0 {
				if err := store.RevokeToken(ctx, tx, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return orgs
}

func TestAdminCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		orgs := adminFixture(t, s)
		for _, tc := range []struct {
			org  string
			want int
		}{{"fk", 2}, {"region-gotland", 1}, {"forbund", 0}, {"", 3}} {
			if n, err := store.CountUsers(ctx, s, orgs[tc.org].ID); err != nil || n != tc.want {
				t.Errorf("CountUsers(%q) = %d, %v; want %d", tc.org, n, err, tc.want)
			}
		}
		if n, err := store.CountActiveTokens(ctx, s, orgs["fk"].ID); err != nil || n != 1 {
			t.Errorf("CountActiveTokens(fk) = %d, %v; want 1 (the revoked one does not count)", n, err)
		}
		with, err := store.OrganisationsWithUsers(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(with) != 2 || with[0].Slug != "fk" || with[0].Users != 2 || with[1].Slug != "region-gotland" || with[1].Users != 1 {
			t.Errorf("OrganisationsWithUsers = %+v", with)
		}
		if with[1].Code != "09" || with[1].Type != organisation.Region {
			t.Errorf("organisation columns scanned wrong: %+v", with[1].Organisation)
		}
	})
}

// AssociationMembers joins organisations under an alias; the column list
// with COALESCE(code, default) must survive qualifying.
func TestAssociationMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		orgs := adminFixture(t, s)
		members, err := store.AssociationMembers(context.Background(), s, orgs["forbund"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 2 || members[0].Slug != "fk" || members[1].Slug != "region-gotland" || members[1].Code != "09" {
			t.Fatalf("members = %+v", members)
		}
	})
}

func TestOfficeByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		orgs := adminFixture(t, s)
		id := storetest.Made(t, s, func(tx *store.Tx) (int64, error) {
			return store.CreateOffice(ctx, tx, store.Office{OrgID: orgs["fk"].ID, Slug: "lk-visby", Name: "Lokalt kontor Visby", Kind: store.OfficeLocal, MunicipalityCode: "0980"})
		})
		o, err := store.OfficeByID(ctx, s, id)
		if err != nil || o.Slug != "lk-visby" || o.OrgID != orgs["fk"].ID || o.MunicipalityCode != "0980" || o.CustomerGroupID != 0 {
			t.Fatalf("OfficeByID = %+v, %v", o, err)
		}
		if _, err := store.OfficeByID(ctx, s, id+100); err != store.ErrNotFound {
			t.Fatalf("missing office: %v", err)
		}
	})
}

// An extract must hold every entry about the person, also past the page
// size PersonAudit reads with, and only the entries of the organisation
// asked for.
func TestPersonAuditIsCompleteAndFiltered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		keys := storetest.AuditKeys(t)
		const n = 1100 // more than one page of 1000
		events := make([]audit.Event, 0, n+20)
		for i := range n {
			e := event(i)
			e.PersonKey = "p_wanted"
			if i%10 == 0 {
				e.ActorOrg = "af"
			}
			events = append(events, e)
		}
		for i := range 20 {
			events = append(events, event(i)) // other persons
		}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.AppendAudit(ctx, tx, keys, events...) }); err != nil {
			t.Fatal(err)
		}
		all, err := store.PersonAudit(ctx, s, "p_wanted", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != n {
			t.Fatalf("%d entries, want %d", len(all), n)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Seq >= all[i-1].Seq {
				t.Fatalf("not newest first at %d", i)
			}
		}
		af, err := store.PersonAudit(ctx, s, "p_wanted", "af")
		if err != nil {
			t.Fatal(err)
		}
		if len(af) != n/10 {
			t.Fatalf("%d entries by af, want %d", len(af), n/10)
		}
		if none, err := store.PersonAudit(ctx, s, "", ""); err != nil || len(none) != 0 {
			t.Fatalf("an empty key must find nothing, found %d (%v)", len(none), err)
		}
	})
}
