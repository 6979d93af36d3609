package rules

import (
	"strconv"
	"strings"

	"github.com/finsam/finsam/civil"
)

// Trace step names. They are stable identifiers (the calculator page and
// ExplainSV key their texts on them).
const (
	StepPrisbasbelopp        = "prisbasbelopp"
	StepSGIThreshold         = "sgi_threshold"
	StepSGICap               = "sgi_cap"
	StepSGI                  = "sgi"
	StepFullNormal           = "full_daily_amount_normal"
	StepFullContinuation     = "full_daily_amount_continuation"
	StepUnemployedMax        = "unemployed_daily_max"
	StepSick                 = "sick"
	StepCaseStart            = "case_start"
	StepChainDay             = "chain_day"
	StepChainPhase           = "chain_phase"
	StepSjukperiodDay        = "sjukperiod_day"
	StepKarens               = "karens"
	StepSjukloneperiod       = "sjukloneperiod"
	StepFrameDays            = "frame_days"
	StepSeriousIllness       = "serious_illness"
	StepLevel                = "level"
	StepTimeLimit            = "time_limit"
	StepPayer                = "payer"
	StepDegree               = "degree"
	StepDailyAmount          = "daily_amount"
	StepMilestoneDay91       = "milestone_day_91"
	StepMilestoneDay181      = "milestone_day_181"
	StepMilestoneDay366      = "milestone_day_366"
	StepMilestoneContLevel   = "milestone_continuation_level"
	StepMilestoneTimeLimit   = "milestone_time_limit"
	StepContinuationDaysUsed = "continuation_days_used"
	StepHighRisk             = "general_high_risk_protection"
	StepKarensCompensation   = "pandemic_karens_compensation"
	StepAgeLimit             = "age_limit"
)

// sfbFrom is the day socialförsäkringsbalken replaced lagen om allmän
// försäkring; references to rules that are not parameters switch there.
var sfbFrom = mustDate("2011-01-01")

func lawRef(d Date, afl, sfb string) string {
	if d.Before(sfbFrom) {
		return afl
	}
	return sfb
}

// trace lists every rule that influenced the result, in the order a case
// worker would check them: money first, then the case.
func (e *Engine) trace(in *Input, r *Result, st *dayState, a *amounts, ageFrom int32) []TraceStep {
	D := in.Date
	n := D.Days()
	t := make([]TraceStep, 0, 28)
	add := func(step, ref string, v any) { t = append(t, TraceStep{Step: step, Ref: ref, Value: v}) }

	add(StepPrisbasbelopp, e.pbbFor(D).ref, a.pbb)
	add(StepSGIThreshold, e.sgiThreshold.at(n).ref, a.threshold)
	add(StepSGICap, e.sgiCap.at(n).ref, a.capKr)
	add(StepSGI, e.sgiRounding.at(n).ref, a.sgi)
	roundRef := lawRef(D, "AFL 3 kap. 4 §", "SFB 28 kap. 10 §")
	add(StepFullNormal, e.factor.at(n).ref+"; "+e.rateNormal.at(n).ref+"; "+roundRef, a.rawNormal)
	add(StepFullContinuation, e.factor.at(n).ref+"; "+e.rateCont.at(n).ref+"; "+roundRef, a.rawCont)
	if in.Employment == Unemployed && !a.belowThreshold {
		add(StepUnemployedMax, e.unemployedMax.at(n).ref, a.unemployedMax)
	}
	add(StepSick, lawRef(D, "AFL 3 kap. 4 §", "SFB 27 kap. 26 §"), r.Sick)
	if !r.Sick {
		add(StepFrameDays, e.frameWindow.at(n).ref, int64(r.FrameDays))
		return t
	}
	joinRef := e.joinGap.at(n).ref
	add(StepCaseStart, joinRef, civil.FromDays(st.caseStart))
	add(StepChainDay, joinRef, int64(r.ChainDay))
	add(StepChainPhase, e.checkpoints.at(n).ref, r.ChainPhase)
	add(StepSjukperiodDay, e.recurrenceGap.at(n).ref, int64(st.groupDay))
	g := st.groupStart
	add(StepHighRisk, e.highRiskRef(in.Employment, st, g), int64(st.karensSeen))
	switch {
	case st.highRisk:
		add(StepKarens, e.highRiskRef(in.Employment, st, g), "none")
	case in.Employment == SelfEmployed && st.chosen:
		add(StepKarens, e.karenstidRef(g), "karenstid "+strconv.Itoa(int(st.karensN)))
	case in.Employment == SelfEmployed:
		add(StepKarens, e.karensSelf.at(g).ref, "karensdagar "+strconv.Itoa(int(st.karensN)))
	default:
		add(StepKarens, e.karens.at(g).ref, st.karensRule)
	}
	if r.KarensCompensation > 0 {
		ref := e.pandemicKarens.at(n).ref
		if in.Employment == SelfEmployed {
			ref = e.pandemicSelf.at(n).ref
		}
		add(StepKarensCompensation, ref, r.KarensCompensation)
	}
	if in.Employment == Employee {
		add(StepSjukloneperiod, e.sjukloneperiod.at(n).ref, e.sjukloneperiod.at(n).v)
	}
	add(StepFrameDays, e.frameWindow.at(n).ref+"; "+e.sjuklonFrame.at(n).ref, int64(r.FrameDays))
	if in.SeriousIllness {
		add(StepSeriousIllness, e.seriousIllness.at(n).ref, true)
	}
	add(StepLevel, e.normalMax.at(n).ref, r.Level)
	if lim := e.contMax.at(n); lim.v >= 0 {
		add(StepContinuationDaysUsed, lim.ref, int64(st.contDays))
		add(StepTimeLimit, lim.ref, r.TimeLimitReached)
	}
	add(StepPayer, e.payerRef(D, st), r.Payer)
	if r.Payer == PayerFK {
		add(StepDegree, lawRef(D, "AFL 3 kap. 4 §", "SFB 27 kap. 45 §"), int64(st.degree))
		ref := roundRef
		if st.kind == kindFKAvdrag {
			ref = e.karens.at(st.groupStart).ref
		}
		add(StepDailyAmount, ref, r.DailyAmount)
	}
	if lim := e.ageLimit.at(n); lim.v >= 0 {
		switch {
		case in.BirthDate.IsZero():
			add(StepAgeLimit, lim.ref, "not applied: no birth date")
		case ageFrom == openEnd || ageFrom > n:
			add(StepAgeLimit, lim.ref, "age limit not reached")
		default:
			add(StepAgeLimit, lim.ref+"; from "+civil.FromDays(ageFrom).String(), int64(st.ageDays))
		}
	}
	cpRef := e.checkpoints.at(n).ref
	add(StepMilestoneDay91, cpRef, r.Milestones.Day91)
	add(StepMilestoneDay181, cpRef, r.Milestones.Day181)
	add(StepMilestoneDay366, cpRef, r.Milestones.Day366)
	add(StepMilestoneContLevel, e.normalMax.at(n).ref, r.Milestones.ContinuationLevel)
	add(StepMilestoneTimeLimit, e.contMax.at(n).ref, r.Milestones.TimeLimit)
	return t
}

// highRiskRef is the paragraph of the allmänt högriskskydd that applies to
// a sjukperiod starting on day g.
func (e *Engine) highRiskRef(emp Employment, st *dayState, g int32) string {
	switch {
	case emp != SelfEmployed:
		return e.highRiskCount.at(g).ref
	case st.chosen && st.karensN > 1:
		return "SFB 27 kap. 39 § (none for a karenstid under 30 §)"
	case st.chosen:
		return "SFB 27 kap. 39 § andra stycket"
	}
	return e.highRiskSelfPeriods.at(g).ref
}

// karenstidRef is the paragraph of a chosen karenstid in a sjukperiod
// starting on day g: 27 kap. 29–30 §§ in SFB, with 33 § for its
// återinsjuknande within 20 days.
func (e *Engine) karenstidRef(g int32) string {
	if civil.FromDays(g).Before(sfbFrom) {
		return e.karenstidChoices.at(g).ref
	}
	return "SFB 27 kap. 29–30 §§; " + e.recurrenceKarenstid.at(g).ref
}

// payerRef is the paragraph behind the payer of the evaluated day. Rules of
// karens are cited as they stood when the sjukperiod began.
func (e *Engine) payerRef(d Date, st *dayState) string {
	switch st.kind {
	case kindKarens:
		if civil.FromDays(st.groupStart).Before(sfbFrom) {
			return "AFL 3 kap. 4 § första stycket 1"
		}
		return "SFB 27 kap. 27 §"
	case kindWaiting:
		if st.chosen {
			return e.karenstidRef(st.groupStart)
		}
		return e.karensSelf.at(st.groupStart).ref
	case kindSjuklon, kindSjuklonAvd:
		return "SjLL 7 §; " + lawRef(d, "AFL 3 kap. 10 a §", "SFB 27 kap. 9 §")
	case kindLimited:
		return lawRef(d, "AFL 3 kap. 4 § första stycket 4", "SFB 27 kap. 24 a §")
	case kindFKAvdrag:
		return "SFB 27 kap. 27 §"
	}
	return lawRef(d, "AFL 3 kap. 4 §", "SFB 27 kap. 20 §")
}

// Swedish labels for ExplainSV.
var svLabel = map[string]string{
	StepPrisbasbelopp:        "Prisbasbelopp",
	StepSGIThreshold:         "Lägsta inkomst för SGI (24 % av prisbasbeloppet)",
	StepSGICap:               "Inkomsttak för SGI",
	StepSGI:                  "Sjukpenninggrundande inkomst (SGI), avrundad nedåt till hela hundratal",
	StepFullNormal:           "Hel sjukpenning per dag på normalnivå (SGI × 0,97 × 80 % / 365)",
	StepFullContinuation:     "Hel sjukpenning per dag på fortsättningsnivå (SGI × 0,97 × 75 % / 365)",
	StepUnemployedMax:        "Högsta hela sjukpenning för arbetslös",
	StepSick:                 "Sjukskriven den dagen",
	StepCaseStart:            "Sjukfallet (rehabiliteringskedjan) började",
	StepChainDay:             "Dag i rehabiliteringskedjan",
	StepChainPhase:           "Fas i rehabiliteringskedjan",
	StepSjukperiodDay:        "Dag i sjukperioden (återinsjuknande inom fem dagar räknas som samma period)",
	StepKarens:               "Karens",
	StepSjukloneperiod:       "Sjuklöneperiodens längd",
	StepFrameDays:            "Dagar under ramtiden (450 dagar före dagen) som räknas mot 364 dagar på normalnivå",
	StepSeriousIllness:       "Allvarlig sjukdom: normalnivå utan begränsning",
	StepLevel:                "Ersättningsnivå",
	StepContinuationDaysUsed: "Dagar på fortsättningsnivå som räknats mot den bortre tidsgränsen",
	StepTimeLimit:            "Bortre tidsgräns nådd",
	StepPayer:                "Betalare",
	StepDegree:               "Sjukskrivningsgrad (procent)",
	StepDailyAmount:          "Sjukpenning för dagen (kronor)",
	StepMilestoneDay91:       "Dag 91 i rehabiliteringskedjan",
	StepMilestoneDay181:      "Dag 181 i rehabiliteringskedjan",
	StepMilestoneDay366:      "Dag 366 i rehabiliteringskedjan",
	StepMilestoneContLevel:   "Första dag på fortsättningsnivå",
	StepMilestoneTimeLimit:   "Första dag utan ersättning vid den bortre tidsgränsen",
	StepHighRisk:             "Tillfällen med karens de senaste tolv månaderna (allmänt högriskskydd)",
	StepKarensCompensation:   "Ersättning för karens under covid-19 (kronor)",
	StepAgeLimit:             "Dagar med sjukpenning efter månaden för åldersgränsen (180 dagar: Försäkringskassan får besluta att sjukpenningen upphör)",
}

func svValue(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "ja"
		}
		return "nej"
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case Date:
		if x.IsZero() {
			return "–"
		}
		return x.String()
	case string:
		switch x {
		case PayerNone:
			return "ingen"
		case PayerEmployer:
			return "arbetsgivaren (sjuklön)"
		case PayerFK:
			return "Försäkringskassan (sjukpenning)"
		case LevelNormal:
			return "normalnivå"
		case LevelContinuation:
			return "fortsättningsnivå"
		}
		return x
	}
	return ""
}

// ExplainSV renders a result and its trace as Swedish text for a case
// worker (`finsam rules evaluate --explain`). Without a trace it explains
// the result fields only.
func ExplainSV(r Result) string {
	var b strings.Builder
	b.WriteString("Bedömning den " + r.Date.String() + "\n")
	if r.Sick {
		b.WriteString("Sjukskriven: ja, dag " + strconv.Itoa(r.ChainDay) + " i rehabiliteringskedjan (fas " + r.ChainPhase + ").\n")
	} else {
		b.WriteString("Sjukskriven: nej.\n")
	}
	b.WriteString("Betalare: " + svValue(r.Payer) + ". Nivå: " + svValue(r.Level) + ".\n")
	if r.TimeLimitReached {
		b.WriteString("Den bortre tidsgränsen är nådd: ingen sjukpenning.\n")
	}
	b.WriteString("SGI: " + strconv.FormatInt(r.SGI, 10) + " kr. Hel sjukpenning: " +
		strconv.FormatInt(r.FullDailyAmount.Normal, 10) + " kr/dag på normalnivå, " +
		strconv.FormatInt(r.FullDailyAmount.Continuation, 10) + " kr/dag på fortsättningsnivå.\n")
	b.WriteString("Sjukpenning för dagen: " + strconv.FormatInt(r.DailyAmount, 10) + " kr.\n")
	b.WriteString("Dagar under ramtiden: " + strconv.Itoa(r.FrameDays) + ".\n")
	if len(r.Trace) == 0 {
		return b.String()
	}
	b.WriteString("\nTillämpade regler:\n")
	for _, st := range r.Trace {
		label := svLabel[st.Step]
		if label == "" {
			label = st.Step
		}
		b.WriteString("• " + label + ": " + svValue(st.Value) + " (" + st.Ref + ")\n")
	}
	return b.String()
}
