package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// A request can carry NUL bytes and invalid UTF-8 (a path segment %00, a
// certificate in the wrong encoding). PostgreSQL's text holds neither; both
// databases must answer alike rather than PostgreSQL failing the query.
func TestTextThatIsNotUTF8IsNotAnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var org organisation.Organisation
		err := s.Tx(ctx, func(tx *store.Tx) (err error) {
			org, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "region-a", Name: "Region A", Type: organisation.Region})
			if err != nil {
				return err
			}
			return store.RejectCertificate(ctx, tx, store.Rejected{SenderOrgID: org.ID, CertID: "id\x00\xff", Source: "api",
				ReceivedAt: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), ContentType: "application/json",
				Body: "{\"id\": \"a\x00b\xffc\"}", Errors: []byte(`[{"field":"id","code":"malformed","message":"NUL \u0000 here"}]`)})
		})
		if err != nil {
			t.Fatalf("a rejected certificate with NUL and invalid UTF-8 is not kept: %v", err)
		}
		list, err := store.RejectedList(ctx, s, store.RejectedQuery{})
		if err != nil || len(list) != 1 {
			t.Fatalf("rejected: %+v %v", list, err)
		}
		got, err := store.RejectedByID(ctx, s, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != "{\"id\": \"a\uFFFDb\uFFFDc\"}" || got.CertID != "id\uFFFD\uFFFD" || strings.Contains(string(got.Errors), `\u0000`) {
			t.Errorf("kept body %q, id %q, errors %s", got.Body, got.CertID, got.Errors)
		}
		for _, slug := range []string{"region-a\x00", "\xff\xfe", "region-\xe4"} {
			if _, err := store.OrganisationBySlug(ctx, s, slug); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("organisation %q: %v, want ErrNotFound", slug, err)
			}
		}
		for _, f := range []store.InsatsQuery{{AssociationID: org.ID, Status: "x\x00"}, {AssociationID: org.ID, Kind: association.Kind("\xff")}} {
			if list, err := store.Insatser(ctx, s, f); err != nil || len(list) != 0 {
				t.Errorf("insatser %+v: %v %v, want none", f, list, err)
			}
		}
	})
}
