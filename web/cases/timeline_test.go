package cases_test

import (
	"context"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/cases"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/svg/svgtest"
	"github.com/finsam/finsam/web/internal/webtest"
)

// timelineOf lays out a case as its page does, in Swedish.
func timelineOf(s *webtest.Server, c store.Case, periods []store.Period, certs []store.CertificateSummary,
	deadlines []store.CaseDeadline, decisions []store.CaseDecision, actions []store.PlanAction, today civil.Date) rulesview.Timeline {
	return cases.BuildCaseTimeline(&cases.Handlers{Site: s.Site()}, "sv", c, periods, certs, deadlines, decisions, actions, today)
}

func TestCaseTimeline(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, f := casesSetup(t, st)
	ctx := context.Background()
	c, _ := store.CaseByID(ctx, st, f.Mine)
	periods, _ := store.PersonPeriods(ctx, st, c.PersonID, c.FirstDay, c.LastDay)
	deadlines, _ := store.CaseDeadlines(ctx, st, f.Mine)
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	decisions := []store.CaseDecision{{Outcome: store.DecisionGranted, DecidedOn: d("2026-09-20"), Paragraph: "SFB 27 kap. 2 §"}}
	actions := []store.PlanAction{
		{Title: "Arbetsträning", Due: d("2026-12-10"), Status: store.ActionPlanned},
		{Title: "Möte <med> arbetsgivare", Due: d("2026-10-10"), Status: store.ActionCancelled},
	}
	today := civil.MustParse("2026-11-23")
	tl := timelineOf(s, c, periods, nil, deadlines, decisions, actions, today)

	// The phases are the engine's: day 91 is the milestone of its result.
	res, err := s.Site().Engine().Evaluate(cases.RulesInputOf(c, periods, today), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Phases) != 2 || tl.Phases[0].From != civil.MustParse("2026-09-01") || tl.Phases[1].From != res.Milestones.Day91 ||
		tl.Phases[1].To != civil.MustParse("2026-12-31") {
		t.Errorf("phases %+v, day 91 %v", tl.Phases, res.Milestones.Day91)
	}
	lastDue := civil.Of(deadlines[len(deadlines)-1].Due.UTC())
	if tl.From.After(civil.MustParse("2026-09-01")) || tl.To.Before(lastDue) {
		t.Errorf("the axis %v–%v does not hold the case and its deadlines (last due %v)", tl.From, tl.To, lastDue)
	}

	svg := string(rulesview.TimelineSVG(tl, "sv", "tl"))
	// Well-formed, an image with a title and a description, no inline
	// style (CSP), outside text escaped.
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="tl-title tl-desc"`, `<title id="tl-title">`, `<desc id="tl-desc">`, "I dag 2026-11-23", "1–90", "91–180"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the picture lacks %q", want)
		}
	}
	if strings.Contains(svg, "style=") || strings.Contains(svg, "<med>") {
		t.Error("inline style or unescaped text in the picture")
	}

	// The table says everything the picture shows, in date order.
	items := rulesview.TimelineItems(tl, "sv")
	var texts []string
	for i, it := range items {
		texts = append(texts, it.Row+" "+it.Text)
		if i > 0 && it.From < items[i-1].From {
			t.Errorf("the table is not in date order at %v", it)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Faser Dag 1–90", "Perioder 100 %", "Perioder 50 %", "Beslut Beviljat, SFB 27 kap. 2 §",
		"Åtgärder Arbetsträning (planerad eller pågår)", "Åtgärder Möte <med> arbetsgivare (inställd)", "Frister Bedömning inför dag 91 (öppen)",
		"Frister Plan för återgång i arbete (försenad)", "I dag Dagens datum"} {
		if !strings.Contains(all, want) {
			t.Errorf("the table lacks %q:\n%s", want, all)
		}
	}
	legend := rulesview.TimelineLegend(tl, "sv")
	if len(legend) != 5 { // open and overdue deadlines, granted, open and cancelled actions
		t.Errorf("%d legend items, want 5", len(legend))
	}
}

// TestCaseTimelineOfAnOldCase: a case that ended long ago is drawn on its
// own years, with its phases from the last day it was evaluable, and today
// outside the picture.
func TestCaseTimelineOfAnOldCase(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _ := casesSetup(t, st)
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	c := store.Case{Employment: "employee", FirstDay: d("2012-01-01"), LastDay: d("2013-06-30")}
	periods := []store.Period{{From: d("2012-01-01"), To: d("2013-06-30"), Degree: 100}}
	tl := timelineOf(s, c, periods, nil, nil, nil, nil, civil.MustParse("2026-11-23"))
	if tl.To.After(civil.MustParse("2014-01-01")) {
		t.Errorf("the axis reaches %v: an old case is drawn with the years since", tl.To)
	}
	if len(tl.Phases) != 4 || tl.Phases[3].Kind != rules.Phase366On || tl.TimeLimit.IsZero() {
		t.Errorf("phases %+v time limit %v", tl.Phases, tl.TimeLimit)
	}
	if svg := string(rulesview.TimelineSVG(tl, "en", "x")); strings.Contains(svg, "Today") {
		t.Error("today is marked on an old case")
	}
}

// TestCaseTimelineTextHasContrast: every label of the case picture has a
// contrast of at least 4.5:1 against the shape under it (axe-core cannot
// tell the background of SVG text; the browser test accepts those labels
// on the strength of this test).
func TestCaseTimelineTextHasContrast(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, f := casesSetup(t, st)
	ctx := context.Background()
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	old := store.Case{Employment: "employee", FirstDay: d("2012-01-01"), LastDay: d("2013-06-30")}
	cases := map[string]rulesview.Timeline{
		"old": timelineOf(s, old, []store.Period{{From: d("2012-01-01"), To: d("2013-06-30"), Degree: 25}}, nil, nil, nil, nil, civil.MustParse("2026-11-23")),
	}
	for _, id := range []int64{f.Mine, f.Protected, f.Unassigned} {
		c, _ := store.CaseByID(ctx, st, id)
		periods, _ := store.PersonPeriods(ctx, st, c.PersonID, c.FirstDay, c.LastDay)
		deadlines, _ := store.CaseDeadlines(ctx, st, id)
		cases[itoa(id)] = timelineOf(s, c, periods, nil, deadlines, nil, nil, civil.MustParse("2026-11-23"))
	}
	for name, tl := range cases {
		for _, lang := range []string{"sv", "en"} {
			texts, rects := svgtest.Shapes(string(rulesview.TimelineSVG(tl, lang, "t")))
			if len(texts) < 8 {
				t.Fatalf("%s: only %d texts", name, len(texts))
			}
			for _, low := range svgtest.LowContrast(texts, rects, 4.5) {
				t.Errorf("%s: %s", name, low)
			}
		}
	}
}
