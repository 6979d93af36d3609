package forbund

// The writes of insatser and participants, shared by the pages and the
// API: each validates, writes and appends its audit event in one
// transaction, and returns site.Problems for input the person must
// fix (nothing written), store.ErrStale when someone saved first.

import (
	"net/http"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
)

func (h *Handlers) saveInsats(r *http.Request, a *site.Actor, ar assocRequest, in association.Insats) (association.Insats, error) {
	ctx := r.Context()
	in.AssociationID = ar.Org.ID
	err := h.Store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		action := "update_insats"
		if in.ID == 0 {
			action = "create_insats"
			in, err = store.CreateInsats(ctx, tx, in, h.Now())
		} else {
			in, err = store.UpdateInsats(ctx, tx, in, h.Now())
		}
		if err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), insatsEvent(r, a, action, in.ID))
	})
	return in, err
}

// registerIn runs participant.Register in its own transaction.
func (h *Handlers) registerIn(r *http.Request, a *site.Actor, ar assocRequest, in association.Insats, input participant.Input) (participant.Record, error) {
	var pr participant.Record
	err := h.Store.Tx(r.Context(), func(tx *store.Tx) error {
		var err error
		pr, err = participant.Register(r.Context(), tx, h.Site, r, a, ar.Org.ID, in, input)
		return err
	})
	return pr, err
}

// changedParticipant is the registration as read at version with change
// applied and checked, not saved: its problems are the error, with the
// model's validation's after change's own.
func (h *Handlers) changedParticipant(r *http.Request, ar assocRequest, pr participant.Record, version int,
	change func(p *association.Participant) site.Problems) (association.Participant, *association.CodeLists, error) {
	p := pr.Participant
	p.Version = version
	p.Measurements = append([]association.Measurement(nil), p.Measurements...)
	errs := change(&p)
	cl, err := h.codeLists(r.Context(), ar.Org.ID)
	if err != nil {
		return p, cl, err
	}
	if err := p.Validate(cl, ar.Today); err != nil {
		es, _ := participant.Problems(err)
		errs = append(errs, es...)
	}
	if len(errs) > 0 {
		return p, cl, errs
	}
	return p, cl, nil
}

// changeParticipant applies change to the registration as read at version
// and saves it with its audit event (action). change returns the problems
// it finds in its input; the model's validation adds the rest.
func (h *Handlers) changeParticipant(r *http.Request, a *site.Actor, ar assocRequest, pr participant.Record, version int, action string,
	change func(p *association.Participant) site.Problems) (association.Participant, error) {
	ctx := r.Context()
	p, cl, err := h.changedParticipant(r, ar, pr, version, change)
	if err != nil {
		return p, err
	}
	err = h.Store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = store.UpdateParticipant(ctx, tx, p, cl, ar.Today, h.Now()); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), participant.Event(h.Site, r, a, action, p.ID, pr.Person))
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

func endChange(in endInput, pre site.Problems) func(p *association.Participant) site.Problems {
	return func(p *association.Participant) site.Problems {
		errs := pre
		if p.Status != association.Active {
			errs = append(errs, participant.Problem(association.CodeInvalidStatus, "status", "only an ongoing registration can be registered out",
				"endast en pågående registrering kan registreras ut"))
			return errs
		}
		if in.End.IsZero() && len(pre) == 0 {
			errs = append(errs, participant.Problem(association.CodeEndRequired, "end", "give the end date", "ange slutdatum"))
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

func startChange(in startInput, pre site.Problems) func(p *association.Participant) site.Problems {
	return func(p *association.Participant) site.Problems {
		errs := pre
		if p.Status != association.Pending {
			return append(errs, participant.Problem(association.CodeInvalidStatus, "status", "only a pending registration can be started",
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

func followUpChange(m association.Measurement, pre site.Problems) func(p *association.Participant) site.Problems {
	return func(p *association.Participant) site.Problems {
		errs := pre
		if m.Phase != association.Phase6m && m.Phase != association.Phase12m {
			errs = append(errs, participant.Problem(association.CodeUnknownCode, "phase", "choose the 6 or 12 month follow-up", "välj uppföljning efter 6 eller 12 månader"))
			return errs
		}
		setMeasurement(p, m)
		return errs
	}
}

// declineParticipant removes a pending registration, audited.
func (h *Handlers) declineParticipant(r *http.Request, a *site.Actor, ar assocRequest, pr participant.Record, version int) error {
	ctx := r.Context()
	return h.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.DeletePendingParticipant(ctx, tx, ar.Org.ID, pr.ID, version); err != nil {
			return err
		}
		ev := participant.Event(h.Site, r, a, "decline_participant", pr.ID, pr.Person)
		ev.Purpose = "insats=" + itoa(pr.InsatsID)
		return store.AppendAudit(ctx, tx, h.Audit.Keys(), ev)
	})
}
