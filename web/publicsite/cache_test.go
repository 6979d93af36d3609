package publicsite_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/website"
)

// checkAgain is a little longer than a server waits before it reads a
// site's content version again.
const checkAgain = 1100 * time.Millisecond

// TestCachedPagesFollowTheContentVersionAcrossServers runs two servers on
// one database: each keeps its rendered pages, a change that does not
// raise the association's content version is not shown (the pages are
// served from memory), and one that does is shown by both once they have
// read the version again.
func TestCachedPagesFollowTheContentVersionAcrossServers(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		one := demoSite(t, st)
		two := webtest.Bare(t, st, func(cfg *web.Config) { cfg.Demo, cfg.Now = true, one.Clock.Now })
		in := firstInsats(t, st, store.CatalogueQuery{})
		path := fmt.Sprintf("%s/aktivitetskatalogen/%d", base, in.Insats.ID)
		for _, s := range []*webtest.Server{one, two} {
			if body := s.Do("GET", path, nil).Body.String(); !strings.Contains(body, in.Insats.Name) {
				t.Fatalf("insats page lacks its name %q", in.Insats.Name)
			}
		}
		// Written past the store's functions: no new version.
		if _, err := st.Exec(ctx, "UPDATE insatser SET name = 'Omdöpt utan version' WHERE id = $1", in.Insats.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(checkAgain)
		for i, s := range []*webtest.Server{one, two} {
			if body := s.Do("GET", path, nil).Body.String(); !strings.Contains(body, in.Insats.Name) || strings.Contains(body, "Omdöpt") {
				t.Errorf("server %d did not serve its kept page", i+1)
			}
		}
		// The same change through the store raises the version.
		err := st.Tx(ctx, func(tx *store.Tx) error {
			x, err := store.InsatsByID(ctx, tx, in.Insats.AssociationID, in.Insats.ID)
			if err != nil {
				return err
			}
			x.Name = "Omdöpt med version"
			_, err = store.UpdateInsats(ctx, tx, x, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(checkAgain)
		for i, s := range []*webtest.Server{one, two} {
			if body := s.Do("GET", path, nil).Body.String(); !strings.Contains(body, "Omdöpt med version") {
				t.Errorf("server %d still shows the old name after a new version", i+1)
			}
			if body := s.Do("GET", base+"/sok?q=omd%C3%B6pt", nil).Body.String(); !strings.Contains(body, "<mark>Omdöpt</mark> med version") {
				t.Errorf("server %d does not find the new name", i+1)
			}
		}
	})
}

// TestAScheduledPageAppearsOnTimeThoughPagesAreKept: a page published
// later is in the menu of every page from its publishing time, although
// the pages without it were kept.
func TestAScheduledPageAppearsOnTimeThoughPagesAreKept(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := demoSite(t, st)
		at := s.Clock.Now().Add(3 * time.Hour)
		err := st.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.SavePage(ctx, tx, assocID(t, st), website.Page{Kind: website.KindPage, Slug: "senare", Title: "Kommer senare",
				Body: "Text.", PublishAt: &at, MenuOrder: 70}, "test", s.Clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		first := s.Do("GET", base+"/natverket", nil)
		if strings.Contains(first.Body.String(), "Kommer senare") {
			t.Fatal("a page before its time is in the menu")
		}
		if again := s.Do("GET", base+"/natverket", nil); again.Header().Get("ETag") != first.Header().Get("ETag") {
			t.Fatal("the same content gave another answer")
		}
		s.Clock.Add(3*time.Hour + time.Minute)
		if body := s.Do("GET", base+"/natverket", nil).Body.String(); !strings.Contains(body, "Kommer senare") {
			t.Error("the page is not in the menu after its publishing time")
		}
		if rec := s.Do("GET", base+"/sida/senare", nil); rec.Code != http.StatusOK {
			t.Errorf("the page after its publishing time: %d", rec.Code)
		}
		if body := s.Do("GET", base+"/sok?q=senare", nil).Body.String(); !strings.Contains(body, "/sida/senare") {
			t.Error("search does not find the page after its publishing time")
		}
	})
}

// TestConditionalRequestsByTagAndTime: a revisit with the page's ETag or
// its Last-Modified costs a 304; an ETag that does not match wins over a
// time that would.
func TestConditionalRequestsByTagAndTime(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st)
	first := s.Do("GET", base+"/projekt", nil)
	modified := first.Header().Get("Last-Modified")
	if _, err := http.ParseTime(modified); err != nil {
		t.Fatalf("Last-Modified %q: %v", modified, err)
	}
	for _, c := range []struct {
		hdr  []string
		want int
	}{
		{[]string{"If-None-Match", first.Header().Get("ETag")}, http.StatusNotModified},
		{[]string{"If-None-Match", `"other", ` + first.Header().Get("ETag")}, http.StatusNotModified},
		{[]string{"If-Modified-Since", modified}, http.StatusNotModified},
		{[]string{"If-Modified-Since", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)}, http.StatusOK},
		{[]string{"If-None-Match", `"other"`, "If-Modified-Since", modified}, http.StatusOK},
	} {
		rec := s.Do("GET", base+"/projekt", nil, c.hdr...)
		if rec.Code != c.want {
			t.Errorf("%v: %d, want %d", c.hdr, rec.Code, c.want)
		}
		if rec.Code == http.StatusOK && rec.Body.String() != first.Body.String() {
			t.Errorf("%v: another body", c.hdr)
		}
	}
}

// TestAtomFeedHasWhatRFC4287Requires reads the news as an Atom feed: the
// feed's id, title, updated and author, a self link, and for each entry
// an id, a title, an alternate link, times in RFC 3339 and a summary; the
// same news as the RSS feed.
func TestAtomFeedHasWhatRFC4287Requires(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st)
	rec := s.Do("GET", base+"/nyheter.atom", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("atom: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var feed struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  string `xml:"author>name"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Entries []struct {
			ID        string `xml:"id"`
			Title     string `xml:"title"`
			Published string `xml:"published"`
			Updated   string `xml:"updated"`
			Summary   string `xml:"summary"`
			Link      struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.XMLName.Local != "feed" {
		t.Errorf("root %v", feed.XMLName)
	}
	stamp := func(what, v string) {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			t.Errorf("%s %q is not RFC 3339", what, v)
		}
	}
	stamp("feed updated", feed.Updated)
	if !strings.HasSuffix(feed.ID, base+"/nyheter.atom") || feed.Title == "" || feed.Author != "Samordningsförbundet Gotland" ||
		len(feed.Links) != 2 || feed.Links[0].Rel != "self" || feed.Links[0].Href != feed.ID {
		t.Errorf("feed: %+v", feed)
	}
	var rss struct {
		Items []struct {
			Link string `xml:"link"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(s.Do("GET", base+"/nyheter.xml", nil).Body.Bytes(), &rss); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) == 0 || len(feed.Entries) != len(rss.Items) {
		t.Fatalf("%d entries, the RSS feed has %d items", len(feed.Entries), len(rss.Items))
	}
	seen := map[string]bool{}
	for i, e := range feed.Entries {
		stamp("published", e.Published)
		stamp("updated", e.Updated)
		if e.ID == "" || seen[e.ID] || e.Title == "" || e.Link.Rel != "alternate" || e.Link.Href != rss.Items[i].Link || e.Summary == "" {
			t.Errorf("entry %d: %+v", i, e)
		}
		seen[e.ID] = true
		if e.Updated > feed.Updated {
			t.Errorf("entry %d updated after the feed", i)
		}
	}
	if !strings.Contains(s.Do("GET", base+"/", nil).Body.String(), `type="application/atom+xml"`) {
		t.Error("the pages do not point to the Atom feed")
	}
}
