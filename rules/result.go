package rules

// Payers and levels as they appear in Result.
const (
	PayerNone     = "none"
	PayerEmployer = "employer"
	PayerFK       = "fk"

	LevelNone         = "none"
	LevelNormal       = "normal"
	LevelContinuation = "continuation"
)

// Chain phases as they appear in Result.ChainPhase.
const (
	Phase1To90    = "1-90"
	Phase91To180  = "91-180"
	Phase181To365 = "181-365"
	Phase366On    = "366-"
)

// Options controls what Evaluate records besides the result.
type Options struct {
	// Trace asks for the list of rules applied, with their legal
	// references. It costs allocations; the nightly batch leaves it off.
	Trace bool
}

// Amounts are full (100 %) calendar-day sickness benefit amounts in kronor.
type Amounts struct {
	Normal       int64 `json:"normal"`
	Continuation int64 `json:"continuation"`
}

// Milestones are the dates on which, if the current period continues
// unbroken, the case reaches its checkpoints. A date already passed in the
// case is the day it happened; the zero Date (JSON null) means the
// milestone does not apply.
type Milestones struct {
	// Day91, Day181 and Day366 are chain days 91, 181 and 366: the first
	// days of the wider work-capacity assessments (SFB 27 kap. 47–49 §§).
	Day91  Date `json:"day_91"`
	Day181 Date `json:"day_181"`
	Day366 Date `json:"day_366"`
	// ContinuationLevel is the first day of the continuation level in the
	// current run of it, or when it will start; null with serious illness.
	ContinuationLevel Date `json:"continuation_level"`
	// TimeLimit is the first day without benefit under the time limit of
	// 2008-07-01 → 2016-01-31; null when the limit cannot be reached.
	TimeLimit Date `json:"time_limit"`
}

// TraceStep is one rule the engine applied: what it decided, the legal
// reference it rests on and the value it produced.
type TraceStep struct {
	Step string `json:"step"`
	Ref  string `json:"ref"`
	// Value is a number (int64), a string, a bool or a Date.
	Value any `json:"value"`
}

// Result is where a sick-leave case stands on a date. Every field is always
// present in its JSON form.
type Result struct {
	Date Date `json:"date"`
	// Sick is true when a period covers Date.
	Sick bool `json:"sick"`
	// ChainDay is the day number of Date in the sickness case (periods less
	// than 90 days apart joined, gap days not counted); 0 when not sick.
	ChainDay   int    `json:"chain_day"`
	ChainPhase string `json:"chain_phase"`
	// Payer is "none", "employer" or "fk".
	Payer string `json:"payer"`
	// Level is "normal", "continuation" or "none".
	Level string `json:"level"`
	// TimeLimitReached is true when the case has used up its continuation
	// days under the time limit of 2008-07-01 → 2016-01-31 and the limit is
	// in force on Date; the day itself may be a karensdag or a sjuklön day.
	TimeLimitReached bool `json:"time_limit_reached"`
	// FrameDays counts the days in the 450 days before Date (not Date
	// itself) that count toward the 364 normal-level days.
	FrameDays int `json:"frame_days"`
	// SGI is the sjukpenninggrundande inkomst in kronor.
	SGI             int64   `json:"sgi"`
	FullDailyAmount Amounts `json:"full_daily_amount"`
	// DailyAmount is the sjukpenning for Date at its level and degree; 0
	// when the payer is not Försäkringskassan.
	DailyAmount int64 `json:"daily_amount"`
	// KarensCompensation is the flat sjukpenning in kronor Försäkringskassan
	// paid on application during the covid-19 pandemic for a day lost to
	// karens (SFB 27 kap. 9 a §, SFS 2020:195 and later ordinances, in
	// force 2020-03-11 – 2021-09-30 and 2021-12-08 – 2022-03-31): the
	// karensavdrag day of an employee or an unemployed person, and each
	// karensdag among the first 14 days of a self-employed person's
	// sjukperiod. 0 otherwise; it is not part of DailyAmount.
	KarensCompensation int64 `json:"karens_compensation"`
	// AgeLimitReached is true when the person has had sjukpenning for 180
	// days after the start of the month of the age limit (65, 66 from
	// 2022-12-01, the riktålder för pension from 2025-12-01): Försäkringskassan
	// may then decide that sjukpenning is no longer paid (SFB 27 kap. 36 §).
	// The engine does not stop the benefit itself, since the decision is
	// Försäkringskassan's. Always false without a birth date.
	AgeLimitReached bool       `json:"age_limit_reached"`
	Milestones      Milestones `json:"milestones"`
	// Provisional names the parameters whose newest value ended before
	// Date, so that the result rests on that value carried forward (see
	// Engine.KnownUntil); [] when every value was in force.
	Provisional []string    `json:"provisional"`
	Trace       []TraceStep `json:"trace"`
}

// noTrace is shared by every untraced Result so that "trace" is [] in JSON
// without an allocation; appending to it copies, so sharing is safe.
var noTrace = []TraceStep{}
