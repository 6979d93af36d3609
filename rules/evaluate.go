package rules

import (
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/finsam/finsam/civil"
)

// ringDays is the number of past days whose "counts toward the frame" flag
// the day loop keeps; it must exceed the frame window (450).
const (
	ringDays  = 512
	ringWords = ringDays / 64
	ringMask  = ringDays - 1
)

// maxSjuklonDays bounds the sjuklöneperiod so that its days fit the fixed
// array that remembers them until sjukpenning follows.
const maxSjuklonDays = 31

// dayKind is what a sick day is, for payer and counting.
type dayKind uint8

const (
	kindKarens     dayKind = iota // karensdag: nothing paid
	kindWaiting                   // self-employed karensdag
	kindSjuklonAvd                // employee's first day under karensavdrag: sjuklön less the deduction
	kindSjuklon                   // sjuklöneperiod, employer pays
	kindFK                        // sjukpenning paid by Försäkringskassan
	kindFKAvdrag                  // unemployed first day: sjukpenning eaten by the karensavdrag
	kindLimited                   // time limit reached: nothing paid
)

// period is a sick-leave period as the day loop sees it.
type period struct {
	from, to int32 // to is openEnd for an open period
	degree   int32
	idx      int32 // position in Input.Periods, for error fields
}

// amounts holds the computed money values for the evaluated date.
type amounts struct {
	pbb, threshold, capKr, sgi int64
	belowThreshold             bool
	rawNormal, rawCont         int64 // before the unemployed maximum
	normal, cont               int64
	unemployedMax              int64 // 0 when it does not apply
}

// roundHalfUp divides num by den (both positive) rounding halves up, as SFB
// 28 kap. 10 § prescribes ("50 öre avrundas uppåt").
func roundHalfUp(num, den int64) int64 { return (2*num + den) / (2 * den) }

func (e *Engine) amounts(d Date, income float64, emp Employment) amounts {
	var a amounts
	n := d.Days()
	a.pbb = e.pbbFor(d).v
	thr := e.sgiThreshold.at(n).v
	capMult := e.sgiCap.at(n).v
	a.threshold = (a.pbb*thr + decimalScale - 1) / decimalScale // smallest whole krona at or above the threshold
	a.capKr = a.pbb * capMult / decimalScale
	// 25 kap. 3 §: the income itself must reach 24 % of the pbb; compare
	// without rounding so that 11 592 kr qualifies in 2022 (pbb 48 300)
	// while its SGI becomes 11 500 kr, as Försäkringskassan publishes.
	if income*decimalScale < float64(a.pbb*thr) {
		a.belowThreshold = true
		return a
	}
	inc := int64(math.Floor(income))
	if inc > a.capKr {
		inc = a.capKr
	}
	r := e.sgiRounding.at(n).v
	a.sgi = inc / r * r
	f := e.factor.at(n).v
	const den = 365 * decimalScale * decimalScale
	a.rawNormal = roundHalfUp(a.sgi*f*e.rateNormal.at(n).v, den)
	a.rawCont = roundHalfUp(a.sgi*f*e.rateCont.at(n).v, den)
	a.normal, a.cont = a.rawNormal, a.rawCont
	if emp == Unemployed {
		a.unemployedMax = e.unemployedMax.at(n).v
		a.normal = min(a.normal, a.unemployedMax)
		a.cont = min(a.cont, a.unemployedMax)
	}
	return a
}

// partAmount is the benefit at a degree below 100 %: the degree's share of
// the rounded full amount, rounded half up. Neither SFB 27 kap. 45 § nor
// 28 kap. 10 § says whether the share is taken before or after rounding
// (UNCONFIRMED); taking it of the rounded full amount makes a 100 % day
// and the published maxima agree by construction.
func partAmount(full int64, degree int32) int64 {
	if degree == 100 {
		return full
	}
	return roundHalfUp(full*int64(degree), 100)
}

// validate checks what ParseInput cannot: ranges that depend on the
// parameters, and everything for an Input built in code.
func (e *Engine) validate(in *Input, ps []period) ([]period, *Error) {
	if in.Date.IsZero() {
		return nil, errMissing("date")
	}
	if in.Date.Before(e.minDate) || in.Date.After(e.maxDate) {
		return nil, newError(CodeDateOutOfRange, "date",
			"date must be between "+e.minDate.String()+" and "+e.maxDate.String(),
			"datumet måste ligga mellan "+e.minDate.String()+" och "+e.maxDate.String())
	}
	if !in.Employment.valid() {
		if in.Employment == "" {
			return nil, errMissing("employment")
		}
		return nil, errUnknownEmployment(string(in.Employment))
	}
	if err := checkIncome(in.AnnualIncome); err != nil {
		return nil, err
	}
	if len(in.Periods) > maxPeriods {
		return nil, newError(CodeTooManyPeriods, "periods",
			"more than "+strconv.Itoa(maxPeriods)+" periods", "fler än "+strconv.Itoa(maxPeriods)+" perioder")
	}
	for i, p := range in.Periods {
		if p.From.IsZero() {
			return nil, errMissing(periodField(i, "from"))
		}
		if p.From.Before(e.historyStart) {
			return nil, newError(CodeDateOutOfRange, periodField(i, "from"),
				"periods must start on or after "+e.historyStart.String()+", the first day all counting rules are known",
				"perioder måste börja tidigast "+e.historyStart.String()+", den första dag då alla räkneregler är kända")
		}
		to := int32(openEnd)
		if !p.To.IsZero() {
			if p.To.Before(p.From) {
				return nil, newError(CodeToBeforeFrom, periodField(i, "to"),
					"the period ends before it starts", "perioden slutar innan den börjar")
			}
			to = p.To.Days()
		}
		if p.Degree != 25 && p.Degree != 50 && p.Degree != 75 && p.Degree != 100 {
			return nil, errDegree(i)
		}
		ps = append(ps, period{from: p.From.Days(), to: to, degree: int32(p.Degree), idx: int32(i)})
	}
	// Sort by start so that the result does not depend on the order the
	// periods were given in; a short insertion sort avoids the closure and
	// is fastest for the handful of periods a case has.
	if len(ps) <= 16 {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && ps[j].from < ps[j-1].from; j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	} else {
		slices.SortFunc(ps, func(a, b period) int { return int(a.from) - int(b.from) })
	}
	for i := 1; i < len(ps); i++ {
		if ps[i].from <= ps[i-1].to {
			a, b := ps[i-1].idx, ps[i].idx
			if a > b {
				a, b = b, a
			}
			return nil, newError(CodeOverlappingPeriods, periodField(int(b), "from"),
				"periods["+strconv.Itoa(int(a))+"] and periods["+strconv.Itoa(int(b))+"] overlap",
				"perioderna periods["+strconv.Itoa(int(a))+"] och periods["+strconv.Itoa(int(b))+"] överlappar")
		}
	}
	return ps, nil
}

// dayState is what the day loop found out about the evaluated date.
type dayState struct {
	sick       bool
	kind       dayKind
	level      string
	degree     int32
	chainDay   int32
	groupDay   int32 // day number within the sjukperiod (after återinsjuknande joins)
	groupStart int32
	frame      int32
	contDays   int32 // continuation days used in the case under the time limit
	// caseLimited is true when the case has reached the time limit and the
	// limit is in force on the date, whatever the kind of the day itself.
	caseLimited bool
	caseStart   int32
	karensRule  string
	karensN     int32 // self-employed karensdagar
	// Days already reached in the case; 0 when not reached.
	checkDay   [3]int32
	contSince  int32
	limitSince int32
	// pending lists sjuklön days of the current sjukperiod that will count
	// toward the frame once sjukpenning follows.
	pending  [maxSjuklonDays]int32
	npending int32
}

// sim is the day loop's state. It lives on the stack; the ring of counted
// days replaces a map or a slice of past days.
type sim struct {
	e       *Engine
	emp     Employment
	serious bool

	window     int32 // frame window (450)
	normalMax  int32 // 364
	sjuklonCnt int32 // 13
	sjuklonLen int32 // 14
	levelStart int32 // first day with two levels (2008-07-01)

	// limit is continuation_max_days for limitLo..limitHi, cached because
	// the day loop asks for it every day.
	limit            int64
	limitLo, limitHi int32

	ring [ringWords]uint64
	cur  int32 // next day to process
	win  int32 // counted days in [cur-window, cur-1]
	// dayFrame is the frame the last stepped day was assessed with.
	dayFrame int32

	// case and sjukperiod state
	chainDay   int32
	groupDay   int32
	groupStart int32
	contDays   int32
	limited    bool
	lastLevel  string
	karensRule string
	karensN    int32
	// plainFrom is the first day of the sjukperiod from which every day is
	// an ordinary sjukpenning day that bulk can process.
	plainFrom  int32
	checkDay   [3]int32
	checkpoint [3]int32
	contSince  int32
	limitSince int32
	caseStart  int32
	pending    [maxSjuklonDays]int32
	npending   int32
}

func (s *sim) bit(d int32) bool {
	i := uint32(d) & ringMask
	return s.ring[i>>6]&(1<<(i&63)) != 0
}

func (s *sim) setBit(d int32) {
	i := uint32(d) & ringMask
	s.ring[i>>6] |= 1 << (i & 63)
}

func (s *sim) clearBit(d int32) {
	i := uint32(d) & ringMask
	s.ring[i>>6] &^= 1 << (i & 63)
}

// count returns the number of counted days in lo..hi.
func (s *sim) count(lo, hi int32) int32 {
	if hi < lo {
		return 0
	}
	var c int
	for lo <= hi {
		i := uint32(lo) & ringMask
		off := i & 63
		n := uint32(hi-lo) + 1
		if n > 64-off {
			n = 64 - off
		}
		w := s.ring[i>>6] >> off
		if n < 64 {
			w &= (1 << n) - 1
		}
		c += bits.OnesCount64(w)
		lo += int32(n)
	}
	return int32(c)
}

// skipTo moves the loop to day t across days nobody was sick on.
func (s *sim) skipTo(t int32) {
	if t <= s.cur {
		return
	}
	if t-s.cur >= ringDays {
		s.ring = [ringWords]uint64{}
	} else {
		s.clearRange(s.cur, t-1)
	}
	s.cur = t
	s.win = s.count(t-s.window, t-1)
}

// newCase starts a sickness case (the rehabilitation chain restarts).
func (s *sim) newCase(d int32) {
	s.chainDay = 0
	s.contDays = 0
	s.limited = false
	s.lastLevel = ""
	s.checkDay = [3]int32{}
	s.contSince = 0
	s.limitSince = 0
	s.caseStart = d
}

// newGroup starts a sjukperiod in the sense of karens and sjuklön: a new
// period that did not begin within five days of the previous one.
func (s *sim) newGroup(d int32) {
	s.groupDay = 0
	s.groupStart = d
	s.npending = 0
	s.karensRule = s.e.karens.at(d).s
	s.karensN = int32(s.e.karensSelf.at(d).v)
	switch s.emp {
	case Employee:
		s.plainFrom = s.sjuklonLen + 2 // day 15 brings in the sjuklön days
	case Unemployed:
		s.plainFrom = 2
	default:
		s.plainFrom = s.karensN + 1
	}
}

// step processes sick day d (== s.cur) and returns its kind and level.
func (s *sim) step(d int32) (dayKind, string) {
	s.chainDay++
	s.groupDay++
	for i, cp := range s.checkpoint {
		if s.chainDay == cp+1 {
			s.checkDay[i] = d
		}
	}
	k := s.groupDay
	kind := kindFK
	switch s.emp {
	case Employee:
		switch {
		case k == 1 && s.karensRule == karensDag:
			kind = kindKarens
		case k == 1:
			kind = kindSjuklonAvd
		case k <= s.sjuklonLen:
			kind = kindSjuklon
			if s.npending < maxSjuklonDays {
				s.pending[s.npending] = d
				s.npending++
			}
		}
	case Unemployed:
		if k == 1 {
			if s.karensRule == karensDag {
				kind = kindKarens
			} else {
				kind = kindFKAvdrag
			}
		}
	case SelfEmployed:
		if k <= s.karensN {
			kind = kindWaiting
		}
	}
	level := LevelNone
	counted := false
	if kind == kindFK || kind == kindFKAvdrag {
		if d >= s.levelStart && (d < s.limitLo || d > s.limitHi) {
			sp := s.e.contMax.at(d)
			s.limitLo, s.limitHi, s.limit = sp.from, sp.to, sp.v
		}
		limitActive := d >= s.levelStart && s.limit >= 0
		if !limitActive {
			// Once the time limit is gone (2016-02-01) it no longer holds
			// for anybody, including cases that had reached it.
			s.limited = false
		}
		if kind == kindFK && k == s.sjuklonLen+1 && s.npending > 0 && !s.limited {
			// 27 kap. 22 §: the sjuklön days count as normal-level days once
			// sjukpenning follows them, and so already for this first day of
			// sjukpenning (only the last sjuklonCnt of them: 13 of 14).
			from := s.npending - min(s.npending, s.sjuklonCnt)
			for _, p := range s.pending[from:s.npending] {
				if p >= d-s.window && !s.bit(p) {
					s.setBit(p)
					s.win++
				}
			}
		}
		s.dayFrame = s.win
		level = LevelNormal
		if !s.serious && d >= s.levelStart && s.win >= s.normalMax {
			level = LevelContinuation
		}
		if limitActive {
			if s.limited {
				kind, level = kindLimited, LevelNone
			} else if level == LevelContinuation {
				if s.contDays >= int32(s.limit) {
					s.limited = true
					s.limitSince = d
					kind, level = kindLimited, LevelNone
				} else {
					s.contDays++
				}
			}
		}
		if level == LevelContinuation && s.lastLevel != LevelContinuation {
			s.contSince = d
		}
		if level != LevelNone {
			s.lastLevel = level
		}
		// 27 kap. 21 § (from 2019) and the karensdag before it: the first
		// day of the sjukperiod never counts; every other paid day does.
		counted = kind == kindFK
	} else {
		s.dayFrame = s.win
	}
	if k > s.sjuklonLen {
		// Sjuklön days count only when sjukpenning follows immediately.
		s.npending = 0
	}
	// Advance the window from d to d+1.
	if counted {
		s.setBit(d)
		s.win++
	} else {
		s.clearBit(d)
	}
	if s.bit(d - s.window) {
		s.win--
	}
	s.cur = d + 1
	return kind, level
}

// setRange and clearRange mark days lo..hi (hi-lo < ringDays) as counted
// or not.
func (s *sim) setRange(lo, hi int32) {
	for lo <= hi {
		i := uint32(lo) & ringMask
		off := i & 63
		n := min(uint32(hi-lo)+1, 64-off)
		m := ^uint64(0)
		if n < 64 {
			m = ((1 << n) - 1) << off
		}
		s.ring[i>>6] |= m
		lo += int32(n)
	}
}

func (s *sim) clearRange(lo, hi int32) {
	for lo <= hi {
		i := uint32(lo) & ringMask
		off := i & 63
		n := min(uint32(hi-lo)+1, 64-off)
		m := ^uint64(0)
		if n < 64 {
			m = ((1 << n) - 1) << off
		}
		s.ring[i>>6] &^= m
		lo += int32(n)
	}
}

// bulk processes sick days a..b that are all ordinary sjukpenning days of
// the current sjukperiod (past its karens and sjuklön days), a chunk at a
// time instead of a day at a time. Within a chunk every paid day counts, so
// the frame grows by one a day less the counted days that drop out of the
// window; the first continuation day is where the number of uncounted days
// that have dropped out first reaches normalMax − frame, found with
// popcounts. The random differential tests hold it to step.
func (s *sim) bulk(a, b int32) {
	for a <= b {
		// A chunk no longer than the window, so that the days dropping out
		// are all from before it, and within one value of the time limit.
		end := min(b, a+s.window-1)
		limitActive := false
		if a >= s.levelStart {
			if a < s.limitLo || a > s.limitHi {
				sp := s.e.contMax.at(a)
				s.limitLo, s.limitHi, s.limit = sp.from, sp.to, sp.v
			}
			end = min(end, s.limitHi)
			limitActive = s.limit >= 0
			if !limitActive {
				s.limited = false
			}
		} else {
			end = min(end, s.levelStart-1)
		}
		n := end - a + 1
		c0 := s.chainDay
		s.chainDay += n
		s.groupDay += n
		for i, cp := range s.checkpoint {
			if c0 < cp+1 && cp+1 <= s.chainDay {
				s.checkDay[i] = a + cp - c0
			}
		}
		paidEnd := end
		if limitActive && s.limited {
			paidEnd = a - 1
		} else {
			switchAt := end + 1
			if a >= s.levelStart && !s.serious {
				need := s.normalMax - s.win
				if need <= 0 {
					switchAt = a
				} else if lo := a - s.window; n-s.count(lo, lo+n-1) >= need {
					switchAt = a + s.selectZero(lo, need) + 1
				}
			}
			if switchAt <= end {
				if switchAt > a || s.lastLevel != LevelContinuation {
					s.contSince = switchAt
				}
				s.lastLevel = LevelContinuation
				if limitActive {
					remaining := int32(s.limit) - s.contDays
					if contN := end - switchAt + 1; contN > remaining {
						s.contDays += remaining
						s.limited = true
						s.limitSince = switchAt + remaining
						paidEnd = s.limitSince - 1
					} else {
						s.contDays += contN
					}
				}
			} else {
				s.lastLevel = LevelNormal
			}
		}
		if paidEnd >= a {
			s.setRange(a, paidEnd)
		}
		if paidEnd < end {
			s.clearRange(paidEnd+1, end)
		}
		s.cur = end + 1
		s.win = s.count(end+1-s.window, end)
		a = end + 1
	}
}

// Evaluate computes where the case stands on in.Date. It validates the
// input first (dates in range, no overlapping periods, known employment,
// valid degrees); errors are *Error.
func (e *Engine) Evaluate(in Input, opt Options) (Result, error) {
	var buf [16]period
	ps, verr := e.validate(&in, buf[:0])
	if verr != nil {
		return Result{}, verr
	}
	D := in.Date.Days()
	s := sim{e: e, emp: in.Employment, serious: in.SeriousIllness}
	s.window = int32(e.frameWindow.at(D).v)
	s.normalMax = int32(e.normalMax.at(D).v)
	s.sjuklonCnt = int32(e.sjuklonFrame.at(D).v)
	s.sjuklonLen = int32(e.sjukloneperiod.at(D).v)
	s.levelStart = e.minDate.Days()
	s.checkpoint = e.checkpoints.at(D).cps
	joinGap := int32(e.joinGap.at(D).v)
	recurrence := int32(e.recurrenceGap.at(D).v)

	var st dayState
	prevEnd := int32(math.MinInt32)
	for i := range ps {
		p := &ps[i]
		if p.from > D {
			break
		}
		end := min(p.to, D)
		if prevEnd == math.MinInt32 {
			s.cur = p.from
			s.win = 0
			s.newCase(p.from)
			s.newGroup(p.from)
		} else {
			// Days between the periods: more than joinGap-1 means a new case
			// (27 kap. 51 §), more than recurrence a new sjukperiod (27 kap.
			// 32 §); adjacent periods continue both.
			if p.from-prevEnd-1 >= joinGap {
				s.newCase(p.from)
			}
			if p.from-prevEnd > recurrence {
				s.newGroup(p.from)
			}
			s.skipTo(p.from)
		}
		for d := p.from; d < end; {
			if s.groupDay+1 < s.plainFrom {
				s.step(d)
				d++
				continue
			}
			s.bulk(d, end-1)
			d = end
		}
		// The last day is stepped separately so that the loop above stays
		// tight and the evaluated day can be captured.
		if end == D {
			kind, level := s.step(end)
			st.frame = s.dayFrame
			st.caseStart = s.caseStart
			st.groupStart = s.groupStart
			st.sick = true
			st.kind, st.level = kind, level
			st.degree = p.degree
			st.chainDay = s.chainDay
			st.groupDay = s.groupDay
			st.contDays = s.contDays
			st.caseLimited = s.limited && e.contMax.at(D).v >= 0
			st.karensRule = s.karensRule
			st.karensN = s.karensN
			st.checkDay = s.checkDay
			st.contSince = s.contSince
			st.limitSince = s.limitSince
			st.pending = s.pending
			st.npending = s.npending
		} else {
			s.step(end)
		}
		prevEnd = end
	}
	if !st.sick {
		s.skipTo(D)
		st.frame = s.win
	}

	a := e.amounts(in.Date, in.AnnualIncome, in.Employment)
	r := Result{
		Date:            in.Date,
		Payer:           PayerNone,
		Level:           LevelNone,
		FrameDays:       int(st.frame),
		SGI:             a.sgi,
		FullDailyAmount: Amounts{Normal: a.normal, Continuation: a.cont},
		Trace:           noTrace,
	}
	r.Provisional = e.provisional(D)
	if st.sick {
		r.Sick = true
		r.ChainDay = int(st.chainDay)
		r.ChainPhase = chainPhase(st.chainDay, s.checkpoint)
		r.Level = st.level
		switch st.kind {
		case kindSjuklon, kindSjuklonAvd:
			r.Payer = PayerEmployer
		case kindFK, kindFKAvdrag:
			r.Payer = PayerFK
		}
		r.TimeLimitReached = st.caseLimited
		if st.kind == kindFK {
			full := a.normal
			if st.level == LevelContinuation {
				full = a.cont
			}
			r.DailyAmount = partAmount(full, st.degree)
		}
		r.Milestones = s.milestones(&st, D)
	}
	if opt.Trace {
		r.Trace = e.paramTrace(e.trace(&in, &r, &st, &a), D)
	}
	return r, nil
}

func chainPhase(day int32, cps [3]int32) string {
	switch {
	case day <= cps[0]:
		return Phase1To90
	case day <= cps[1]:
		return Phase91To180
	case day <= cps[2]:
		return Phase181To365
	}
	return Phase366On
}

// milestones projects the case forward from D on the assumption that the
// sickness continues unbroken: chain days 91, 181 and 366, the first
// continuation-level day and the time-limit day.
func (s *sim) milestones(st *dayState, D int32) Milestones {
	var m Milestones
	dates := [3]*Date{&m.Day91, &m.Day181, &m.Day366}
	for i, cp := range s.checkpoint {
		if st.checkDay[i] != 0 {
			*dates[i] = civil.FromDays(st.checkDay[i])
		} else {
			*dates[i] = civil.FromDays(D + (cp + 1 - st.chainDay))
		}
	}
	if s.serious {
		return m
	}
	e := s.e
	// The continuation level: already running, or projected.
	var switchDay int32
	if st.level == LevelContinuation || st.caseLimited {
		switchDay = st.contSince
	} else {
		switchDay = s.projectSwitch(st, D)
	}
	m.ContinuationLevel = civil.FromDays(switchDay)

	limit := e.contMax.at(D).v
	if limit < 0 || switchDay == 0 {
		return m
	}
	if st.caseLimited {
		m.TimeLimit = civil.FromDays(st.limitSince)
		return m
	}
	var limitDay int32
	if st.level == LevelContinuation {
		limitDay = D + int32(limit) - st.contDays + 1
	} else {
		limitDay = switchDay + int32(limit) - st.contDays
		if st.contDays >= int32(limit) && e.contMax.at(switchDay).v >= 0 {
			// The case used up its continuation days before a break
			// brought back the normal level: the day the level would
			// switch is the first day without benefit instead.
			m.ContinuationLevel = Date{}
		}
	}
	if e.contMax.at(limitDay).v >= 0 {
		m.TimeLimit = civil.FromDays(limitDay)
	}
	return m
}

// projectSwitch returns the first day after D (and not before the first
// sjukpenning day of the current sjukperiod) on which the frame holds the
// maximum number of normal-level days, assuming the sickness continues.
func (s *sim) projectSwitch(st *dayState, D int32) int32 {
	W, M := s.window, s.normalMax
	// first is the first day Försäkringskassan pays; firstCounted the first
	// future day that will count toward the frame.
	first, firstCounted := D+1, D+1
	k := st.groupDay
	switch s.emp {
	case Employee:
		if k <= s.sjuklonLen {
			first = D + s.sjuklonLen + 1 - k
		}
	case SelfEmployed:
		if k < st.karensN {
			first = D + st.karensN + 1 - k
			firstCounted = first
		}
	}
	// Pending sjuklön days will count once sjukpenning follows them.
	saved := s.ring
	if s.emp == Employee && k <= s.sjuklonLen {
		from := st.npending - min(st.npending, s.sjuklonCnt)
		for _, p := range st.pending[from:st.npending] {
			s.setBit(p)
		}
		// Future sjuklön days before day 15 will count as well, but only
		// the last sjuklonCnt of the period: drop the excess at the front.
		excess := (k - 1) + (s.sjuklonLen - k) - s.sjuklonCnt
		if excess > 0 {
			firstCounted += excess
		}
	}
	// frame(t) = C − P(u) + (t − firstCounted) for t = D+1+u, where C counts
	// the window before D+1 and P(u) the counted days that have dropped out
	// after u steps. It is nondecreasing, so the switch is where the number
	// of uncounted days that have dropped out, Z(u) = u − P(u), first
	// reaches need.
	lo := D + 1 - W
	C := s.count(lo, D)
	need := M - C - (D + 1 - firstCounted)
	var u int32
	if need > 0 {
		zeros := W - C
		if zeros >= need {
			u = s.selectZero(lo, need) + 1
		} else {
			u = W + (need - zeros)
		}
	}
	s.ring = saved
	t := D + 1 + u
	return max(t, first)
}

// selectZero returns the offset from lo of the n-th (1-based) uncounted day
// at or after lo; the caller guarantees it lies within the window.
func (s *sim) selectZero(lo, n int32) int32 {
	var off int32
	for {
		i := uint32(lo+off) & ringMask
		b := i & 63
		avail := int32(64 - b)
		w := ^s.ring[i>>6] >> b
		if avail < 64 {
			w &= (1 << uint(avail)) - 1
		}
		z := int32(bits.OnesCount64(w))
		if z >= n {
			for ; n > 1; n-- {
				w &= w - 1
			}
			return off + int32(bits.TrailingZeros64(w))
		}
		n -= z
		off += avail
	}
}
