package search_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestHeaderOffersSearchToThoseWithPersonsToFind: the header's search
// field is on the pages of the roles that read persons and nowhere else.
func TestHeaderOffersSearchToThoseWithPersonsToFind(t *testing.T) {
	s := webtest.DemoOn(t, store.SQLite)
	shows := map[string]bool{"handlaggare": true, "chef": true, "direktor": true, "samordnare-af": true, "samordnare-region": true,
		"forbund": true, "styrelse": false, "admin": false, "intygsforvaltare": false, "ekonomi-kommun": false}
	s.ShownTo(t, "/", `action="/sok"`, shows)
	for user, want := range shows {
		if page := s.SignedIn(t, user).Do("GET", "/sok", nil); (page.Code == http.StatusOK) != want {
			t.Errorf("%s: GET /sok %d", user, page.Code)
		}
	}
	if rec := s.Client(t).Do("GET", "/", nil); strings.Contains(rec.Body.String(), `action="/sok"`) {
		t.Error("a visitor is offered the search")
	}
}

// TestSearchPage: a found person's row links to their case by id, an
// empty result, a name too short and a wrong check digit each say so in
// Swedish beside the field (in English when asked), and the personnummer
// searched for is in no log and no URL.
func TestSearchPage(t *testing.T) {
	webtest.EachDemo(t, func(t *testing.T, s *webtest.Server) {
		ctx := context.Background()
		worker := webtest.UserNamed(t, s.Store, "handlaggare")
		pnr, name := "198002029802", "Sökbar Sökare"
		var caseID int64
		if err := s.Store.Tx(ctx, func(tx *store.Tx) error {
			now := webtest.Start
			person, err := store.SavePerson(ctx, tx, store.Person{Personnummer: pnr, Name: name}, now)
			if err != nil {
				return err
			}
			if caseID, err = store.InsertCase(ctx, tx, person, now.AddDate(0, 0, -30), now, now); err != nil {
				return err
			}
			return store.SetCaseOwner(ctx, tx, caseID, worker.OfficeID, 0, worker.ID)
		}); err != nil {
			t.Fatal(err)
		}
		typed := personnummer.Number(pnr).String()
		b := s.SignedIn(t, "handlaggare")
		rec := b.Do("POST", "/sok", url.Values{"q": {typed}})
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `href="/arenden/`+itoa(caseID)+`"`) || !strings.Contains(body, name) {
			t.Fatalf("search by personnummer: %d, case %d not linked\n%s", rec.Code, caseID, body)
		}
		if strings.Contains(s.Logs.String(), pnr[2:8]) || strings.Contains(s.Logs.String(), typed) {
			t.Error("the log holds the personnummer searched for")
		}
		// The first name finds the person too.
		first, _, _ := strings.Cut(name, " ")
		if rec := b.Do("POST", "/sok", url.Values{"q": {strings.ToLower(first)}}); !strings.Contains(rec.Body.String(), `href="/arenden/`+itoa(caseID)+`"`) {
			t.Errorf("search by the first name %q: %d, case not found", first, rec.Code)
		}
		for _, tc := range []struct {
			q, lang string
			status  int
			says    string
		}{
			{"19800202-9803", "", http.StatusUnprocessableEntity, "Kontrollsiffran stämmer inte"},
			{"19800202-9803", "en", http.StatusUnprocessableEntity, "The check digit is wrong"},
			{"19801302-9802", "", http.StatusUnprocessableEntity, "Det är inte ett giltigt personnummer"},
			{"a", "", http.StatusUnprocessableEntity, "Skriv minst två bokstäver"},
			{"", "", http.StatusUnprocessableEntity, "Skriv vad du söker efter"},
			{"Qzxyvw", "", http.StatusOK, "Ingen träff"},
			{"Qzxyvw", "en", http.StatusOK, "No match"},
		} {
			// The language is remembered: each case says which it asks for.
			target := "/sok?lang=sv"
			if tc.lang != "" {
				target = "/sok?lang=" + tc.lang
			}
			rec := b.Do("POST", target, url.Values{"q": {tc.q}})
			body := rec.Body.String()
			if rec.Code != tc.status || !strings.Contains(body, tc.says) {
				t.Errorf("%q (%s): %d, want %d saying %q", tc.q, tc.lang, rec.Code, tc.status, tc.says)
			}
			if tc.status == http.StatusUnprocessableEntity && !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%q: the field is not marked invalid", tc.q)
			}
		}
		// A personnummer never goes in a URL: the forms post.
		if rec := b.Do("GET", "/sok?q="+url.QueryEscape(typed), nil); strings.Contains(rec.Body.String(), name) {
			t.Error("GET /sok?q= searched")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
