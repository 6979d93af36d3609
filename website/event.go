package website

import (
	"strings"
	"time"
)

// Event is a meeting or lecture the association arranges (Möten och
// föreläsningar).
type Event struct {
	ID           int64
	Title        string
	Description  string // Markdown
	Speaker      string
	Starts, Ends time.Time
	Place        string // "" for an online-only event
	Online       bool   // may be followed online
	Capacity     int    // seats; 0 for no limit
}

// Validate checks an event.
func (e *Event) Validate() error {
	var ps Problems
	trim(&e.Title, &e.Description, &e.Speaker, &e.Place)
	required(&ps, "title", e.Title, MaxShort)
	maxLength(&ps, "description", e.Description, MaxLong)
	maxLength(&ps, "speaker", e.Speaker, MaxShort)
	maxLength(&ps, "place", e.Place, MaxShort)
	if e.Place == "" && !e.Online {
		ps.Add("place", CodeRequired)
	}
	if e.Starts.IsZero() {
		ps.Add("starts", CodeRequired)
	}
	if e.Ends.IsZero() {
		ps.Add("ends", CodeRequired)
	} else if !e.Starts.IsZero() && !e.Ends.After(e.Starts) {
		ps.Add("ends", CodeOrder)
	}
	if e.Capacity < 0 || e.Capacity > 100000 {
		ps.Add("capacity", CodeInvalid)
	}
	return ps.Err()
}

// Past reports whether the event has begun by now: sign-ups close when it
// starts.
func (e Event) Past(now time.Time) bool { return !now.Before(e.Starts) }

// Attendance is how a participant takes part.
type Attendance string

// The ways of attending.
const (
	OnSite  Attendance = "site"
	Digital Attendance = "digital"
)

// SignupStatus is where a sign-up stands.
type SignupStatus string

// The statuses.
const (
	Confirmed SignupStatus = "confirmed"
	Waiting   SignupStatus = "waiting" // on the waiting list: the event was full
	Cancelled SignupStatus = "cancelled"
)

// Signup is one person's sign-up to an event.
type Signup struct {
	ID               int64
	EventID          int64
	Name             string
	Email            string // stored in lower case: one sign-up per address and event
	Organisation     string
	Role             string
	MunicipalityCode string
	Attendance       Attendance
	Food             string // food preferences or allergies, in the person's words
	AccessNeeds      string // what the person needs to take part
	Status           SignupStatus
	Created          time.Time
}

// Validate checks a sign-up to e; area is the association's
// municipalities.
func (s *Signup) Validate(e Event, area []string, now time.Time) error {
	var ps Problems
	trim(&s.Name, &s.Email, &s.Organisation, &s.Role, &s.MunicipalityCode, &s.Food, &s.AccessNeeds)
	s.Email = strings.ToLower(s.Email)
	required(&ps, "name", s.Name, MaxShort)
	if s.Email == "" {
		ps.Add("email", CodeRequired)
	} else if !validEmail(s.Email) {
		ps.Add("email", CodeEmail)
	}
	maxLength(&ps, "organisation", s.Organisation, MaxShort)
	maxLength(&ps, "role", s.Role, MaxShort)
	maxLength(&ps, "food", s.Food, 1000)
	maxLength(&ps, "access_needs", s.AccessNeeds, 1000)
	if s.MunicipalityCode != "" && !contains(area, s.MunicipalityCode) {
		ps.Add("municipality", CodeUnknown)
	}
	switch {
	case s.Attendance == Digital && !e.Online:
		ps.Add("attendance", CodeInvalid)
	case s.Attendance == OnSite && e.Place == "":
		ps.Add("attendance", CodeInvalid)
	case s.Attendance != OnSite && s.Attendance != Digital:
		ps.Add("attendance", CodeRequired)
	}
	if e.Past(now) {
		ps.Add("event", CodeEventPast)
	}
	return ps.Err()
}

// Place decides a new sign-up's status: confirmed while the event has
// seats left (confirmed counts those taken), else on the waiting list.
// Only those who come on site take a seat.
func Place(e Event, a Attendance, confirmedOnSite int) SignupStatus {
	if e.Capacity == 0 || a == Digital || confirmedOnSite < e.Capacity {
		return Confirmed
	}
	return Waiting
}

// DefaultRetentionDays is how long after an event its sign-ups are kept
// unless the association says otherwise.
const DefaultRetentionDays = 30

// PurgeBefore is the end time before which events' sign-ups are deleted:
// days after the event, the sign-ups go.
func PurgeBefore(now time.Time, days int) time.Time {
	return now.AddDate(0, 0, -days)
}
