package today_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestVisitorsGetThePublicPage: / without a session is the presentation,
// not a start view.
func TestVisitorsGetThePublicPage(t *testing.T) {
	webtest.EachDemo(t, func(t *testing.T, srv *webtest.Server) {
		rec := srv.Do(http.MethodGet, "/", nil)
		if body := rec.Body.String(); rec.Code != http.StatusOK || strings.Contains(body, "<h1>Idag</h1>") || !strings.Contains(body, "samordnad rehabilitering") {
			t.Errorf("visitor: %d, want the public page", rec.Code)
		}
	})
}

// TestEachRoleSeesItsStartView: every demo user lands on "Idag" at /,
// with the sections of their roles; a case worker's and a manager's
// counts are the store's and link to the filtered worklist.
func TestEachRoleSeesItsStartView(t *testing.T) {
	webtest.EachDemo(t, func(t *testing.T, srv *webtest.Server) {
		ctx := context.Background()
		user := func(name string) store.User {
			u, err := store.UserByName(ctx, srv.Store, name)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		today := srv.Site().Today().Time()
		weekEnd := today.AddDate(0, 0, (7-int(today.Weekday()))%7)
		hanna := user("handlaggare")
		seedCases(t, srv.Store, hanna, today)
		own, err := store.CaseDueCounts(ctx, srv.Store, store.WorklistQuery{AssignedUserID: hanna.ID}, today, weekEnd)
		if err != nil {
			t.Fatal(err)
		}
		office, err := store.CaseDueCounts(ctx, srv.Store, store.WorklistQuery{OfficeID: hanna.OfficeID}, today, weekEnd)
		if err != nil {
			t.Fatal(err)
		}
		if own.Overdue+own.Today+own.ThisWeek+own.Warnings == 0 {
			t.Fatal("the demo case worker has nothing due: the test shows nothing")
		}
		for _, tc := range []struct {
			user string
			want []string
			not  []string
		}{
			{"handlaggare", []string{"<h2>Mina ärenden</h2>",
				fmt.Sprintf(`<dt>Försenade ärenden</dt><dd><a class="anchor" href="/arenden?overdue=1">%d`, own.Overdue),
				fmt.Sprintf(`<dt>Tidsfrist i dag</dt><dd><a class="anchor" href="/arenden">%d`, own.Today),
				fmt.Sprintf(`<dt>Ärenden med tidiga varningar</dt><dd><a class="anchor" href="/arenden?warnings=1">%d`, own.Warnings),
				`<dt>Nya intyg senaste 7 dagarna</dt><dd><a class="anchor" href="/certificates">`, "<dt>Besvarade kompletteringar senaste 7 dagarna</dt>"},
				[]string{"<h2>Kontoret</h2>"}},
			{"chef", []string{"<h2>Kontoret</h2>",
				fmt.Sprintf(`<dt>Försenade ärenden</dt><dd><a class="anchor" href="/arenden/kontor?overdue=1">%d`, office.Overdue),
				"<dt>Ärenden utan handläggare</dt>", "Hanna Handläggare (demo)</td>"},
				[]string{"<h2>Mina ärenden</h2>", "Cecilia Chef (demo)</td>"}},
			{"direktor", []string{"<h2>Kontoret</h2>", "Du är inte knuten till ett kontor"}, []string{"<table"}},
			{"samordnare-af", []string{"<h2>Samordning</h2>", `<dt>Nya inbjudningar</dt><dd><a class="anchor" href="/samordning">`,
				`<dt>Ärenden med möte denna vecka</dt><dd><a class="anchor" href="/samordning">`}, []string{"<h2>Mina ärenden</h2>", "<h2>Kontoret</h2>"}},
			{"samordnare-region", []string{"<h2>Samordning</h2>"}, nil},
			{"samordnare-kommun", []string{"<h2>Samordning</h2>"}, nil},
			{"ekonomi-kommun", nil, []string{"<h2>Kontoret</h2>"}},
			{"forbund", []string{"<dt>Deltagare som väntar på start</dt>", "<dt>Insatser som slutar inom 30 dagar</dt>", `/insatser">`, `/rapporter">`}, nil},
			{"styrelse", []string{`/rapporter">Rapporter och årsrapport</a>`}, []string{"<dt>Deltagare som väntar på start</dt>"}},
			{"admin", []string{"<h2>Administration</h2>", "Regelvärden som saknas för 2027", "omräkning", `<dt>Avvisade intyg senaste 7 dagarna</dt><dd><a class="anchor" href="/admin/certificates/rejected">`},
				[]string{"<h2>Mina ärenden</h2>", "<h2>Kontoret</h2>"}},
			{"intygsforvaltare", nil, nil},
		} {
			rec := srv.SignedIn(t, tc.user).Do(http.MethodGet, "/", nil)
			body := rec.Body.String()
			if rec.Code != http.StatusOK || !strings.Contains(body, "<h1>Idag</h1>") {
				t.Errorf("%s: %d, want the start view", tc.user, rec.Code)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: no %q", tc.user, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("%s: %q shown", tc.user, n)
				}
			}
		}
	})
}

// seedCases gives the case worker four open cases, one overdue with a
// warning, one due today and two later, and the office one case nobody has.
func seedCases(t *testing.T, st *store.Store, worker store.User, today time.Time) {
	t.Helper()
	ctx := context.Background()
	now := today.Add(9 * time.Hour)
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var persons []store.Person
		for i := range 5 {
			persons = append(persons, store.Person{Personnummer: fmt.Sprintf("19720101%04d", 9000+i)})
		}
		ids, err := store.InsertPersons(ctx, tx, persons, now)
		if err != nil {
			return err
		}
		var cases []store.NewCase
		for i, id := range ids {
			c := store.NewCase{PersonID: id, FirstDay: today.AddDate(0, 0, -20), LastDay: today, OfficeID: worker.OfficeID}
			if i < 4 {
				c.AssignedUserID = worker.ID
			}
			cases = append(cases, c)
		}
		caseIDs, err := store.InsertCases(ctx, tx, cases, now)
		if err != nil {
			return err
		}
		offsets := []int{-2, 0, 1, 40, -1}
		var batch []store.RecomputeCase
		var ups []store.CaseUpdate
		for i, id := range caseIDs {
			st := store.CaseState{EvalDate: now, NextDue: today.AddDate(0, 0, offsets[i]), Phase: "1-90"}
			if i == 0 {
				st.WarningCount = 1
			}
			batch = append(batch, store.RecomputeCase{ID: id})
			ups = append(ups, store.CaseUpdate{ID: id, State: st})
		}
		return store.SaveRecomputed(ctx, tx, batch, ups, now)
	})
	if err != nil {
		t.Fatal(err)
	}
}
