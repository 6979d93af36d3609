package web

// The writes of insatser and participants, shared by the pages and the
// API: each validates, writes and appends its audit event in one
// transaction, and returns association.Errors for input the person must
// fix (nothing written), store.ErrStale when someone saved first.

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// saveInsats creates (in.ID 0) or updates an insats of the association.
func (s *Server) saveInsats(r *http.Request, a *actor, ar assocRequest, in association.Insats) (association.Insats, error) {
	ctx := r.Context()
	in.AssociationID = ar.Org.ID
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		action := "update_insats"
		if in.ID == 0 {
			action = "create_insats"
			in, err = store.CreateInsats(ctx, tx, in, s.now())
		} else {
			in, err = store.UpdateInsats(ctx, tx, in, s.now())
		}
		if err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.audit.Keys(), insatsEvent(r, a, action, in.ID))
	})
	return in, err
}

// participantInput is a registration in as the form or the API gives it.
type participantInput struct {
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
	Errors association.Errors
}

// registerParticipant registers a participant in an insats: with consent
// the person is found by personnummer or created (store.SavePerson), sex
// and age group come from the number; a person with a protected identity
// is refused (register anonymously). Personal data without consent is a
// field error. All in one transaction with the audit event.
func (s *Server) registerParticipant(ctx context.Context, tx *store.Tx, r *http.Request, a *actor, associationID int64, in association.Insats, input participantInput) (participantRecord, error) {
	cl, _, err := store.AssociationCodeLists(ctx, tx, associationID)
	if err != nil {
		return participantRecord{}, err
	}
	today := civil.Of(swedishDate(s.now()))
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
			errs = append(errs, assocFieldError(association.CodePersonalNoConsent, "consent",
				"personal data may be registered only after the person's written consent is recorded; register anonymously instead",
				"personuppgifter får registreras först när personens skriftliga samtycke är registrerat; registrera anonymt i stället"))
		}
	} else {
		c := input.Consent
		p.Consent = &c
		p.PersonID = -1 // a person is named; the real id is set below
		n, err := personnummer.Parse(raw, s.now())
		if input.Known && len(raw) == 12 {
			n, err = personnummer.Number(raw), nil
		}
		switch {
		case raw == "":
			errs = append(errs, assocFieldError(association.CodeRequired, "personnummer", "give the personnummer", "ange personnummer"))
		case err != nil:
			errs = append(errs, assocFieldError(codeInvalidPersonnummer, "personnummer", err.Error(), "personnumret är inte giltigt (datum eller kontrollsiffra)"))
		default:
			number = n
			on := input.Start
			if on.IsZero() {
				on = today
			}
			p.Sex, p.AgeGroup = association.DeriveFromNumber(cl, n, on)
		}
		if name == "" && !input.Known {
			errs = append(errs, assocFieldError(association.CodeRequired, "name", "give the name", "ange namn"))
		} else if len([]rune(name)) > association.MaxNameLen {
			errs = append(errs, assocFieldError(association.CodeTooLong, "name", "the name is too long", "namnet är för långt"))
		}
	}
	if err := p.Validate(cl, today); err != nil {
		es, _ := fieldErrors(err)
		for _, e := range es {
			// The derived fields are reported on the personnummer.
			if number == "" && input.WithConsent && (e.Field == "sex" || e.Field == "age_group") {
				continue
			}
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return participantRecord{}, errs
	}
	var person store.Person
	if input.WithConsent {
		existing, err := store.PersonByNumber(ctx, tx, string(number))
		switch {
		case err == nil && existing.ProtectedIdentity:
			return participantRecord{}, association.Errors{assocFieldError(association.CodeProtectedIdentity, "personnummer",
				"a person with a protected identity is registered anonymously only",
				"en person med skyddade personuppgifter registreras endast anonymt")}
		case err == nil:
			person = existing
		case !errors.Is(err, store.ErrNotFound):
			return participantRecord{}, err
		}
		person.Personnummer = string(number)
		if person.Name == "" {
			person.Name = name
		}
		if person.ID, err = store.SavePerson(ctx, tx, person, s.now()); err != nil {
			return participantRecord{}, err
		}
		p.PersonID = person.ID
	}
	p, err = store.RegisterParticipant(ctx, tx, p, cl, today, s.now())
	if err != nil {
		return participantRecord{}, err
	}
	ev := s.participantEvent(r, a, "register_participant", p.ID, person)
	ev.Purpose = "insats=" + itoa(in.ID)
	return participantRecord{Participant: p, Person: person}, store.AppendAudit(ctx, tx, s.audit.Keys(), ev)
}

// registerIn runs registerParticipant in its own transaction.
func (s *Server) registerIn(r *http.Request, a *actor, ar assocRequest, in association.Insats, input participantInput) (participantRecord, error) {
	var pr participantRecord
	err := s.store.Tx(r.Context(), func(tx *store.Tx) error {
		var err error
		pr, err = s.registerParticipant(r.Context(), tx, r, a, ar.Org.ID, in, input)
		return err
	})
	return pr, err
}

// changeParticipant applies change to the registration as read at version
// and saves it with its audit event (action). change returns the problems
// it finds in its input; the model's validation adds the rest.
func (s *Server) changeParticipant(r *http.Request, a *actor, ar assocRequest, pr participantRecord, version int, action string,
	change func(p *association.Participant) association.Errors) (association.Participant, error) {
	ctx := r.Context()
	p := pr.Participant
	p.Version = version
	p.Measurements = append([]association.Measurement(nil), p.Measurements...)
	errs := change(&p)
	cl, err := s.codeLists(ctx, ar.Org.ID)
	if err != nil {
		return p, err
	}
	if err := p.Validate(cl, ar.Today); err != nil {
		es, _ := fieldErrors(err)
		errs = append(errs, es...)
	}
	if len(errs) > 0 {
		return p, errs
	}
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = store.UpdateParticipant(ctx, tx, p, cl, ar.Today, s.now()); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.audit.Keys(), s.participantEvent(r, a, action, p.ID, pr.Person))
	})
	return p, err
}

// setMeasurement puts m in place of the measurement of its phase.
func setMeasurement(p *association.Participant, m association.Measurement) {
	for i := range p.Measurements {
		if p.Measurements[i].Phase == m.Phase {
			p.Measurements[i] = m
			return
		}
	}
	p.Measurements = append(p.Measurements, m)
}

// endInput is a registration out.
type endInput struct {
	End     civil.Date
	Reason  string
	Measure association.Measurement
}

func endChange(in endInput, pre association.Errors) func(p *association.Participant) association.Errors {
	return func(p *association.Participant) association.Errors {
		errs := pre
		if p.Status != association.Active {
			errs = append(errs, assocFieldError(association.CodeInvalidStatus, "status", "only an ongoing registration can be registered out",
				"endast en pågående registrering kan registreras ut"))
			return errs
		}
		if in.End.IsZero() && len(pre) == 0 {
			errs = append(errs, assocFieldError(association.CodeEndRequired, "end", "give the end date", "ange slutdatum"))
		}
		p.Status, p.End, p.EndReason = association.Ended, in.End, in.Reason
		if m := in.Measure; measured(m) {
			m.Phase, m.On = association.PhaseEnd, in.End
			setMeasurement(p, m)
		}
		return errs
	}
}

// startInput starts a pending registration.
type startInput struct {
	Start   civil.Date
	Measure association.Measurement
}

func startChange(in startInput, pre association.Errors) func(p *association.Participant) association.Errors {
	return func(p *association.Participant) association.Errors {
		errs := pre
		if p.Status != association.Pending {
			return append(errs, assocFieldError(association.CodeInvalidStatus, "status", "only a pending registration can be started",
				"endast en väntande registrering kan startas"))
		}
		p.Status, p.Start = association.Active, in.Start
		if m := in.Measure; measured(m) {
			m.Phase, m.On = association.PhaseStart, in.Start
			setMeasurement(p, m)
		}
		return errs
	}
}

func followUpChange(m association.Measurement, pre association.Errors) func(p *association.Participant) association.Errors {
	return func(p *association.Participant) association.Errors {
		errs := pre
		if m.Phase != association.Phase6m && m.Phase != association.Phase12m {
			errs = append(errs, assocFieldError(association.CodeUnknownCode, "phase", "choose the 6 or 12 month follow-up", "välj uppföljning efter 6 eller 12 månader"))
			return errs
		}
		setMeasurement(p, m)
		return errs
	}
}

// declineParticipant removes a pending registration, audited.
func (s *Server) declineParticipant(r *http.Request, a *actor, ar assocRequest, pr participantRecord, version int) error {
	ctx := r.Context()
	return s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.DeletePendingParticipant(ctx, tx, ar.Org.ID, pr.ID, version); err != nil {
			return err
		}
		ev := s.participantEvent(r, a, "decline_participant", pr.ID, pr.Person)
		ev.Purpose = "insats=" + itoa(pr.InsatsID)
		return store.AppendAudit(ctx, tx, s.audit.Keys(), ev)
	})
}
