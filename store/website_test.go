package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/website"
)

// siteFixture is an association (assocFixture) with Kommun A and B as its
// area and two public insatser and one internal one.
func siteFixture(t *testing.T, s *store.Store) (assocOrgs, []association.Insats) {
	t.Helper()
	ctx := context.Background()
	o := assocFixture(t, s)
	var ins []association.Insats
	err := s.Tx(ctx, func(tx *store.Tx) error {
		for _, code := range []string{"0980", "0981"} {
			if _, err := tx.Exec(ctx, "INSERT INTO association_area (association_id, municipality_code) VALUES ($1, $2)", o.assoc, code); err != nil {
				return err
			}
		}
		for i, spec := range []struct {
			name, desc string
			public     bool
		}{
			{"Arbetsträning på gården", "Arbetsträningen sker i lag med djur och odling.", true},
			{"Språk och arbete", "Svenska för arbetslivet med praktik; arbetsträning ingår inte.", true},
			{"Intern behovsanalys", "Arbetsträning i styrelsens underlag.", false},
		} {
			in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: o.assoc, Name: spec.name, Description: spec.desc,
				Kind: association.Individual, ResponsibleOrgID: []int64{o.fk, o.af, o.muni1}[i], PartyOrgIDs: []int64{o.fk, o.af, o.muni1},
				Start: assocToday, FollowUp: association.FollowUpIndividual, Status: association.InsatsOngoing, Public: spec.public}, assocNow)
			if err != nil {
				return err
			}
			ins = append(ins, in)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return o, ins
}

func TestCatalogueShowsPublicInsatserFilteredByTheirDetails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o, ins := siteFixture(t, s)
		e := website.NewEntry(ins[0].ID)
		e.MunicipalityCode, e.Situation, e.EntryRoute, e.FreePlaces, e.Place = "0980", website.SituationYoung, website.EntrySelf, 3, "Roma"
		err := s.Tx(ctx, func(tx *store.Tx) error { return store.SaveCatalogueEntry(ctx, tx, o.assoc, e, assocNow) })
		if err != nil {
			t.Fatal(err)
		}
		bad := website.NewEntry(ins[1].ID)
		bad.MunicipalityCode = "0180" // outside the area
		err = s.Tx(ctx, func(tx *store.Tx) error { return store.SaveCatalogueEntry(ctx, tx, o.assoc, bad, assocNow) })
		var ps website.Problems
		if !errors.As(err, &ps) || ps[0].Field != "municipality" {
			t.Fatalf("entry outside the area: %v", err)
		}
		names := func(f store.CatalogueQuery) []string {
			f.AssociationID = o.assoc
			items, err := store.Catalogue(ctx, s, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range items {
				out = append(out, it.Insats.Name)
			}
			return out
		}
		if got := names(store.CatalogueQuery{}); !slices.Equal(got, []string{"Arbetsträning på gården", "Språk och arbete"}) {
			t.Errorf("all: %q", got)
		}
		if got := names(store.CatalogueQuery{Municipality: "0981"}); !slices.Equal(got, []string{"Språk och arbete"}) {
			t.Errorf("municipality 0981 (the other has none, so it is for the whole area): %q", got)
		}
		if got := names(store.CatalogueQuery{Entry: website.EntrySelf}); !slices.Equal(got, []string{"Arbetsträning på gården"}) {
			t.Errorf("self-referral: %q", got)
		}
		if got := names(store.CatalogueQuery{OrganiserID: o.af}); !slices.Equal(got, []string{"Språk och arbete"}) {
			t.Errorf("organiser: %q", got)
		}
		if got := names(store.CatalogueQuery{InsatsID: ins[2].ID}); len(got) != 0 {
			t.Errorf("an internal insats is in the catalogue: %q", got)
		}
		one, _ := store.Catalogue(ctx, s, store.CatalogueQuery{AssociationID: o.assoc, InsatsID: ins[0].ID})
		if len(one) != 1 || one[0].Entry.FreePlaces != 3 || one[0].Entry.Place != "Roma" || one[0].Parties[0] != "Försäkringskassan" {
			t.Errorf("one: %+v", one)
		}
		// Interest only in a public insats.
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.AddInterest(ctx, tx, o.assoc, website.Interest{InsatsID: ins[2].ID, Name: "Kim", Reach: "070-1", MunicipalityCode: "0980"}, assocNow)
			return err
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("interest in an internal insats: %v", err)
		}
		// Interest in a public one is kept six months.
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.AddInterest(ctx, tx, o.assoc, website.Interest{InsatsID: ins[0].ID, Name: "Kim", Reach: "070-1", MunicipalityCode: "0980"}, assocNow)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			at   time.Time
			left int
		}{{assocNow.AddDate(0, 5, 27), 1}, {assocNow.AddDate(0, 6, 1), 0}} {
			if err := s.Tx(ctx, func(tx *store.Tx) error { _, err := store.PurgeInterest(ctx, tx, c.at); return err }); err != nil {
				t.Fatal(err)
			}
			if got, _ := store.Interests(ctx, s, o.assoc); len(got) != c.left {
				t.Errorf("at %v: %d left, want %d", c.at, len(got), c.left)
			}
		}
	})
}

func TestSignupsFillSeatsThenTheWaitingListAndCancellationPromotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o, _ := siteFixture(t, s)
		start := assocNow.Add(48 * time.Hour)
		var ev website.Event
		err := s.Tx(ctx, func(tx *store.Tx) error {
			var err error
			ev, err = store.SaveEvent(ctx, tx, o.assoc, website.Event{Title: "Frukostmöte", Starts: start, Ends: start.Add(time.Hour), Place: "Visby", Capacity: 1}, assocNow)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sign := func(email, token string, now time.Time) (website.Signup, error) {
			var out website.Signup
			err := s.Tx(ctx, func(tx *store.Tx) error {
				var err error
				out, err = store.AddSignup(ctx, tx, o.assoc, website.Signup{EventID: ev.ID, Name: "N", Email: email, Attendance: website.OnSite}, token, now)
				return err
			})
			return out, err
		}
		a, err := sign("a@example.se", "ta", assocNow)
		if err != nil || a.Status != website.Confirmed {
			t.Fatalf("first: %+v %v", a, err)
		}
		b, err := sign("B@Example.se", "tb", assocNow)
		if err != nil || b.Status != website.Waiting {
			t.Fatalf("second, when full: %+v %v", b, err)
		}
		var ps website.Problems
		if _, err := sign("b@example.se", "tc", assocNow); !errors.As(err, &ps) || ps[0].Code != website.CodeAlreadySigned {
			t.Errorf("the same address twice: %v", err)
		}
		if _, err := sign("c@example.se", "td", start.Add(time.Minute)); !errors.As(err, &ps) || ps[0].Code != website.CodeEventPast {
			t.Errorf("after the start: %v", err)
		}
		var promoted *website.Signup
		err = s.Tx(ctx, func(tx *store.Tx) error {
			var err error
			_, promoted, err = store.CancelSignup(ctx, tx, o.assoc, "ta")
			return err
		})
		if err != nil || promoted == nil || promoted.Email != "b@example.se" || promoted.Status != website.Confirmed {
			t.Fatalf("cancel: promoted %+v %v", promoted, err)
		}
		// Deleted the retention days after the event, not before.
		for _, c := range []struct {
			at   time.Time
			left int
		}{{start.Add(29 * 24 * time.Hour), 2}, {start.Add(32 * 24 * time.Hour), 0}} {
			if err := s.Tx(ctx, func(tx *store.Tx) error { _, err := store.PurgeSignups(ctx, tx, c.at); return err }); err != nil {
				t.Fatal(err)
			}
			if got, _ := store.Signups(ctx, s, o.assoc, ev.ID); len(got) != c.left {
				t.Errorf("at %v: %d sign-ups left, want %d", c.at, len(got), c.left)
			}
		}
	})
}

func TestPagesKeepRevisionsAndOldSlugsRedirect(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o, _ := siteFixture(t, s)
		at := assocNow
		save := func(p website.Page) (website.Page, error) {
			var out website.Page
			err := s.Tx(ctx, func(tx *store.Tx) error {
				var err error
				out, err = store.SavePage(ctx, tx, o.assoc, p, "Redaktör", assocNow)
				return err
			})
			return out, err
		}
		p, err := save(website.Page{Kind: website.KindPage, Title: "Möten och föreläsningar", Body: "Första", PublishAt: &at})
		if err != nil || p.Slug != "moten-och-forelasningar" {
			t.Fatalf("create: %+v %v", p, err)
		}
		p.Title, p.Slug, p.Body = "Träffar", "", "Andra"
		if p, err = save(p); err != nil || p.Slug != "traffar" {
			t.Fatalf("rename: %+v %v", p, err)
		}
		if to, err := store.SlugRedirect(ctx, s, o.assoc, website.KindPage, "moten-och-forelasningar"); err != nil || to != "traffar" {
			t.Errorf("redirect: %q %v", to, err)
		}
		stale := p
		stale.Version--
		if _, err := save(stale); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale save: %v", err)
		}
		revs, err := store.PageRevisions(ctx, s, o.assoc, p.ID)
		if err != nil || len(revs) != 1 || revs[0].Body != "Första" {
			t.Fatalf("revisions: %+v %v", revs, err)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error {
			var err error
			p, err = store.RestoreRevision(ctx, tx, o.assoc, p.ID, revs[0].ID, p.Version, "Redaktör", assocNow)
			return err
		})
		if err != nil || p.Body != "Första" || p.Title != "Möten och föreläsningar" {
			t.Fatalf("restore: %+v %v", p, err)
		}
		if _, err := save(website.Page{Kind: website.KindPage, Title: "Träffar"}); err == nil {
			t.Error("a second page with a taken slug was saved")
		}
	})
}
