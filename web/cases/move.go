package cases

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Moving a case to another office: a manager who may re-assign the case
// (policy.AssignCases on its office) sends it to another office of
// Försäkringskassan, say when the person moves. The case leaves the old
// office's worklists at once; at the new office it is nobody's until that
// office's manager assigns it.

// moveTargets are the offices of offices a case in office current may move
// to: every other one.
func moveTargets(offices []store.Office, current int64) []store.Office {
	var out []store.Office
	for _, o := range offices {
		if o.ID != current {
			out = append(out, o)
		}
	}
	return out
}

// managerPost loads the path's case for a manager's change of the office
// or case worker that holds it (policy.AssignCases) and reads the posted
// form, with the version of the case it was made from (400 for none).
func (s *Handlers) managerPost(w http.ResponseWriter, r *http.Request, a *site.Actor) (store.Case, organisation.Organisation, int, error) {
	c, fk, err := s.LoadCase(w, r, a, policy.AssignCases)
	if err != nil {
		return c, fk, 0, err
	}
	if err := site.ParseForm(w, r); err != nil {
		return c, fk, 0, err
	}
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || version <= 0 {
		return c, fk, 0, site.BadRequest()
	}
	return c, fk, version, nil
}

// managerWrite stores a manager's change of case c with write, and its
// audit entry of action with purpose, in one transaction.
func (s *Handlers) managerWrite(r *http.Request, a *site.Actor, c store.Case, action, purpose string, write func(tx *store.Tx) error) error {
	ctx := r.Context()
	return s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := write(tx); err != nil {
			return err
		}
		e := s.CaseEvent(r, a, action, c)
		e.Purpose = purpose
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
}

// Move is POST /arenden/{id}/kontor. The form names no office until the
// manager picks one (a missing choice is the field's error); a valid
// choice is first answered with a confirmation page, and only the post
// that confirms it moves the case.
func (s *Handlers) Move(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	c, fk, version, err := s.managerPost(w, r, a)
	if err != nil {
		return err
	}
	lang := site.Language(w, r)
	offices, err := store.Offices(ctx, s.Store, fk.ID)
	if err != nil {
		return site.Unavailable("move case: offices", err)
	}
	var to *store.Office
	for _, o := range moveTargets(offices, c.OfficeID) {
		if itoa(o.ID) == r.PostForm.Get("office") {
			to = &o
		}
	}
	if to == nil {
		code := "unknown_office"
		if r.PostForm.Get("office") == "" {
			code = "office_required"
		}
		return s.renderCase(w, r, a, casePageState{Status: http.StatusUnprocessableEntity, Form: "move",
			Problems: site.Problems{{Field: "office", Code: code}}, Values: r.PostForm})
	}
	if !site.Confirmed(r.PostForm) && version == c.Version {
		who := fmt.Sprintf(translate(lang, "case.confirm.case"), c.ID, newPersonView(lang, a, c).Name)
		s.confirmCase(w, r, a, c, "move_case", "", site.Confirmation{Title: translate(lang, "case.confirm.move.title"),
			Action: fmt.Sprintf("/arenden/%d/kontor", c.ID),
			Lead: []string{who + " " + fmt.Sprintf(translate(lang, "case.confirm.move.what"), c.OfficeName, to.Name),
				fmt.Sprintf(translate(lang, "case.confirm.move.after"), to.Name)},
			Values: r.PostForm, Submit: translate(lang, "case.confirm.move.submit"), Back: fmt.Sprintf("/arenden/%d#status", c.ID)})
		return nil
	}
	err = s.managerWrite(r, a, c, "move_case", fmt.Sprintf("from_office=%d to_office=%d", c.OfficeID, to.ID), func(tx *store.Tx) error {
		return store.MoveCase(ctx, tx, c.ID, version, to.ID, to.CustomerGroupID, s.Now())
	})
	switch {
	case errors.Is(err, store.ErrStale):
		return s.renderCase(w, r, a, casePageState{Status: http.StatusConflict, Notice: translate(lang, "case.stale"), NoticeKind: "warning"})
	case err != nil:
		return site.Unavailable("move case", err)
	}
	// The manager may not see the case at its new office: back to the
	// office's worklist.
	site.SetFlash(w, r, "/arenden/kontor", "flash.case.moved")
	http.Redirect(w, r, "/arenden/kontor", http.StatusSeeOther)
	return nil
}
