package cases

// Referral from case work to a coordination association: an FK case worker
// with write access to the case picks an association whose area covers the
// person's municipality (or any association FK is a member of) and one of
// its ongoing insatser that follows participants individually, records the
// person's written consent and sends the person as a pending registration,
// which the association's staff then start or decline (web/forbund's insats
// page). The case gets a note and a new version; both sides are audited in
// the same transaction.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
)

// referralTarget is an insats a person can be referred to.
type referralTarget struct {
	Org    organisation.Organisation
	Insats association.Insats
}

// referralTargets lists the ongoing, individually followed insatser of the
// associations that cover the municipality or have FK as a member.
func (s *Handlers) referralTargets(ctx context.Context, fkID int64, municipality string) ([]referralTarget, error) {
	assocs, err := store.Organisations(ctx, s.Store, organisation.Association)
	if err != nil {
		return nil, err
	}
	var out []referralTarget
	for _, org := range assocs {
		ms, err := store.AssociationMembers(ctx, s.Store, org.ID)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(ms, func(m organisation.Organisation) bool {
			return m.ID == fkID || (municipality != "" && m.Type == organisation.Municipality && m.Code == municipality)
		}) {
			continue
		}
		list, err := store.Insatser(ctx, s.Store, store.InsatsQuery{AssociationID: org.ID, Status: association.InsatsOngoing})
		if err != nil {
			return nil, err
		}
		for _, in := range list {
			if in.FollowUp == association.FollowUpIndividual {
				out = append(out, referralTarget{Org: org, Insats: in})
			}
		}
	}
	return out, nil
}

type referralData struct {
	CaseID  int64
	Form    participant.Form
	Targets []site.ChoiceGroup
	Notice  string
}

func (s *Handlers) renderReferral(w http.ResponseWriter, r *http.Request, a *site.Actor, c store.Case, fk organisation.Organisation, status int, values url.Values, errs site.Problems, notice string) error {
	lang := site.Language(w, r)
	targets, err := s.referralTargets(r.Context(), fk.ID, c.MunicipalityCode)
	if err != nil {
		return site.Unavailable("referral targets", err)
	}
	if values == nil {
		values = url.Values{"version": {strconv.Itoa(c.Version)}, "consent_on": {s.Today().String()}}
	}
	// The page names no one (the case page does, after its purpose check):
	// it shows the case number only, so it needs no read audit.
	d := referralData{CaseID: c.ID, Form: participant.NewForm(feature.Words, lang, "ref", values, errs), Notice: notice}
	cur := values.Get("insats")
	for _, t := range targets {
		if len(d.Targets) == 0 || d.Targets[len(d.Targets)-1].Label != t.Org.Name {
			d.Targets = append(d.Targets, site.ChoiceGroup{Label: t.Org.Name})
		}
		g := &d.Targets[len(d.Targets)-1]
		v := itoa(t.Org.ID) + ":" + itoa(t.Insats.ID)
		g.Options = append(g.Options, site.Choice{Value: v, Label: t.Insats.Name, Selected: v == cur})
	}
	s.Render(w, r, status, "case_referral", site.Page{Lang: lang, Title: translate(lang, "assoc.ins.ref.title"), Actor: a, Data: d})
	return nil
}

// ReferralPage is GET /arenden/{id}/hanvisning: the referral form.
func (s *Handlers) ReferralPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	c, fk, err := s.LoadCase(w, r, a, policy.WritePerson)
	if err != nil {
		return err
	}
	return s.renderReferral(w, r, a, c, fk, http.StatusOK, nil, nil, "")
}

// Refer is POST /arenden/{id}/hanvisning.
func (s *Handlers) Refer(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	c, fk, err := s.LoadCase(w, r, a, policy.WritePerson)
	if err != nil {
		return err
	}
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	// Referring a case not assigned to one says why, as every form of the
	// case does.
	purpose, asked, err := s.PurposeOrAsk(w, r, a, c)
	if asked || err != nil {
		return err
	}
	f := r.PostForm
	version, err := strconv.Atoi(f.Get("version"))
	if err != nil || version < 1 {
		return site.BadRequest()
	}
	var errs site.Problems
	targets, err := s.referralTargets(r.Context(), fk.ID, c.MunicipalityCode)
	if err != nil {
		return site.Unavailable("referral targets", err)
	}
	var target *referralTarget
	for i, t := range targets {
		if itoa(t.Org.ID)+":"+itoa(t.Insats.ID) == f.Get("insats") {
			target = &targets[i]
		}
	}
	if target == nil {
		errs = append(errs, participant.Problem(association.CodeWrongInsats, "insats", "choose an ongoing insats of an association that covers the person",
			"välj en pågående insats hos ett förbund som omfattar personen"))
	}
	input := participant.Input{Pending: true, Referral: "FK ärende " + itoa(c.ID), Known: true}
	on := participant.ParseDate(&errs, "consent.on", strings.TrimSpace(f.Get("consent_on")))
	input.Errors = errs
	if target == nil {
		return s.renderReferral(w, r, a, c, fk, http.StatusUnprocessableEntity, f, errs, "")
	}
	ctx := r.Context()
	if c.ProtectedIdentity {
		// Skyddade personuppgifter: the association gets an anonymous
		// registration (sex and age group by its own code lists); the
		// referral text lets it ask FK.
		cl, _, err := store.AssociationCodeLists(ctx, s.Store, target.Org.ID)
		if err != nil {
			return site.Unavailable("referral code lists", err)
		}
		input.Sex, input.AgeGroup = association.DeriveFromNumber(cl, personnummer.Number(c.Personnummer), s.Today())
	} else {
		input.WithConsent = true
		input.Personnummer, input.Name = c.Personnummer, c.PersonName
		input.Consent = association.Consent{RecordedBy: a.UserID, RecordedByName: a.User.Name + " (Försäkringskassan)", On: on,
			Covers: f.Get("consent_covers"), DocumentRef: f.Get("consent_document")}
	}
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		note := store.CaseNote{Kind: store.NoteNote, Body: fmt.Sprintf("Hänvisad till %s, insats %q (väntande registrering).", target.Org.Name, target.Insats.Name)}
		if _, err := store.AddCaseNote(ctx, tx, c.ID, version, note, a.UserID, s.Now()); err != nil {
			return err
		}
		pr, err := participant.Register(ctx, tx, s.Site, r, a, target.Org.ID, target.Insats, input)
		if err != nil {
			return err
		}
		ev := s.CaseEvent(r, a, "refer_to_association", c)
		ev.Purpose = "association=" + target.Org.Slug + " participant=" + itoa(pr.ID) + purpose
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), ev)
	})
	if es, isField := participant.Problems(err); isField {
		return s.renderReferral(w, r, a, c, fk, http.StatusUnprocessableEntity, f, es, "")
	}
	if errors.Is(err, store.ErrStale) {
		return s.renderReferral(w, r, a, c, fk, http.StatusConflict, f, nil, translate(site.Language(w, r), "case.stale"))
	}
	if err != nil {
		return site.Unavailable("referral", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/arenden/%d#hanvisning", c.ID), http.StatusSeeOther)
	return nil
}
