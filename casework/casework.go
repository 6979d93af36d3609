// Package casework is Försäkringskassan's case work on sickness cases
// (sjukfall): where a case stands in the rehabilitation chain, the deadlines
// that follow from the law and the process, and the early warnings (tidiga
// signaler) that tell a case worker what is going wrong.
//
// It is pure: Derive takes the facts of one case and a date and returns its
// status; it reads no clock and does no I/O. Day counting is the rules
// engine's (package rules); this package only reads its results.
package casework

import (
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
)

// Date is a calendar date.
type Date = civil.Date

// Deadline kinds. They are stable codes: stored, used in the API and as
// message keys.
const (
	// DeadlineReturnPlan: the employer's plan för återgång i arbete, due by
	// the day work capacity has been reduced for 30 days when it is expected
	// to be reduced for at least 60 (SFB 30 kap. 6 §, from 2018-07-01).
	DeadlineReturnPlan = "return_plan"
	// DeadlineAssessDay91: work capacity assessed against other work at the
	// employer before chain day 91 (SFB 27 kap. 47 §).
	DeadlineAssessDay91 = "assess_day_91"
	// DeadlineAssessDay181: against work on the labour market before chain
	// day 181 (SFB 27 kap. 48 §).
	DeadlineAssessDay181 = "assess_day_181"
	// DeadlineAssessDay366: the day-365 assessment (SFB 27 kap. 49 §).
	DeadlineAssessDay366 = "assess_day_366"
	// DeadlineTimeLimit: the time limit (bortre tidsgräns) of 2008-07-01 →
	// 2016-01-31; due the day before the first day without benefit.
	DeadlineTimeLimit = "time_limit"
	// DeadlineCertificateEnd: the current certificate period ends and no
	// new certificate has come. Key: the period's last day.
	DeadlineCertificateEnd = "certificate_end"
	// DeadlineSupplement: a supplement request (komplettering) to the care
	// provider is unanswered. Key: the message id.
	DeadlineSupplement = "supplement"
)

// DeadlineKinds lists every deadline kind in display order.
var DeadlineKinds = []string{DeadlineReturnPlan, DeadlineAssessDay91, DeadlineAssessDay181,
	DeadlineAssessDay366, DeadlineTimeLimit, DeadlineCertificateEnd, DeadlineSupplement}

// Warning kinds (tidiga signaler), stable codes like the deadline kinds.
const (
	WarningNoPlanDay90      = "no_plan_day_90"      // expected to pass day 90 with no plan
	WarningFMBExceeded      = "fmb_exceeded"        // longer than FMB recommends for the diagnosis
	WarningRepeatedCases    = "repeated_cases"      // 3+ cases in 12 months
	WarningCertificateQual  = "certificate_quality" // quality problems in the latest certificate
	WarningNoContact        = "no_contact"          // no contact for 30 days past day 60
	WarningTimeLimitNearing = "time_limit_near"     // nearing the time limit (historic cases)
)

// WarningKinds lists every warning kind in display order.
var WarningKinds = []string{WarningNoPlanDay90, WarningFMBExceeded, WarningRepeatedCases,
	WarningCertificateQual, WarningNoContact, WarningTimeLimitNearing}

// Config holds the thresholds of deadlines and warnings. They are
// configuration, not law: DefaultConfig gives the defaults and an
// administrator may change them (stored in settings).
type Config struct {
	// ReturnPlanDay is the day of reduced capacity by which the employer's
	// plan is due (30, SFB 30 kap. 6 §) and ReturnPlanMinDays how long the
	// sick leave must be expected to last for a plan to be required (60).
	ReturnPlanDay     int `json:"return_plan_day"`
	ReturnPlanMinDays int `json:"return_plan_min_days"`
	// NoPlanFromDay: from this chain day a case expected to pass day 90
	// without a plan raises WarningNoPlanDay90.
	NoPlanFromDay int `json:"no_plan_from_day"`
	// RepeatedCases within RepeatedMonths raise WarningRepeatedCases.
	RepeatedCases  int `json:"repeated_cases"`
	RepeatedMonths int `json:"repeated_months"`
	// QualityBelow: a latest certificate scoring below it raises
	// WarningCertificateQual.
	QualityBelow int `json:"quality_below"`
	// NoContactDays without contact, in a case past NoContactFromDay, raise
	// WarningNoContact.
	NoContactDays    int `json:"no_contact_days"`
	NoContactFromDay int `json:"no_contact_from_day"`
	// TimeLimitWarnDays before the time limit raise WarningTimeLimitNearing.
	TimeLimitWarnDays int `json:"time_limit_warn_days"`
}

// DefaultConfig is the configuration a new installation starts with.
func DefaultConfig() Config {
	return Config{
		ReturnPlanDay:     30,
		ReturnPlanMinDays: 60,
		NoPlanFromDay:     60,
		RepeatedCases:     3,
		RepeatedMonths:    12,
		QualityBelow:      70,
		NoContactDays:     30,
		NoContactFromDay:  60,
		TimeLimitWarnDays: 90,
	}
}

// Certificate is what Derive needs of one certificate in the case.
type Certificate struct {
	ID            int64
	SignedOn      Date
	From, To      Date // the certificate's sick-leave span
	DiagnosisCode string
	QualityScore  int
	Findings      int // number of quality findings
	// FMBMaxDays is the FMB recommendation's longest sick leave for the
	// diagnosis, 0 when FMB has none; FMBMotivated is true when the
	// certificate motivates a longer sick leave.
	FMBMaxDays   int
	FMBMotivated bool
}

// Supplement is a supplement request (KOMPLT) sent about a certificate in
// the case.
type Supplement struct {
	MessageID int64
	SentOn    Date
	AnswerBy  Date
	Answered  bool
}

// Facts are everything Derive needs to know about one case.
type Facts struct {
	// Date is the day to evaluate ("today" for the nightly run).
	Date           Date
	Employment     rules.Employment
	AnnualIncome   float64 // kronor, as rules.Input takes it
	SeriousIllness bool
	// BirthDate is the person's, for the age limit of the rules (SFB 27
	// kap. 36 §); zero when unknown, and the rules then say the limit was
	// not applied.
	BirthDate Date
	// Periods are the case's sick-leave periods in date order, and only
	// the case's (the store selects them by the case's first and last day).
	Periods      []rules.Period
	Certificates []Certificate // in signing order
	Supplements  []Supplement
	// LastContact is the last recorded contact with the person; zero if
	// none.
	LastContact Date
	// PlanActions counts the rehabilitation plan's actions.
	PlanActions int
	// CaseStarts are the first days of the person's sickness cases,
	// including this one, for the repeated-cases warning.
	CaseStarts []Date
	// Done holds the deadlines a person closed, by DeadlineID.
	Done map[DeadlineID]bool
}

// DeadlineID identifies a deadline within its case.
type DeadlineID struct {
	Kind string
	Key  string // "" for the chain's deadlines; see the kinds
}

// Deadline is one thing that must be done by a date.
type Deadline struct {
	DeadlineID
	Due Date
	// Ref is the legal or process reference the deadline rests on.
	Ref string
	// Done is true when a person closed it (Facts.Done) or the facts show
	// it is met (a new certificate came, the supplement was answered).
	Done bool
	// Auto is true when Done follows from the facts rather than a person.
	Auto bool
}

// Overdue reports whether the deadline is open after its due date.
func (d Deadline) Overdue(today Date) bool { return !d.Done && today.After(d.Due) }

// Warning is one early signal with the rule that raised it.
type Warning struct {
	Kind string
	// Rule names the condition with its threshold, e.g. "chain_day >= 60
	// and no plan"; Ref is the legal or process reference, if any.
	Rule string
	Ref  string
	// Args are the figures the reason quotes, in the order Reason uses
	// them (days, counts, scores).
	Args []int
}

// Status is where a case stands on Facts.Date.
type Status struct {
	Result rules.Result
	// Degree is the degree of the period covering the date, 0 if none.
	Degree    int
	Deadlines []Deadline
	Warnings  []Warning
	// NextDue is the earliest due date among open deadlines, zero if none;
	// NextKind its kind.
	NextDue  Date
	NextKind string
}
