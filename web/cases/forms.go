package cases

// The forms of the case page: facts, a period entered by hand, a deadline
// marked done, a note or contact, a decision, a plan action and its status.
// Each is a POST that needs policy.WritePerson on the case (its office's
// case workers) and carries the case's version. The API's writes
// (api.go) run the same edits through runCaseEdit.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/caseaccess"
	"github.com/finsam/finsam/web/internal/site"
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
	Check func(ctx context.Context, c store.Case, f url.Values) (caseWrite, site.Problems, error)
	// Confirm, for an edit that cannot simply be taken back, is the
	// question the page asks before it is written (see site.Confirm); ok
	// is false for a form it cannot ask about, which goes on to Check and
	// its problems. Flash is the message id the page shows after the
	// write. Both are nil for an ordinary edit.
	Confirm func(lang string, a *site.Actor, c store.Case, f url.Values) (q site.Confirmation, ok bool)
	Flash   func(f url.Values) string
}

// caseWrite does an edit inside its transaction with the version the form
// was made from, and returns what the audit entry should say about it and
// the id of what it made (0 if nothing). Store errors that are the
// person's to fix come back as site.Problems, which roll the transaction
// back.
type caseWrite func(ctx context.Context, tx *store.Tx, version int) (purpose string, id int64, err error)

// errBadVersion is a form or request without a usable version.
var errBadVersion = errors.New("no case version")

// runCaseEdit validates and, if all is well, writes: the edit, the refresh of the
// case's stored state and the audit entry in one transaction. It returns
// the problems that stopped it (nothing written), or store.ErrStale when
// someone saved first (nothing written), or another error.
func (s *Handlers) runCaseEdit(r *http.Request, a *site.Actor, c store.Case, e caseEdit, f url.Values, purpose string) (int64, site.Problems, error) {
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
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		detail, made, err := write(ctx, tx, version)
		if err != nil {
			return err
		}
		id = made
		if err := s.refreshCase(ctx, tx, c.ID); err != nil {
			return fmt.Errorf("refresh case %d: %w", c.ID, err)
		}
		ev := s.CaseEvent(r, a, e.Action, c)
		ev.Purpose = detail + purpose
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), ev)
	})
	var ps site.Problems
	if errors.As(err, &ps) {
		return 0, ps, nil
	}
	return id, nil, err
}

// casePost is the page's side of an edit: it answers with the case page
// again on problems (422) or a conflict (409), and goes back to the page's
// section on success.
func (s *Handlers) casePost(w http.ResponseWriter, r *http.Request, a *site.Actor, e caseEdit) error {
	c, _, err := s.LoadCase(w, r, a, policy.WritePerson)
	if err != nil {
		return err
	}
	if err := site.ParseFormMax(w, r, maxCaseFormBytes); err != nil {
		return err
	}
	lang := site.Language(w, r)
	// The page asked when the case was opened; the answer is in the case's
	// cookie. A form posted without it (the cookie expired) is asked
	// again.
	purpose, asked, err := s.PurposeOrAsk(w, r, a, c)
	if asked || err != nil {
		return err
	}
	// A form made from an older version is not asked about: the write
	// below answers it as stale at once.
	if v, _ := caseVersion(r.PostForm.Get("version")); e.Confirm != nil && !site.Confirmed(r.PostForm) && v == c.Version {
		if q, ok := e.Confirm(lang, a, c, r.PostForm); ok {
			s.confirmCase(w, r, a, c, e.Action, purpose, q)
			return nil
		}
	}
	_, probs, err := s.runCaseEdit(r, a, c, e, r.PostForm, purpose)
	switch {
	case errors.Is(err, errBadVersion):
		return site.BadRequest()
	case errors.Is(err, store.ErrStale):
		return s.renderCase(w, r, a, casePageState{Status: http.StatusConflict, Notice: translate(lang, "case.stale"), NoticeKind: "warning",
			Form: e.Form, Values: r.PostForm})
	case errors.Is(err, store.ErrNotFound):
		return site.NotFound()
	case err != nil:
		return site.Unavailable("case edit "+e.Action, err)
	case len(probs) > 0:
		return s.renderCase(w, r, a, casePageState{Status: http.StatusUnprocessableEntity, Form: e.Form, Problems: probs, Values: r.PostForm})
	}
	page := fmt.Sprintf("/arenden/%d", c.ID)
	if e.Flash != nil {
		site.SetFlash(w, r, page, e.Flash(r.PostForm))
	}
	http.Redirect(w, r, page+"#"+e.Anchor, http.StatusSeeOther)
	return nil
}

// confirmCase shows the confirmation page of a write to case c. The page
// names the case's person as the case page does, so showing it is a read
// of the case, audited as one (purpose "confirm" and the write's action).
func (s *Handlers) confirmCase(w http.ResponseWriter, r *http.Request, a *site.Actor, c store.Case, action, purpose string, q site.Confirmation) {
	ev := s.CaseEvent(r, a, "read_case", c)
	ev.Purpose = caseaccess.Relation(a, c) + " confirm=" + action + purpose
	s.AuditRead(r, a, ev)
	s.Confirm(w, r, a, q)
}

// The edits.

// checkedEdit is an edit whose form is checked without reading the store:
// check turns the submitted values into v or its problems, and write
// stores v inside the edit's transaction.
func checkedEdit[T any](form, anchor, action string, check func(url.Values) (T, site.Problems),
	write func(ctx context.Context, tx *store.Tx, c store.Case, version int, v T) (string, int64, error)) caseEdit {
	return caseEdit{Form: form, Anchor: anchor, Action: action,
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, site.Problems, error) {
			v, ps := check(f)
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				return write(ctx, tx, c, version, v)
			}, ps, nil
		}}
}

func (s *Handlers) editFacts() caseEdit {
	return checkedEdit("facts", "fakta", "update_case_facts", checkFacts,
		func(ctx context.Context, tx *store.Tx, c store.Case, version int, facts store.CaseFacts) (string, int64, error) {
			return "facts", 0, store.UpdateCaseFacts(ctx, tx, c.ID, version, facts, s.Now())
		})
}

func (s *Handlers) editPeriod() caseEdit {
	return caseEdit{Form: "period", Anchor: "perioder", Action: "add_period",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, site.Problems, error) {
			p, ps := checkPeriod(f)
			if len(ps) > 0 {
				return nil, ps, nil
			}
			existing, err := s.casePeriods(ctx, s.Store, c)
			if err != nil {
				return nil, nil, err
			}
			if ps := checkPeriodInCase(s.Engine(), c, existing, p); len(ps) > 0 {
				return nil, ps, nil
			}
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				id, err := store.AddManualPeriod(ctx, tx, c.ID, version, p, s.Now())
				if errors.Is(err, store.ErrOverlap) {
					return "", 0, site.Problems{{Field: "from", Code: "overlap"}}
				}
				return fmt.Sprintf("period=%d", id), id, err
			}, nil, nil
		}}
}

func (s *Handlers) editDeadline(userID, deadlineID int64) caseEdit {
	return checkedEdit("deadline-"+itoa(deadlineID), "frister", "close_deadline", checkDeadlineClose,
		func(ctx context.Context, tx *store.Tx, c store.Case, version int, note string) (string, int64, error) {
			err := store.CloseDeadline(ctx, tx, c.ID, version, deadlineID, userID, note, s.Now())
			if errors.Is(err, store.ErrAlreadyDone) {
				return "", 0, site.Problems{{Field: "deadline", Code: "already_done"}}
			}
			return fmt.Sprintf("deadline=%d", deadlineID), deadlineID, err
		})
}

func (s *Handlers) editNote(userID int64) caseEdit {
	check := func(f url.Values) (store.CaseNote, site.Problems) { return checkNote(f, s.Today()) }
	return checkedEdit("note", "anteckningar", "add_case_note", check,
		func(ctx context.Context, tx *store.Tx, c store.Case, version int, n store.CaseNote) (string, int64, error) {
			id, err := store.AddCaseNote(ctx, tx, c.ID, version, n, userID, s.Now())
			return fmt.Sprintf("%s=%d", n.Kind, id), id, err
		})
}

func (s *Handlers) editDecision(userID int64) caseEdit {
	check := func(f url.Values) (store.CaseDecision, site.Problems) { return checkDecision(f, s.Today()) }
	return checkedEdit("decision", "beslut", "add_decision", check,
		func(ctx context.Context, tx *store.Tx, c store.Case, version int, d store.CaseDecision) (string, int64, error) {
			id, err := store.AddDecision(ctx, tx, c.ID, version, d, userID, s.Now())
			return fmt.Sprintf("decision=%d outcome=%s", id, d.Outcome), id, err
		})
}

func (s *Handlers) editPlanAction(userID int64) caseEdit {
	return caseEdit{Form: "action", Anchor: "plan", Action: "add_plan_action",
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, site.Problems, error) {
			owners, err := s.planOwnerIDs(ctx, c)
			if err != nil {
				return nil, nil, err
			}
			pa, ps := checkPlanAction(f, owners)
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				id, err := store.AddPlanAction(ctx, tx, c.ID, version, pa, userID, s.Now())
				return fmt.Sprintf("action=%d", id), id, err
			}, ps, nil
		}}
}

func (s *Handlers) editActionStatus(actionID int64) caseEdit {
	return checkedEdit("action-"+itoa(actionID), "plan", "set_plan_action_status", checkActionStatus,
		func(ctx context.Context, tx *store.Tx, c store.Case, version int, status string) (string, int64, error) {
			err := store.SetPlanActionStatus(ctx, tx, c.ID, version, actionID, status, s.Now())
			return fmt.Sprintf("action=%d status=%s", actionID, status), actionID, err
		})
}

// editStatus closes a case (it leaves the worklists and the nightly
// recompute) or opens it again, after a confirmation that says so.
func (s *Handlers) editStatus() caseEdit {
	return caseEdit{Form: "status", Anchor: "status", Action: "set_case_status",
		Confirm: func(lang string, a *site.Actor, c store.Case, f url.Values) (site.Confirmation, bool) {
			status := f.Get("status")
			if status != store.CaseOpen && status != store.CaseClosed || status == c.Status {
				return site.Confirmation{}, false
			}
			who := fmt.Sprintf(translate(lang, "case.confirm.case"), c.ID, newPersonView(lang, a, c).Name)
			k := "case.confirm." + status
			return site.Confirmation{Title: translate(lang, k+".title"), Action: fmt.Sprintf("/arenden/%d/status", c.ID),
				Lead:   []string{who + " " + translate(lang, k+".what"), translate(lang, k+".after")},
				Values: f, Submit: translate(lang, k+".submit"), Back: fmt.Sprintf("/arenden/%d#status", c.ID)}, true
		},
		Flash: func(f url.Values) string { return "flash.case." + f.Get("status") },
		Check: func(ctx context.Context, c store.Case, f url.Values) (caseWrite, site.Problems, error) {
			var ps site.Problems
			status := caseChoice(&ps, "status", f.Get("status"), []string{store.CaseOpen, store.CaseClosed}, "unknown_status")
			return func(ctx context.Context, tx *store.Tx, version int) (string, int64, error) {
				return "status=" + status, 0, store.SetCaseStatus(ctx, tx, c.ID, version, status, s.Now())
			}, ps, nil
		}}
}

// The page handlers.

// Status is POST /arenden/{id}/status.
func (s *Handlers) Status(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.casePost(w, r, a, s.editStatus())
}

// Facts is POST /arenden/{id}/fakta.
func (s *Handlers) Facts(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.casePost(w, r, a, s.editFacts())
}

// Period is POST /arenden/{id}/perioder.
func (s *Handlers) Period(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.casePost(w, r, a, s.editPeriod())
}

// Deadline is POST /arenden/{id}/frister/{deadlineID}.
func (s *Handlers) Deadline(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	id, ok := site.PathID(r, "deadlineID")
	if !ok {
		return site.NotFound()
	}
	return s.casePost(w, r, a, s.editDeadline(a.UserID, id))
}

// Note is POST /arenden/{id}/anteckningar.
func (s *Handlers) Note(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.casePost(w, r, a, s.editNote(a.UserID))
}

// Decision is POST /arenden/{id}/beslut.
func (s *Handlers) Decision(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.casePost(w, r, a, s.editDecision(a.UserID))
}

// Action is POST /arenden/{id}/atgarder.
func (s *Handlers) Action(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.casePost(w, r, a, s.editPlanAction(a.UserID))
}

// ActionStatus is POST /arenden/{id}/atgarder/{actionID}.
func (s *Handlers) ActionStatus(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	id, ok := site.PathID(r, "actionID")
	if !ok {
		return site.NotFound()
	}
	return s.casePost(w, r, a, s.editActionStatus(id))
}
