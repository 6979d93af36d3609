package coordination

import (
	"strings"

	"github.com/finsam/finsam/civil"
)

// Source is the plan an action comes from. The one plan joins them: they
// share measure, owner, timetable and follow-up.
type Source string

// The sources.
const (
	// EmployerPlan is the employer's plan för återgång i arbete (SFB 30
	// kap. 6 §; FK's template 7459).
	EmployerPlan Source = "employer_plan"
	// RehabPlan is FK's rehabiliteringsplan (SFB 30 kap.).
	RehabPlan Source = "rehab_plan"
	// SIPPlan is the samordnad individuell plan.
	SIPPlan Source = "sip"
	// MappingPlan is the gemensam kartläggning's next steps.
	MappingPlan Source = "kartlaggning"
	// MeetingMinutes is an action agreed at a meeting.
	MeetingMinutes Source = "meeting"
	// Referral is a referral to an association's insats.
	Referral Source = "insats"
)

// Sources lists the sources a person may choose.
var Sources = []Source{EmployerPlan, RehabPlan, SIPPlan, MappingPlan, MeetingMinutes}

// Action statuses, as the case's plan has them.
const (
	ActionPlanned   = "planned"
	ActionOngoing   = "ongoing"
	ActionDone      = "done"
	ActionCancelled = "cancelled"
)

// ActionStatuses lists them.
var ActionStatuses = []string{ActionPlanned, ActionOngoing, ActionDone, ActionCancelled}

// Action is one action of the plan.
type Action struct {
	Title       string
	OwnerOrgID  int64
	OwnerPerson string
	Due         civil.Date
	Status      string
	Source      Source
	SourceRef   string
}

// Validate checks an action about to be saved on today; owners are the
// organisations that may own one (the coordination's parties).
func (a *Action) Validate(today civil.Date, owners func(org int64) bool) error {
	var ps Problems
	if strings.TrimSpace(a.Title) == "" {
		ps.Add("title", "required")
	}
	switch {
	case a.OwnerOrgID == 0:
		ps.Add("owner_org", "owner_required")
	case !owners(a.OwnerOrgID):
		ps.Add("owner_org", "not_a_party")
	}
	if strings.TrimSpace(a.OwnerPerson) == "" {
		ps.Add("owner_person", "owner_required")
	}
	if a.Due.IsZero() {
		ps.Add("due", "required")
	}
	known := false
	for _, s := range append(Sources, Referral) {
		known = known || a.Source == s
	}
	if !known {
		ps.Add("source", "required")
	}
	statusOK := a.Status == ""
	for _, s := range ActionStatuses {
		statusOK = statusOK || a.Status == s
	}
	if !statusOK {
		ps.Add("status", "required")
	}
	return ps.Err()
}
