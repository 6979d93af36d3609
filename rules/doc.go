// Package rules is Swedish sickness-benefit legislation (sjukpenning) as
// code, for any date from 2008-07-01 (the rehabilitation chain and the time
// limit) to the last year with a prisbasbelopp.
//
// Given sick-leave periods, an employment, an annual income and a date (and
// optionally a birth date and a self-employed person's chosen karenstid),
// Evaluate says where the case stands: the day in the rehabilitation chain
// and its phase, who pays (the employer during the sjuklöneperiod,
// Försäkringskassan, or nobody on a karensdag or after the time limit), the
// level (normalnivå or fortsättningsnivå), the days counted in the 450-day
// frame period, the SGI and the daily amounts, the dates of the next
// checkpoints, and optionally a trace naming each rule with its legal
// reference (SFB, or AFL before 2011).
//
// The package is pure: no I/O besides the reader and writer handed to
// Batch, no clock (the date is always an input) and no mutable global
// state. Legislation parameters are data, not code: params/*.json hold one
// file per parameter, each value keyed by the day it took effect and
// carrying its legal reference and official source. New validates them
// (no gaps, no overlaps, full coverage) once; the Engine is immutable and
// safe for concurrent use.
//
// # How days are counted
//
// A sick day is a calendar day covered by a period; the degree does not
// matter for counting (SFB 27 kap. 46–51 §§, part-time days count as whole
// days). Periods fewer than 90 days apart belong to one case (27 kap. 51 §);
// a period that starts at most five days after the previous one ended
// continues the same sjukperiod, so no new karens and no new sjuklöneperiod
// (27 kap. 32 §, SjLL 7 §).
//
// The engine walks the history once, in date order, keeping for the last
// 512 days a bit per day that says whether the day counts toward the 364
// normal-level days in the 450-day frame (27 kap. 21–22 §§): days with
// sjukpenning at either level count, the 13 sjuklön days of a
// sjuklöneperiod count once sjukpenning follows them, and the first day of
// a sjukperiod (karensdag, or from 2019 the day that carries the
// karensavdrag) never counts. The days that carry the karens and the day
// sjukpenning follows the sjuklön days are stepped one by one; an
// employee's other sjuklön days are handled as one run, and the ordinary
// sjukpenning days a window-sized chunk at a time with popcounts, so a
// case of several years costs about as much as one of a few weeks, and
// Evaluate allocates nothing without a trace. What the input cannot reach
// costs nothing: without a birth date no day is counted toward the age
// limit, the thresholds of the allmänt högriskskydd are not looked up for
// fewer karens occasions than the lowest of them, and a date outside the
// pandemic's days looks up no compensation. A naive day-by-day reference implementation in
// the tests checks the engine on random cases.
//
// # Decisions where the sources are silent
//
// Each is also recorded in the parameter files' notes and at the code that
// implements it:
//   - the 550 continuation days of the time limit are counted within one
//     case (periods joined under the 90-day rule), and once reached the
//     limit holds for the rest of that case until 2016-02-01;
//   - benefit at 25/50/75 % is the degree's share of the rounded full
//     amount, rounded half up;
//   - the unemployed maximum caps the full (hel) amount, before the degree;
//   - from 2019 an unemployed person's first day carries a karensavdrag
//     equal to that day's benefit, so it pays 0 whatever the degree;
//   - a self-employed person has the default karensdagar unless the input
//     names a chosen karenstid (27 kap. 29–31 §§), which applies to
//     sjukperioder beginning on or after karenstid_from; within 20 days a
//     chosen karenstid runs on (33 §), the default and one day follow the
//     five-day rule (32 §);
//   - days before 2008-07-01 count in the chain and the frame, but the
//     continuation level and the time limit start on 2008-07-01;
//   - allmänt högriskskydd (27 kap. 39 §) counts the sjukperioder in the
//     input that began with karens in the twelve months before the new
//     one (from the same calendar day a year earlier); karensdagar before
//     2019 and karensavdrag after count alike, and a karensavdrag the
//     pandemic compensation paid for still counts. A sjukperiod under the
//     protection has no karens, so an unemployed person's first day is paid
//     and counts toward the 364 days (21 § leaves out only a day that
//     carries a karensavdrag). Särskilt högriskskydd (40–44 §§) is a
//     decision on application and is not modelled;
//   - the age limit of 27 kap. 36 § is the age in force on the evaluated
//     date (65, 66 from 2022-12-01, the riktålder from 2025-12-01); the
//     engine counts the days with sjukpenning from the first day of the
//     month the person reaches it and sets age_limit_reached after 180,
//     but keeps paying: the paragraph lets Försäkringskassan decide
//     ("får … besluta"). Without a birth date the rule is not applied and
//     the trace says so. The hard limit after 71 (37 §) is not modelled.
//
// # The pandemic, 2020–2022
//
// Försäkringskassan paid, on application, a flat sjukpenning for the day
// of an employee's or an unemployed person's karensavdrag (700 kr from
// 2020-03-11, 804 kr from 2020-06-01, 810 kr in 2021 until 2021-09-30 and
// again 2021-12-08 – 2022-03-31) and for a self-employed person's
// karensdagar among the first 14 days (804 kr a day, 810 kr in 2021), under
// SFB 27 kap. 9 a § (SFS 2020:189) and förordningen (2020:195) om vissa
// sjukpenningförmåner med anledning av sjukdomen covid-19, repealed from
// 2021-03-01 (SFS 2020:1231) and followed by ordinances whose numbers the
// parameter files mark UNCONFIRMED. The engine reports it as
// karens_compensation beside the ordinary result, which it leaves as the
// balk has it: the karensavdrag was still made and compensated afterwards.
// Not modelled, because they do not change what this engine answers:
//   - the employers' reimbursement of sjuklön costs (an employer's claim,
//     not the insured's benefit);
//   - the relaxed läkarintyg rules (the engine checks no certificates);
//   - förordningen (2020:711) that postponed the assessments of 27 kap.
//     48–49 §§ when care was delayed (the engine names the chain's phases
//     but does not assess work capacity);
//   - preventive sjukpenning for risk groups and smittbärarpenning
//     (other benefits);
//   - the self-employed's karensdagar in 2021-12-08 – 2022-03-31, which
//     the sources found do not cover (UNCONFIRMED).
package rules
