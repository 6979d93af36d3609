package casework

import (
	"strconv"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
)

// The first days of the wider work-capacity assessments, which the
// deadline kinds are named after (rules' rehab_chain_checkpoints,
// 90,180,365, plus one). Only rules counts the days to them.
const (
	chainDay91  = 91
	chainDay181 = 181
	chainDay366 = 366
)

// Process references: deadlines and warnings that rest on how the work is
// done rather than on a paragraph.
const (
	refCertificateEnd = "Process: nytt läkarintyg (FK 7804) före periodens slut"
	refSupplement     = "Process: komplettering av läkarintyg (FK 7804)"
	refReturnPlan     = "SFB 30 kap. 6 §"
	refNoPlan         = "SFB 30 kap. 6 §; SFB 27 kap. 47 §"
	refFMB            = "Process: Socialstyrelsens försäkringsmedicinska beslutsstöd (FMB)"
	refRepeated       = "Process: tidig kontakt vid upprepade sjukfall (jfr högriskskydd, SjLL och SFB 27 kap.)"
	refQuality        = "Process: kvalitetsgranskning och komplettering av läkarintyg (FK 7804)"
	refNoContact      = "Process: Försäkringskassans samordningsansvar, kontakt med den försäkrade"
)

var (
	// sfbFrom is the day socialförsäkringsbalken replaced lagen om allmän
	// försäkring, as in rules' lawRef.
	sfbFrom = civil.MustParse("2011-01-01")
	// SFB 30 kap. 6 § (SFS 2017:1306) is in force from 2018-07-01. Its
	// transitional rule: a person sick for 60 days on 2018-06-29 who is
	// still sick needs a plan by 2018-09-30 (grona.org 2018-06).
	returnPlanFrom          = civil.MustParse("2018-07-01")
	returnPlanTransitionDay = civil.MustParse("2018-06-29")
	returnPlanTransitionDue = civil.MustParse("2018-09-30")
)

// Derive works out where one case stands on f.Date: the rules engine's
// result, the deadlines that follow from the law and the process, and the
// early warnings. It returns the rules engine's *rules.Error when the facts
// are not a valid input (periods that overlap, a date out of range), and
// the *ConfigError of cfg.Validate for thresholds that are not positive.
//
// Every chain-day figure comes from rules: Evaluate for the date itself,
// CaseSpan and ChainDayDate for the other days of the case. Plain date
// differences are used only for "days since" and "days left".
func Derive(e *rules.Engine, f Facts, cfg Config) (Status, error) {
	if err := cfg.Validate(); err != nil {
		return Status{}, err
	}
	res, err := e.Evaluate(rules.Input{Date: f.Date, Employment: f.Employment, AnnualIncome: f.AnnualIncome,
		Periods: f.Periods, SeriousIllness: f.SeriousIllness, BirthDate: f.BirthDate}, rules.Options{})
	if err != nil {
		return Status{}, err
	}
	d := deriver{e: e, f: &f, cfg: &cfg, res: &res}
	d.findCase()
	st := Status{Result: res, Degree: degreeOn(f.Periods, f.Date)}
	st.Deadlines = d.deadlines()
	st.Warnings = d.warnings(st.Deadlines)
	for _, dl := range st.Deadlines {
		if !dl.Done {
			// Sorted by due date and kind: the first open one is next.
			st.NextDue, st.NextKind = dl.Due, dl.Kind
			break
		}
	}
	return st, nil
}

// deriver holds what the deadlines and warnings share.
type deriver struct {
	e   *rules.Engine
	f   *Facts
	cfg *Config
	res *rules.Result
	// anchor is the date whose case the status is about: f.Date, or the
	// first day of the periods when they all lie after it. cs is that
	// case; hasCase is false without periods.
	anchor  Date
	cs      rules.CaseSpan
	hasCase bool
}

func (d *deriver) findCase() {
	d.anchor = d.f.Date
	d.cs, d.hasCase = d.e.CaseSpan(d.f.Periods, d.anchor)
	if d.hasCase || len(d.f.Periods) == 0 {
		return
	}
	// Every period starts after the date (a certificate from tomorrow):
	// the status is about the case that is coming.
	first := d.f.Periods[0].From
	for _, p := range d.f.Periods[1:] {
		if p.From.Before(first) {
			first = p.From
		}
	}
	d.anchor = first
	d.cs, d.hasCase = d.e.CaseSpan(d.f.Periods, d.anchor)
}

// dayDate is the date of chain day n in the case (see rules.ChainDayDate).
func (d *deriver) dayDate(n int) (Date, bool) {
	if !d.hasCase {
		return Date{}, false
	}
	return d.e.ChainDayDate(d.f.Periods, d.anchor, n)
}

// certified reports whether the case's certified periods reach chain day n.
func (d *deriver) certified(n int) bool {
	return d.hasCase && (d.cs.Open || d.cs.Days >= n)
}

// certifiedLength is the case's length in chain days on its last
// certified day; for an open-ended case the chain day on the date.
func (d *deriver) certifiedLength() int {
	if d.cs.Open {
		return d.res.ChainDay
	}
	return d.cs.Days
}

func (d *deriver) deadlines() []Deadline {
	f := d.f
	// Built and sorted in a buffer on the stack, then copied once into a
	// slice of the right length: the nightly run derives every open case.
	b := deadlineList{done: f.Done}
	if n := 6 + len(f.Supplements); n > len(b.buf) {
		b.more = make([]Deadline, 0, n)
	}
	if due, ok := d.returnPlanDue(); ok {
		b.add(DeadlineReturnPlan, "", due, refReturnPlan, false)
	}

	// The assessments before chain days 91, 181 and 366 (SFB 27 kap.
	// 47–49 §§): due the last day before the milestone. On a sick day the
	// milestones are Evaluate's; on another day (between certificates, or
	// after the last one) they are the case's days as far as its
	// certificates reach, since a projection past them would put an
	// assessment on a case that may have ended.
	m := d.res.Milestones
	if !d.res.Sick {
		m = rules.Milestones{}
		if d.certified(chainDay91) {
			m.Day91, _ = d.dayDate(chainDay91)
		}
		if d.certified(chainDay181) {
			m.Day181, _ = d.dayDate(chainDay181)
		}
		if d.certified(chainDay366) {
			m.Day366, _ = d.dayDate(chainDay366)
		}
	}
	if f.Employment == rules.Employee || f.Employment == rules.SelfEmployed {
		if !m.Day91.IsZero() {
			due := m.Day91.AddDays(-1)
			b.add(DeadlineAssessDay91, "", due, chainRef(due, "SFB 27 kap. 47 §"), false)
		}
		if !m.Day181.IsZero() {
			due := m.Day181.AddDays(-1)
			b.add(DeadlineAssessDay181, "", due, chainRef(due, "SFB 27 kap. 48 §"), false)
		}
	}
	if !m.Day366.IsZero() {
		due := m.Day366.AddDays(-1)
		b.add(DeadlineAssessDay366, "", due, chainRef(due, "SFB 27 kap. 49 §"), false)
	}
	// The time limit is Evaluate's alone (it depends on the level of every
	// day), so it is known on sick days only.
	if tl := d.res.Milestones.TimeLimit; !tl.IsZero() {
		due := tl.AddDays(-1)
		b.add(DeadlineTimeLimit, "", due, timeLimitRef(due), false)
	}
	// Only the latest period's end is a deadline; an earlier one that a
	// new certificate followed is no longer produced, and the store closes
	// it as met.
	if d.hasCase && !d.cs.Open {
		b.add(DeadlineCertificateEnd, d.cs.Last.String(), d.cs.Last, refCertificateEnd, false)
	}
	for _, s := range f.Supplements {
		b.add(DeadlineSupplement, strconv.FormatInt(s.MessageID, 10), s.AnswerBy, refSupplement, s.Answered)
	}
	return b.result()
}

// deadlineList collects deadlines, applying a person's closings: a
// deadline in done is done, by that person rather than automatically. It
// fills buf, on the stack, unless more was made for a case with many
// supplement requests.
type deadlineList struct {
	buf  [8]Deadline
	n    int
	more []Deadline
	done map[DeadlineID]bool
}

func (b *deadlineList) add(kind, key string, due Date, ref string, auto bool) {
	dl := Deadline{DeadlineID: DeadlineID{Kind: kind, Key: key}, Due: due, Ref: ref, Done: auto, Auto: auto}
	if len(b.done) > 0 && b.done[dl.DeadlineID] {
		dl.Done, dl.Auto = true, false
	}
	if b.more != nil {
		b.more = append(b.more, dl)
		return
	}
	b.buf[b.n] = dl
	b.n++
}

// result sorts the deadlines and returns them in a slice of their own.
func (b *deadlineList) result() []Deadline {
	if b.more != nil {
		sortDeadlines(b.more)
		return b.more
	}
	if b.n == 0 {
		return nil
	}
	sortDeadlines(b.buf[:b.n])
	out := make([]Deadline, b.n)
	copy(out, b.buf[:b.n])
	return out
}

// returnPlanDue is the day the employer's plan för återgång i arbete is due
// (SFB 30 kap. 6 §), and whether one is required: for an employee whose
// certified sick leave in the case reaches ReturnPlanMinDays chain days,
// by chain day ReturnPlanDay; when the certificate that first made the
// case reach that length was signed later, on its signing day (the plan
// is then due "omgående"). Cases that began before 2018-07-01 need one
// only under the transitional rule, and no date before then has one.
func (d *deriver) returnPlanDue() (Date, bool) {
	if d.f.Employment != rules.Employee || d.f.Date.Before(returnPlanFrom) || !d.certified(d.cfg.ReturnPlanMinDays) {
		return Date{}, false
	}
	reach, ok := d.dayDate(d.cfg.ReturnPlanMinDays)
	if !ok {
		return Date{}, false
	}
	if d.cs.First.Before(returnPlanFrom) {
		// Sick ReturnPlanMinDays days on 2018-06-29 and still sick when the
		// law came into force.
		if !reach.After(returnPlanTransitionDay) && covers(d.f.Periods, returnPlanTransitionDay) &&
			(d.cs.Open || !d.cs.Last.Before(returnPlanFrom)) {
			return returnPlanTransitionDue, true
		}
		return Date{}, false
	}
	due, ok := d.dayDate(d.cfg.ReturnPlanDay)
	if !ok {
		return Date{}, false
	}
	// The certificate that first certified the day the case reaches the
	// minimum: the earliest signed one covering it.
	var signed Date
	for _, c := range d.f.Certificates {
		if !reach.Before(c.From) && (c.To.IsZero() || !reach.After(c.To)) && (signed.IsZero() || c.SignedOn.Before(signed)) {
			signed = c.SignedOn
		}
	}
	if signed.After(due) {
		due = signed
	}
	return due, true
}

func (d *deriver) warnings(deadlines []Deadline) []Warning {
	f, cfg, res := d.f, d.cfg, d.res
	var w warnings

	// No plan while the case heads for day 91: "expected to pass day 90"
	// is taken as the certified periods reaching chain day 91.
	if res.Sick && res.ChainDay >= cfg.NoPlanFromDay && res.ChainPhase == rules.Phase1To90 &&
		d.certified(chainDay91) && f.PlanActions == 0 && !isDone(deadlines, DeadlineReturnPlan) {
		w.add(WarningNoPlanDay90, "chain_day>="+strconv.Itoa(cfg.NoPlanFromDay)+
			" && chain_day<=90 && certified past day 90 && return_plan not done && plan_actions==0",
			refNoPlan, res.ChainDay, res.Milestones.Day91.Sub(f.Date))
	}

	var latest *Certificate
	if n := len(f.Certificates); n > 0 {
		latest = &f.Certificates[n-1]
	}
	if latest != nil && d.hasCase && latest.FMBMaxDays > 0 && !latest.FMBMotivated {
		if n := d.certifiedLength(); n > latest.FMBMaxDays {
			w.add(WarningFMBExceeded, "certified_days>fmb_max_days && !fmb_motivated", refFMB, n, latest.FMBMaxDays)
		}
	}

	if n := d.recentCases(); n >= cfg.RepeatedCases {
		w.add(WarningRepeatedCases, "case_starts_in_"+strconv.Itoa(cfg.RepeatedMonths)+"_months>="+strconv.Itoa(cfg.RepeatedCases),
			refRepeated, n, cfg.RepeatedMonths)
	}

	unanswered := 0
	for _, s := range f.Supplements {
		if !s.Answered {
			unanswered++
		}
	}
	score := -1 // no certificate
	if latest != nil {
		score = latest.QualityScore
	}
	if (score >= 0 && score < cfg.QualityBelow) || unanswered > 0 {
		w.add(WarningCertificateQual, "quality_score<"+strconv.Itoa(cfg.QualityBelow)+" || unanswered_supplements>0",
			refQuality, score, cfg.QualityBelow, unanswered)
	}

	if res.Sick && res.ChainDay > cfg.NoContactFromDay && d.hasCase {
		since := f.LastContact
		if since.IsZero() {
			since = d.cs.First
		}
		if days := f.Date.Sub(since); days >= cfg.NoContactDays {
			w.add(WarningNoContact, "chain_day>"+strconv.Itoa(cfg.NoContactFromDay)+" && days_since_contact>="+strconv.Itoa(cfg.NoContactDays),
				refNoContact, days)
		}
	}

	if tl := res.Milestones.TimeLimit; !tl.IsZero() && tl.After(f.Date) && tl.Sub(f.Date) <= cfg.TimeLimitWarnDays {
		w.add(WarningTimeLimitNearing, "days_to_time_limit<="+strconv.Itoa(cfg.TimeLimitWarnDays),
			timeLimitRef(tl.AddDays(-1)), tl.Sub(f.Date))
	}
	return w.result()
}

// recentCases counts the case starts in the RepeatedMonths months up to
// and including the date: after the same day RepeatedMonths months
// earlier (the last day of the month where that day does not exist).
func (d *deriver) recentCases() int {
	from := addMonths(d.f.Date, -d.cfg.RepeatedMonths)
	n := 0
	for _, s := range d.f.CaseStarts {
		if s.After(from) && !s.After(d.f.Date) {
			n++
		}
	}
	return n
}

// warnings collects Warnings in buffers on the stack; result copies them
// into one slice of Warnings and one of Args, sized to fit.
type warnings struct {
	list  [len(warningKindsArray)]Warning
	spans [len(warningKindsArray)][2]int // each warning's Args in args
	n     int
	args  [maxArgs]int
	nargs int
}

// warningKindsArray sizes the buffers: one warning of each kind at most.
var warningKindsArray = [...]string{WarningNoPlanDay90, WarningFMBExceeded, WarningRepeatedCases,
	WarningCertificateQual, WarningNoContact, WarningTimeLimitNearing}

// maxArgs is the sum of the Args of every warning kind.
const maxArgs = 2 + 2 + 2 + 3 + 1 + 1

func (w *warnings) add(kind, rule, ref string, args ...int) {
	i := w.nargs
	w.nargs += copy(w.args[i:], args)
	w.list[w.n] = Warning{Kind: kind, Rule: rule, Ref: ref}
	w.spans[w.n] = [2]int{i, w.nargs}
	w.n++
}

func (w *warnings) result() []Warning {
	if w.n == 0 {
		return nil
	}
	out := make([]Warning, w.n)
	args := make([]int, w.nargs)
	copy(args, w.args[:w.nargs])
	for i := range out {
		out[i] = w.list[i]
		lo, hi := w.spans[i][0], w.spans[i][1]
		out[i].Args = args[lo:hi:hi]
	}
	return out
}

// chainRef is the reference of a rehabilitation-chain assessment due on
// due: the SFB paragraph, or AFL 3 kap. 7 § before 2011 (as rules'
// lawRef and rehab_chain_checkpoints.json).
func chainRef(due Date, sfb string) string {
	if due.Before(sfbFrom) {
		return "AFL 3 kap. 7 §"
	}
	return sfb
}

// timeLimitRef is the time limit's reference as continuation_max_days.json
// gives it.
func timeLimitRef(due Date) string {
	if due.Before(sfbFrom) {
		return "AFL 3 kap. 4 § första stycket 3–4"
	}
	return "SFB 27 kap. 24 a §"
}

func isDone(ds []Deadline, kind string) bool {
	for _, d := range ds {
		if d.Kind == kind {
			return d.Done
		}
	}
	return false
}

// covers reports whether a period covers day.
func covers(ps []rules.Period, day Date) bool {
	return degreeOn(ps, day) > 0
}

// degreeOn is the degree of the period covering day, 0 if none.
func degreeOn(ps []rules.Period, day Date) int {
	for _, p := range ps {
		if !day.Before(p.From) && (p.To.IsZero() || !day.After(p.To)) {
			return p.Degree
		}
	}
	return 0
}

// kindOrder is a deadline kind's place in DeadlineKinds.
func kindOrder(kind string) int {
	for i, k := range DeadlineKinds {
		if k == kind {
			return i
		}
	}
	return len(DeadlineKinds)
}

// sortDeadlines orders by due date, then kind (DeadlineKinds), keeping the
// given order otherwise; an insertion sort for the handful a case has.
func sortDeadlines(ds []Deadline) {
	less := func(a, b *Deadline) bool {
		if a.Due != b.Due {
			return a.Due.Before(b.Due)
		}
		return kindOrder(a.Kind) < kindOrder(b.Kind)
	}
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && less(&ds[j], &ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// addMonths moves d by n calendar months, to the last day of the month
// when the day does not exist there (2024-02-29 less 12 months is
// 2023-02-28).
func addMonths(d Date, n int) Date {
	y, m, day := d.Civil()
	t := y*12 + (m - 1) + n
	y, m = t/12, t%12+1
	for ; day > 28; day-- {
		if r, ok := civil.New(y, m, day); ok {
			return r
		}
	}
	r, _ := civil.New(y, m, day)
	return r
}
