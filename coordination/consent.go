package coordination

import (
	"slices"
	"strings"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
)

// Purpose is the kind of cooperation a consent is for. A consent must say
// which parties exchange what, for what kind of cooperation and for how
// long; a general consent is not valid (JO 2005, see ADR 20).
type Purpose string

// The purposes.
const (
	// PurposeReconciliation is an avstämningsmöte (SFB 110 kap. 14 § p. 4).
	PurposeReconciliation Purpose = "avstamningsmote"
	// PurposeJointMapping is FK's and AF's gemensam kartläggning.
	PurposeJointMapping Purpose = "kartlaggning"
	// PurposeSIP is a samordnad individuell plan (HSL 16 kap. 4 §, SoL).
	PurposeSIP Purpose = "sip"
	// PurposeCoordination is the region's koordineringsinsats (lag
	// 2019:1297).
	PurposeCoordination Purpose = "koordinering"
	// PurposeReferral is a referral to an insats (lag 2003:1210).
	PurposeReferral Purpose = "insats"
)

// Purposes lists the purposes in the order people choose them.
var Purposes = []Purpose{PurposeReconciliation, PurposeJointMapping, PurposeSIP, PurposeCoordination, PurposeReferral}

// Valid reports whether p is a known purpose.
func (p Purpose) Valid() bool {
	return slices.Contains(Purposes, p)
}

// Method is how the consent was given.
type Method string

// The methods: written (with the document's reference), or oral (with
// who recorded it and when, as the regions require in the record).
const (
	Written Method = "written"
	Oral    Method = "oral"
)

// MaxValidity is the longest a consent may run. Consent must be limited in
// time; one year is finsam's choice (ADR 20), after which a new consent is
// asked for, as SUS asks for one per period of cooperation.
const MaxValidity = 366

// Party is an organisation a consent lets take part, and the parts of the
// person's data it may see.
type Party struct {
	OrgID   int64
	OrgType organisation.Type
	OrgName string
	Parts   policy.Part
}

// Consent is a person's recorded consent, recorded by the organisation that
// obtained it.
type Consent struct {
	ID            int64
	PersonID      int64
	RecordedByOrg int64
	Purpose       Purpose
	Parties       []Party
	// ValidFrom and ValidUntil are the first and the last day it is valid.
	ValidFrom, ValidUntil civil.Date
	Method                Method
	// DocumentRef is the signed document's reference (written consents).
	DocumentRef string
	// OralRecordedBy and OralRecordedOn say who heard an oral consent and
	// on which day.
	OralRecordedBy string
	OralRecordedOn civil.Date
	RecordedAt     time.Time
	// WithdrawnAt is when the person withdrew it; zero while it stands.
	WithdrawnAt time.Time
	WithdrawnBy string
}

// Withdrawn reports whether the consent has been withdrawn.
func (c *Consent) Withdrawn() bool { return !c.WithdrawnAt.IsZero() }

// Current reports whether the consent is in force on day.
func (c *Consent) Current(day civil.Date) bool {
	return !c.Withdrawn() && !day.Before(c.ValidFrom) && !day.After(c.ValidUntil)
}

// PartyOf is the party org of the consent, if it is one.
func (c *Consent) PartyOf(org int64) (Party, bool) {
	for _, p := range c.Parties {
		if p.OrgID == org {
			return p, true
		}
	}
	return Party{}, false
}

// Validate checks a consent about to be recorded on today.
func (c *Consent) Validate(today civil.Date) error {
	var ps Problems
	if !c.Purpose.Valid() {
		ps.Add("purpose", "required")
	}
	others := 0
	for _, p := range c.Parties {
		if p.OrgID != c.RecordedByOrg {
			others++
		}
		switch {
		case p.Parts&policy.PartBasic == 0:
			ps.Add("parties", "basic_required")
		case p.Parts&policy.PartDiagnoses != 0 && p.OrgType != organisation.Region && p.OrgType != organisation.FK:
			// Diagnoses and medical text go to health care and FK only:
			// policy never shows them to AF or a municipality, so a
			// consent that offers them would promise what is not done.
			ps.Add("parties", "diagnoses_not_for_org")
		}
	}
	if others == 0 {
		ps.Add("parties", "required")
	}
	switch {
	case c.ValidFrom.IsZero():
		ps.Add("valid_from", "required")
	case c.ValidUntil.IsZero():
		ps.Add("valid_until", "required")
	case c.ValidUntil.Before(c.ValidFrom):
		ps.Add("valid_until", "before_start")
	case c.ValidUntil.Before(today):
		ps.Add("valid_until", "in_past")
	case c.ValidUntil.Sub(c.ValidFrom) >= MaxValidity:
		ps.Add("valid_until", "too_long")
	}
	switch c.Method {
	case Written:
		if strings.TrimSpace(c.DocumentRef) == "" {
			ps.Add("document_ref", "required")
		}
	case Oral:
		if strings.TrimSpace(c.OralRecordedBy) == "" {
			ps.Add("oral_recorded_by", "required")
		}
		switch {
		case c.OralRecordedOn.IsZero():
			ps.Add("oral_recorded_on", "required")
		case c.OralRecordedOn.After(today):
			ps.Add("oral_recorded_on", "in_future")
		}
	default:
		ps.Add("method", "required")
	}
	return ps.Err()
}

// RecorderParts are what the organisation that obtained a consent may see
// of the other parties' shared data under it, unless it names itself with
// other parts: it takes part in the cooperation the consent is for.
const RecorderParts = policy.PartBasic | policy.PartPlan

// Policy appends to dst what package policy reads of the consent: one
// policy.Consent per party (and the recorder, with RecorderParts), each
// with the consent's id. Days run from midnight to midnight: a resource
// asks on its Swedish date.
func (c *Consent) Policy(dst []policy.Consent) []policy.Consent {
	add := func(org int64, parts policy.Part) {
		dst = append(dst, policy.Consent{ID: c.ID, OrgID: org, Parts: parts,
			ValidFrom: c.ValidFrom.Time(), ValidUntil: c.ValidUntil.AddDays(1).Time(), Withdrawn: c.Withdrawn()})
	}
	if _, named := c.PartyOf(c.RecordedByOrg); !named && c.RecordedByOrg != 0 {
		add(c.RecordedByOrg, RecorderParts)
	}
	for _, p := range c.Parties {
		add(p.OrgID, p.Parts)
	}
	return dst
}

// PolicyAll is Policy over several consents.
func PolicyAll(cs []Consent) []policy.Consent {
	var out []policy.Consent
	for i := range cs {
		out = cs[i].Policy(out)
	}
	return out
}
