package forbund_test

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestStartPageFiguresAndTabsByRole: the association's start page shows its
// key figures to its staff exactly, each linking to its list, to its board
// as the reports count (small counts "<5", no budget), and none to a
// member organisation's manager; each sees the tabs of the sections they
// may open, the start page marked current.
func TestStartPageFiguresAndTabsByRole(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ctx := context.Background()
		id := webtest.OrgNamed(t, st, "finsam-gotland").ID
		insatsID, _ := storetest.Insats(t, st, "finsam-gotland") // one ongoing since 2026-02-01
		today, now := civil.MustParse("2026-11-23"), time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		cl := association.MustDefaultCodeLists()
		reason := cl.List(association.ListEndReason).Codes[0].Code
		var regs []association.Participant
		for i := range 5 { // five more ongoing: six in all
			regs = append(regs, association.Participant{Start: civil.MustParse("2026-03-01").AddDays(i), Status: association.Active})
		}
		for i := range 2 { // two ended this year: a small count
			regs = append(regs, association.Participant{Start: civil.MustParse("2026-04-01").AddDays(i), End: civil.MustParse("2026-06-30"), Status: association.Ended, EndReason: reason})
		}
		err := st.Tx(ctx, func(tx *store.Tx) error {
			for _, p := range regs {
				p.AssociationID, p.InsatsID, p.Sex, p.AgeGroup = id, insatsID, "male", "30-39"
				if _, err := store.RegisterParticipant(ctx, tx, p, cl, today, now); err != nil {
					return err
				}
			}
			_, err := store.CreateBudgetLines(ctx, tx, []store.BudgetLine{
				{AssociationID: id, Year: 2026, Entry: store.EntryBudget, Kind: store.LineAdministration, Financier: association.Financiers[0], Amount: association.Kr(1_000_000)},
				{AssociationID: id, Year: 2026, Entry: store.EntryOutcome, Kind: store.LineAdministration, Financier: association.Financiers[0], Amount: association.Kr(250_000)},
			}, now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		tab := func(path string) string {
			return `class="imenu__list__anchor" href="/forbund/finsam-gotland` + path + `"`
		}
		for _, tc := range []struct {
			user          string
			shown, hidden []string
		}{
			{"forbund", []string{`id="figure-ongoing">6<`, `id="figure-started">8<`, `id="figure-ended">2<`, `id="figure-budget">250 000,00 kr<`,
				"25 % av 1 000 000,00 kr", `href="/forbund/finsam-gotland/deltagare?status=active"`, `href="/forbund/finsam-gotland/budget?year=2026"`,
				tab("") + ` aria-current="page"`, tab("/insatser"), tab("/deltagare"), tab("/budget"), tab("/fordelning"), tab("/rapporter"), tab("/webb"), tab("/installningar")},
				nil},
			{"styrelse", []string{`id="figure-ongoing">6<`, `id="figure-started">8<`, `id="figure-ended">&lt;5<`, `href="/forbund/finsam-gotland/rapporter?year=2026"`,
				tab("") + ` aria-current="page"`, tab("/finansiering"), tab("/styrelse"), tab("/rapporter")},
				[]string{`id="figure-budget"`, "/deltagare", tab("/insatser"), tab("/budget"), tab("/fordelning"), tab("/webb"), tab("/installningar")}},
			{"chef", []string{tab(""), tab("/finansiering"), tab("/styrelse")},
				[]string{`id="nyckeltal"`, "figure-", tab("/rapporter"), tab("/insatser"), tab("/budget")}},
		} {
			page := signedIn(t, s, tc.user, "demo").Do("GET", gotland, nil)
			statusIs(t, tc.user, page.Code, 200)
			bodyShows(t, tc.user+"'s start page", page.Body.String(), tc.shown, tc.hidden)
		}
	})
}
