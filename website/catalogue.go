package website

import (
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"
)

// Situation is the situation an insats in the catalogue is meant for, one
// of the target-group filters.
type Situation string

// The situations, in the order the filter lists them.
const (
	SituationSickLeave     Situation = "sick-leave"
	SituationUnemployed    Situation = "unemployed"
	SituationIncomeSupport Situation = "income-support"
	SituationYoung         Situation = "young"
	SituationNewlyArrived  Situation = "newly-arrived"
	SituationMentalHealth  Situation = "mental-health"
	SituationDisability    Situation = "disability"
	SituationStaff         Situation = "staff"
)

// Situations lists the situations in display order.
var Situations = []Situation{SituationSickLeave, SituationUnemployed, SituationIncomeSupport, SituationYoung,
	SituationNewlyArrived, SituationMentalHealth, SituationDisability, SituationStaff}

// Valid reports whether s is one of Situations.
func (s Situation) Valid() bool {
	return slices.Contains(Situations, s)
}

// EntryRoute is how a person comes to an insats.
type EntryRoute string

// The entry routes.
const (
	EntrySelf     EntryRoute = "self"     // the person may apply themselves
	EntryReferral EntryRoute = "referral" // a case worker refers the person
	EntryBoth     EntryRoute = "both"     // either way
)

// EntryRoutes lists the routes in display order.
var EntryRoutes = []EntryRoute{EntrySelf, EntryReferral, EntryBoth}

// Valid reports whether e is one of EntryRoutes.
func (e EntryRoute) Valid() bool { return e == EntrySelf || e == EntryReferral || e == EntryBoth }

// Admits reports whether a filter on route f shows an insats with route e:
// an insats open both ways is shown under either.
func (e EntryRoute) Admits(f EntryRoute) bool { return f == "" || e == f || e == EntryBoth }

// Entry is what the catalogue shows of an insats beside what the
// association keeps of it anyway (name, description, parties, period,
// status): where, for whom, how to get there, at what cost, how
// accessible, whom to ask.
type Entry struct {
	InsatsID         int64
	MunicipalityCode string // a municipality of the association's area; "" for all of it
	Place            string
	Situation        Situation
	AgeMin, AgeMax   int // 0: no bound
	EntryRoute       EntryRoute
	// Contents is what the participants do, in plain words (Markdown).
	Contents string
	// FreePlaces is how many can start now; -1 when not told.
	FreePlaces int
	// WaitingWeeks is the usual wait in weeks before a start; -1 when not
	// told.
	WaitingWeeks  int
	Cost          string
	Accessibility string
	ContactName   string
	ContactPhone  string
	ContactEmail  string
}

// Field limits of the catalogue and the forms.
const (
	MaxShort = 200
	MaxLong  = 10000
)

// NewEntry is an entry with nothing told yet.
func NewEntry(insatsID int64) Entry {
	return Entry{InsatsID: insatsID, FreePlaces: -1, WaitingWeeks: -1, EntryRoute: EntryReferral}
}

// Validate checks the entry; area is the association's municipalities.
func (e *Entry) Validate(area []string) error {
	var ps Problems
	trim(&e.Place, &e.Contents, &e.Cost, &e.Accessibility, &e.ContactName, &e.ContactPhone, &e.ContactEmail)
	if e.MunicipalityCode != "" && !contains(area, e.MunicipalityCode) {
		ps.Add("municipality", CodeUnknown)
	}
	if e.Situation != "" && !e.Situation.Valid() {
		ps.Add("situation", CodeUnknown)
	}
	if !e.EntryRoute.Valid() {
		ps.Add("entry_route", CodeUnknown)
	}
	if e.AgeMin < 0 || e.AgeMin > 120 {
		ps.Add("age_min", CodeInvalid)
	}
	if e.AgeMax < 0 || e.AgeMax > 120 {
		ps.Add("age_max", CodeInvalid)
	}
	if e.AgeMin > 0 && e.AgeMax > 0 && e.AgeMax < e.AgeMin {
		ps.Add("age_max", CodeOrder)
	}
	if e.FreePlaces < -1 || e.FreePlaces > 10000 {
		ps.Add("free_places", CodeInvalid)
	}
	if e.WaitingWeeks < -1 || e.WaitingWeeks > 520 {
		ps.Add("waiting_weeks", CodeInvalid)
	}
	maxLength(&ps, "place", e.Place, MaxShort)
	maxLength(&ps, "cost", e.Cost, MaxShort)
	maxLength(&ps, "contact_name", e.ContactName, MaxShort)
	maxLength(&ps, "contact_phone", e.ContactPhone, MaxShort)
	maxLength(&ps, "contact_email", e.ContactEmail, MaxShort)
	maxLength(&ps, "contents", e.Contents, MaxLong)
	maxLength(&ps, "accessibility", e.Accessibility, MaxLong)
	if e.ContactEmail != "" && !validEmail(e.ContactEmail) {
		ps.Add("contact_email", CodeEmail)
	}
	return ps.Err()
}

// Interest is a visitor's interest in an insats, sent from its page: who,
// how to reach them and where they live, nothing more (the form asks for no
// health data). It becomes a pending registration the association's staff
// follow up.
type Interest struct {
	ID               int64
	InsatsID         int64
	Name             string
	Reach            string // a telephone number or an e-mail address
	MunicipalityCode string
}

// Validate checks an interest; area is the association's municipalities.
func (in *Interest) Validate(area []string) error {
	var ps Problems
	trim(&in.Name, &in.Reach, &in.MunicipalityCode)
	required(&ps, "name", in.Name, MaxShort)
	required(&ps, "reach", in.Reach, MaxShort)
	if in.MunicipalityCode == "" {
		ps.Add("municipality", CodeRequired)
	} else if !contains(area, in.MunicipalityCode) {
		ps.Add("municipality", CodeUnknown)
	}
	return ps.Err()
}

func required(ps *Problems, field, v string, limit int) {
	switch {
	case v == "":
		ps.Add(field, CodeRequired)
	case utf8.RuneCountInString(v) > limit:
		ps.Add(field, CodeTooLong)
	case strings.ContainsAny(v, "\x00"):
		ps.Add(field, CodeInvalid)
	}
}

// maxLength records CodeTooLong for field when v has more than limit
// characters.
func maxLength(ps *Problems, field, v string, limit int) {
	if utf8.RuneCountInString(v) > limit {
		ps.Add(field, CodeTooLong)
	}
}

func trim(fields ...*string) {
	for _, f := range fields {
		*f = strings.TrimSpace(*f)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validEmail accepts a plain address (no display name) with a dot in its
// domain.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && len(s) <= 254
}
