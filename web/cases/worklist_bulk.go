package cases

// The worklist's CSV export and the office list's bulk assignment.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// WorklistCSV is GET /arenden.csv: the rows /arenden shows for the same
// query, as CSV. A manager is sent to the office's export, as the page
// sends them to the office's list.
func (s *Handlers) WorklistCSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if sendManager(w, r, a, "/arenden/kontor.csv") {
		return nil
	}
	return s.worklistCSV(w, r, a, false)
}

// OfficeWorklistCSV is GET /arenden/kontor.csv: the rows the office's
// list shows for the same query.
func (s *Handlers) OfficeWorklistCSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.worklistCSV(w, r, a, true)
}

// worklistCSV writes the page's rows with the persons' personnummer
// (which the addresses never carry), once the export's one audit entry,
// naming every person in it, is committed.
func (s *Handlers) worklistCSV(w http.ResponseWriter, r *http.Request, a *site.Actor, office bool) error {
	l, err := s.readWorklist(w, r, a, office, r.URL.Query())
	if err != nil {
		return err
	}
	defer l.release()
	T := func(id string) string { return translate(l.lang, id) }
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	header := []string{T("worklist.csv.case"), T("worklist.csv.personnummer"), T("worklist.col.person"), T("worklist.col.chain_day"),
		T("worklist.col.phase"), T("worklist.col.deadline"), T("worklist.col.due"), T("worklist.csv.days_left"), T("worklist.col.degree"),
		T("worklist.col.warnings")}
	if l.scope.Manager {
		header = append(header, T("worklist.col.assignee"))
	}
	cw.Write(header)
	for i, row := range l.rows {
		c := &l.page.Rows[i].Case
		warnings := make([]string, len(row.Warnings))
		for j, x := range row.Warnings {
			warnings[j] = x.Label
		}
		rec := []string{itoa(row.ID), row.Person.Number, row.Person.Name, row.ChainDay, row.Phase, row.Deadline, row.DeadlineDue,
			"", row.Degree, strings.Join(warnings, ", ")}
		if row.DeadlineDue != "" {
			rec[7] = strconv.Itoa(storedDay(c.NextDue).Sub(l.today))
		}
		if l.scope.Manager {
			rec = append(rec, row.Assignee)
		}
		for j := range rec {
			rec[j] = site.SpreadsheetCell(rec[j])
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return site.Unavailable("write worklist CSV", err)
	}
	s.auditList(r, a, l, l.path+".csv", "export_cases")
	if err := a.AwaitAudit(); err != nil {
		return site.Unavailable("audit", err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="arenden-`+l.today.String()+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// maxBulkCases bounds one bulk assignment: a page's rows.
const maxBulkCases = store.MaxWorklistPage

// AssignCases is POST /arenden/kontor/tilldela: a manager gives the
// chosen cases to one of the office's case workers. Every case is checked
// as its own page checks it, and the case worker must be an active case
// worker of each case's office, before anything is written; then each
// case is written in a transaction of its own, against the version the
// list showed: a case someone changed since is left as it is and named in
// the answer, the others are given away, each with its own audit entry.
func (s *Handlers) AssignCases(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	lang := site.Language(w, r)
	back, _ := url.Parse(safeReturn(r.PostForm.Get("return"), 0))
	answer := func(status int, notice, kind string) error {
		return s.renderWorklist(w, r, a, true, back.Query(), status, notice, kind)
	}
	picked := r.PostForm["case"]
	if len(picked) > maxBulkCases {
		return site.BadRequest()
	}
	type pick struct {
		c       store.Case
		version int
	}
	var picks []pick
	for _, v := range picked {
		id, ver, ok := strings.Cut(v, ".")
		caseID, err1 := strconv.ParseInt(id, 10, 64)
		version, err2 := strconv.Atoi(ver)
		if !ok || err1 != nil || err2 != nil || caseID <= 0 || version <= 0 {
			return site.BadRequest()
		}
		c, _, err := s.loadCaseByID(r, a, policy.AssignCases, caseID)
		if err != nil {
			return err
		}
		picks = append(picks, pick{c, version})
	}
	if len(picks) == 0 {
		return answer(http.StatusUnprocessableEntity, translate(lang, "worklist.bulk.none"), "error")
	}
	userID, err := strconv.ParseInt(r.PostForm.Get("user"), 10, 64)
	if err != nil || userID <= 0 {
		return answer(http.StatusUnprocessableEntity, translate(lang, "worklist.bulk.no_user"), "error")
	}
	workers := map[int64]bool{} // offices where userID is an active case worker
	for _, p := range picks {
		if _, seen := workers[p.c.OfficeID]; seen || p.c.OfficeID == 0 {
			continue
		}
		users, err := store.OfficeUsers(ctx, s.Store, p.c.OfficeID)
		if err != nil {
			return site.Unavailable("assign: case workers", err)
		}
		for _, u := range users {
			if u.ID == userID && u.Roles.Has(account.CaseWorker) {
				workers[p.c.OfficeID] = true
			}
		}
		if !workers[p.c.OfficeID] {
			workers[p.c.OfficeID] = false
		}
	}
	for _, p := range picks {
		if !workers[p.c.OfficeID] {
			return answer(http.StatusUnprocessableEntity, translate(lang, "case.err.unknown_user"), "error")
		}
	}
	var stale []string
	done := 0
	for _, p := range picks {
		err := s.Store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.AssignCase(ctx, tx, p.c.ID, p.version, userID, s.Now()); err != nil {
				return err
			}
			e := s.CaseEvent(r, a, "assign_case", p.c)
			e.Purpose = fmt.Sprintf("from=%d to=%d", p.c.AssignedUserID, userID)
			return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
		})
		switch {
		case errors.Is(err, store.ErrStale):
			stale = append(stale, translate(lang, "case.title")+" "+itoa(p.c.ID))
		case err != nil:
			return site.Unavailable("assign cases", err)
		default:
			done++
		}
	}
	if len(stale) > 0 {
		notice := strings.NewReplacer("{done}", strconv.Itoa(done), "{cases}", strings.Join(stale, ", ")).Replace(translate(lang, "worklist.bulk.stale"))
		return answer(http.StatusConflict, notice, "warning")
	}
	q := back.Query()
	q.Set("assigned", strconv.Itoa(done))
	http.Redirect(w, r, site.WithQuery(back.Path, q), http.StatusSeeOther)
	return nil
}
