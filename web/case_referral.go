package web

// Referral from case work to a coordination association (issue 8 item 5):
// an FK case worker with write access to the case picks an association
// whose area covers the person's municipality (or any association FK is a
// member of) and one of its ongoing insatser that follows participants
// individually, records the person's written consent and sends the
// person as a pending registration, which the association's staff then
// start or decline (insats page). The case gets a note and a new version;
// both sides are audited in the same transaction.

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

func init() {
	pagePartials["case_referral.html"] = append(pagePartials["case_referral.html"], "case_fields.html", "participant_fields.html")
}

// referralTarget is an insats a person can be referred to.
type referralTarget struct {
	Org    organisation.Organisation
	Insats association.Insats
}

// referralTargets lists the ongoing, individually followed insatser of the
// associations that cover the municipality or have FK as a member.
func (s *Server) referralTargets(ctx context.Context, fkID int64, municipality string) ([]referralTarget, error) {
	assocs, err := store.Organisations(ctx, s.store, organisation.Association)
	if err != nil {
		return nil, err
	}
	var out []referralTarget
	for _, org := range assocs {
		ms, err := store.AssociationMembers(ctx, s.store, org.ID)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(ms, func(m organisation.Organisation) bool {
			return m.ID == fkID || (municipality != "" && m.Type == organisation.Municipality && m.Code == municipality)
		}) {
			continue
		}
		list, err := store.Insatser(ctx, s.store, store.InsatsQuery{AssociationID: org.ID, Status: association.InsatsOngoing})
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
	Targets []choiceGroup
	Notice  string
}

func (s *Server) renderReferral(w http.ResponseWriter, r *http.Request, a *actor, c store.Case, fk organisation.Organisation, status int, values url.Values, errs site.Problems, notice string) {
	lang := language(w, r)
	targets, err := s.referralTargets(r.Context(), fk.ID, c.MunicipalityCode)
	if err != nil {
		s.unavailable(w, r, "referral targets", err)
		return
	}
	if values == nil {
		values = url.Values{"version": {strconv.Itoa(c.Version)}, "consent_on": {s.caseToday().String()}}
	}
	// The page names no one (the case page does, after its purpose check):
	// it shows the case number only, so it needs no read audit.
	d := referralData{CaseID: c.ID, Form: participant.NewForm(messages, lang, "ref", values, errs), Notice: notice}
	cur := values.Get("insats")
	for _, t := range targets {
		if len(d.Targets) == 0 || d.Targets[len(d.Targets)-1].Label != t.Org.Name {
			d.Targets = append(d.Targets, choiceGroup{Label: t.Org.Name})
		}
		g := &d.Targets[len(d.Targets)-1]
		v := itoa(t.Org.ID) + ":" + itoa(t.Insats.ID)
		g.Options = append(g.Options, choice{Value: v, Label: t.Insats.Name, Selected: v == cur})
	}
	s.render(w, r, status, "case_referral", page{Lang: lang, Title: translate(lang, "assoc.ins.ref.title"), Actor: a, Data: d})
}

// caseReferralPage is GET /arenden/{id}/hanvisning: the referral form.
func (s *Server) caseReferralPage(w http.ResponseWriter, r *http.Request, a *actor) {
	c, fk, ok := s.loadCase(w, r, a, policy.WritePerson)
	if !ok {
		return
	}
	s.renderReferral(w, r, a, c, fk, http.StatusOK, nil, nil, "")
}

// caseReferralPost is POST /arenden/{id}/hanvisning.
func (s *Server) caseReferralPost(w http.ResponseWriter, r *http.Request, a *actor) {
	c, fk, ok := s.loadCase(w, r, a, policy.WritePerson)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	// Referring a case not assigned to one says why, as every form of the
	// case does (web/cases).
	purpose, asked, err := s.features.cases.PurposeOrAsk(w, r, a, c)
	if asked || err != nil {
		return
	}
	f := r.PostForm
	version, err := strconv.Atoi(f.Get("version"))
	if err != nil || version < 1 {
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		return
	}
	var errs site.Problems
	targets, err := s.referralTargets(r.Context(), fk.ID, c.MunicipalityCode)
	if err != nil {
		s.unavailable(w, r, "referral targets", err)
		return
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
		s.renderReferral(w, r, a, c, fk, http.StatusUnprocessableEntity, f, errs, "")
		return
	}
	ctx := r.Context()
	if c.ProtectedIdentity {
		// Skyddade personuppgifter: the association gets an anonymous
		// registration (sex and age group by its own code lists); the
		// referral text lets it ask FK.
		cl, _, err := store.AssociationCodeLists(ctx, s.store, target.Org.ID)
		if err != nil {
			s.unavailable(w, r, "referral code lists", err)
			return
		}
		input.Sex, input.AgeGroup = association.DeriveFromNumber(cl, personnummer.Number(c.Personnummer), s.caseToday())
	} else {
		input.WithConsent = true
		input.Personnummer, input.Name = c.Personnummer, c.PersonName
		input.Consent = association.Consent{RecordedBy: a.UserID, RecordedByName: a.User.Name + " (Försäkringskassan)", On: on,
			Covers: f.Get("consent_covers"), DocumentRef: f.Get("consent_document")}
	}
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		note := store.CaseNote{Kind: store.NoteNote, Body: fmt.Sprintf("Hänvisad till %s, insats %q (väntande registrering).", target.Org.Name, target.Insats.Name)}
		if _, err := store.AddCaseNote(ctx, tx, c.ID, version, note, a.UserID, s.now()); err != nil {
			return err
		}
		pr, err := participant.Register(ctx, tx, s.site, r, a, target.Org.ID, target.Insats, input)
		if err != nil {
			return err
		}
		ev := s.features.cases.CaseEvent(r, a, "refer_to_association", c)
		ev.Purpose = "association=" + target.Org.Slug + " participant=" + itoa(pr.ID) + purpose
		return store.AppendAudit(ctx, tx, s.audit.Keys(), ev)
	})
	if es, isField := participant.Problems(err); isField {
		s.renderReferral(w, r, a, c, fk, http.StatusUnprocessableEntity, f, es, "")
		return
	}
	if errors.Is(err, store.ErrStale) {
		s.renderReferral(w, r, a, c, fk, http.StatusConflict, f, nil, translate(language(w, r), "case.stale"))
		return
	}
	if err != nil {
		s.unavailable(w, r, "referral", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/arenden/%d#hanvisning", c.ID), http.StatusSeeOther)
}
