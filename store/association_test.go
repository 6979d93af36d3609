package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

var (
	assocNow   = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	assocToday = civil.MustParse("2026-01-15")
	assocCodes = association.MustDefaultCodeLists()
)

// assocOrgs is an association (Gotland-like, with two municipalities to
// split between) with its members, an outsider, a staff user and persons.
type assocOrgs struct {
	assoc, fk, af, region, muni1, muni2, outsider int64
	staff                                         int64
	persons                                       []int64
}

func assocFixture(t *testing.T, s *store.Store) assocOrgs {
	t.Helper()
	ctx := context.Background()
	var o assocOrgs
	storetest.Write(t, s, func(tx *store.Tx) error {
		ids := map[string]int64{}
		for _, org := range []organisation.Organisation{
			{Slug: "forbund", Name: "Samordningsförbundet Gotland", Type: organisation.Association},
			{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK},
			{Slug: "af", Name: "Arbetsförmedlingen", Type: organisation.AF},
			{Slug: "region-gotland", Name: "Region Gotland", Type: organisation.Region, Code: "09"},
			{Slug: "kommun-a", Name: "Kommun A", Type: organisation.Municipality, Code: "0980"},
			{Slug: "kommun-b", Name: "Kommun B", Type: organisation.Municipality, Code: "0981"},
			{Slug: "kommun-x", Name: "Kommun X", Type: organisation.Municipality, Code: "0180"},
		} {
			created, err := store.CreateOrganisation(ctx, tx, org)
			if err != nil {
				return err
			}
			ids[org.Slug] = created.ID
		}
		o = assocOrgs{assoc: ids["forbund"], fk: ids["fk"], af: ids["af"], region: ids["region-gotland"],
			muni1: ids["kommun-a"], muni2: ids["kommun-b"], outsider: ids["kommun-x"]}
		for _, m := range []int64{o.fk, o.af, o.region, o.muni1, o.muni2} {
			if err := store.AddAssociationMember(ctx, tx, o.assoc, m); err != nil {
				return err
			}
		}
		var err error
		o.staff, err = store.CreateUser(ctx, tx, store.User{Username: "chef", Name: "Förbundschef", OrgID: o.assoc, Roles: account.RolesOf(account.AssociationStaff)})
		if err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(8, 8))
		for i := range 3 {
			n := personnummer.Generate(rng, time.Date(1990+i, 3, 1, 0, 0, 0, 0, time.UTC), false)
			id, err := store.EnsurePerson(ctx, tx, string(n), assocNow)
			if err != nil {
				return err
			}
			o.persons = append(o.persons, id)
		}
		return nil
	})
	return o
}

func assocErrCode(err error) string {
	var errs association.Errors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs[0].Code
	}
	var e *association.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func countRows(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAssociationSettingsSharesBodiesAndMoney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		d := civil.MustParse
		storetest.Write(t, s, func(tx *store.Tx) error {
			if err := store.SaveAssociationSettings(ctx, tx, store.AssociationSettings{AssociationID: o.assoc, OrgNumber: "2220001768",
				RegionCode: "09", Area: []string{"0981", "0980"}, CostKey: association.KeyAgreed, BudgetProcess: "Budget i juni"}, assocNow); err != nil {
				return err
			}
			if err := store.SaveCostShares(ctx, tx, o.assoc, []store.CostShare{{MemberID: o.muni1, ShareBP: 6000, Population: 40000}, {MemberID: o.muni2, ShareBP: 4000, Population: 21000}}); err != nil {
				return err
			}
			for _, m := range []store.BodyMember{
				{AssociationID: o.assoc, Body: store.BodyBoard, MemberID: o.region, Name: "Ann Ledamot", Role: "ledamot", Position: "chair", From: d("2023-01-01"), To: d("2026-12-31")},
				{AssociationID: o.assoc, Body: store.BodyBoard, MemberID: o.region, Name: "Bo Ersättare", Role: "ersattare", From: d("2023-01-01"), To: d("2026-12-31")},
				{AssociationID: o.assoc, Body: store.BodyBoard, MemberID: o.fk, Name: "Cecilia Förra", Role: "ledamot", From: d("2019-01-01"), To: d("2022-12-31")},
				{AssociationID: o.assoc, Body: store.BodyPreparatory, MemberID: o.af, UserID: o.staff, Name: "Dan Beredare", Role: "member", From: d("2024-01-01")},
			} {
				if _, err := store.CreateBodyMember(ctx, tx, m); err != nil {
					return err
				}
			}
			regions := []association.Party{{OrgID: o.region, Name: "Region Gotland"}}
			munis := []association.Party{{OrgID: o.muni1, ShareBP: 6000}, {OrgID: o.muni2, ShareBP: 4000}}
			split, err := association.SplitContribution(association.Kr(4_000_001), association.KeyAgreed, regions, munis)
			if err != nil {
				return err
			}
			if err := store.SaveSplit(ctx, tx, o.assoc, 2025, o.fk, split); err != nil {
				return err
			}
			if err := store.SaveContributions(ctx, tx, o.assoc, []store.Contribution{{Year: 2025, MemberID: o.muni1, Planned: split.Municipalities[0].Amount, Invoiced: association.Kr(600_000), Paid: association.Kr(300_000)}}); err != nil {
				return err
			}
			return store.SetEquity(ctx, tx, o.assoc, 2025, association.Kr(-12_345))
		})
		set, err := store.AssociationSettingsOf(ctx, s, o.assoc)
		if err != nil || set.OrgNumber != "222000-1768" || set.CostKey != association.KeyAgreed || !reflect.DeepEqual(set.Area, []string{"0980", "0981"}) || set.BudgetProcess != "Budget i juni" {
			t.Errorf("settings = %+v, %v", set, err)
		}
		shares, err := store.CostShares(ctx, s, o.assoc)
		if err != nil || len(shares) != 2 || shares[0].ShareBP+shares[1].ShareBP != association.WholeShare {
			t.Errorf("shares = %+v, %v", shares, err)
		}
		board, err := store.BodyMembers(ctx, s, o.assoc, store.BodyBoard, d("2025-06-01"))
		if err != nil || len(board) != 2 || board[0].Role != "ledamot" || board[0].Position != "chair" || board[1].Name != "Bo Ersättare" || board[0].To != d("2026-12-31") {
			t.Errorf("board on 2025-06-01 = %+v, %v", board, err)
		}
		if all, _ := store.BodyMembers(ctx, s, o.assoc, store.BodyBoard, civil.Date{}); len(all) != 3 {
			t.Errorf("all board seats = %d, want 3", len(all))
		}
		prep, err := store.BodyMembers(ctx, s, o.assoc, store.BodyPreparatory, d("2025-06-01"))
		if err != nil || len(prep) != 1 || prep[0].UserID != o.staff || !prep[0].To.IsZero() {
			t.Errorf("preparatory = %+v, %v", prep, err)
		}
		cs, err := store.Contributions(ctx, s, o.assoc, 2025, 0)
		if err != nil || len(cs) != 4 {
			t.Fatalf("contributions = %+v, %v", cs, err)
		}
		var sum association.Ore
		for _, c := range cs {
			sum += c.Planned
			if c.MemberID == o.muni1 && (c.Invoiced != association.Kr(600_000) || c.Paid != association.Kr(300_000)) {
				t.Errorf("muni1 = %+v", c)
			}
		}
		if sum != association.Kr(4_000_001) {
			t.Errorf("planned contributions sum to %s, want 4 000 001,00 kr", sum)
		}
		if own, _ := store.Contributions(ctx, s, o.assoc, 0, o.muni2); len(own) != 1 || own[0].Planned != 40_000_010 { // 40 % of a quarter of 4 000 001 kr
			t.Errorf("muni2's own view = %+v", own)
		}
		if eq, err := store.Equity(ctx, s, o.assoc); err != nil || eq[2025] != association.Kr(-12_345) {
			t.Errorf("equity = %v, %v", eq, err)
		}
	})
}

func TestAssociationRefusesNonMembersAndBadTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		err := s.Tx(ctx, func(tx *store.Tx) error {
			return store.SaveCostShares(ctx, tx, o.assoc, []store.CostShare{{MemberID: o.muni1, ShareBP: 5000}, {MemberID: o.outsider, ShareBP: 5000}})
		})
		if !errors.Is(err, store.ErrForeignKey) {
			t.Errorf("cost share of a non-member: %v, want ErrForeignKey", err)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.CreateBodyMember(ctx, tx, store.BodyMember{AssociationID: o.assoc, Body: store.BodyBoard, MemberID: o.fk, Name: "X", Role: "ledamot",
				From: civil.MustParse("2025-01-01"), To: civil.MustParse("2024-12-31")})
			return err
		})
		if !errors.Is(err, store.ErrCheck) {
			t.Errorf("term ending before it starts: %v, want ErrCheck", err)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.CreateBodyMember(ctx, tx, store.BodyMember{AssociationID: o.assoc, Body: store.BodyPreparatory, MemberID: o.fk, Name: "X", Role: "ledamot",
				From: civil.MustParse("2025-01-01")})
			return err
		})
		if !errors.Is(err, store.ErrCheck) {
			t.Errorf("a ledamot in the preparatory group: %v, want ErrCheck", err)
		}
		if n := countRows(t, s, "association_cost_shares") + countRows(t, s, "association_body_members"); n != 0 {
			t.Errorf("%d rows written by failed transactions", n)
		}
	})
}

func skarphall(o assocOrgs) association.Insats {
	return association.Insats{
		AssociationID: o.assoc, Name: "Skarphäll", Description: "Arbetsträning på gård", Kind: association.Individual,
		TargetGroup: "Personer långt från arbetsmarknaden", ResponsibleOrgID: o.muni1, PartyOrgIDs: []int64{o.muni1, o.af, o.fk},
		Start: civil.MustParse("2024-01-01"), Budgets: []association.YearBudget{
			{Year: 2024, Financier: association.FinancierState, Amount: association.Kr(400_000)},
			{Year: 2025, Financier: association.FinancierState, Amount: association.Kr(500_000)},
			{Year: 2025, Financier: association.FinancierESF, Amount: association.Kr(100_000)},
		},
		Planned: 10, FollowUp: association.FollowUpIndividual, Status: association.InsatsOngoing, Public: true,
	}
}

func createInsats(t *testing.T, s *store.Store, in association.Insats) association.Insats {
	t.Helper()
	return storetest.Made(t, s, func(tx *store.Tx) (association.Insats, error) {
		return store.CreateInsats(context.Background(), tx, in, assocNow)
	})
}

func TestInsatsRoundTripAndOptimisticLocking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		in := createInsats(t, s, skarphall(o))
		got, err := store.InsatsByID(ctx, s, o.assoc, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, in) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, in)
		}
		got.Name, got.PartyOrgIDs, got.End = "Skarphäll 2", []int64{o.muni1, o.region}, civil.MustParse("2026-12-31")
		got.Budgets = got.Budgets[:1]
		var updated association.Insats
		err = s.Tx(ctx, func(tx *store.Tx) error {
			updated, err = store.UpdateInsats(ctx, tx, got, assocNow)
			return err
		})
		if err != nil || updated.Version != 2 {
			t.Fatalf("update: %v, version %d", err, updated.Version)
		}
		again, _ := store.InsatsByID(ctx, s, o.assoc, in.ID)
		if !reflect.DeepEqual(again, updated) {
			t.Errorf("after update\n%+v\nwant\n%+v", again, updated)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.UpdateInsats(ctx, tx, got, assocNow) // still version 1
			return err
		})
		if !errors.Is(err, store.ErrStale) {
			t.Errorf("stale update: %v, want ErrStale", err)
		}
		if _, err := store.InsatsByID(ctx, s, o.outsider, in.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another association's insats: %v, want ErrNotFound", err)
		}
		list, err := store.Insatser(ctx, s, store.InsatsQuery{AssociationID: o.assoc, PublicOnly: true})
		if err != nil || len(list) != 1 || list[0].Name != "Skarphäll 2" {
			t.Errorf("public insatser = %+v, %v", list, err)
		}
	})
}

func TestInsatsRefusedWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		for name, tc := range map[string]struct {
			change func(*association.Insats)
			code   string
		}{
			"one party":          {func(in *association.Insats) { in.PartyOrgIDs = []int64{o.muni1} }, association.CodeTooFewParties},
			"party not a member": {func(in *association.Insats) { in.PartyOrgIDs = append(in.PartyOrgIDs, o.outsider) }, association.CodePartyNotMember},
			"end before start":   {func(in *association.Insats) { in.End = civil.MustParse("2023-01-01") }, association.CodeEndBeforeStart},
			"budget year twice":  {func(in *association.Insats) { in.Budgets[2].Financier = association.FinancierState }, association.CodeDuplicate},
		} {
			in := skarphall(o)
			tc.change(&in)
			err := s.Tx(ctx, func(tx *store.Tx) error {
				_, err := store.CreateInsats(ctx, tx, in, assocNow)
				return err
			})
			if assocErrCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		if n := countRows(t, s, "insatser") + countRows(t, s, "insats_parties") + countRows(t, s, "association_budget_lines"); n != 0 {
			t.Errorf("%d rows written by refused insatser", n)
		}
	})
}

func consentOf(o assocOrgs) *association.Consent {
	return &association.Consent{RecordedBy: o.staff, RecordedByName: "Förbundschef", On: civil.MustParse("2025-01-05"),
		Covers: "Registrering och uppföljning i insatsen", DocumentRef: "FK 9443 nr 17"}
}

func register(ctx context.Context, s *store.Store, p association.Participant) (association.Participant, error) {
	var out association.Participant
	err := s.Tx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = store.RegisterParticipant(ctx, tx, p, assocCodes, assocToday, assocNow)
		return err
	})
	return out, err
}

func TestParticipantRoundTripThroughItsLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		in := createInsats(t, s, skarphall(o))
		// A referral from case work arrives as a pending registration.
		p, err := register(ctx, s, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, PersonID: o.persons[0], Consent: consentOf(o),
			Sex: "female", AgeGroup: "30-39", Status: association.Pending, Referral: "case:42"})
		if err != nil {
			t.Fatal(err)
		}
		// Registered in, with the situation at the start.
		p.Status, p.Start = association.Active, civil.MustParse("2025-01-13")
		p.Measurements = []association.Measurement{{Phase: association.PhaseStart, On: p.Start, Occupation: "sick_leave", Education: "upper_secondary",
			IncomeSources: []association.IncomeShare{{Source: "salary", Extent: 25}, {Source: "sickness_benefit", Extent: 75}}}}
		p = update(t, s, p)
		// Registered out, with the end and a follow-up.
		p.Status, p.End, p.EndReason = association.Ended, civil.MustParse("2025-09-30"), "work"
		p.Measurements = append(p.Measurements,
			association.Measurement{Phase: association.PhaseEnd, On: p.End, Occupation: "employed", IncomeSources: []association.IncomeShare{{Source: "salary", Extent: 100}}},
			association.Measurement{Phase: association.Phase6m, On: civil.MustParse("2026-01-10"), NotReached: true})
		p = update(t, s, p)
		got, err := store.ParticipantByID(ctx, s, o.assoc, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, p)
		}
		if got.Consent == nil || *got.Consent != *consentOf(o) {
			t.Errorf("consent = %+v", got.Consent)
		}
		if got.Days(assocToday) != 261 {
			t.Errorf("days = %d, want 261", got.Days(assocToday))
		}
		anon, err := register(ctx, s, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, Sex: "male", AgeGroup: "20-24",
			Status: association.Active, Start: civil.MustParse("2025-02-01"), ProtectedIdentity: true})
		if err != nil {
			t.Fatal(err)
		}
		gotAnon, err := store.ParticipantByID(ctx, s, o.assoc, anon.ID)
		if err != nil || !gotAnon.Anonymous() || gotAnon.Consent != nil || !gotAnon.ProtectedIdentity || gotAnon.Measurements != nil {
			t.Errorf("anonymous = %+v, %v", gotAnon, err)
		}
		list, err := store.Participants(ctx, s, store.ParticipantQuery{AssociationID: o.assoc, InsatsID: in.ID, Limit: 1})
		if err != nil || len(list) != 1 || list[0].ID != p.ID {
			t.Fatalf("first page = %+v, %v", list, err)
		}
		list, err = store.Participants(ctx, s, store.ParticipantQuery{AssociationID: o.assoc, AfterID: list[0].ID})
		if err != nil || len(list) != 1 || list[0].ID != anon.ID {
			t.Errorf("second page = %+v, %v", list, err)
		}
		stale := p
		stale.Version = 1
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.UpdateParticipant(ctx, tx, stale, assocCodes, assocToday, assocNow)
			return err
		})
		if !errors.Is(err, store.ErrStale) {
			t.Errorf("stale update: %v, want ErrStale", err)
		}
	})
}

func update(t *testing.T, s *store.Store, p association.Participant) association.Participant {
	t.Helper()
	ctx := context.Background()
	return storetest.Made(t, s, func(tx *store.Tx) (association.Participant, error) {
		return store.UpdateParticipant(ctx, tx, p, assocCodes, assocToday, assocNow)
	})
}

func TestRegistrationRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		in := createInsats(t, s, skarphall(o))
		volume := skarphall(o)
		volume.Name, volume.Kind, volume.FollowUp = "Nätverk", association.Structural, association.FollowUpCounts
		vol := createInsats(t, s, volume)
		first, err := register(ctx, s, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, PersonID: o.persons[0], Consent: consentOf(o),
			Sex: "female", AgeGroup: "30-39", Status: association.Ended, Start: civil.MustParse("2025-01-01"), End: civil.MustParse("2025-03-31"), EndReason: "other"})
		if err != nil {
			t.Fatal(err)
		}
		base := association.Participant{AssociationID: o.assoc, InsatsID: in.ID, PersonID: o.persons[0], Consent: consentOf(o),
			Sex: "female", AgeGroup: "30-39", Status: association.Active, Start: civil.MustParse("2025-03-31")}
		for name, tc := range map[string]struct {
			change func(*association.Participant)
			code   string
		}{
			"overlapping the earlier registration by a day": {func(p *association.Participant) {}, association.CodeOverlap},
			"pending without dates overlaps everything":     {func(p *association.Participant) { p.Status, p.Start = association.Pending, civil.Date{} }, association.CodeOverlap},
			"personal data without consent":                 {func(p *association.Participant) { p.Consent = nil }, association.CodePersonalNoConsent},
			"protected identity with personal data":         {func(p *association.Participant) { p.ProtectedIdentity = true }, association.CodeProtectedIdentity},
			"end before start": {func(p *association.Participant) {
				p.Status, p.End, p.EndReason = association.Ended, civil.MustParse("2025-03-01"), "work"
			}, association.CodeEndBeforeStart},
			"counts-only insats":           {func(p *association.Participant) { p.InsatsID = vol.ID; p.Start = civil.MustParse("2026-01-01") }, association.CodeCountsOnly},
			"another association's insats": {func(p *association.Participant) { p.AssociationID = o.outsider }, association.CodeWrongInsats},
		} {
			p := base
			tc.change(&p)
			if _, err := register(ctx, s, p); assocErrCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		// The day after the earlier registration ended is free, and another
		// person may be registered at the same time.
		later := base
		later.Start = civil.MustParse("2025-04-01")
		second, err := register(ctx, s, later)
		if err != nil {
			t.Fatalf("registration after the earlier one: %v", err)
		}
		other := base
		other.PersonID = o.persons[1]
		if _, err := register(ctx, s, other); err != nil {
			t.Fatalf("another person: %v", err)
		}
		// Moving the second registration back over the first is refused too.
		second.Start = civil.MustParse("2025-02-01")
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.UpdateParticipant(ctx, tx, second, assocCodes, assocToday, assocNow)
			return err
		})
		if assocErrCode(err) != association.CodeOverlap {
			t.Errorf("update into overlap: %v, want %s", err, association.CodeOverlap)
		}
		if n := countRows(t, s, "participants"); n != 3 {
			t.Errorf("%d participants, want 3 (%d first)", n, first.ID)
		}
	})
}

// The database refuses what Go refuses, for writers that skip the domain.
func TestParticipantConstraintsInTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		in := createInsats(t, s, skarphall(o))
		const insert = `INSERT INTO participants (association_id, insats_id, person_id, sex, age_group, start_on, end_on, status, end_reason, created_at, updated_at)
			VALUES ($1, $2, $3, 'female', '30-39', $4, $5, $6, $7, $8, $8)`
		for _, tc := range []struct {
			name                   string
			person                 any
			start, end, status, rs any
		}{
			{"a person without consent", o.persons[0], "2025-01-01", nil, "active", ""},
			{"ended without a reason", nil, "2025-01-01", "2025-02-01", "ended", ""},
			{"end before start", nil, "2025-01-01", "2024-02-01", "ended", "work"},
			{"active without a start", nil, nil, nil, "active", ""},
			{"an end while active", nil, "2025-01-01", "2025-02-01", "active", ""},
		} {
			err := s.Tx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, insert, o.assoc, in.ID, tc.person, tc.start, tc.end, tc.status, tc.rs, assocNow)
				return err
			})
			if !errors.Is(err, store.ErrCheck) {
				t.Errorf("%s: %v, want ErrCheck", tc.name, err)
			}
		}
	})
}

// Everything written in one transaction goes when any part fails.
func TestNothingPartlyWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		err := s.Tx(ctx, func(tx *store.Tx) error {
			in, err := store.CreateInsats(ctx, tx, skarphall(o), assocNow)
			if err != nil {
				return err
			}
			if _, err := store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: o.assoc, InsatsID: in.ID,
				Sex: "female", AgeGroup: "30-39", Status: association.Active, Start: civil.MustParse("2025-01-01"),
				Measurements: []association.Measurement{{Phase: association.PhaseStart, IncomeSources: []association.IncomeShare{{Source: "salary", Extent: 100}}}}}, assocCodes, assocToday, assocNow); err != nil {
				return err
			}
			// A person who does not exist: the foreign key fails last.
			_, err = store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, PersonID: 999999, Consent: consentOf(o),
				Sex: "female", AgeGroup: "30-39", Status: association.Active, Start: civil.MustParse("2025-01-01")}, assocCodes, assocToday, assocNow)
			return err
		})
		if !errors.Is(err, store.ErrForeignKey) {
			t.Fatalf("err = %v, want ErrForeignKey", err)
		}
		for _, table := range []string{"insatser", "insats_parties", "association_budget_lines", "participants", "participant_measures", "participant_incomes"} {
			if n := countRows(t, s, table); n != 0 {
				t.Errorf("%s has %d rows after the failed transaction", table, n)
			}
		}
	})
}

// Two staff members registering the same person into the same insats at
// the same moment: one registration wins, the other is refused as an
// overlap (on PostgreSQL after the serialization failure is retried).
func TestConcurrentOverlappingRegistrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		in := createInsats(t, s, skarphall(o))
		p := association.Participant{AssociationID: o.assoc, InsatsID: in.ID, PersonID: o.persons[0], Consent: consentOf(o),
			Sex: "female", AgeGroup: "30-39", Status: association.Active, Start: civil.MustParse("2025-03-01")}
		const n = 4
		errs := make(chan error, 2*n)
		for i := range 2 * n {
			go func() {
				q := p
				if i >= n { // overlapping but not the same start: only the check in the transaction can catch these
					q.Start = p.Start.AddDays(i)
				}
				_, err := register(ctx, s, q)
				errs <- err
			}()
		}
		ok := 0
		for range 2 * n {
			err := <-errs
			switch {
			case err == nil:
				ok++
			case assocErrCode(err) != association.CodeOverlap:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || countRows(t, s, "participants") != 1 {
			t.Errorf("%d registrations succeeded, %d stored; want 1", ok, countRows(t, s, "participants"))
		}
	})
}

// TestStandingOf checks the access facts: membership of the user's
// organisation, and a seat counted only while its term includes the day.
func TestStandingOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		var current, expired, future, outsiderUser int64
		storetest.Write(t, s, func(tx *store.Tx) error {
			var err error
			mk := func(name string, org int64) int64 {
				if err != nil {
					return 0
				}
				var id int64
				id, err = store.CreateUser(ctx, tx, store.User{Username: name, Name: name, OrgID: org, Roles: account.RolesOf(account.Board)})
				return id
			}
			current, expired, future, outsiderUser = mk("current", o.region), mk("expired", o.region), mk("future", o.region), mk("outsider", o.outsider)
			if err != nil {
				return err
			}
			for _, seat := range []store.BodyMember{
				{UserID: current, From: civil.MustParse("2025-01-01"), To: civil.MustParse("2026-01-15")},
				{UserID: expired, From: civil.MustParse("2023-01-01"), To: civil.MustParse("2026-01-14")},
				{UserID: future, From: civil.MustParse("2026-01-16")},
			} {
				seat.AssociationID, seat.Body, seat.MemberID, seat.Name, seat.Role = o.assoc, store.BodyBoard, o.region, "Ledamot", "ledamot"
				if _, err := store.CreateBodyMember(ctx, tx, seat); err != nil {
					return err
				}
			}
			return nil
		})
		for _, c := range []struct {
			name        string
			org, user   int64
			member, sat bool
		}{
			{"member with a current seat (term ends today)", o.region, current, true, true},
			{"member whose seat expired yesterday", o.region, expired, true, false},
			{"member whose seat starts tomorrow", o.region, future, true, false},
			{"member organisation, no seat", o.fk, o.staff, true, false},
			{"outsider", o.outsider, outsiderUser, false, false},
			{"the association's own staff", o.assoc, o.staff, false, false},
		} {
			got, err := store.StandingOf(ctx, s, o.assoc, c.org, c.user, assocToday)
			if err != nil {
				t.Fatal(err)
			}
			if got.Member != c.member || got.BoardSeat != c.sat {
				t.Errorf("%s: %+v, want member %v seat %v", c.name, got, c.member, c.sat)
			}
		}
		list, err := store.AssociationsFor(ctx, s, o.outsider, outsiderUser, assocToday)
		if err != nil || len(list) != 0 {
			t.Errorf("outsider sees associations %v %v", list, err)
		}
		for _, who := range []struct{ org, user int64 }{{o.assoc, o.staff}, {o.fk, 0}, {o.region, current}} {
			list, err := store.AssociationsFor(ctx, s, who.org, who.user, assocToday)
			if err != nil || len(list) != 1 || list[0].ID != o.assoc {
				t.Errorf("org %d user %d: %v %v, want the association", who.org, who.user, list, err)
			}
		}
	})
}
