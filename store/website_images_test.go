package store_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/website"
)

func contentVersion(t *testing.T, s *store.Store, now time.Time) store.SiteContent {
	t.Helper()
	c, err := store.SiteContentState(context.Background(), s, "forbund", now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		m.Set(x, h/2, color.RGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSiteImagesAreStoredServedAndRemovedRaisingTheContentVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		before := contentVersion(t, s, assocNow).Version
		im, err := website.PrepareImage(testPNG(t, 2000, 500), "Karta över Gotland", false)
		if err != nil {
			t.Fatal(err)
		}
		saved := storetest.Made(t, s, func(tx *store.Tx) (website.Image, error) {
			return store.SaveSiteImage(ctx, tx, o.assoc, im, "Förbundschef", assocNow)
		})
		if got := contentVersion(t, s, assocNow).Version; got != before+1 {
			t.Errorf("content version after upload = %d, want %d", got, before+1)
		}
		list, err := store.SiteImages(ctx, s, o.assoc)
		if err != nil || len(list) != 1 || list[0].ID != saved.ID || list[0].Alt != "Karta över Gotland" || list[0].Width != website.ImageWidth ||
			list[0].Height != 400 || list[0].Hash != im.Hash || list[0].Data != nil {
			t.Fatalf("SiteImages = %+v, %v", list, err)
		}
		large, err := store.SiteImageData(ctx, s, o.assoc, saved.ID, false)
		if err != nil || !bytes.Equal(large.Data, im.Data) || large.ContentType != "image/png" {
			t.Fatalf("large version: %d bytes, %q, %v; want %d bytes", len(large.Data), large.ContentType, err, len(im.Data))
		}
		small, err := store.SiteImageData(ctx, s, o.assoc, saved.ID, true)
		if err != nil || !bytes.Equal(small.SmallData, im.SmallData) || small.SmallWidth != website.SmallImageWidth {
			t.Fatalf("small version: %d bytes, %d wide, %v", len(small.SmallData), small.SmallWidth, err)
		}
		// Another association's id reaches nothing.
		if _, err := store.SiteImageData(ctx, s, o.fk, saved.ID, false); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another organisation's read: %v, want ErrNotFound", err)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error { return store.DeleteSiteImage(ctx, tx, o.fk, saved.ID) })
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another organisation's delete: %v, want ErrNotFound", err)
		}
		storetest.Write(t, s, func(tx *store.Tx) error { return store.DeleteSiteImage(ctx, tx, o.assoc, saved.ID) })
		if got := contentVersion(t, s, assocNow).Version; got != before+2 {
			t.Errorf("content version after removal = %d, want %d", got, before+2)
		}
		if _, err := store.SiteImageData(ctx, s, o.assoc, saved.ID, false); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("removed image: %v, want ErrNotFound", err)
		}
	})
}

func TestTheSchemaRefusesAnImageWithoutAltTextUnlessDecorative(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		im, err := website.PrepareImage(testPNG(t, 10, 10), "", true)
		if err != nil {
			t.Fatal(err)
		}
		storetest.Write(t, s, func(tx *store.Tx) error {
			_, err := store.SaveSiteImage(ctx, tx, o.assoc, im, "x", assocNow)
			return err
		})
		im.Decorative = false
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.SaveSiteImage(ctx, tx, o.assoc, im, "x", assocNow)
			return err
		})
		if err == nil {
			t.Fatal("an image with neither alt text nor the decorative mark was stored")
		}
	})
}

func TestUnpublishedPagesLeaveThePublicListsAtTheirTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		published, until := assocNow.Add(-time.Hour), assocNow.Add(2*time.Hour)
		scheduled := assocNow.Add(5 * time.Hour)
		storetest.Write(t, s, func(tx *store.Tx) error {
			for _, p := range []website.Page{
				{Kind: website.KindNews, Title: "Kvar", PublishAt: &published},
				{Kind: website.KindNews, Title: "Tillfällig", PublishAt: &published, UnpublishAt: &until},
				{Kind: website.KindNews, Title: "Senare", PublishAt: &scheduled},
			} {
				if _, err := store.SavePage(ctx, tx, o.assoc, p, "x", assocNow); err != nil {
					return err
				}
			}
			return nil
		})
		titles := func(at time.Time) []string {
			ps, err := store.Pages(ctx, s, store.PageQuery{AssociationID: o.assoc, PublishedAt: &at})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range ps {
				out = append(out, p.Title)
				if !p.Published(at) {
					t.Errorf("%q listed at %v but not Published then", p.Title, at)
				}
			}
			return out
		}
		if got := titles(assocNow); len(got) != 2 {
			t.Errorf("now: %v, want Kvar and Tillfällig", got)
		}
		if got := titles(until); len(got) != 1 || got[0] != "Kvar" {
			t.Errorf("at the unpublishing time: %v, want only Kvar", got)
		}
		// The next scheduled change is the unpublishing, before the
		// scheduled publishing; after it, the publishing.
		if c := contentVersion(t, s, assocNow); c.NextChange == nil || !c.NextChange.Equal(until) {
			t.Errorf("next change now = %v, want %v", c.NextChange, until)
		}
		if c := contentVersion(t, s, until); c.NextChange == nil || !c.NextChange.Equal(scheduled) {
			t.Errorf("next change at the unpublishing = %v, want %v", c.NextChange, scheduled)
		}
		all, err := store.Pages(ctx, s, store.PageQuery{AssociationID: o.assoc})
		if err != nil || len(all) != 3 {
			t.Fatalf("the staff's list = %d pages, %v; want 3", len(all), err)
		}
		for _, p := range all {
			if p.Title == "Tillfällig" && (p.UnpublishAt == nil || !p.UnpublishAt.Equal(until)) {
				t.Errorf("stored unpublishing = %v, want %v", p.UnpublishAt, until)
			}
		}
	})
}

func TestAPageCannotBeUnpublishedBeforeItIsPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		at, before := assocNow, assocNow.Add(-time.Minute)
		err := s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.SavePage(ctx, tx, o.assoc, website.Page{Kind: website.KindPage, Title: "Om oss", PublishAt: &at, UnpublishAt: &before}, "x", assocNow)
			return err
		})
		var ps website.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0] != (website.Problem{Field: "unpublish_at", Code: website.CodeUnpublishOrder}) {
			t.Fatalf("err = %v, want unpublish_at %s", err, website.CodeUnpublishOrder)
		}
		if all, _ := store.Pages(ctx, s, store.PageQuery{AssociationID: o.assoc}); len(all) != 0 {
			t.Errorf("%d pages written", len(all))
		}
	})
}

func TestBulkLoadedParticipantsRaiseTheSiteContentVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o, ins := siteFixture(t, s)
		before := contentVersion(t, s, assocNow).Version
		storetest.Write(t, s, func(tx *store.Tx) error {
			return store.BulkInsertParticipants(ctx, tx, []store.BulkParticipant{
				{AssociationID: o.assoc, InsatsID: ins[0].ID, Sex: "female", AgeGroup: "30-39", Start: assocToday},
				{AssociationID: o.assoc, InsatsID: ins[1].ID, Sex: "male", AgeGroup: "30-39", Start: assocToday},
			}, assocNow)
		})
		if got := contentVersion(t, s, assocNow).Version; got <= before {
			t.Errorf("content version after a bulk load = %d, want above %d", got, before)
		}
	})
}
