package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store/storetest"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/website"
)

// The associations' public sites (package web/publicsite): public pages
// for everyone, the editing for the association's staff.
func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /f/{site}/{$}":                                everyone,
		"GET /f/{site}/aktivitetskatalogen":                everyone,
		"GET /f/{site}/aktivitetskatalogen/{id}":           everyone,
		"GET /f/{site}/aktivitetskatalogen/{id}/utskrift":  everyone,
		"POST /f/{site}/aktivitetskatalogen/{id}/intresse": everyone,
		"GET /f/{site}/projekt":                            everyone,
		"GET /f/{site}/natverket":                          everyone,
		"GET /f/{site}/moten":                              everyone,
		"GET /f/{site}/moten.ics":                          everyone,
		"GET /f/{site}/moten/{id}":                         everyone,
		"GET /f/{site}/moten/{id}/ics":                     everyone,
		"POST /f/{site}/moten/{id}/anmalan":                everyone,
		"GET /f/{site}/avanmalan/{token}":                  everyone,
		"POST /f/{site}/avanmalan/{token}":                 everyone,
		"GET /f/{site}/nyheter":                            everyone,
		"GET /f/{site}/nyheter.xml":                        everyone,
		"GET /f/{site}/nyheter/{slug}":                     everyone,
		"GET /f/{site}/sida/{slug}":                        everyone,
		"GET /f/{site}/sida/{slug}/lattlast":               everyone,
		"GET /f/{site}/sok":                                everyone,
		"GET /f/{site}/sitemap.xml":                        everyone,
		"GET /f/{site}/robots.txt":                         everyone,
		"GET /f/{site}/tillganglighet":                     everyone,
		"GET /f/{site}/integritet":                         everyone,
		"GET /f/{site}/rapportera":                         everyone,
		"POST /f/{site}/rapportera":                        everyone,
		"GET /f/{site}/{rest...}":                          everyone,
		"GET /f/{site}/nyheter.atom":                       everyone,
		"GET /f/{site}/bilder/{file}":                      everyone,

		"GET /forbund/{slug}/webb":                                          associationStaff,
		"POST /forbund/{slug}/webb/installningar":                           associationStaff,
		"POST /forbund/{slug}/webb/natverket":                               associationStaff,
		"GET /forbund/{slug}/webb/intresse":                                 associationStaff,
		"POST /forbund/{slug}/webb/intresse/{interestID}/klar":              associationStaff,
		"GET /forbund/{slug}/webb/katalog/{insatsID}":                       associationStaff,
		"POST /forbund/{slug}/webb/katalog/{insatsID}":                      associationStaff,
		"GET /forbund/{slug}/webb/sidor/ny":                                 associationStaff,
		"POST /forbund/{slug}/webb/sidor/ny":                                associationStaff,
		"GET /forbund/{slug}/webb/sidor/{pageID}":                           associationStaff,
		"POST /forbund/{slug}/webb/sidor/{pageID}":                          associationStaff,
		"POST /forbund/{slug}/webb/sidor/{pageID}/aterstall":                associationStaff,
		"POST /forbund/{slug}/webb/sidor/{pageID}/bilder":                   associationStaff,
		"POST /forbund/{slug}/webb/sidor/{pageID}/bilder/{imageID}/ta-bort": associationStaff,
		"GET /forbund/{slug}/webb/moten/ny":                                 associationStaff,
		"POST /forbund/{slug}/webb/moten/ny":                                associationStaff,
		"GET /forbund/{slug}/webb/moten/{eventID}":                          associationStaff,
		"POST /forbund/{slug}/webb/moten/{eventID}":                         associationStaff,
		"GET /forbund/{slug}/webb/moten/{eventID}/anmalningar.csv":          associationStaff,
		"GET /forbund/{slug}/webb/natverket/{orgID}":                        associationStaff,
		"POST /forbund/{slug}/webb/natverket/{orgID}":                       associationStaff,
	})
	matrixFixtureHooks = append(matrixFixtureHooks, func(t *testing.T, st *store.Store, f *fixtures) {
		ctx := context.Background()
		org, err := store.OrganisationBySlug(ctx, st, "finsam-gotland")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		err = st.Tx(ctx, func(tx *store.Tx) error {
			p, err := store.SavePage(ctx, tx, org.ID, website.Page{Kind: website.KindPage, Title: "Matrissida", Body: "Text"}, "test", now)
			if err != nil {
				return err
			}
			e, err := store.SaveEvent(ctx, tx, org.ID, website.Event{Title: "Matrismöte", Place: "Visby", Starts: now.AddDate(0, 1, 0), Ends: now.AddDate(0, 1, 0).Add(time.Hour)}, now)
			if err != nil {
				return err
			}
			members, err := store.AssociationMembers(ctx, tx, org.ID)
			if err != nil {
				return err
			}
			in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: org.ID, Name: "Matrisinsats", Kind: association.Individual,
				ResponsibleOrgID: members[0].ID, PartyOrgIDs: []int64{members[0].ID, members[1].ID}, Start: civil.MustParse("2026-01-01"),
				FollowUp: association.FollowUpCounts, Status: association.InsatsOngoing, Public: true}, now)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO association_area (association_id, municipality_code) VALUES ($1, '0980') ON CONFLICT DO NOTHING", org.ID); err != nil {
				return err
			}
			o, err := store.SaveNetworkOrg(ctx, tx, org.ID, website.Organisation{Name: "Matrisorganisation"})
			if err != nil {
				return err
			}
			i, err := store.AddInterest(ctx, tx, org.ID, website.Interest{InsatsID: in.ID, Name: "Kim Matris", Reach: "070", MunicipalityCode: "0980"}, now)
			if err != nil {
				return err
			}
			im, err := store.SaveSiteImage(ctx, tx, org.ID, testImage(t, "Matrisbild"), "test", now)
			f.assoc["pageID"], f.assoc["eventID"], f.assoc["interestID"], f.assoc["orgID"], f.assoc["imageID"] = p.ID, e.ID, i, o, im.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// The public sites' routes and the site editing's routes with ids of their
// own are probed by TestPublicSiteRefusesAnotherAssociationsIDs below;
// the catalogue entry's {insatsID} by the IDOR test itself.
func init() {
	for _, p := range []string{
		"GET /f/{site}/{$}", "GET /f/{site}/aktivitetskatalogen", "GET /f/{site}/aktivitetskatalogen/{id}",
		"GET /f/{site}/aktivitetskatalogen/{id}/utskrift", "POST /f/{site}/aktivitetskatalogen/{id}/intresse", "GET /f/{site}/projekt",
		"GET /f/{site}/natverket", "GET /f/{site}/moten", "GET /f/{site}/moten.ics", "GET /f/{site}/moten/{id}", "GET /f/{site}/moten/{id}/ics",
		"POST /f/{site}/moten/{id}/anmalan", "GET /f/{site}/avanmalan/{token}", "POST /f/{site}/avanmalan/{token}", "GET /f/{site}/nyheter",
		"GET /f/{site}/nyheter.xml", "GET /f/{site}/nyheter/{slug}", "GET /f/{site}/sida/{slug}", "GET /f/{site}/sida/{slug}/lattlast",
		"GET /f/{site}/sok", "GET /f/{site}/sitemap.xml", "GET /f/{site}/robots.txt", "GET /f/{site}/tillganglighet", "GET /f/{site}/integritet",
		"GET /f/{site}/rapportera", "POST /f/{site}/rapportera", "GET /f/{site}/{rest...}", "GET /f/{site}/nyheter.atom",
		"GET /f/{site}/bilder/{file}", "POST /forbund/{slug}/webb/sidor/{pageID}/bilder",
		"POST /forbund/{slug}/webb/sidor/{pageID}/bilder/{imageID}/ta-bort",
		"POST /forbund/{slug}/webb/intresse/{interestID}/klar", "GET /forbund/{slug}/webb/sidor/{pageID}", "POST /forbund/{slug}/webb/sidor/{pageID}",
		"POST /forbund/{slug}/webb/sidor/{pageID}/aterstall", "GET /forbund/{slug}/webb/moten/{eventID}", "POST /forbund/{slug}/webb/moten/{eventID}",
		"GET /forbund/{slug}/webb/moten/{eventID}/anmalningar.csv", "GET /forbund/{slug}/webb/natverket/{orgID}",
		"POST /forbund/{slug}/webb/natverket/{orgID}",
	} {
		idorExempt[p] = "TestPublicSiteRefusesAnotherAssociationsIDs"
	}
}

// TestPublicSiteRefusesAnotherAssociationsIDs gives the public site and
// its editing ids of another association's public insats, event, page and
// interest: under the own association's address, and for the staff under
// the other's, the answer is the one an id that does not exist gets, and
// nothing is written.
func TestPublicSiteRefusesAnotherAssociationsIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := idorSetup(t, st)
		ctx := context.Background()
		now := s.now()
		var insats, event, page, interest, network, ownPageID int64
		var otherImage website.Image
		err := st.Tx(ctx, func(tx *store.Tx) error {
			for _, slug := range []string{"finsam-gotland", f.otherAssoc} {
				org, err := store.OrganisationBySlug(ctx, tx, slug)
				if err != nil {
					return err
				}
				set := website.DefaultSettings()
				set.Enabled, set.ContactEmail = true, "kansli@example.se"
				if err := store.SaveSiteSettings(ctx, tx, org.ID, set, now); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, "INSERT INTO association_area (association_id, municipality_code) VALUES ($1, '0980') ON CONFLICT DO NOTHING", org.ID); err != nil {
					return err
				}
			}
			other, _ := store.OrganisationBySlug(ctx, tx, f.otherAssoc)
			in, err := store.InsatsByID(ctx, tx, other.ID, f.otherInsats)
			if err != nil {
				return err
			}
			in.Public = true
			if _, err := store.UpdateInsats(ctx, tx, in, now); err != nil {
				return err
			}
			insats = in.ID
			e, err := store.SaveEvent(ctx, tx, other.ID, website.Event{Title: "Annat möte", Place: "Annanstans", Starts: now.AddDate(0, 0, 7), Ends: now.AddDate(0, 0, 7).Add(time.Hour)}, now)
			if err != nil {
				return err
			}
			p, err := store.SavePage(ctx, tx, other.ID, website.Page{Kind: website.KindPage, Title: "Annan sida", Body: "Text", PublishAt: &now}, "test", now)
			if err != nil {
				return err
			}
			if network, err = store.SaveNetworkOrg(ctx, tx, other.ID, website.Organisation{Name: "Annan organisation"}); err != nil {
				return err
			}
			i, err := store.AddInterest(ctx, tx, other.ID, website.Interest{InsatsID: insats, Name: "Annan Person", Reach: "070", MunicipalityCode: "0980"}, now)
			if err != nil {
				return err
			}
			if otherImage, err = store.SaveSiteImage(ctx, tx, other.ID, testImage(t, "Annan bild"), "test", now); err != nil {
				return err
			}
			own, _ := store.OrganisationBySlug(ctx, tx, "finsam-gotland")
			ownPage, err := store.SavePage(ctx, tx, own.ID, website.Page{Kind: website.KindPage, Title: "Egen sida", Body: "Text"}, "test", now)
			event, page, interest, ownPageID = e.ID, p.ID, i, ownPage.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		staff := func(method, path string, form url.Values) *httptest.ResponseRecorder {
			secret := account.NewSecret(account.SessionPrefix)
			u, _ := store.UserByName(ctx, st, "forbund")
			if err := st.Tx(ctx, func(tx *store.Tx) error {
				return store.CreateSession(ctx, tx, store.Session{IDHash: account.HashSecret(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
					ExpiresAt: now.Add(time.Hour), RemoteAddr: "192.0.2.1", UserAgent: "idor"})
			}); err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: secret})
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			return rec
		}
		visitor := func(method, path string, form url.Values) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			return rec
		}
		before := storetest.Snapshot(t, st, "sessions", "audit_log", "audit_head", "site_search", "site_search_state", "site_search_terms", "site_search_facets")
		const own = "/f/finsam-gotland"
		signup := url.Values{"name": {"N"}, "email": {"n@example.se"}, "attendance": {"site"}}
		interestForm := url.Values{"name": {"N"}, "reach": {"070"}, "municipality": {"0980"}}
		for _, c := range []struct {
			method, path string
			form         url.Values
			visitor      bool
		}{
			{"GET", own + "/aktivitetskatalogen/%d", nil, true},
			{"GET", own + "/aktivitetskatalogen/%d/utskrift", nil, true},
			{"POST", own + "/aktivitetskatalogen/%d/intresse", interestForm, true},
			{"GET", own + "/moten/%d", nil, true},
			{"GET", own + "/moten/%d/ics", nil, true},
			{"POST", own + "/moten/%d/anmalan", signup, true},
			{"GET", "/forbund/finsam-gotland/webb/sidor/%d", nil, false},
			{"POST", "/forbund/finsam-gotland/webb/sidor/%d", url.Values{"kind": {"page"}, "title": {"Kapad"}, "version": {"1"}}, false},
			{"POST", "/forbund/finsam-gotland/webb/sidor/%d/aterstall", url.Values{"revision": {"1"}, "version": {"1"}}, false},
			{"GET", "/forbund/finsam-gotland/webb/moten/%d", nil, false},
			{"POST", "/forbund/finsam-gotland/webb/moten/%d", url.Values{"title": {"Kapad"}, "starts": {"2026-12-24T10:00"}, "ends": {"2026-12-24T11:00"}, "place": {"X"}}, false},
			{"GET", "/forbund/finsam-gotland/webb/moten/%d/anmalningar.csv", nil, false},
			{"POST", "/forbund/finsam-gotland/webb/intresse/%d/klar", nil, false},
			{"GET", "/forbund/" + f.otherAssoc + "/webb/moten/%d", nil, false},
			{"POST", "/forbund/" + f.otherAssoc + "/webb/intresse/%d/klar", nil, false},
			{"GET", "/forbund/finsam-gotland/webb/natverket/%d", nil, false},
			{"POST", "/forbund/finsam-gotland/webb/natverket/%d", url.Values{"name": {"Kapad"}}, false},
			{"POST", "/forbund/finsam-gotland/webb/natverket/%d", url.Values{"delete": {"1"}}, false},
			{"POST", "/forbund/finsam-gotland/webb/sidor/%d/bilder", nil, false},
		} {
			id := map[bool]int64{true: insats}[strings.Contains(c.path, "aktivitetskatalogen")]
			switch {
			case strings.Contains(c.path, "/moten/"):
				id = event
			case strings.Contains(c.path, "/sidor/"):
				id = page
			case strings.Contains(c.path, "/intresse/"):
				id = interest
			case strings.Contains(c.path, "/natverket/"):
				id = network
			}
			send := staff
			if c.visitor {
				send = visitor
			}
			got := send(c.method, fmt.Sprintf(c.path, id), c.form)
			absent := send(c.method, fmt.Sprintf(c.path, idorMissing), c.form)
			if got.Code != http.StatusNotFound || absent.Code != http.StatusNotFound {
				t.Errorf("%s %s: %d, and %d for an id that does not exist; want 404 for both", c.method, c.path, got.Code, absent.Code)
			}
			if strings.Contains(got.Body.String(), "Annan") {
				t.Errorf("%s %s shows the other association's data", c.method, c.path)
			}
		}
		// The other association's image: not under the own site's
		// address, and not removable from the own page.
		for _, c := range []struct {
			send       func(string, string, url.Values) *httptest.ResponseRecorder
			method     string
			path, miss string
		}{
			{visitor, "GET", fmt.Sprintf("%s/bilder/%d-%s.%s", own, otherImage.ID, otherImage.Hash, otherImage.Ext()),
				fmt.Sprintf("%s/bilder/%d-%s.%s", own, idorMissing, otherImage.Hash, otherImage.Ext())},
			{staff, "POST", fmt.Sprintf("/forbund/finsam-gotland/webb/sidor/%d/bilder/%d/ta-bort", ownPageID, otherImage.ID),
				fmt.Sprintf("/forbund/finsam-gotland/webb/sidor/%d/bilder/%d/ta-bort", ownPageID, idorMissing)},
		} {
			got, absent := c.send(c.method, c.path, nil), c.send(c.method, c.miss, nil)
			if got.Code != http.StatusNotFound || absent.Code != http.StatusNotFound {
				t.Errorf("%s %s: %d, and %d for an id that does not exist; want 404 for both", c.method, c.path, got.Code, absent.Code)
			}
		}
		if rec := visitor("GET", fmt.Sprintf("/f/%s/bilder/%d-%s.%s", f.otherAssoc, otherImage.ID, otherImage.Hash, otherImage.Ext()), nil); rec.Code != http.StatusOK {
			t.Errorf("the other association's image under its own site: %d, want 200", rec.Code)
		}
		after := storetest.Snapshot(t, st, "sessions", "audit_log", "audit_head", "site_search", "site_search_state", "site_search_terms", "site_search_facets")
		if !reflect.DeepEqual(before, after) {
			for table := range after {
				if !reflect.DeepEqual(before[table], after[table]) {
					t.Errorf("table %s changed", table)
				}
			}
		}
	})
}

// testImage is a small synthetic image ready to store, with alt text.
func testImage(t *testing.T, alt string) website.Image {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		m.Set(x, 15, color.RGBA{0, 90, 160, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	im, err := website.PrepareImage(buf.Bytes(), alt, false)
	if err != nil {
		t.Fatal(err)
	}
	return im
}
