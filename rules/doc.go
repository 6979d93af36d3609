// Package rules is Swedish sickness-benefit legislation (sjukpenning) as
// code, for any date from 2008-07-01 (the rehabilitation chain and the time
// limit) to the last year with a prisbasbelopp.
//
// Given sick-leave periods, an employment, an annual income and a date,
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
// karensavdrag) never counts. The first days of each sjukperiod are
// stepped one by one; the ordinary sjukpenning days after them are handled
// a window-sized chunk at a time with popcounts, so a case of several
// years costs about as much as one of a few weeks, and Evaluate allocates
// nothing without a trace. A naive day-by-day reference implementation in
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
//   - self-employed people have the default karensdagar (no chosen
//     karenstid), and the five-day återinsjuknande rule;
//   - days before 2008-07-01 count in the chain and the frame, but the
//     continuation level and the time limit start on 2008-07-01.
package rules
