package association

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/finsam/civil"
)

// ParticipantStatus is where a registration stands.
type ParticipantStatus string

// The statuses.
const (
	// Pending: referred (e.g. from case work) or planned, not yet started.
	Pending ParticipantStatus = "pending"
	// Active: registered in (inregistrerad), started.
	Active ParticipantStatus = "active"
	// Ended: registered out (utregistrerad) with an end date and reason.
	Ended ParticipantStatus = "ended"
)

// Consent is the participant's written consent to the registration of
// personal data, as the former SUS form 9443 recorded it: who recorded it,
// when, what it covers and where the signed document is.
type Consent struct {
	RecordedBy     int64  // the user who recorded it (0 when only the name is known)
	RecordedByName string // kept when the user is gone
	On             civil.Date
	Covers         string // what the person consented to
	DocumentRef    string // e.g. "FK 9443, diarienr 2025-123"
}

// Phase is when a measurement was taken.
type Phase string

// The phases: at the start, at the end, and the optional follow-ups 6 and
// 12 months after the end.
const (
	PhaseStart Phase = "start"
	PhaseEnd   Phase = "end"
	Phase6m    Phase = "6m"
	Phase12m   Phase = "12m"
)

// Phases lists the phases in order.
var Phases = []Phase{PhaseStart, PhaseEnd, Phase6m, Phase12m}

func (p Phase) followUp() bool { return p == Phase6m || p == Phase12m }

// IncomeShare is one income source with its extent in per cent of full time
// (100 % = 40 hours a week, as SUS defined it).
type IncomeShare struct {
	Source string // code of ListIncomeSource
	Extent int    // 1–100
}

// Measurement is the participant's situation at one phase: income sources
// (several may apply), occupation and education level.
type Measurement struct {
	Phase         Phase
	On            civil.Date // when it was recorded or refers to; required for follow-ups
	IncomeSources []IncomeShare
	Occupation    string // code of ListOccupation, "" when not known
	Education     string // code of ListEducation, "" when not known
	// NotReached marks a follow-up where the person could not be reached:
	// it counts as attempted, with no data.
	NotReached bool
}

// Participant is one registration of a person in one insats. With consent
// it may point to the person (PersonID); without consent, or when the
// person has a protected identity, it is anonymous: sex, age group and the
// dates, nothing that identifies anyone.
type Participant struct {
	ID            int64
	InsatsID      int64
	AssociationID int64
	PersonID      int64 // 0: anonymous
	// ProtectedIdentity is set when the person has skyddade
	// personuppgifter: such a person is registered anonymously only.
	ProtectedIdentity bool
	Consent           *Consent // nil: no consent recorded
	Sex               string   // code of ListSex
	AgeGroup          string   // code of ListAgeGroup, the age at the start
	Start, End        civil.Date
	Status            ParticipantStatus
	EndReason         string // code of ListEndReason, when ended
	// Referral says where a pending registration came from, e.g. "case:123"
	// for a referral from case work. It holds no personal data.
	Referral     string
	Measurements []Measurement
	Version      int // for optimistic locking; set by the store
}

// Anonymous reports whether the registration identifies no one.
func (p *Participant) Anonymous() bool { return p.PersonID == 0 }

// Measure returns the measurement of a phase, or nil.
func (p *Participant) Measure(ph Phase) *Measurement {
	for i := range p.Measurements {
		if p.Measurements[i].Phase == ph {
			return &p.Measurements[i]
		}
	}
	return nil
}

// Days is the time in the insats in days, counting both the first and the
// last day: until End when ended, else until today (0 before the start or
// without one).
func (p *Participant) Days(today civil.Date) int {
	if p.Start.IsZero() {
		return 0
	}
	end := p.End
	if end.IsZero() {
		end = today
	}
	if end.Before(p.Start) {
		return 0
	}
	return end.Sub(p.Start) + 1
}

// Overlaps reports whether two registrations' periods share a day. A
// missing start means "from the beginning" and a missing end "until further
// notice", so a pending registration without dates overlaps every other.
func Overlaps(aStart, aEnd, bStart, bEnd civil.Date) bool {
	lo := func(d civil.Date) int32 {
		if d.IsZero() {
			return -1 << 31
		}
		return d.Days()
	}
	hi := func(d civil.Date) int32 {
		if d.IsZero() {
			return 1<<31 - 1
		}
		return d.Days()
	}
	return lo(aStart) <= hi(bEnd) && lo(bStart) <= hi(aEnd)
}

// Validate checks the registration against the code lists and reports every
// problem at once (an Errors). today is the date of the registration: a
// consent cannot be dated after it. Above all it refuses personal data
// without a recorded consent, and personal data for a person with a
// protected identity.
func (p *Participant) Validate(cl *CodeLists, today civil.Date) error {
	var errs Errors
	if p.PersonID != 0 && p.Consent == nil {
		errs.add(CodePersonalNoConsent, "consent",
			"personal data may be registered only after the person's written consent is recorded; register anonymously instead",
			"personuppgifter får registreras först när personens skriftliga samtycke är registrerat; registrera anonymt i stället")
	}
	if p.PersonID != 0 && p.ProtectedIdentity {
		errs.add(CodeProtectedIdentity, "person",
			"a person with a protected identity is registered anonymously only",
			"en person med skyddade personuppgifter registreras endast anonymt")
	}
	if c := p.Consent; c != nil {
		if c.RecordedBy == 0 && strings.TrimSpace(c.RecordedByName) == "" {
			errs.add(CodeRequired, "consent.recorded_by", "say who recorded the consent", "ange vem som registrerade samtycket")
		}
		if c.On.IsZero() {
			errs.add(CodeRequired, "consent.on", "the consent needs a date", "samtycket behöver ett datum")
		} else if !today.IsZero() && c.On.After(today) {
			errs.add(CodeFutureDate, "consent.on", "the consent is dated in the future", "samtycket är daterat i framtiden")
		}
		if strings.TrimSpace(c.Covers) == "" {
			errs.add(CodeRequired, "consent.covers", "say what the consent covers", "ange vad samtycket omfattar")
		}
		if strings.TrimSpace(c.DocumentRef) == "" {
			errs.add(CodeRequired, "consent.document", "give the reference of the signed consent form", "ange referens till den undertecknade samtyckesblanketten")
		}
		if utf8.RuneCountInString(c.Covers) > MaxTextLen || utf8.RuneCountInString(c.DocumentRef) > MaxNameLen {
			errs.add(CodeTooLong, "consent", "the consent text is too long", "samtyckestexten är för lång")
		}
	}
	if !cl.Has(ListSex, p.Sex) {
		errs.add(CodeUnknownCode, "sex", "choose the participant's sex", "välj deltagarens kön")
	}
	if !cl.Has(ListAgeGroup, p.AgeGroup) {
		errs.add(CodeUnknownCode, "age_group", "choose the participant's age group", "välj deltagarens åldersgrupp")
	}
	switch p.Status {
	case Pending:
		if !p.End.IsZero() || p.EndReason != "" {
			errs.add(CodeEndNotAllowed, "end", "a pending registration has no end", "en väntande registrering har inget slut")
		}
	case Active:
		if p.Start.IsZero() {
			errs.add(CodeStartRequired, "start", "give the start date", "ange startdatum")
		}
		if !p.End.IsZero() || p.EndReason != "" {
			errs.add(CodeEndNotAllowed, "end", "an ongoing registration has no end; register the participant out instead", "en pågående registrering har inget slut; registrera ut deltagaren i stället")
		}
	case Ended:
		if p.Start.IsZero() {
			errs.add(CodeStartRequired, "start", "give the start date", "ange startdatum")
		}
		if p.End.IsZero() {
			errs.add(CodeEndRequired, "end", "give the end date", "ange slutdatum")
		}
		if p.EndReason == "" {
			errs.add(CodeEndReasonRequired, "end_reason", "give the reason for ending", "ange avslutsanledning")
		} else if !cl.Has(ListEndReason, p.EndReason) {
			errs.add(CodeUnknownCode, "end_reason", "unknown reason for ending", "okänd avslutsanledning")
		}
	default:
		errs.add(CodeInvalidStatus, "status", "unknown status", "okänd status")
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		errs.add(CodeEndBeforeStart, "end", "the end date is before the start date", "slutdatumet är före startdatumet")
	}
	if utf8.RuneCountInString(p.Referral) > MaxNameLen {
		errs.add(CodeTooLong, "referral", "the referral is too long", "remissuppgiften är för lång")
	}
	seen := map[Phase]bool{}
	for i := range p.Measurements {
		errs = append(errs, p.validateMeasurement(cl, i, seen)...)
	}
	return errs.err()
}

func (p *Participant) validateMeasurement(cl *CodeLists, i int, seen map[Phase]bool) Errors {
	var errs Errors
	m := &p.Measurements[i]
	f := "measurements[" + strconv.Itoa(i) + "]"
	switch {
	case m.Phase != PhaseStart && m.Phase != PhaseEnd && !m.Phase.followUp():
		errs.add(CodeUnknownCode, f+".phase", "unknown phase", "okänd mättidpunkt")
		return errs
	case seen[m.Phase]:
		errs.add(CodeDuplicate, f+".phase", "the phase is measured twice", "mättidpunkten finns två gånger")
	case m.Phase != PhaseStart && p.Status != Ended:
		errs.add(CodeEndNotAllowed, f+".phase", "measurements at and after the end need an ended registration", "mätning vid och efter avslut kräver en avslutad registrering")
	case m.Phase.followUp() && m.On.IsZero():
		errs.add(CodeRequired, f+".on", "a follow-up needs a date", "en uppföljning behöver ett datum")
	case m.Phase.followUp() && !p.End.IsZero() && m.On.Before(p.End):
		errs.add(CodeFollowUpBeforeEnd, f+".on", "a follow-up cannot be before the end", "en uppföljning kan inte vara före avslutet")
	}
	seen[m.Phase] = true
	if m.NotReached && (len(m.IncomeSources) > 0 || m.Occupation != "" || m.Education != "") {
		errs.add(CodeInvalidFollowUp, f, "a follow-up without contact has no data", "en uppföljning utan kontakt har inga uppgifter")
	}
	if m.Occupation != "" && !cl.Has(ListOccupation, m.Occupation) {
		errs.add(CodeUnknownCode, f+".occupation", "unknown occupation", "okänd sysselsättning")
	}
	if m.Education != "" && !cl.Has(ListEducation, m.Education) {
		errs.add(CodeUnknownCode, f+".education", "unknown education level", "okänd utbildningsnivå")
	}
	sources := map[string]bool{}
	exclusive := false
	for j, s := range m.IncomeSources {
		g := f + ".income_sources[" + strconv.Itoa(j) + "]"
		c, ok := cl.List(ListIncomeSource).Lookup(s.Source)
		switch {
		case !ok:
			errs.add(CodeUnknownCode, g+".source", "unknown income source", "okänd försörjningskälla")
		case sources[s.Source]:
			errs.add(CodeDuplicate, g+".source", "the income source is given twice", "försörjningskällan finns två gånger")
		}
		exclusive = exclusive || c.Has(FlagExclusive)
		sources[s.Source] = true
		if s.Extent < 1 || s.Extent > 100 {
			errs.add(CodeInvalidExtent, g+".extent", "the extent must be 1–100 %", "omfattningen måste vara 1–100 %")
		}
	}
	if exclusive && len(m.IncomeSources) > 1 {
		errs.add(CodeNoneWithOthers, f+".income_sources", "“none” cannot be combined with another income source", "”ingen” kan inte kombineras med en annan försörjningskälla")
	}
	return errs
}
