// Package caseload holds what Försäkringskassan's managers' dashboards
// count, free of storage and HTTP: the figures (each names exactly the
// cases it counts, so that its list is the same selection), the ICD-10
// chapters and age groups that durations are broken down by, and the
// percentiles of a histogram of durations. Package store counts and lists
// the cases of a figure in SQL; this package adds the counts up.
package caseload

import (
	"slices"
)

// Figure kinds: what a figure counts. Each is a predicate over a case
// (and, for deadlines and supplement requests, its rows in the tables
// beside it); store.CaseloadWhere is its SQL.
const (
	// Open: cases open now.
	Open = "open"
	// Phase: open cases in a chain phase (rules.Phase1To90 …).
	Phase = "phase"
	// Past: open cases whose chain day is past Figure.Day (90, 180, 365,
	// 550) at their latest evaluation.
	Past = "past"
	// Overdue: open cases with a deadline past due today.
	Overdue = "overdue"
	// Warnings: open cases with at least one early warning.
	Warnings = "warnings"
	// Ongoing: cases sick on Figure.On (begun, and open or ended on or
	// after it).
	Ongoing = "ongoing"
	// Inflow: cases that began in [Figure.From, Figure.To].
	Inflow = "inflow"
	// Outflow: closed cases that ended in [Figure.From, Figure.To].
	Outflow = "outflow"
	// Ended: closed cases that ended in the period, by diagnosis chapter,
	// sex and age group: the cases whose durations are shown.
	Ended = "ended"
	// Deadline: cases with a deadline of Figure.Deadline due in the period
	// (not withdrawn by the facts); with Figure.Met only those where it was
	// closed by its due day.
	Deadline = "deadline"
	// Supplement: cases with a supplement request (KOMPLT) sent in the
	// period.
	Supplement = "supplement"
	// Coordinated: open cases with a coordination across the agencies.
	Coordinated = "coordinated"
	// Reconciled: open cases whose coordination has held an
	// avstämningsmöte.
	Reconciled = "reconciled"
)

// Kinds lists the figure kinds.
var Kinds = []string{Open, Phase, Past, Overdue, Warnings, Ongoing, Inflow, Outflow, Ended, Deadline, Supplement, Coordinated, Reconciled}

// PastDays are the chain days the dashboard counts cases past.
var PastDays = []int{90, 180, 365, 550}

// Sexes as derived from the personnummer's second-last digit (odd: man).
const (
	Woman = "k"
	Man   = "m"
)

// Unknown is the chapter of a case without a certificate (entered by
// hand from paper) and the group of anything else not known.
const Unknown = "-"

// Figure names one figure of the dashboard: a kind and its argument. The
// period, customer group, office and case worker are the dashboard's
// filter (store.CaseloadScope), not part of the figure.
type Figure struct {
	Kind  string
	Phase string // Phase
	Day   int    // Past
	// On is the day of Ongoing; From and To (inclusive) the days of Inflow
	// and Outflow, YYYY-MM-DD. Ended, Deadline and Supplement take the
	// scope's period.
	On, From, To string
	// Ended's breakdown; "" for any.
	Chapter, Sex, AgeGroup string
	// Deadline's kind, and whether only those met count.
	Deadline string
	Met      bool
}

// Chapter is one chapter of ICD-10(-SE): the range of three-character
// codes it holds.
type Chapter struct {
	ID       string // the roman numeral
	From, To string // first and last three-character code, inclusive
}

// Chapters are ICD-10's chapters I–XXII by their code ranges (WHO ICD-10,
// the same in ICD-10-SE). A code's chapter is the one whose range holds
// its first three characters.
var Chapters = []Chapter{
	{"I", "A00", "B99"}, {"II", "C00", "D48"}, {"III", "D50", "D89"}, {"IV", "E00", "E90"},
	{"V", "F00", "F99"}, {"VI", "G00", "G99"}, {"VII", "H00", "H59"}, {"VIII", "H60", "H95"},
	{"IX", "I00", "I99"}, {"X", "J00", "J99"}, {"XI", "K00", "K93"}, {"XII", "L00", "L99"},
	{"XIII", "M00", "M99"}, {"XIV", "N00", "N99"}, {"XV", "O00", "O99"}, {"XVI", "P00", "P96"},
	{"XVII", "Q00", "Q99"}, {"XVIII", "R00", "R99"}, {"XIX", "S00", "T98"}, {"XX", "V01", "Y98"},
	{"XXI", "Z00", "Z99"}, {"XXII", "U00", "U99"},
}

// ChapterByID finds a chapter.
func ChapterByID(id string) (Chapter, bool) {
	return byID(Chapters, func(c Chapter) bool { return c.ID == id })
}

// byID finds the element of list for which is reports true: the one with
// the id asked for.
func byID[T any](list []T, is func(T) bool) (T, bool) {
	i := slices.IndexFunc(list, is)
	if i < 0 {
		var none T
		return none, false
	}
	return list[i], true
}

// ChapterOf is the chapter of a diagnosis code, Unknown for none.
func ChapterOf(code string) string {
	if len(code) < 3 {
		return Unknown
	}
	c := code[:3]
	for _, ch := range Chapters {
		if c >= ch.From && c <= ch.To {
			return ch.ID
		}
	}
	return Unknown
}

// AgeGroup is a range of ages at a case's first day, inclusive.
type AgeGroup struct {
	ID       string
	From, To int
}

// AgeGroups are the age groups durations are broken down by, as
// Försäkringskassan's statistics of sick leave group ages.
var AgeGroups = []AgeGroup{{"16-29", 16, 29}, {"30-39", 30, 39}, {"40-49", 40, 49}, {"50-59", 50, 59}, {"60-", 60, 200}}

// AgeGroupByID finds an age group.
func AgeGroupByID(id string) (AgeGroup, bool) {
	return byID(AgeGroups, func(g AgeGroup) bool { return g.ID == id })
}

// GroupOfAge is the age group of an age, Unknown outside them all.
func GroupOfAge(age int) string {
	for _, g := range AgeGroups {
		if age >= g.From && age <= g.To {
			return g.ID
		}
	}
	return Unknown
}

// Durations is a histogram of case durations in days: how many cases
// lasted each number of days.
type Durations map[int]int

// Add counts n cases of days.
func (d Durations) Add(days, n int) { d[days] += n }

// Merge adds another histogram in.
func (d Durations) Merge(o Durations) {
	for k, n := range o {
		d[k] += n
	}
}

// Count is the number of cases.
func (d Durations) Count() int {
	n := 0
	for _, c := range d {
		n += c
	}
	return n
}

// Percentile is the p-th percentile (0 < p ≤ 100) by the nearest-rank
// method: the smallest duration that at least p per cent of the cases do
// not exceed. 0 for no cases.
func (d Durations) Percentile(p int) int {
	n := d.Count()
	if n == 0 {
		return 0
	}
	rank := (p*n + 99) / 100 // ceil(p/100 × n)
	rank = max(rank, 1)
	keys := make([]int, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	seen := 0
	for _, k := range keys {
		seen += d[k]
		if seen >= rank {
			return k
		}
	}
	return keys[len(keys)-1]
}
