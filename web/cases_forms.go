package web

// The forms of the case page: facts, a period entered by hand, a deadline
// marked done, a note or contact, a decision, a plan action and its status.
// Each is a POST that needs policy.WritePerson on the case (its office's
// case workers) and carries the case's version. The API's writes
// (cases_api.go) run the same edits through caseEdit.run.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// caseEdit is one kind of edit of a case.
type caseEdit struct {
	// Form is the page's form (the prefix of its inputs' ids) and Anchor
	// the section the page returns to.
	Form, Anchor string
	// Action names the edit in the audit log.
	Action string
	// Check validates the submitted values and returns the write to do,
	// or the problems. It may read the store (outside the write's
	// transaction).
	Check func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error)
}

// caseWrite does an edit inside its transaction with the version the form
// was made from, and returns what the audit entry should say about it and
// the id of what it made (0 if nothing). Store errors that are the
// person's to fix come back as problemError.
type caseWrite func(ctx context.Context, tx *store.Tx, version int) (purpose string, id int64, err error)

// errBadVersion is a form or request without a usable version.
var errBadVersion = errors.New("no case version")

// runCaseEdit validates and, if all is well, writes: the edit, the refresh of the
// case's stored state and the audit entry in one transaction. It returns
// the problems that stopped it (nothing written), or store.ErrStale when
// someone saved first (nothing written), or another error.
func (s *Server) runCaseEdit(r *http.Request, a *actor, c store.Case, e caseEdit, f url.Values, purpose string) (int64, problems, error) {
	ctx := r.Context()
	version, ok := caseVersion(f.Get("version"))
	if !ok {
		return 0, nil, errBadVersion
	}
	write, probs, err := e.Check(ctx, c, f)
	if err != nil || len(probs) > 0 {
		return 0, probs, err
	}
	var id int64
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		detail, made, err := write(ctx, tx, version)
		if err != nil {
			return err
		}
		id = made
		if err := s.refreshCase(ctx, tx, c.ID); err != nil {
			return fmt.Errorf("refresh case %d: %w", c.ID, err)
		}
		ev := s.caseEvent(r, a, e.Action, c)
		ev.Purpose = detail + purpose
		return store.AppendAudit(ctx, tx, s.audit.Keys(), ev)
	})
	var pe problemError
	if errors.As(err, &pe) {
		return 0, problems(pe), nil
	}
	return id, nil, err
}

// casePost is the page's side of an edit: it answers with the case page
// again on problems (422) or a conflict (409), and goes back to the page's
// section on success.
func (s *Server) casePost(w http.ResponseWriter, r *http.Request, a *actor, e caseEdit) {
	c, _, ok := s.loadCase(w, r, a, policy.WritePerson)
	if !ok {
		return
	}
	if !s.parseAdminForm(w, r) {
		return
	}
	lang := language(w, r)
	purpose := ""
	if needsPurpose(a, c) {
		// The page asked when the case was opened; the answer is in the
		// case's cookie. A form posted without it (the cookie expired) is
		// asked again.
		p, ok := s.casePurpose(w, r, c)
		if !ok {
			s.askPurpose(w, r, a, c)
			return
		}
		purpose = " purpose=" + p
	}
	_, probs, err := s.runCaseEdit(r, a, c, e, r.PostForm, purpose)
	switch {
	case errors.Is(err, errBadVersion):
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
	case errors.Is(err, store.ErrStale):
		s.renderCase(w, r, a, casePageState{Status: http.StatusConflict, Notice: translate(lang, "case.stale"), NoticeKind: "warning",
			Form: e.Form, Values: r.PostForm})
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, "not_found", "")
	case err != nil:
		s.unavailable(w, r, "case edit "+e.Action, err)
	case len(probs) > 0:
		s.renderCase(w, r, a, casePageState{Status: http.StatusUnprocessableEntity, Form: e.Form, Problems: probs, Values: r.PostForm})
	default:
		http.Redirect(w, r, fmt.Sprintf("/arenden/%d#%s", c.ID, e.Anchor), http.StatusSeeOther)
	}
}

// The edits.

func (s *Server) editFacts() caseEdit {
	return caseEdit{Form: "facts", Anchor: "fakta", Action: "update_case_facts",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			facts, ps := checkFacts(f)
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				return "facts", 0, store.UpdateCaseFacts(ctx, tx, c.ID, version, facts, s.now())
			}, ps, nil
		}}
}

func (s *Server) editPeriod() caseEdit {
	return caseEdit{Form: "period", Anchor: "perioder", Action: "add_period",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			p, ps := checkPeriod(f)
			if len(ps) > 0 {
				return nil, ps, nil
			}
			existing, err := s.casePeriods(ctx, s.store, c)
			if err != nil {
				return nil, nil, err
			}
			if ps := checkPeriodInCase(s.engine(), c, existing, p); len(ps) > 0 {
				return nil, ps, nil
			}
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				id, err := store.AddManualPeriod(ctx, tx, c.ID, version, p, s.now())
				if errors.Is(err, store.ErrOverlap) {
					return "", 0, problemError{{Field: "from", Code: "overlap"}}
				}
				return fmt.Sprintf("period=%d", id), id, err
			}, nil, nil
		}}
}

func (s *Server) editDeadline(userID, deadlineID int64) caseEdit {
	return caseEdit{Form: "deadline-" + itoa(deadlineID), Anchor: "frister", Action: "close_deadline",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			note, ps := checkDeadlineClose(f)
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				err := store.CloseDeadline(ctx, tx, c.ID, version, deadlineID, userID, note, s.now())
				if errors.Is(err, store.ErrAlreadyDone) {
					return "", 0, problemError{{Field: "deadline", Code: "already_done"}}
				}
				return fmt.Sprintf("deadline=%d", deadlineID), deadlineID, err
			}, ps, nil
		}}
}

func (s *Server) editNote(userID int64) caseEdit {
	return caseEdit{Form: "note", Anchor: "anteckningar", Action: "add_case_note",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			n, ps := checkNote(f, s.caseToday())
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				id, err := store.AddCaseNote(ctx, tx, c.ID, version, n, userID, s.now())
				return fmt.Sprintf("%s=%d", n.Kind, id), id, err
			}, ps, nil
		}}
}

func (s *Server) editDecision(userID int64) caseEdit {
	return caseEdit{Form: "decision", Anchor: "beslut", Action: "add_decision",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			d, ps := checkDecision(f, s.caseToday())
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				id, err := store.AddDecision(ctx, tx, c.ID, version, d, userID, s.now())
				return fmt.Sprintf("decision=%d outcome=%s", id, d.Outcome), id, err
			}, ps, nil
		}}
}

func (s *Server) editPlanAction(userID int64) caseEdit {
	return caseEdit{Form: "action", Anchor: "plan", Action: "add_plan_action",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			owners, err := s.planOwnerIDs(ctx, c)
			if err != nil {
				return nil, nil, err
			}
			pa, ps := checkPlanAction(f, owners)
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				id, err := store.AddPlanAction(ctx, tx, c.ID, version, pa, userID, s.now())
				return fmt.Sprintf("action=%d", id), id, err
			}, ps, nil
		}}
}

func (s *Server) editActionStatus(actionID int64) caseEdit {
	return caseEdit{Form: "action-" + itoa(actionID), Anchor: "plan", Action: "set_plan_action_status",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			status, ps := checkActionStatus(f)
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				err := store.SetPlanActionStatus(ctx, tx, c.ID, version, actionID, status, s.now())
				return fmt.Sprintf("action=%d status=%s", actionID, status), actionID, err
			}, ps, nil
		}}
}

// editStatus closes a case (it leaves the worklists and the nightly
// recompute) or opens it again.
func (s *Server) editStatus() caseEdit {
	return caseEdit{Form: "status", Anchor: "fakta", Action: "set_case_status",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, problems, error) {
			var ps problems
			status := caseChoice(&ps, "status", f.Get("status"), []string{store.CaseOpen, store.CaseClosed}, "unknown_status")
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				return "status=" + status, 0, store.SetCaseStatus(ctx, tx, c.ID, version, status, s.now())
			}, ps, nil
		}}
}

func (s *Server) caseStatusPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.casePost(w, r, a, s.editStatus())
}

// The page handlers.

func (s *Server) caseFactsPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.casePost(w, r, a, s.editFacts())
}

func (s *Server) casePeriodPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.casePost(w, r, a, s.editPeriod())
}

func (s *Server) caseDeadlinePost(w http.ResponseWriter, r *http.Request, a *actor) {
	id, ok := pathID(r, "deadlineID")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return
	}
	s.casePost(w, r, a, s.editDeadline(a.UserID, id))
}

func (s *Server) caseNotePost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.casePost(w, r, a, s.editNote(a.UserID))
}

func (s *Server) caseDecisionPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.casePost(w, r, a, s.editDecision(a.UserID))
}

func (s *Server) caseActionPost(w http.ResponseWriter, r *http.Request, a *actor) {
	s.casePost(w, r, a, s.editPlanAction(a.UserID))
}

func (s *Server) caseActionStatusPost(w http.ResponseWriter, r *http.Request, a *actor) {
	id, ok := pathID(r, "actionID")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return
	}
	s.casePost(w, r, a, s.editActionStatus(id))
}
