package participant

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Record is a registration with the person it names (zero for an
// anonymous one).
type Record struct {
	association.Participant
	Person store.Person
}

// ByID reads a registration of the association with its person.
func ByID(ctx context.Context, q store.Querier, associationID, id int64) (Record, error) {
	p, err := store.ParticipantByID(ctx, q, associationID, id)
	if err != nil {
		return Record{}, err
	}
	pr := Record{Participant: p}
	if p.PersonID != 0 {
		if pr.Person, err = store.PersonByID(ctx, q, p.PersonID); err != nil {
			return pr, err
		}
	}
	return pr, nil
}

// Event is an audit event about a registration; for one that names a
// person it carries the person's key.
func Event(s *site.Site, r *http.Request, a *site.Actor, action string, id int64, person store.Person) audit.Event {
	e := a.Event(r, action, audit.OutcomeOK, "participant", strconv.FormatInt(id, 10))
	if person.Personnummer != "" {
		e.PersonKey = s.Audit.Keys().PersonKey(personnummer.Number(person.Personnummer))
	}
	return e
}

// Input is a registration in as the form or the API gives it.
type Input struct {
	// WithConsent: the person's written consent is recorded (Consent) and
	// the registration names them (Personnummer, Name). Without it the
	// registration is anonymous (Sex, AgeGroup).
	WithConsent  bool
	Consent      association.Consent
	Personnummer string // as written
	Name         string
	Sex          string
	AgeGroup     string
	Start        civil.Date
	Pending      bool   // a referral: no start yet
	Referral     string // where a pending registration came from
	Measure      *association.Measurement
	// Known: the person is known to finsam (a referral from case work):
	// the personnummer is the stored, normalised one and the name may be
	// missing.
	Known bool
	// Errors are problems found while reading the input (dates that do
	// not parse), reported together with the rest.
	Errors site.Problems
}

// Register registers a participant in an insats: with consent
// the person is found by personnummer or created (store.SavePerson), sex
// and age group come from the number; a person with a protected identity
// is refused (register anonymously). Personal data without consent is a
// field problem (site.Problems, an error). All in tx with the audit
// event.
func Register(ctx context.Context, tx *store.Tx, s *site.Site, r *http.Request, a *site.Actor, associationID int64, in association.Insats, input Input) (Record, error) {
	cl, _, err := store.AssociationCodeLists(ctx, tx, associationID)
	if err != nil {
		return Record{}, err
	}
	today := s.Today()
	errs := input.Errors
	p := association.Participant{InsatsID: in.ID, AssociationID: associationID, Sex: input.Sex, AgeGroup: input.AgeGroup,
		Start: input.Start, Status: association.Active, Referral: input.Referral}
	if input.Pending {
		p.Status = association.Pending
	}
	if input.Measure != nil {
		m := *input.Measure
		m.Phase = association.PhaseStart
		if m.On.IsZero() {
			m.On = input.Start
		}
		p.Measurements = []association.Measurement{m}
	}
	var number personnummer.Number
	name := strings.TrimSpace(input.Name)
	raw := strings.TrimSpace(input.Personnummer)
	if !input.WithConsent {
		if raw != "" || name != "" {
			errs = append(errs, Problem(association.CodePersonalNoConsent, "consent",
				"personal data may be registered only after the person's written consent is recorded; register anonymously instead",
				"personuppgifter får registreras först när personens skriftliga samtycke är registrerat; registrera anonymt i stället"))
		}
	} else {
		c := input.Consent
		p.Consent = &c
		p.PersonID = -1 // a person is named; the real id is set below
		n, err := personnummer.Parse(raw, s.Now())
		if input.Known && len(raw) == 12 {
			n, err = personnummer.Number(raw), nil
		}
		switch {
		case raw == "":
			errs = append(errs, Problem(association.CodeRequired, "personnummer", "give the personnummer", "ange personnummer"))
		case err != nil:
			errs = append(errs, Problem(CodeInvalidPersonnummer, "personnummer", err.Error(), "personnumret är inte giltigt (datum eller kontrollsiffra)"))
		default:
			number = n
			on := input.Start
			if on.IsZero() {
				on = today
			}
			p.Sex, p.AgeGroup = association.DeriveFromNumber(cl, n, on)
		}
		if name == "" && !input.Known {
			errs = append(errs, Problem(association.CodeRequired, "name", "give the name", "ange namn"))
		} else if len([]rune(name)) > association.MaxNameLen {
			errs = append(errs, Problem(association.CodeTooLong, "name", "the name is too long", "namnet är för långt"))
		}
	}
	if err := p.Validate(cl, today); err != nil {
		es, _ := Problems(err)
		for _, e := range es {
			// The derived fields are reported on the personnummer.
			if number == "" && input.WithConsent && (e.Field == "sex" || e.Field == "age_group") {
				continue
			}
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return Record{}, errs
	}
	var person store.Person
	if input.WithConsent {
		existing, err := store.PersonByNumber(ctx, tx, string(number))
		switch {
		case err == nil && existing.ProtectedIdentity:
			return Record{}, site.Problems{Problem(association.CodeProtectedIdentity, "personnummer",
				"a person with a protected identity is registered anonymously only",
				"en person med skyddade personuppgifter registreras endast anonymt")}
		case err == nil:
			person = existing
		case !errors.Is(err, store.ErrNotFound):
			return Record{}, err
		}
		person.Personnummer = string(number)
		if person.Name == "" {
			person.Name = name
		}
		if person.ID, err = store.SavePerson(ctx, tx, person, s.Now()); err != nil {
			return Record{}, err
		}
		p.PersonID = person.ID
	}
	p, err = store.RegisterParticipant(ctx, tx, p, cl, today, s.Now())
	if err != nil {
		return Record{}, err
	}
	ev := Event(s, r, a, "register_participant", p.ID, person)
	ev.Purpose = "insats=" + strconv.FormatInt(in.ID, 10)
	return Record{Participant: p, Person: person}, store.AppendAudit(ctx, tx, s.Audit.Keys(), ev)
}
