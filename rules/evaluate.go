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
	if !in.BirthDate.IsZero() && in.BirthDate.After(in.Date) {
		return nil, newError(CodeInvalidBirthDate, "birth_date", "the birth date lies after the date evaluated",
			"födelsedatumet ligger efter det datum som bedöms")
	}
	if in.KarenstidDays != 0 || !in.KarenstidFrom.IsZero() {
		if err := e.validateKarenstid(in); err != nil {
			return nil, err
		}
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

// validateKarenstid checks a chosen karenstid against SFB 27 kap. 29–31 §§:
// only the self-employed choose one, it must be among the karenstider
// offered both when it took effect and on the evaluated date, and before
// 2025 a person of 55 or more could not move to a shorter karenstid than
// the default (31 § before SFS 2024:1269).
func (e *Engine) validateKarenstid(in *Input) *Error {
	if in.KarenstidDays == 0 {
		if !in.KarenstidFrom.IsZero() {
			return errMissing("karenstid_days")
		}
		return nil
	}
	if !karenstidValue(float64(in.KarenstidDays)) {
		return errKarenstidValue()
	}
	if in.Employment != SelfEmployed {
		return newError(CodeKarenstidNotAllowed, "karenstid_days",
			"only the self-employed choose a karenstid (SFB 27 kap. 29 §)",
			"bara egenföretagare kan välja karenstid (SFB 27 kap. 29 §)")
	}
	// Without karenstid_from the choice covers every sjukperiod: check it
	// from the first.
	from := in.KarenstidFrom
	if from.IsZero() {
		from = in.Date
		for _, p := range in.Periods {
			if !p.From.IsZero() && p.From.Before(from) {
				from = p.From
			}
		}
	}
	if from.Before(e.historyStart) {
		from = e.historyStart
	}
	for _, d := range [2]Date{from, in.Date} {
		if d.After(in.Date) {
			continue
		}
		if sp := e.karenstidChoices.at(d.Days()); !listHas(sp.s, in.KarenstidDays) {
			return newError(CodeKarenstidNotAllowed, "karenstid_days",
				"a karenstid of "+strconv.Itoa(in.KarenstidDays)+" days cannot be chosen on "+d.String()+" ("+sp.ref+": "+sp.s+")",
				"karenstid på "+strconv.Itoa(in.KarenstidDays)+" dagar kan inte väljas "+d.String()+" ("+sp.ref+": "+sp.s+")")
		}
	}
	if in.KarenstidFrom.IsZero() || in.BirthDate.IsZero() {
		return nil
	}
	at := min(max(in.KarenstidFrom.Days(), e.minDate.Days()), e.maxDate.Days())
	maxAge := e.karenstidMaxAge.at(at)
	def := e.karensSelf.at(in.KarenstidFrom.Days()).v
	if maxAge.v >= 0 && int64(in.KarenstidDays) < def && in.BirthDate.AgeOn(in.KarenstidFrom) >= int(maxAge.v) {
		return newError(CodeKarenstidNotAllowed, "karenstid_from",
			"a person who has reached "+strconv.FormatInt(maxAge.v, 10)+" could not move to a shorter karenstid ("+maxAge.ref+")",
			"den som fyllt "+strconv.FormatInt(maxAge.v, 10)+" år kunde inte gå över till en kortare karenstid ("+maxAge.ref+")")
	}
	return nil
}

// listHas reports whether the comma-separated whole numbers in list hold n,
// without allocating.
func listHas(list string, n int) bool {
	v, any := 0, false
	for i := 0; i <= len(list); i++ {
		if i == len(list) || list[i] == ',' {
			if any && v == n {
				return true
			}
			v, any = 0, false
			continue
		}
		v = v*10 + int(list[i]-'0')
		any = true
	}
	return false
}

// yearBack is the day twelve months before d: the same day of the month a
// year earlier, 29 February becoming 1 March as time.AddDate does.
func yearBack(d int32) int32 {
	y, m, dd := civil.FromDays(d).Civil()
	if m == 2 && dd == 29 {
		m, dd = 3, 1
	}
	t, _ := civil.New(y-1, m, dd)
	return t.Days()
}

// ageLimitMonth returns the first day of the month in which a person born
// on birth reaches the age limit of SFB 27 kap. 36 § in force on D: 65,
// 66 from 2022-12-01, the riktålder för pension from 2025-12-01 (67 for
// 2026–2031, so the riktålder of the evaluated year serves for every
// year). ok is false when the rule does not apply on D. How SFS 2022:879
// treats a person who reached 66 under the old wording is not known
// (transitional provisions not read): the wording in force on D decides.
func (e *Engine) ageLimitMonth(birth Date, D int32) (int32, bool) {
	a := e.ageLimit.at(D).v
	if a < 0 {
		return 0, false
	}
	by, bm, _ := birth.Civil()
	m, _ := civil.New(by+int(a), bm, 1)
	return m.Days(), true
}

// maxKarensEvents bounds the karens occasions the day loop remembers for
// the allmänt högriskskydd, the latest first. The thresholds are far below
// it (New checks), so a year with more occasions than the ring holds is
// decided the same way; only the count in the trace stops there.
const maxKarensEvents = 16 // a power of two, for the ring's index

// karensEvent is one sjukperiod that began with karens: its first day and
// the karensdagar lost (1 for a karensdag or karensavdrag).
type karensEvent struct {
	day    int32
	lost   int16
	chosen bool // a self-employed person's chosen karenstid (27 kap. 30 §)
}

// pandemicSelfEmployedDays: the pandemic compensation covered the
// self-employed's karensdagar among the first 14 days of a sjukperiod
// (SFS 2020:195; Tidningen Resultat, 'de 14 första karensdagarna').
const pandemicSelfEmployedDays = 14

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
	chosen      bool  // karensN is a chosen karenstid
	// highRisk: the sjukperiod has no karens under 27 kap. 39 §; karensSeen
	// and karensLost count the occasions and days found in the twelve
	// months before it.
	highRisk               bool
	karensSeen, karensLost int32
	// ageDays counts the days with sjukpenning from ageFrom, the first day
	// of the month of the age limit (27 kap. 36 §), to the day before.
	ageDays int32
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
	chosen     bool
	// chosenDays is the chosen karenstid from chosenFrom on (0: none).
	chosenDays, chosenFrom       int32
	recurrence, recurrenceChosen int32
	// Allmänt högriskskydd: the karens occasions of the last sjukperioder,
	// a ring of the latest maxKarensEvents; cur is the current
	// sjukperiod's, or -1 before its first karens day.
	events                 [maxKarensEvents]karensEvent
	nevents                int32
	curEvent               int32
	highRisk               bool
	karensSeen, karensLost int32
	// ageFrom is the first day counted toward 27 kap. 36 § (openEnd when
	// the rule does not apply); ageDays the days with sjukpenning since.
	ageFrom, ageDays int32
	// plainFrom is the first day of the sjukperiod from which every day is
	// an ordinary sjukpenning day that bulk can process; sjuklonFrom the
	// first from which an employee's days up to sjuklonLen are plain
	// sjuklön days that sjuklonDays can process (math.MaxInt32 for the
	// others).
	plainFrom, sjuklonFrom int32
	checkDay               [3]int32
	checkpoint             [3]int32
	// nextCheck is the chain day of the next checkpoint not yet reached
	// (checkpoint[nextIdx]+1), math.MaxInt32 once all are: step compares
	// one number a day instead of looping over the checkpoints.
	nextCheck, nextIdx int32
	contSince          int32
	limitSince         int32
	caseStart          int32
	pending            [maxSjuklonDays]int32
	npending           int32
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

// count returns the number of counted days in lo..hi (at most ringDays
// days): the partial words at either end masked, the whole words between
// counted as they are.
func (s *sim) count(lo, hi int32) int32 {
	if hi < lo {
		return 0
	}
	i := uint32(lo) & ringMask
	n := uint32(hi-lo) + 1
	var c int
	if off := i & 63; off != 0 {
		w := s.ring[i>>6] >> off
		if n < 64-off {
			return int32(bits.OnesCount64(w & (1<<n - 1)))
		}
		c = bits.OnesCount64(w)
		n -= 64 - off
		i = (i + 64 - off) & ringMask
	}
	for ; n >= 64; n -= 64 {
		c += bits.OnesCount64(s.ring[i>>6])
		i = (i + 64) & ringMask
	}
	if n > 0 {
		c += bits.OnesCount64(s.ring[i>>6] & (1<<n - 1))
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
	s.nextIdx = 0
	s.nextCheck = s.checkpoint[0] + 1
	s.contSince = 0
	s.limitSince = 0
	s.caseStart = d
}

// passCheckpoint records that the case reached its next checkpoint on day
// d (chain day s.nextCheck) and moves on to the one after it. The
// checkpoints increase (parseCheckpoints checks).
func (s *sim) passCheckpoint(d int32) {
	s.checkDay[s.nextIdx] = d
	s.nextIdx++
	if s.nextIdx < int32(len(s.checkpoint)) {
		s.nextCheck = s.checkpoint[s.nextIdx] + 1
	} else {
		s.nextCheck = math.MaxInt32
	}
}

// newGroup starts a sjukperiod in the sense of karens and sjuklön: a new
// period that did not begin within five days of the previous one.
func (s *sim) newGroup(d int32) {
	s.groupDay = 0
	s.groupStart = d
	s.npending = 0
	// Each employment has its own karens parameter; only its own is looked
	// up (the day loop starts a sjukperiod often).
	s.karensRule, s.karensN, s.chosen = "", 0, false
	if s.emp == SelfEmployed {
		s.karensN = int32(s.e.karensSelf.at(d).v)
		s.chosen = s.chosenDays > 0 && d >= s.chosenFrom
		if s.chosen {
			s.karensN = s.chosenDays
		}
	} else {
		s.karensRule = s.e.karens.at(d).s
	}
	s.curEvent = -1
	s.highRiskAt(d)
	if s.highRisk {
		s.karensN = 0
	}
	s.sjuklonFrom = math.MaxInt32
	switch s.emp {
	case Employee:
		s.plainFrom = s.sjuklonLen + 2 // day 15 brings in the sjuklön days
		s.sjuklonFrom = 2              // day 1 carries the karens
		if s.highRisk {
			s.sjuklonFrom = 1
		}
	case Unemployed:
		s.plainFrom = 2
		if s.highRisk {
			s.plainFrom = 1
		}
	default:
		s.plainFrom = s.karensN + 1
	}
}

// highRiskAt decides the allmänt högriskskydd of SFB 27 kap. 39 § for a
// sjukperiod starting on d, from the karens occasions of the twelve months
// before it: ten for income from employment (karensdagar before 2019,
// karensavdrag since); for the self-employed's default karensdagar five
// sjukperioder with at least 21 days lost; for a chosen karenstid of one
// day ten sjukperioder (andra stycket). A longer chosen karenstid (30 §)
// has no allmänt högriskskydd.
func (s *sim) highRiskAt(d int32) {
	s.highRisk = false
	s.karensSeen, s.karensLost = 0, 0
	if s.nevents == 0 || (s.emp == SelfEmployed && s.chosen && s.karensN != 1) {
		return
	}
	n := min(s.nevents, maxKarensEvents)
	for i := int32(0); i < n; i++ {
		ev := &s.events[uint32(s.nevents-1-i)&(maxKarensEvents-1)]
		// Twelve months back is 365 or 366 days; the calendar decides
		// only for the day in between.
		if ev.day < d-366 || (ev.day == d-366 && ev.day < yearBack(d)) {
			break
		}
		if s.emp == SelfEmployed && !s.chosen && ev.chosen {
			continue // 39 § första stycket counts the karensdagar of 27 a § only
		}
		s.karensSeen++
		s.karensLost += int32(ev.lost)
	}
	e := s.e
	if int64(s.karensSeen) < e.highRiskMin {
		return // below every threshold the parameters know
	}
	switch {
	case s.emp != SelfEmployed || s.chosen:
		s.highRisk = int64(s.karensSeen) >= e.highRiskCount.at(d).v
	default:
		s.highRisk = int64(s.karensSeen) >= e.highRiskSelfPeriods.at(d).v &&
			int64(s.karensLost) >= e.highRiskSelfDays.at(d).v
	}
}

// karensDay records a day lost to karens in the current sjukperiod.
func (s *sim) karensDay() {
	if s.curEvent < 0 {
		s.curEvent = int32(uint32(s.nevents) & (maxKarensEvents - 1))
		s.events[s.curEvent] = karensEvent{day: s.groupStart, chosen: s.chosen}
		s.nevents++
	}
	if ev := &s.events[s.curEvent]; ev.lost < math.MaxInt16 {
		ev.lost++
	}
}

// step processes sick day d (== s.cur) and returns its kind and level.
func (s *sim) step(d int32) (dayKind, string) {
	s.chainDay++
	s.groupDay++
	if s.chainDay == s.nextCheck {
		s.passCheckpoint(d)
	}
	k := s.groupDay
	kind := kindFK
	// A day lost to karens is recorded where its kind is decided, so that
	// the other days pay nothing for the allmänt högriskskydd.
	switch s.emp {
	case Employee:
		switch {
		case k == 1 && !s.highRisk:
			kind = kindSjuklonAvd
			if s.karensRule == karensDag {
				kind = kindKarens
			}
			s.karensDay()
		case k <= s.sjuklonLen:
			kind = kindSjuklon
			if s.npending < maxSjuklonDays {
				s.pending[s.npending] = d
				s.npending++
			}
		}
	case Unemployed:
		if k == 1 && !s.highRisk {
			if s.karensRule == karensDag {
				kind = kindKarens
			} else {
				kind = kindFKAvdrag
			}
			s.karensDay()
		}
	case SelfEmployed:
		if k <= s.karensN {
			kind = kindWaiting
			s.karensDay()
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
					if s.lastLevel != LevelContinuation {
						// The case's continuation days were used up before a
						// break: no day of this run is at the continuation
						// level, and the milestone says so (see milestones).
						s.contSince = d
					}
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
		// day of the sjukperiod never counts when it carries the karens;
		// every other paid day does.
		counted = kind == kindFK
		if counted && d >= s.ageFrom {
			s.ageDays++ // 27 kap. 38 §: each day with sjukpenning counts one
		}
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
func (s *sim) setRange(lo, hi int32)   { s.markRange(lo, hi, true) }
func (s *sim) clearRange(lo, hi int32) { s.markRange(lo, hi, false) }

// markRange sets or clears the ring's bits of days lo..hi, a word at a
// time.
func (s *sim) markRange(lo, hi int32, counted bool) {
	for lo <= hi {
		i := uint32(lo) & ringMask
		off := i & 63
		n := min(uint32(hi-lo)+1, 64-off)
		m := ^uint64(0)
		if n < 64 {
			m = ((1 << n) - 1) << off
		}
		if counted {
			s.ring[i>>6] |= m
		} else {
			s.ring[i>>6] &^= m
		}
		lo += int32(n)
	}
}

// advance moves the chain and the sjukperiod on by the n sick days from
// day a, passing the checkpoints the chain reaches on the way.
func (s *sim) advance(a, n int32) {
	c0 := s.chainDay
	s.chainDay += n
	s.groupDay += n
	for s.nextCheck <= s.chainDay {
		s.passCheckpoint(a + s.nextCheck - 1 - c0)
	}
}

// sjuklonDays processes sick days a..b that are all plain sjuklön days of
// an employee's sjukperiod (after the day with the karens, up to
// sjuklonLen) as step would one by one: the chain moves on, each day is
// remembered as pending and does not count, and the counted days that drop
// out of the window leave the frame.
func (s *sim) sjuklonDays(a, b int32) {
	s.advance(a, b-a+1)
	for d := a; d <= b && s.npending < maxSjuklonDays; d++ {
		s.pending[s.npending] = d
		s.npending++
	}
	// Day d drops out day d-window; one on or after a has just been
	// cleared (a window shorter than the run) and so drops nothing.
	if lo := a - s.window; lo < a {
		s.win -= s.count(lo, min(b-s.window, a-1))
	}
	s.clearRange(a, b)
	s.cur = b + 1
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
		s.advance(a, n)
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
			if paidEnd >= s.ageFrom {
				s.ageDays += paidEnd - max(a, s.ageFrom) + 1
			}
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
	if in.KarenstidDays > 0 {
		s.chosenDays = int32(in.KarenstidDays)
		s.chosenFrom = math.MinInt32
		if !in.KarenstidFrom.IsZero() {
			s.chosenFrom = in.KarenstidFrom.Days()
		}
		if s.chosenDays != 1 {
			// 27 kap. 33 §: within 20 days the karenstid runs on; a
			// karenstid of one day follows 32 § like the default.
			s.recurrenceChosen = int32(e.recurrenceKarenstid.at(D).v)
		}
	}
	s.ageFrom = openEnd
	if !in.BirthDate.IsZero() {
		if m, ok := e.ageLimitMonth(in.BirthDate, D); ok {
			s.ageFrom = m
		}
	}

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
			gap := recurrence
			if s.recurrenceChosen > 0 && s.chosen {
				gap = s.recurrenceChosen
			}
			if p.from-prevEnd > gap {
				s.newGroup(p.from)
			}
			s.skipTo(p.from)
		}
		for d := p.from; d < end; {
			switch k := s.groupDay + 1; {
			case k >= s.plainFrom:
				s.bulk(d, end-1)
				d = end
			case k >= s.sjuklonFrom && k <= s.sjuklonLen:
				last := min(end-1, d+s.sjuklonLen-k)
				s.sjuklonDays(d, last)
				d = last + 1
			default:
				s.step(d)
				d++
			}
		}
		// The last day is stepped separately so that the loop above stays
		// tight and the evaluated day can be captured.
		if end == D {
			st.ageDays = s.ageDays
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
			st.chosen = s.chosen
			st.highRisk = s.highRisk
			st.karensSeen, st.karensLost = s.karensSeen, s.karensLost
			st.checkDay = s.checkDay
			st.contSince = s.contSince
			st.limitSince = s.limitSince
			// Only the pending days are read (projectSwitch).
			copy(st.pending[:], s.pending[:s.npending])
			st.npending = s.npending
		} else {
			s.step(end)
		}
		prevEnd = end
	}
	if !st.sick {
		s.skipTo(D)
		st.frame = s.win
		st.ageDays = s.ageDays
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
		if st.kind != kindFK {
			r.KarensCompensation = e.karensCompensation(&st, D)
		}
		if st.kind == kindFK {
			full := a.normal
			if st.level == LevelContinuation {
				full = a.cont
			}
			r.DailyAmount = partAmount(full, st.degree)
		}
		r.Milestones = s.milestones(&st, D)
	}
	if s.ageFrom != openEnd && st.ageDays >= ageLimitDays {
		r.AgeLimitReached = true
	}
	if opt.Trace {
		r.Trace = e.paramTrace(e.trace(&in, &r, &st, &a, s.ageFrom), D)
	}
	return r, nil
}

// ageLimitDays is the number of days with sjukpenning after the month of
// the age limit after which Försäkringskassan may stop the benefit (SFB 27
// kap. 36 §, "180 dagar").
const ageLimitDays = 180

// karensCompensation is the flat sjukpenning Försäkringskassan paid during
// the pandemic for a day lost to karens (SFB 27 kap. 9 a §, SFS 2020:195
// and the ordinances after it): for the day carrying the karensavdrag of an
// employee or an unemployed person, and for each of a self-employed
// person's karensdagar among the first 14 days of the sjukperiod.
func (e *Engine) karensCompensation(st *dayState, D int32) int64 {
	if D < e.pandemicFrom || D > e.pandemicTo {
		return 0
	}
	switch st.kind {
	case kindSjuklonAvd, kindFKAvdrag:
		return e.pandemicKarens.at(D).v
	case kindWaiting:
		if st.groupDay <= pandemicSelfEmployedDays {
			return e.pandemicSelf.at(D).v
		}
	}
	return 0
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
		if st.contSince == st.limitSince {
			// The limit came straight after the normal level (the
			// continuation days were used up before a break): the run has
			// no continuation day, as projected on the day before.
			m.ContinuationLevel = Date{}
		}
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
		// Only the last sjuklonCnt sjuklön days of the period count: the
		// future ones first, then the latest of those already pending.
		future := s.sjuklonLen - k
		countedFuture := min(future, s.sjuklonCnt)
		firstCounted += future - countedFuture
		n := min(st.npending, s.sjuklonCnt-countedFuture)
		for _, p := range st.pending[st.npending-n : st.npending] {
			s.setBit(p)
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
			return off + selectBit(w, n)
		}
		n -= z
		off += avail
	}
}

// selectBit returns the position of the n-th (1-based) set bit of w, which
// has at least n: halves, quarters and bytes are skipped by their
// popcounts, so at most seven bits are cleared one at a time instead of up
// to 63.
func selectBit(w uint64, n int32) int32 {
	var pos int32
	if c := int32(bits.OnesCount32(uint32(w))); c < n {
		n -= c
		w >>= 32
		pos += 32
	}
	if c := int32(bits.OnesCount16(uint16(w))); c < n {
		n -= c
		w >>= 16
		pos += 16
	}
	if c := int32(bits.OnesCount8(uint8(w))); c < n {
		n -= c
		w >>= 8
		pos += 8
	}
	for ; n > 1; n-- {
		w &= w - 1
	}
	return pos + int32(bits.TrailingZeros64(w))
}
