package rules

import (
	"slices"

	"github.com/finsam/finsam/civil"
)

// CaseSpan is one sickness case (sjukfall) as the rehabilitation chain
// counts it: periods fewer than chain_join_gap_days apart, joined.
type CaseSpan struct {
	// First is the case's first sick day: chain day 1.
	First Date
	// Last is the last certified sick day, the zero Date when the case's
	// last period is open-ended (Open).
	Last Date
	Open bool
	// Days counts the case's sick days from First to Last, gap days not
	// counted: the chain day on Last. 0 when Open.
	Days int
}

// SameCase reports whether a period starting on nextFirst joins the case
// whose last sick day is prevLast: fewer than chain_join_gap_days days lie
// between them (SFB 27 kap. 51 §, AFL 3 kap. 7 § before 2011).
// Overlapping and adjacent periods join.
//
// The parameter is read on nextFirst, taken within the engine's range
// (DateRange). Evaluate reads it on the evaluated date; the parameter has
// had one value (90) since 2008-07-01, and the tests hold the two together.
func (e *Engine) SameCase(prevLast, nextFirst Date) bool {
	return e.sameCase(prevLast.Days(), nextFirst.Days())
}

// sameCase is Evaluate's condition, negated: a new case starts when
// p.from-prevEnd-1 >= joinGap.
func (e *Engine) sameCase(prevLast, nextFirst int32) bool {
	at := min(max(nextFirst, e.minDate.Days()), e.maxDate.Days())
	return int64(nextFirst)-int64(prevLast)-1 < e.joinGap.at(at).v
}

// CaseSpan returns the case that contains date or, when date is not a sick
// day, the case of the latest period that starts on or before date. ok is
// false when no period starts on or before date, or when the periods are
// not valid as Evaluate would see them (no start, an end before the start,
// overlaps).
func (e *Engine) CaseSpan(periods []Period, date Date) (c CaseSpan, ok bool) {
	var buf [16]period
	ps, lo, hi, ok := e.caseOf(periods, date, buf[:0])
	if !ok {
		return CaseSpan{}, false
	}
	c.First = civil.FromDays(ps[lo].from)
	if last := ps[hi-1].to; last == openEnd {
		c.Open = true
	} else {
		c.Last = civil.FromDays(last)
		for _, p := range ps[lo:hi] {
			c.Days += int(p.to - p.from + 1)
		}
	}
	return c, true
}

// ChainDayDate returns the date on which the case that contains date (or,
// when date is not a sick day, the case of the latest period on or before
// date) reaches chain day n. Days are counted as Evaluate counts them: the
// sick days of the case's periods, joined, gap days not counted. When day
// n lies beyond the certified periods it is projected from the last
// certified day on the assumption that the sickness continues unbroken.
//
// Wherever the date returned is a certified day of the case (not after
// CaseSpan's Last), Evaluate on that date gives ChainDay n. A projection
// ignores later periods: one that falls in a later case's period is still
// the hypothesis of an unbroken sickness. ok is false for n < 1, a date outside the calendar,
// and in the cases where CaseSpan's ok is false.
func (e *Engine) ChainDayDate(periods []Period, date Date, n int) (Date, bool) {
	if n < 1 || n > maxChainDay {
		return Date{}, false
	}
	var buf [16]period
	ps, lo, hi, ok := e.caseOf(periods, date, buf[:0])
	if !ok {
		return Date{}, false
	}
	left := int64(n) // sick days still to count, this one included
	for _, p := range ps[lo:hi] {
		if p.to == openEnd || int64(p.to-p.from+1) >= left {
			return dayIn(int64(p.from) + left - 1)
		}
		left -= int64(p.to - p.from + 1)
	}
	return dayIn(int64(ps[hi-1].to) + left)
}

// maxChainDay bounds n in ChainDayDate well inside the calendar.
const maxChainDay = 1 << 20

// lastDay is 9999-12-31, the last Date.
var lastDay = civil.MustParse("9999-12-31").Days()

func dayIn(n int64) (Date, bool) {
	if n < 1 || n > int64(lastDay) {
		return Date{}, false
	}
	return civil.FromDays(int32(n)), true
}

// caseOf sorts the periods into buf and returns them with the bounds
// [lo, hi) of the case of date: the latest period starting on or before
// date and its neighbours joined under sameCase.
func (e *Engine) caseOf(periods []Period, date Date, buf []period) (ps []period, lo, hi int, ok bool) {
	ps = buf
	for i, p := range periods {
		if p.From.IsZero() {
			return nil, 0, 0, false
		}
		to := int32(openEnd)
		if !p.To.IsZero() {
			if p.To.Before(p.From) {
				return nil, 0, 0, false
			}
			to = p.To.Days()
		}
		ps = append(ps, period{from: p.From.Days(), to: to, idx: int32(i)})
	}
	sortPeriods(ps)
	k := -1
	for i := range ps {
		if i > 0 && ps[i].from <= ps[i-1].to {
			return nil, 0, 0, false
		}
		if ps[i].from <= date.Days() {
			k = i
		}
	}
	if k < 0 {
		return nil, 0, 0, false
	}
	lo, hi = k, k+1
	for lo > 0 && e.sameCase(ps[lo-1].to, ps[lo].from) {
		lo--
	}
	for hi < len(ps) && e.sameCase(ps[hi-1].to, ps[hi].from) {
		hi++
	}
	return ps, lo, hi, true
}

// sortPeriods sorts by start as validate does: an insertion sort for the
// handful of periods a case has, which needs no closure.
func sortPeriods(ps []period) {
	if len(ps) > 16 {
		slices.SortFunc(ps, func(a, b period) int { return int(a.from) - int(b.from) })
		return
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].from < ps[j-1].from; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}
