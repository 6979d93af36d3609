package web

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// The search of the page header (web/search) in the access matrix: the
// roles that read persons; the handler then searches only what each one's
// pages show, which TestSearchFindsOnlyWhatThePagesShow checks.
func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /sok":  personReaders,
		"POST /sok": personReaders,
	})
}

// hitLink is a result row's link: to a case, a certificate, a
// coordination or a participant, by id.
var hitLink = regexp.MustCompile(`href="(/arenden/\d+|/certificates/\d+|/samordning/\d+|/forbund/[a-z-]+/deltagare/\d+)"`)

// TestSearchFindsOnlyWhatThePagesShow searches as every role, for persons
// and cases of the user's own office, of another office and of a
// coordination: each finds exactly what its pages show it, every link found
// opens for the same user (never a 403 or 404), those without persons to
// read are refused, and a search that finds someone is one audit entry
// naming them without the query.
func TestSearchFindsOnlyWhatThePagesShow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := matrixSetup(t, st)
		ctx := context.Background()
		visby, _, _ := officeCase(t, st, "lfc-visby", "198002029802", "Sökbar Sökare")
		roma, _, _ := officeCase(t, st, "lk-roma", "198002029810", "Romina Sökare")
		coord := f.coord["id"]
		// AF is invited to the coordination of the matrix case, whose
		// consent names AF; the region and the municipality are not.
		if err := st.Tx(ctx, func(tx *store.Tx) error {
			af, err := store.OrganisationBySlug(ctx, tx, "af")
			if err != nil {
				return err
			}
			return store.InviteParty(ctx, tx, coord, af.ID, 0, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		}); err != nil {
			t.Fatal(err)
		}
		// The Visby person also takes part in an insats of the association.
		var participant int64
		if err := st.Tx(ctx, func(tx *store.Tx) error {
			c, err := store.CaseByID(ctx, tx, visby)
			if err != nil {
				return err
			}
			assoc, err := store.OrganisationBySlug(ctx, tx, "finsam-gotland")
			if err != nil {
				return err
			}
			p, err := store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: assoc.ID, InsatsID: f.assoc["insatsID"], PersonID: c.PersonID,
				Consent: &association.Consent{RecordedByName: "Frida", On: civil.MustParse("2026-11-01"), Covers: "Registrering", DocumentRef: "matris"},
				Sex:     "female", AgeGroup: "30-39", Status: association.Pending}, association.MustDefaultCodeLists(), civil.MustParse("2026-11-23"), time.Now())
			participant = p.ID
			return err
		}); err != nil {
			t.Fatal(err)
		}
		participantLink := "/forbund/finsam-gotland/deltagare/" + itoa(participant)
		caseLink := func(id int64) string { return "/arenden/" + itoa(id) }
		const (
			pnVisby = "19800202-9802"
			pnRoma  = "800202-9810" // without century: the same search
			name    = "sökare"
			matris  = "MATRIS"
		)
		numVisby, numRoma, numMatrix := itoa(visby), itoa(roma), itoa(f.caseID)
		fkVisby := map[string][]string{
			pnVisby: {caseLink(visby)}, pnRoma: nil, name: {caseLink(visby)}, numVisby: {caseLink(visby)}, numRoma: nil,
			matris: {caseLink(f.caseID)}, numMatrix: {caseLink(f.caseID)},
		}
		nothing := map[string][]string{pnVisby: nil, pnRoma: nil, name: nil, numVisby: nil, matris: nil, numMatrix: nil}
		for _, tc := range []struct {
			user   string
			status int // of every search; 0 means 200 with the hits of want
			want   map[string][]string
		}{
			{user: "handlaggare", want: fkVisby},
			{user: "chef", want: fkVisby},
			// A director without an office searches every office.
			{user: "direktor", want: map[string][]string{
				pnVisby: {caseLink(visby)}, pnRoma: {caseLink(roma)}, name: {caseLink(visby), caseLink(roma)}, numRoma: {caseLink(roma)},
			}},
			{user: "samordnare-af", want: map[string][]string{
				pnVisby: nil, matris: {"/samordning/" + itoa(coord)}, numMatrix: {"/samordning/" + itoa(coord)}, numVisby: nil,
			}},
			{user: "samordnare-region", want: nothing},
			{user: "samordnare-kommun", want: nothing},
			{user: "forbund", want: map[string][]string{
				pnVisby: {participantLink}, name: {participantLink}, pnRoma: nil, numVisby: nil, matris: nil,
			}},
			{user: "styrelse", status: http.StatusForbidden},
			{user: "admin", status: http.StatusForbidden},
			{user: "intygsforvaltare", status: http.StatusForbidden},
			{user: "", status: http.StatusSeeOther},
		} {
			b := newBrowser(t, s)
			if tc.user != "" {
				b = signedIn(t, s, tc.user, "demo")
			}
			queries := slices.Sorted(maps.Keys(tc.want))
			if tc.status != 0 {
				queries = []string{pnVisby}
			}
			for _, q := range queries {
				label := tc.user + " searching " + q
				before := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'search_persons'")
				rec := b.Do("POST", "/sok", url.Values{"q": {q}})
				body := rec.Body.String()
				if tc.status != 0 {
					if rec.Code != tc.status {
						t.Errorf("%s: %d, want %d", label, rec.Code, tc.status)
					}
					if strings.Contains(body, "Sökbar") || personnummerLike.MatchString(body) {
						t.Errorf("%s: the refusal shows the person", label)
					}
					continue
				}
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d", label, rec.Code)
				}
				var got []string
				for _, m := range hitLink.FindAllStringSubmatch(body, -1) {
					got = append(got, m[1])
				}
				slices.Sort(got)
				want := slices.Sorted(slices.Values(tc.want[q]))
				if !slices.Equal(got, want) {
					t.Errorf("%s: found %v, want %v", label, got, want)
				}
				// Whatever search shows, the page behind it shows too.
				for _, link := range got {
					if page := b.Do("GET", link, nil); page.Code != http.StatusOK {
						t.Errorf("%s: found %s, which answers %d", label, link, page.Code)
					}
				}
				after := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'search_persons'")
				if wantEntries := min(len(want), 1); after-before != wantEntries {
					t.Errorf("%s: %d search_persons entries, want %d", label, after-before, wantEntries)
				}
			}
		}
		// The entries name the persons found and the kind of query, never
		// the query.
		if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'search_persons' AND actor_name = 'direktor'
			AND resource_type = 'search' AND resource_id IN ('personnummer', 'name', 'number')`); n != 4 {
			t.Errorf("the director's searches are %d entries, want 4", n)
		}
		if n := count(t, st, "SELECT count(*) FROM audit_log WHERE resource_id LIKE '%9802%' OR purpose LIKE '%9802%' OR purpose LIKE '%ökare%'"); n != 0 {
			t.Errorf("%d audit entries hold the query", n)
		}
		if n := count(t, st, `SELECT count(*) FROM audit_persons p JOIN audit_log l ON l.seq = p.seq WHERE l.action = 'search_persons' AND l.actor_name = 'direktor'`); n != 5 {
			t.Errorf("the director's searches name %d persons, want 5 (one, one, two, one)", n)
		}
	})
}
