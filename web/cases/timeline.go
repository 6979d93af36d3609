package cases

// The timeline picture of a case: the whole case on one time axis, drawn
// by the rules view (package web/internal/rulesview) as the calculator's
// is: the chain's phases, the periods with their degree, certificates,
// deadlines, decisions and the plan's actions, with a line for today. The
// page lists the same items in a table beside it.

import (
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
)

// buildCaseTimeline lays out a case, its marks worded in lang. The phases
// come from the rules engine, evaluated on today or, for a case that has
// ended, on its last day: the milestones already passed are the days they
// happened, those ahead assume the case goes on.
func (s *Handlers) buildCaseTimeline(lang string, c store.Case, periods []store.Period, certs []store.CertificateSummary,
	deadlines []store.CaseDeadline, decisions []store.CaseDecision, actions []store.PlanAction, today civil.Date) rulesview.Timeline {
	T := func(id string) string { return translate(lang, id) }
	first, last := storedDay(c.FirstDay), storedDay(c.LastDay)
	t := rulesview.Timeline{Case: true, From: first, To: last, Date: today}
	widen := func(d civil.Date) {
		if d.IsZero() {
			return
		}
		t.From, t.To = rulesview.MinDate(t.From, d), rulesview.MaxDate(t.To, d)
	}
	for _, p := range periods {
		tp := rulesview.TimelinePeriod{From: storedDay(p.From), To: storedDay(p.To), Degree: p.Degree}
		t.Periods = append(t.Periods, tp)
		widen(tp.From)
		widen(tp.To)
	}
	for _, ct := range certs {
		d := civil.Of(ct.SignedAt.In(site.Stockholm))
		t.Certificates = append(t.Certificates, rulesview.Mark{Date: d, Kind: rulesview.MarkCertificate,
			Text: T("case.tl.cert") + " " + storedDay(ct.FirstDay).String() + "–" + storedDay(ct.LastDay).String() + ", " + ct.UnitName})
		widen(d)
	}
	for _, dl := range deadlines {
		due := storedDay(dl.Due)
		kind := rulesview.MarkDeadlineOpen
		switch {
		case dl.Done:
			kind = rulesview.MarkDeadlineDone
		case today.After(due):
			kind = rulesview.MarkDeadlineOverdue
		}
		t.Deadlines = append(t.Deadlines, rulesview.Mark{Date: due, Kind: kind,
			Text: casework.DeadlineLabel(dl.Kind, lang) + " (" + T("case.tl.mark."+kind) + ")"})
		widen(due)
	}
	for _, x := range decisions {
		d := storedDay(x.DecidedOn)
		t.Decisions = append(t.Decisions, rulesview.Mark{Date: d, Kind: x.Outcome, Text: T("case.outcome."+x.Outcome) + ", " + x.Paragraph})
		widen(d)
	}
	for _, x := range actions {
		d := storedDay(x.Due)
		kind := rulesview.MarkActionOpen
		switch x.Status {
		case store.ActionDone:
			kind = rulesview.MarkActionDone
		case store.ActionCancelled:
			kind = rulesview.MarkActionCancelled
		}
		t.Actions = append(t.Actions, rulesview.Mark{Date: d, Kind: kind, Text: x.Title + " (" + T("case.tl.mark."+kind) + ")"})
		widen(d)
	}
	// Today is on the axis while the case is recent; an old case is drawn
	// without the years since.
	if !today.Before(t.From) && today.Sub(t.To) <= 180 {
		widen(today)
	}
	if t.From.IsZero() || t.To.IsZero() {
		return t
	}
	pad := max(3, t.To.Sub(t.From)/40)
	t.From, t.To = t.From.AddDays(-pad), t.To.AddDays(pad)

	// The phases of the chain.
	if len(periods) == 0 {
		return t
	}
	date := today
	if date.After(last) {
		date = last
	}
	if date.Before(first) {
		return t
	}
	res, err := s.Engine().Evaluate(rulesInputOf(c, periods, date), rules.Options{Trace: true})
	if err != nil || !res.Sick {
		return t
	}
	t.ContinuationLevel, t.TimeLimit = res.Milestones.ContinuationLevel, res.Milestones.TimeLimit
	t.Phases = rulesview.PhaseSpans(res, last)
	return t
}
