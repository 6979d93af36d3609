package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// Moving a case to another office (issue 7's leftover): a manager who may
// re-assign the case (policy.AssignCases on its office) sends it to another
// office of Försäkringskassan, say when the person moves. The case leaves
// the old office's worklists at once; at the new office it is nobody's
// until that office's manager assigns it.

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

// caseMovePost is POST /arenden/{id}/kontor.
func (s *Server) caseMovePost(w http.ResponseWriter, r *http.Request, a *actor) {
	ctx := r.Context()
	c, fk, ok := s.loadCase(w, r, a, policy.AssignCases)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	lang := language(w, r)
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || version <= 0 {
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		return
	}
	offices, err := store.Offices(ctx, s.store, fk.ID)
	if err != nil {
		s.unavailable(w, r, "move case: offices", err)
		return
	}
	var to *store.Office
	for _, o := range moveTargets(offices, c.OfficeID) {
		if itoa(o.ID) == r.PostForm.Get("office") {
			to = &o
		}
	}
	if to == nil {
		s.renderCase(w, r, a, casePageState{Status: http.StatusUnprocessableEntity, Notice: translate(lang, "case.err.unknown_office"), NoticeKind: "error"})
		return
	}
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.MoveCase(ctx, tx, c.ID, version, to.ID, to.CustomerGroupID, s.now()); err != nil {
			return err
		}
		e := s.caseEvent(r, a, "move_case", c)
		e.Purpose = fmt.Sprintf("from_office=%d to_office=%d", c.OfficeID, to.ID)
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	switch {
	case errors.Is(err, store.ErrStale):
		s.renderCase(w, r, a, casePageState{Status: http.StatusConflict, Notice: translate(lang, "case.stale"), NoticeKind: "warning"})
		return
	case err != nil:
		s.unavailable(w, r, "move case", err)
		return
	}
	// The manager may not see the case at its new office: back to the
	// office's worklist.
	http.Redirect(w, r, "/arenden/kontor", http.StatusSeeOther)
}
