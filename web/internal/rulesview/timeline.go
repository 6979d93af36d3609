package rulesview

import (
	"github.com/finsam/finsam/rules"
)

// Timeline is what a timeline picture shows: periods on a time axis, the
// phases of the rehabilitation chain and the dates where the level changes
// and the time limit falls; on the calculator who pays on each day, on the
// case page the case's dated events (certificates, deadlines, decisions,
// the plan's actions) as marks of a shape each. Both pages draw it with
// TimelineSVG and explain it with TimelineLegend.
type Timeline struct {
	// From and To are the first and last day of the axis.
	From, To rules.Date
	// Date is the day marked with a line: the day the person asked about
	// on the calculator, today on the case page.
	Date    rules.Date
	Periods []TimelinePeriod
	// Phases are the chain's phases of the case on Date, empty when the
	// person is not sick on Date.
	Phases []TimelineSpan
	// Pay is who pays, day by day, as runs of days of one kind.
	Pay []TimelineSpan
	// ContinuationLevel and TimeLimit are the result's milestones (zero
	// when they do not apply).
	ContinuationLevel, TimeLimit rules.Date

	// Case marks the picture of a whole case (the case page) rather than
	// of the calculator's input: its words are the case's, and it has a
	// row for each kind of event below the periods.
	Case bool
	// The case's dated events, by row.
	Certificates, Deadlines, Decisions, Actions []Mark
}

// Mark is one dated event of a case: Kind selects its shape and colour
// (one of the Mark* kinds), Text says what it is in the page's language,
// as the table beside the picture lists it.
type Mark struct {
	Date rules.Date
	Kind string
	Text string
}

// The kinds of marks.
const (
	MarkCertificate     = "certificate"
	MarkDeadlineOpen    = "deadline_open"
	MarkDeadlineOverdue = "deadline_overdue"
	MarkDeadlineDone    = "deadline_done"
	MarkGranted         = "granted"
	MarkRejected        = "rejected"
	MarkWithdrawn       = "withdrawn"
	MarkActionOpen      = "action_open"
	MarkActionDone      = "action_done"
	MarkActionCancelled = "action_cancelled"
)

// markKinds are the kinds of marks in the legend's order.
var markKinds = []string{MarkCertificate, MarkDeadlineOpen, MarkDeadlineOverdue, MarkDeadlineDone, MarkGranted, MarkRejected,
	MarkWithdrawn, MarkActionOpen, MarkActionDone, MarkActionCancelled}

// markRows are the rows of marks of t, in the picture's order, with the
// message ids of their labels.
func (t Timeline) markRows() []markRow {
	if !t.Case {
		return nil
	}
	return []markRow{{"case.tl.row.certificates", t.Certificates}, {"case.tl.row.deadlines", t.Deadlines},
		{"case.tl.row.decisions", t.Decisions}, {"case.tl.row.actions", t.Actions}}
}

type markRow struct {
	label string
	marks []Mark
}

// TimelinePeriod is a period of sick leave on the axis.
type TimelinePeriod struct {
	From, To rules.Date
	// Open is a period without an end; To is then the end of the axis.
	Open   bool
	Degree int
}

// TimelineSpan is a run of days, both ends included.
type TimelineSpan struct {
	From, To rules.Date
	Kind     string
}

// The kinds of days in timeline.Pay.
const (
	PayKarens       = "karens"       // sick, but nobody pays: karensdag, waiting days, karensavdrag
	PaySjuklon      = "sjuklon"      // the employer pays sjuklön
	PayNormal       = "normal"       // Försäkringskassan at the normal level
	PayContinuation = "continuation" // Försäkringskassan at the continuation level
	PayLimit        = "limit"        // the time limit is reached: no benefit
)

// The chain phases in timeline.Phases.
var ChainPhases = [...]string{rules.Phase1To90, rules.Phase91To180, rules.Phase181To365, rules.Phase366On}

// BuildTimeline lays out the case of in, whose result on in.Date is res
// (with its trace). Who pays is not guessed from the rules here: the
// engine is asked for every day on the axis, which costs well under a
// microsecond a day.
func BuildTimeline(e *rules.Engine, in rules.Input, res rules.Result) Timeline {
	t := Timeline{Date: in.Date, ContinuationLevel: res.Milestones.ContinuationLevel, TimeLimit: res.Milestones.TimeLimit}
	if len(in.Periods) == 0 {
		return t
	}
	t.From, t.To = in.Date, in.Date
	open := false
	for _, p := range in.Periods {
		t.From = MinDate(t.From, p.From)
		if p.To.IsZero() {
			open = true
		} else {
			t.To = MaxDate(t.To, p.To)
		}
	}
	ms := res.Milestones
	if open {
		// An open-ended period goes on: its milestones are what lies ahead.
		for _, d := range []rules.Date{ms.Day91, ms.Day181, ms.Day366, ms.ContinuationLevel, ms.TimeLimit} {
			if !d.IsZero() {
				t.To = MaxDate(t.To, d)
			}
		}
		// Leave room to see the period go on past the last date.
		t.To = t.To.AddDays(max(14, t.To.Sub(t.From)/20))
	}
	for _, p := range in.Periods {
		tp := TimelinePeriod{From: p.From, To: p.To, Degree: p.Degree}
		if p.To.IsZero() {
			tp.To, tp.Open = t.To, true
		}
		t.Periods = append(t.Periods, tp)
	}
	sortPeriods(t.Periods)

	// Who pays, day by day.
	first, last := e.DateRange()
	day := in
	day.Date = MaxDate(t.From, first)
	end := MinDate(t.To, last)
	var run TimelineSpan
	for ; !day.Date.After(end); day.Date = day.Date.AddDays(1) {
		r, err := e.Evaluate(day, rules.Options{})
		kind := ""
		if err == nil {
			kind = payKind(r)
		}
		if kind != run.Kind || run.Kind == "" {
			if run.Kind != "" {
				t.Pay = append(t.Pay, run)
			}
			run = TimelineSpan{From: day.Date, Kind: kind}
		}
		run.To = day.Date
	}
	if run.Kind != "" {
		t.Pay = append(t.Pay, run)
	}

	// The chain's phases of the case on Date, from its first day to the
	// end of its last period (or of the axis while it goes on).
	if res.Sick {
		caseEnd := runEnd(in.Periods, in.Date)
		if caseEnd.IsZero() {
			caseEnd = t.To
		}
		t.Phases = PhaseSpans(res, caseEnd)
	}
	return t
}

// PhaseSpans are the chain's phases of the case of res (a result with its
// trace, of a day the person is sick), from the case's first day to end:
// the milestones already passed are the days they happened, those ahead
// assume the case goes on.
func PhaseSpans(res rules.Result, end rules.Date) []TimelineSpan {
	ms := res.Milestones
	bounds := []rules.Date{TraceDate(res, rules.StepCaseStart), ms.Day91, ms.Day181, ms.Day366}
	var out []TimelineSpan
	for i, from := range bounds {
		if from.IsZero() || from.After(end) {
			break
		}
		to := end
		if i+1 < len(bounds) && !bounds[i+1].IsZero() && !bounds[i+1].After(end) {
			to = bounds[i+1].AddDays(-1)
		}
		out = append(out, TimelineSpan{From: from, To: to, Kind: ChainPhases[i]})
	}
	return out
}

// payKind classifies one day's result for the picture.
func payKind(r rules.Result) string {
	switch {
	case !r.Sick:
		return ""
	case r.TimeLimitReached && r.Payer == rules.PayerNone:
		return PayLimit
	case r.Payer == rules.PayerNone:
		return PayKarens
	case r.Payer == rules.PayerEmployer:
		return PaySjuklon
	case r.DailyAmount == 0 && r.FullDailyAmount.Normal > 0:
		// From 2019 an unemployed person's first day carries a
		// karensavdrag as large as the day's benefit.
		return PayKarens
	case r.Level == rules.LevelContinuation:
		return PayContinuation
	}
	return PayNormal
}

// runEnd is the last day of the unbroken run of periods that covers d
// (a period that starts the day after another ends continues it), or the
// zero Date when the run is open-ended. The engine's milestones after d
// assume that this run goes on, so the picture's phases stop where it ends.
func runEnd(ps []rules.Period, d rules.Date) rules.Date {
	end := d
	for extended := true; extended; {
		extended = false
		for _, p := range ps {
			if p.From.After(end.AddDays(1)) || (!p.To.IsZero() && p.To.Before(d)) {
				continue
			}
			if p.To.IsZero() {
				return rules.Date{}
			}
			if p.To.After(end) {
				end, extended = p.To, true
			}
		}
	}
	return end
}

// traceDate is the date value of a trace step, or the zero Date.
func TraceDate(r rules.Result, step string) rules.Date {
	for _, s := range r.Trace {
		if s.Step == step {
			if d, ok := s.Value.(rules.Date); ok {
				return d
			}
		}
	}
	return rules.Date{}
}

func sortPeriods(ps []TimelinePeriod) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].From.Before(ps[j-1].From); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func MinDate(a, b rules.Date) rules.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func MaxDate(a, b rules.Date) rules.Date {
	if b.After(a) {
		return b
	}
	return a
}
