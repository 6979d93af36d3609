package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestNamePrefix(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"anna", "Anna"},
		{"ANDERSSON", "Andersson"},
		{"  åsa   öberg ", "Åsa Öberg"},
		{"anna-lena", "Anna-Lena"},
		{"", ""},
	} {
		if got := store.NamePrefix(tc.in); got != tc.want {
			t.Errorf("NamePrefix(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSearchCasesAndCoordinations: the header's search finds cases by
// personnummer, by a prefix of the given or family name in any case, by
// case number and by certificate id, within the office asked for; persons
// with protected identity are found by name only by their own case
// worker; coordinations only for an organisation taking part.
func TestSearchCasesAndCoordinations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var visby, kalmar, worker, certID, coordID, afID, regionID int64
		var caseIDs []int64
		storetest.Write(t, s, func(tx *store.Tx) error {
			orgs, err := createOrgs(ctx, tx, organisation.Organisation{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK},
				organisation.Organisation{Slug: "af", Name: "AF", Type: organisation.AF},
				organisation.Organisation{Slug: "region", Name: "Region", Type: organisation.Region})
			if err != nil {
				return err
			}
			fk, af, region := orgs[0], orgs[1], orgs[2]
			afID, regionID = af.ID, region.ID
			if visby, err = store.CreateOffice(ctx, tx, store.Office{OrgID: fk.ID, Slug: "visby", Name: "Visby", Kind: store.OfficeLocal}); err != nil {
				return err
			}
			if kalmar, err = store.CreateOffice(ctx, tx, store.Office{OrgID: fk.ID, Slug: "kalmar", Name: "Kalmar", Kind: store.OfficeLocal}); err != nil {
				return err
			}
			if worker, err = store.CreateUser(ctx, tx, store.User{Username: "h", Name: "Hanna", OrgID: fk.ID, OfficeID: visby, Roles: account.RolesOf(account.CaseWorker)}); err != nil {
				return err
			}
			ids, err := store.InsertPersons(ctx, tx, []store.Person{
				{Personnummer: "197001019801", Name: "Anna Andersson"},
				{Personnummer: "198002029802", Name: "Åsa Öberg"},
				{Personnummer: "199003039803", Name: "Anders Berg"},
				{Personnummer: "196004049804", Name: "Annika Skyddad", ProtectedIdentity: true},
				{Personnummer: "197505059805", Name: "Bertil Annasson"},
			}, now)
			if err != nil {
				return err
			}
			// Cases: Anna in Visby (Hanna's) and Kalmar, Åsa in Visby,
			// Anders in Kalmar, Annika (protected) in Visby, nobody's,
			// Bertil in Visby.
			caseIDs, err = store.InsertCases(ctx, tx, []store.NewCase{
				{PersonID: ids[0], FirstDay: now.AddDate(0, 0, -40), LastDay: now, OfficeID: visby, AssignedUserID: worker},
				{PersonID: ids[0], FirstDay: now.AddDate(-1, 0, 0), LastDay: now.AddDate(-1, 1, 0), OfficeID: kalmar},
				{PersonID: ids[1], FirstDay: now.AddDate(0, 0, -10), LastDay: now, OfficeID: visby},
				{PersonID: ids[2], FirstDay: now.AddDate(0, 0, -10), LastDay: now, OfficeID: kalmar},
				{PersonID: ids[3], FirstDay: now.AddDate(0, 0, -10), LastDay: now, OfficeID: visby},
				{PersonID: ids[4], FirstDay: now.AddDate(0, 0, -10), LastDay: now, OfficeID: visby},
			}, now)
			if err != nil {
				return err
			}
			if certID, err = store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: region.ID, CertID: "c-1", PersonID: ids[2], CaseID: caseIDs[3],
				SignedAt: now, ReceivedAt: now, IssuerHSAID: "i", UnitHSAID: "u", UnitName: "U", CareProviderHSAID: "p", CareProviderName: "P",
				DiagnosisCode: "F32", FirstDay: now, LastDay: now.AddDate(0, 0, 14), Findings: []byte("[]"), Source: "api", Body: []byte("{}"), BodyHash: "h"}); err != nil {
				return err
			}
			if coordID, err = store.StartCoordination(ctx, tx, caseIDs[0], ids[0], fk.ID, 0, now); err != nil {
				return err
			}
			return store.InviteParty(ctx, tx, coordID, af.ID, 0, now)
		})
		cases := func(hs []store.CaseHit) []int64 {
			var out []int64
			for _, h := range hs {
				out = append(out, h.CaseID)
			}
			slices.Sort(out)
			return out
		}
		all := store.CaseSearch{}
		inVisby := store.CaseSearch{OfficeID: visby}
		for _, tc := range []struct {
			name  string
			terms store.SearchTerms
			scope store.CaseSearch
			want  []int64
		}{
			{"personnummer, every office", store.SearchTerms{Personnummer: "197001019801"}, all, []int64{caseIDs[0], caseIDs[1]}},
			{"personnummer, one office", store.SearchTerms{Personnummer: "197001019801"}, inVisby, []int64{caseIDs[0]}},
			{"personnummer of nobody", store.SearchTerms{Personnummer: "190001019800"}, all, nil},
			{"given or family name prefix, lower case", store.SearchTerms{Name: "ann"}, all, []int64{caseIDs[0], caseIDs[1], caseIDs[5]}},
			{"family name prefix, upper case", store.SearchTerms{Name: "ANDERS"}, all, []int64{caseIDs[0], caseIDs[1], caseIDs[3]}},
			{"non-ASCII initial", store.SearchTerms{Name: "öb"}, all, []int64{caseIDs[2]}},
			{"whole name", store.SearchTerms{Name: "anna and"}, all, []int64{caseIDs[0], caseIDs[1]}},
			{"a prefix does not match within a name", store.SearchTerms{Name: "nna"}, all, nil},
			{"name, one office", store.SearchTerms{Name: "berg"}, inVisby, nil},
			{"protected identity not by name", store.SearchTerms{Name: "annika"}, all, nil},
			{"protected identity by name for the assigned worker only", store.SearchTerms{Name: "skydd"}, store.CaseSearch{ProtectedFor: worker}, nil},
			{"protected identity by personnummer", store.SearchTerms{Personnummer: "196004049804"}, all, []int64{caseIDs[4]}},
			{"case number", store.SearchTerms{CaseID: caseIDs[3]}, all, []int64{caseIDs[3]}},
			{"case number of another office", store.SearchTerms{CaseID: caseIDs[3]}, inVisby, nil},
			{"certificate id", store.SearchTerms{CertificateID: certID}, all, []int64{caseIDs[3]}},
			{"certificate of another office's case", store.SearchTerms{CertificateID: certID}, inVisby, nil},
			{"no such certificate", store.SearchTerms{CertificateID: certID + 1000}, all, nil},
			{"nothing asked", store.SearchTerms{}, all, nil},
			{"invalid UTF-8", store.SearchTerms{Name: "\xff\xfe"}, all, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				hs, err := store.SearchCases(ctx, s, tc.terms, tc.scope)
				if err != nil {
					t.Fatal(err)
				}
				if got := cases(hs); !slices.Equal(got, tc.want) {
					t.Errorf("cases = %v, want %v", got, tc.want)
				}
				if tc.terms.CertificateID != 0 {
					for _, h := range hs {
						if h.CertificateID != tc.terms.CertificateID {
							t.Errorf("hit's certificate = %d, want %d", h.CertificateID, tc.terms.CertificateID)
						}
					}
				}
			})
		}
		// The newest case first.
		hs, err := store.SearchCases(ctx, s, store.SearchTerms{Personnummer: "197001019801"}, all)
		if err != nil || len(hs) != 2 || hs[0].CaseID != caseIDs[0] || hs[0].Name != "Anna Andersson" || hs[0].OfficeName != "Visby" || hs[0].Assignee != "Hanna" {
			t.Errorf("hits = %+v, %v", hs, err)
		}

		for _, tc := range []struct {
			name  string
			terms store.SearchTerms
			org   int64
			want  int
		}{
			{"a party finds it by personnummer", store.SearchTerms{Personnummer: "197001019801"}, afID, 1},
			{"a party finds it by name", store.SearchTerms{Name: "anders"}, afID, 1},
			{"a party finds it by case number", store.SearchTerms{CaseID: caseIDs[0]}, afID, 1},
			{"another case number finds nothing", store.SearchTerms{CaseID: caseIDs[1]}, afID, 0},
			{"an organisation not invited finds nothing", store.SearchTerms{Personnummer: "197001019801"}, regionID, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				hs, err := store.SearchCoordinations(ctx, s, tc.terms, tc.org)
				if err != nil {
					t.Fatal(err)
				}
				if len(hs) != tc.want || (tc.want > 0 && hs[0].ID != coordID) {
					t.Errorf("coordinations = %+v, want %d", hs, tc.want)
				}
			})
		}
	})
}

// TestSearchParticipants: an association's staff find its participants by
// personnummer and name; another association's search finds nothing, and
// a case number finds nothing here.
func TestSearchParticipants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		in := createInsats(t, s, skarphall(o))
		storetest.Write(t, s, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE persons SET name = 'Petra Deltagarsson' WHERE id = $1", o.persons[0])
			return err
		})
		p, err := register(ctx, s, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, PersonID: o.persons[0], Consent: consentOf(o),
			Sex: "female", AgeGroup: "30-39", Status: association.Pending})
		if err != nil {
			t.Fatal(err)
		}
		person, err := store.PersonByID(ctx, s, o.persons[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			terms store.SearchTerms
			assoc int64
			want  []int64
		}{
			{"personnummer", store.SearchTerms{Personnummer: person.Personnummer}, o.assoc, []int64{p.ID}},
			{"given name", store.SearchTerms{Name: "pet"}, o.assoc, []int64{p.ID}},
			{"family name", store.SearchTerms{Name: "DELTAGAR"}, o.assoc, []int64{p.ID}},
			{"another person", store.SearchTerms{Personnummer: "190001019800"}, o.assoc, nil},
			{"another association", store.SearchTerms{Name: "pet"}, o.fk, nil},
			{"a case number", store.SearchTerms{CaseID: p.ID}, o.assoc, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				hs, err := store.SearchParticipants(ctx, s, tc.terms, tc.assoc)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, h := range hs {
					got = append(got, h.ID)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("participants = %v, want %v", got, tc.want)
				}
				if len(hs) > 0 && (hs[0].InsatsName != in.Name || hs[0].Name != "Petra Deltagarsson") {
					t.Errorf("hit %+v", hs[0])
				}
			})
		}
	})
}
