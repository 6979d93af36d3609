package coordination

import (
	"strings"
	"time"
	_ "time/tzdata" // Swedish dates without the system's zoneinfo

	"github.com/finsam/finsam/civil"

	"github.com/finsam/finsam/organisation"
)

// MeetingKind is the kind of a meeting.
type MeetingKind string

// The kinds.
const (
	// Reconciliation is the avstämningsmöte: FK calls it (SFB 110 kap.
	// 14 § p. 4); the person, FK and at least one other party who can
	// affect the situation take part (forsakringskassan.se, "Avstämningsmöte").
	Reconciliation MeetingKind = "avstamningsmote"
	// JointMapping is FK's and AF's gemensam kartläggning (blankett 7462).
	JointMapping MeetingKind = "kartlaggning"
	// SIP is the samordnad individuell plan of the region and the
	// municipality (HSL 16 kap. 4 §).
	SIP MeetingKind = "sip"
	// OtherMeeting is any other meeting.
	OtherMeeting MeetingKind = "other"
)

// MeetingKinds lists the kinds.
var MeetingKinds = []MeetingKind{Reconciliation, JointMapping, SIP, OtherMeeting}

// MeetingStatus is where a meeting stands.
type MeetingStatus string

// The statuses.
const (
	Planned   MeetingStatus = "planned"
	Held      MeetingStatus = "held"
	Cancelled MeetingStatus = "cancelled"
)

// Meeting is one meeting of a coordination.
type Meeting struct {
	ID             int64
	CoordinationID int64
	Kind           MeetingKind
	Status         MeetingStatus
	Start          time.Time
	LengthMinutes  int
	Place          string
	Video          bool
	// ConvenedBy is the organisation that calls the meeting.
	ConvenedBy     int64
	ConvenedByType organisation.Type
	// Parties are the organisations taking part.
	Parties       []Party
	PersonAttends bool
	Agenda        string
	// Minutes are what was said and decided, once held.
	Minutes string
	// DoctorAttended says a doctor took part (the fee applies).
	DoctorAttended bool
}

// has reports whether an organisation of type t takes part.
func (m *Meeting) has(t organisation.Type) bool {
	for _, p := range m.Parties {
		if p.OrgType == t {
			return true
		}
	}
	return false
}

// Validate checks a meeting about to be saved at now. covered says
// whether an organisation may take part under the person's consents (the
// organisation running the coordination always may).
func (m *Meeting) Validate(now time.Time, covered func(org int64) bool) error {
	var ps Problems
	known := false
	for _, k := range MeetingKinds {
		known = known || m.Kind == k
	}
	if !known {
		ps.Add("kind", "required")
	}
	switch {
	case m.Start.IsZero():
		ps.Add("start", "required")
	case m.Status == Planned && m.Start.Before(now):
		ps.Add("start", "planned_in_past")
	case m.Status == Held && m.Start.After(now):
		ps.Add("start", "held_in_future")
	}
	if m.LengthMinutes < 15 || m.LengthMinutes > 480 {
		ps.Add("length", "out_of_range")
	}
	if !m.Video && strings.TrimSpace(m.Place) == "" {
		ps.Add("place", "required")
	}
	if len(m.Parties) == 0 {
		ps.Add("parties", "required")
	}
	for _, p := range m.Parties {
		if !covered(p.OrgID) {
			ps.Add("parties", "party_not_covered")
		}
	}
	switch m.Kind {
	case Reconciliation:
		// FK calls it, with the person and at least one other party.
		switch {
		case m.ConvenedByType != organisation.FK:
			ps.Add("kind", "fk_convenes")
		case !m.has(organisation.FK) || len(m.Parties) < 2:
			ps.Add("parties", "reconciliation_parties")
		case !m.PersonAttends:
			ps.Add("person_attends", "required")
		}
	case JointMapping:
		if !m.has(organisation.FK) || !m.has(organisation.AF) {
			ps.Add("parties", "mapping_parties")
		}
	case SIP:
		if !m.has(organisation.Region) || !m.has(organisation.Municipality) {
			ps.Add("parties", "sip_parties")
		}
	}
	if m.Status == Held && strings.TrimSpace(m.Minutes) == "" {
		ps.Add("minutes", "required")
	}
	return ps.Err()
}

// DayOf is the Swedish date of a time: the day a meeting is held on, for
// its rate.
func DayOf(t time.Time) civil.Date {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return civil.Of(t.UTC())
	}
	return civil.Of(t.In(loc))
}
