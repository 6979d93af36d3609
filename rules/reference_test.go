package rules

import (
	"time"

	"github.com/finsam/finsam/civil"
)

// A deliberately naive second implementation of the day-counting rules,
// written from the rule text rather than from evaluate.go: every day gets
// its own slot, the frame is summed afresh for every day, and milestones
// are found by simulating the future day by day. The property tests compare
// it with the engine on random cases.

type refDay struct {
	sick     bool
	degree   int
	kind     dayKind
	level    string
	counted  bool
	chainDay int
	groupDay int
	frame    int
	// caseLimited: the case has reached the time limit, in force that day.
	caseLimited bool
}

type refResult struct {
	sick       bool
	chainDay   int
	kind       dayKind
	level      string
	frame      int
	degree     int
	limited    bool
	milestones Milestones
	// compensation is the pandemic compensation for karens on the day;
	// ageLimit whether 180 days with sjukpenning lie behind the age limit.
	compensation int64
	ageLimit     bool
}

// refSimulate classifies days first..last for the given sick map. sick[i]
// is the degree on day first+i, 0 when not sick.
func refSimulate(e *Engine, in Input, first int32, sick []int, at Date) []refDay {
	emp, serious := in.Employment, in.SeriousIllness
	days := make([]refDay, len(sick))
	W := int(e.frameWindow.at(at.Days()).v)
	M := int(e.normalMax.at(at.Days()).v)
	S := int(e.sjukloneperiod.at(at.Days()).v)
	cnt13 := int(e.sjuklonFrame.at(at.Days()).v)
	join := int(e.joinGap.at(at.Days()).v)
	rec := int(e.recurrenceGap.at(at.Days()).v)
	lastSick := -1 << 30
	chain, group, contUsed := 0, 0, 0
	limited := false
	var rule string
	var nSelf int
	var groupSjuklon []int
	// Allmänt högriskskydd (27 kap. 39 §): every sjukperiod that lost
	// days to karens, with the days lost.
	type occasion struct {
		day    int32
		lost   int
		chosen bool
	}
	var occasions []occasion
	chosen, highRisk, lostNow := false, false, -1
	var groupStart int32
	rec20 := int(e.recurrenceKarenstid.at(at.Days()).v)
	for i := range sick {
		d := first + int32(i)
		if sick[i] == 0 {
			continue
		}
		gap := i - lastSick - 1
		if lastSick < 0 || gap >= join {
			chain, contUsed, limited = 0, 0, false
		}
		gapLimit := rec
		if chosen && in.KarenstidDays != 1 {
			gapLimit = rec20 // 27 kap. 33 §
		}
		if lastSick < 0 || i-lastSick > gapLimit {
			group = 0
			groupStart = d
			rule = e.karens.at(d).s
			nSelf = int(e.karensSelf.at(d).v)
			chosen = in.KarenstidDays > 0 && (in.KarenstidFrom.IsZero() || d >= in.KarenstidFrom.Days())
			if chosen {
				nSelf = in.KarenstidDays
			}
			groupSjuklon = groupSjuklon[:0]
			// Count the occasions of the twelve months before d.
			y, m, dd := civil.FromDays(d).Civil()
			lo := civil.Of(time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC).AddDate(-1, 0, 0)).Days()
			seen, lost := 0, 0
			for _, o := range occasions {
				if o.day >= lo && o.day < d && (emp != SelfEmployed || chosen || !o.chosen) {
					seen++
					lost += o.lost
				}
			}
			switch {
			case emp == SelfEmployed && chosen && in.KarenstidDays != 1:
				highRisk = false
			case emp != SelfEmployed || chosen:
				highRisk = seen >= int(e.highRiskCount.at(d).v)
			default:
				highRisk = seen >= int(e.highRiskSelfPeriods.at(d).v) && lost >= int(e.highRiskSelfDays.at(d).v)
			}
			if highRisk {
				nSelf = 0
			}
			lostNow = -1
		}
		lastSick = i
		chain++
		group++
		day := &days[i]
		day.sick, day.degree, day.chainDay, day.groupDay = true, sick[i], chain, group
		limActive := d >= e.minDate.Days() && e.contMax.at(d).v >= 0
		if !limActive {
			limited = false
		}
		if emp == Employee && group == S+1 && !limited {
			// The sjuklön days count from the first day of sjukpenning on.
			n := len(groupSjuklon)
			for _, j := range groupSjuklon[max(0, n-cnt13):] {
				days[j].counted = true
			}
		}
		// The frame: counted days among the W days before d.
		f := 0
		for j := i - W; j < i; j++ {
			if j >= 0 && days[j].counted {
				f++
			}
		}
		day.frame = f
		kind := kindFK
		switch emp {
		case Employee:
			if group == 1 && !highRisk {
				kind = kindSjuklonAvd
				if rule == karensDag {
					kind = kindKarens
				}
			} else if group <= S {
				kind = kindSjuklon
				groupSjuklon = append(groupSjuklon, i)
			}
		case Unemployed:
			if group == 1 && !highRisk {
				kind = kindFKAvdrag
				if rule == karensDag {
					kind = kindKarens
				}
			}
		case SelfEmployed:
			if group <= nSelf {
				kind = kindWaiting
			}
		}
		if kind == kindKarens || kind == kindSjuklonAvd || kind == kindFKAvdrag || kind == kindWaiting {
			if lostNow < 0 {
				occasions = append(occasions, occasion{day: groupStart, chosen: chosen})
				lostNow = len(occasions) - 1
			}
			occasions[lostNow].lost++
		}
		level := LevelNone
		if kind == kindFK || kind == kindFKAvdrag {
			level = LevelNormal
			if !serious && d >= e.minDate.Days() && f >= M {
				level = LevelContinuation
			}
			if d >= e.minDate.Days() {
				if lim := e.contMax.at(d).v; lim >= 0 {
					switch {
					case limited:
						kind, level = kindLimited, LevelNone
					case level == LevelContinuation && contUsed >= int(lim):
						limited = true
						kind, level = kindLimited, LevelNone
					case level == LevelContinuation:
						contUsed++
					}
				}
			}
		}
		day.kind, day.level = kind, level
		day.caseLimited = limited && d >= e.minDate.Days() && e.contMax.at(d).v >= 0
		day.counted = kind == kindFK
	}
	return days
}

func refEvaluate(e *Engine, in Input) refResult {
	D := in.Date.Days()
	first := D
	for _, p := range in.Periods {
		first = min(first, p.From.Days())
	}
	horizon := int(D-first) + 1 + 1200
	build := func(extend bool) []int {
		sick := make([]int, horizon)
		for _, p := range in.Periods {
			to := int32(openEnd)
			if !p.To.IsZero() {
				to = p.To.Days()
			}
			if p.From.Days() > D {
				continue
			}
			if extend && p.From.Days() <= D && to >= D {
				to = openEnd
			}
			for d := p.From.Days(); d <= to && int(d-first) < horizon; d++ {
				if !extend && d > D {
					break
				}
				sick[d-first] = p.Degree
			}
		}
		return sick
	}
	days := refSimulate(e, in, first, build(false), in.Date)
	i := int(D - first)
	var r refResult
	// 27 kap. 36 §: the days with sjukpenning from the first day of the
	// month of the age limit in force on D to the day before D.
	if a := e.ageLimit.at(D).v; a >= 0 && !in.BirthDate.IsZero() {
		by, bm, _ := in.BirthDate.Civil()
		from := civil.Of(time.Date(by+int(a), time.Month(bm), 1, 0, 0, 0, 0, time.UTC)).Days()
		n := 0
		for j := 0; j < i; j++ {
			if first+int32(j) >= from && days[j].sick && days[j].kind == kindFK {
				n++
			}
		}
		r.ageLimit = n >= 180
	}
	r.frame = days[i].frame
	if !days[i].sick {
		// The frame on a day nobody is sick: counted days before it.
		f := 0
		W := int(e.frameWindow.at(D).v)
		for j := i - W; j < i; j++ {
			if j >= 0 && days[j].counted {
				f++
			}
		}
		r.frame = f
		return r
	}
	r.sick, r.chainDay, r.kind, r.level, r.degree = true, days[i].chainDay, days[i].kind, days[i].level, days[i].degree
	r.limited = days[i].caseLimited
	switch days[i].kind {
	case kindSjuklonAvd, kindFKAvdrag:
		r.compensation = e.pandemicKarens.at(D).v
	case kindWaiting:
		if days[i].groupDay <= 14 {
			r.compensation = e.pandemicSelf.at(D).v
		}
	}

	ext := refSimulate(e, in, first, build(true), in.Date)
	cps := e.checkpoints.at(D).cps
	targets := [3]*Date{&r.milestones.Day91, &r.milestones.Day181, &r.milestones.Day366}
	// Case start: walk back over the chain days of the current case.
	caseStart := i
	for caseStart > 0 && !(ext[caseStart].sick && ext[caseStart].chainDay == 1) {
		caseStart--
	}
	for j := caseStart; j < len(ext); j++ {
		if !ext[j].sick {
			continue
		}
		for k, cp := range cps {
			if ext[j].chainDay == int(cp)+1 && targets[k].IsZero() {
				*targets[k] = civil.FromDays(first + int32(j))
			}
		}
		if j > i && ext[j].chainDay == 1 {
			break
		}
	}
	if in.SeriousIllness {
		return r
	}
	if days[i].level == LevelContinuation || days[i].caseLimited {
		// Start of the current run of the continuation level.
		start := -1
		for j := i; j >= caseStart; j-- {
			if !ext[j].sick {
				continue
			}
			if ext[j].level == LevelNormal {
				break
			}
			if ext[j].level == LevelContinuation {
				start = j
			}
		}
		if start >= 0 { // none when the limit followed the normal level directly
			r.milestones.ContinuationLevel = civil.FromDays(first + int32(start))
		}
	} else {
		for j := i + 1; j < len(ext); j++ {
			if ext[j].level == LevelContinuation {
				r.milestones.ContinuationLevel = civil.FromDays(first + int32(j))
				break
			}
		}
	}
	if e.contMax.at(D).v < 0 {
		return r
	}
	if days[i].caseLimited {
		// The first day the limit held in this case.
		for j := caseStart; j <= i; j++ {
			if ext[j].kind == kindLimited {
				r.milestones.TimeLimit = civil.FromDays(first + int32(j))
				break
			}
		}
		return r
	}
	for j := i + 1; j < len(ext); j++ {
		if ext[j].kind == kindLimited {
			r.milestones.TimeLimit = civil.FromDays(first + int32(j))
			break
		}
	}
	return r
}
