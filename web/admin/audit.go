package admin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// auditPerPage is how many audit entries a search page shows.
const auditPerPage = 50

// auditActions are the actions the search form always offers; every other
// action named in the catalogue (admin.action.*) is offered too, and an
// action the log holds without a name yet can still be searched by its
// code from the address.
var auditActions = []string{
	"sign_in", "sign_out", "sign_out_everywhere", "change_password",
	"create_user", "update_user", "set_password", "end_sessions",
	"create_organisation", "create_office", "create_token", "revoke_token",
	"read_audit", "audit_extract",
}

// auditRow is one audit entry as the search page, the extract page and the
// CSV show it.
type auditRow struct {
	At, User, Org, Roles, Action, Outcome, Resource, Purpose, Address string
}

// auditTable is the table of audit entries a page shows: the search's
// results with the address each came from, or a person's extract with the
// actors' roles (the entries' address is not the person's business).
type auditTable struct {
	Rows []auditRow
	// CaptionID is the caption's message; Counted adds the number of rows.
	CaptionID      string
	Counted        bool
	Roles, Address bool
}

// auditSearch is the search form as submitted.
type auditSearch struct {
	User, From, To, Action string
}

type adminAuditData struct {
	Search   auditSearch
	Searched bool
	Rows     []auditRow
	// Older pages back; First returns to the newest entries.
	Older, First string
	Actions      []site.Choice
	// All tells a system administrator that the log of every organisation
	// is searched.
	All          bool
	Personnummer string
	Errs         formView
}

// Table is the search's results as a table.
func (d adminAuditData) Table() auditTable {
	return auditTable{Rows: d.Rows, CaptionID: "admin.audit.results", Counted: true, Address: true}
}

// AuditLog searches the audit log by user, period and action, newest
// first, a page at a time. An organisation's administrator sees what their
// organisation's staff and tokens did; a system administrator sees all.
// Reading the log is itself audited.
func (s *Handlers) AuditLog(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	q := r.URL.Query()
	var errs site.Problems
	search := auditSearch{User: strings.TrimSpace(q.Get("user")), From: strings.TrimSpace(q.Get("from")),
		To: strings.TrimSpace(q.Get("to")), Action: strings.TrimSpace(q.Get("action"))}
	f := store.AuditQuery{Action: search.Action, Limit: auditPerPage + 1}
	if !a.SystemAdmin {
		f.ActorOrg = a.Org.Slug
	}
	f.From = checkDate(&errs, "from", search.From)
	if to := checkDate(&errs, "to", search.To); !to.IsZero() {
		f.Until = to.AddDate(0, 0, 1)
		if !f.From.IsZero() && f.Until.Before(f.From) {
			errs.Add("to", "date_order")
		}
	}
	text(&errs, "action", search.Action, false, 64)
	if search.User != "" {
		u, err := store.UserByName(ctx, s.Store, search.User)
		switch {
		// Another organisation's user is as unknown as one that does not
		// exist: the form must not tell which user names exist elsewhere.
		case errors.Is(err, store.ErrNotFound) || (err == nil && !a.SystemAdmin && u.OrgID != a.OrgID):
			errs.Add("user", "unknown_user")
		case err != nil:
			return site.Unavailable("find user", err)
		default:
			f.ActorUserID = u.ID
		}
	}
	if before, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && before > 0 {
		f.BeforeSeq = before
	}
	d := adminAuditData{Search: search, Actions: actionChoices(lang, search.Action), All: a.SystemAdmin, Errs: problemsView(lang, errs)}
	if errs.Any() {
		s.Render(w, r, http.StatusUnprocessableEntity, "admin_audit", site.Page{Lang: lang, Title: translate(lang, "admin.audit.title"), Actor: a, Data: d})
		return nil
	}
	entries, err := store.SearchAudit(ctx, s.Store, f)
	if err != nil {
		return site.Unavailable("search audit log", err)
	}
	e := a.Event(r, "read_audit", audit.OutcomeOK, "audit_log", "search")
	e.Purpose = describeSearch(search, f.BeforeSeq)
	if err := s.Audit.Record(ctx, e); err != nil {
		return site.Unavailable("audit read_audit", err)
	}
	d.Searched = true
	if len(entries) > auditPerPage {
		entries = entries[:auditPerPage]
		next := url.Values{"user": {search.User}, "from": {search.From}, "to": {search.To}, "action": {search.Action},
			"before": {strconv.FormatInt(entries[len(entries)-1].Seq, 10)}}
		d.Older = site.WithQuery("/admin/audit", next)
	}
	if f.BeforeSeq != 0 {
		d.First = site.WithQuery("/admin/audit", url.Values{"user": {search.User}, "from": {search.From}, "to": {search.To}, "action": {search.Action}})
	}
	if d.Rows, err = s.auditRows(r, lang, entries); err != nil {
		return site.Unavailable("list organisations", err)
	}
	s.Render(w, r, http.StatusOK, "admin_audit", site.Page{Lang: lang, Title: translate(lang, "admin.audit.title"), Actor: a, Data: d})
	return nil
}

// describeSearch is the search as the read_audit entry records it.
func describeSearch(q auditSearch, before int64) string {
	var parts []string
	for _, kv := range [][2]string{{"user", q.User}, {"from", q.From}, {"to", q.To}, {"action", q.Action}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if before != 0 {
		parts = append(parts, fmt.Sprintf("before=%d", before))
	}
	return site.AuditText(strings.Join(parts, " "))
}

// actionChoices are the actions the search form offers, by their names in
// lang, with chosen selected (and offered by its code when it has no name).
func actionChoices(lang, chosen string) []site.Choice {
	out := slices.Clone(actionOptions[lang])
	found := false
	for i := range out {
		if out[i].Value == chosen {
			out[i].Selected, found = true, true
		}
	}
	if chosen != "" && !found {
		out = append(out, site.Choice{Value: chosen, Label: chosen, Selected: true})
	}
	return out
}

// actionOptions are, per language, every action the catalogue names
// (admin.action.*) and auditActions, in the order of their names: built
// once, as the catalogue is embedded.
var actionOptions = func() map[string][]site.Choice {
	const prefix = "admin.action."
	out := map[string][]site.Choice{}
	for _, lang := range site.Languages {
		seen := map[string]bool{}
		var choices []site.Choice
		add := func(act string) {
			if !seen[act] {
				seen[act] = true
				choices = append(choices, site.Choice{Value: act, Label: actionLabel(lang, act)})
			}
		}
		for _, act := range auditActions {
			add(act)
		}
		for id := range feature.Words[lang] {
			if act, ok := strings.CutPrefix(id, prefix); ok {
				add(act)
			}
		}
		slices.SortFunc(choices, func(a, b site.Choice) int { return strings.Compare(a.Label, b.Label) })
		out[lang] = choices
	}
	return out
}()

// actionLabel names an audit action in lang, or gives its code when it has
// no name yet.
func actionLabel(lang, act string) string { return labelOr(lang, "admin.action.", act) }

// labelOr is the message prefix+code in lang, or the code when it has no
// message yet.
func labelOr(lang, prefix, code string) string {
	if m, ok := feature.Words[lang][prefix+code]; ok {
		return m
	}
	return code
}

// purposeText writes an entry's purpose and details in words: each word
// ("own_certificates") and each name of a name=value pair
// ("from_office=3") that has a message is replaced by it; free text a
// person gave as the purpose stays as written.
func purposeText(lang, purpose string) string {
	fields := strings.Fields(purpose)
	for i, f := range fields {
		name, value, pair := strings.Cut(f, "=")
		if feature.Words.Has("admin.purpose." + name) {
			label := labelOr(lang, "admin.purpose.", name)
			if pair {
				// Each of a list of values (parts=basic,plan) that has a
				// name of its own (admin.purpose.parts.basic) is named.
				values := strings.Split(value, ",")
				for j, v := range values {
					values[j] = labelOr(lang, "admin.purpose."+name+".", v)
				}
				label += ": " + strings.Join(values, ", ")
			}
			fields[i] = label
		}
	}
	return strings.Join(fields, " ")
}

// auditRows turns entries into rows, with organisations, roles, actions and
// outcomes named in lang.
func (s *Handlers) auditRows(r *http.Request, lang string, entries []audit.Entry) ([]auditRow, error) {
	orgs, err := store.Organisations(r.Context(), s.Store, "")
	if err != nil {
		return nil, err
	}
	orgNames := make(map[string]string, len(orgs))
	for _, o := range orgs {
		orgNames[o.Slug] = o.Name
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		row := auditRow{At: e.At.In(site.Stockholm).Format(time.DateTime), User: e.ActorName, Org: e.ActorOrg,
			Action: actionLabel(lang, e.Action), Outcome: translate(lang, "admin.outcome."+e.Outcome),
			Resource: strings.TrimSpace(labelOr(lang, "admin.resource.", e.ResourceType) + " " + e.ResourceID),
			Purpose:  purposeText(lang, e.Purpose), Address: e.RemoteAddr}
		if n, ok := orgNames[e.ActorOrg]; ok {
			row.Org = n
		}
		if roles, err := account.ParseRoles(e.ActorRoles); err == nil {
			row.Roles = roleLabels(lang, roles)
		} else {
			row.Roles = e.ActorRoles
		}
		rows[i] = row
	}
	return rows, nil
}

type adminExtractData struct {
	Masked string
	// Personnummer is sent again by the CSV button, in the form body: it
	// must never be in a URL.
	Personnummer string
	Rows         []auditRow
	Created      string
	All          bool
	OrgName      string
}

// Table is the extract's entries as a table.
func (d adminExtractData) Table() auditTable {
	return auditTable{Rows: d.Rows, CaptionID: "admin.extract.caption", Roles: true}
}

// AuditExtract makes the access-log extract (loggutdrag) for one person:
// every entry of the log about them, as a page or, with format=csv, as a
// CSV file. The personnummer comes in a POST body only, is turned into the
// person's pseudonymous key at once and is never logged. Making an extract
// is audited with the person's key.
func (s *Handlers) AuditExtract(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	lang := site.Language(w, r)
	var errs site.Problems
	raw := strings.TrimSpace(r.PostForm.Get("personnummer"))
	var n personnummer.Number
	if raw == "" {
		errs.Add("personnummer", "required")
	} else {
		var err error
		if n, err = personnummer.Parse(raw, s.Now().In(site.Stockholm)); err != nil {
			errs.Add("personnummer", personnummerError(err))
		}
	}
	if errs.Any() {
		d := adminAuditData{Actions: actionChoices(lang, ""), All: a.SystemAdmin, Personnummer: raw, Errs: problemsView(lang, errs)}
		s.Render(w, r, http.StatusUnprocessableEntity, "admin_audit", site.Page{Lang: lang, Title: translate(lang, "admin.audit.title"), Actor: a, Data: d})
		return nil
	}
	key := s.Audit.Keys().PersonKey(n)
	actorOrg := ""
	if !a.SystemAdmin {
		actorOrg = a.Org.Slug
	}
	entries, err := store.PersonAudit(ctx, s.Store, key, actorOrg)
	if err != nil {
		return site.Unavailable("person audit", err)
	}
	csvFormat := r.PostForm.Get("format") == "csv"
	e := a.Event(r, "audit_extract", audit.OutcomeOK, "audit_log", "extract")
	if csvFormat {
		e.ResourceID = "extract.csv"
	}
	e.PersonKey = key
	e.Purpose = fmt.Sprintf("%d entries", len(entries))
	if err := s.Audit.Record(ctx, e); err != nil {
		return site.Unavailable("audit audit_extract", err)
	}
	rows, err := s.auditRows(r, lang, entries)
	if err != nil {
		return site.Unavailable("list organisations", err)
	}
	if csvFormat {
		return s.writeExtractCSV(w, r, lang, rows)
	}
	d := adminExtractData{Masked: n.Masked(), Personnummer: string(n), Rows: rows, Created: site.LocalTime(s.Now()),
		All: a.SystemAdmin, OrgName: a.Org.Name}
	s.Render(w, r, http.StatusOK, "admin_extract", site.Page{Lang: lang, Title: translate(lang, "admin.extract.title"), Actor: a, Data: d})
	return nil
}

// personnummerError is the form error code of a personnummer that does not
// parse.
func personnummerError(err error) string {
	switch {
	case errors.Is(err, personnummer.ErrDate):
		return "pnr_date"
	case errors.Is(err, personnummer.ErrFuture):
		return "pnr_future"
	case errors.Is(err, personnummer.ErrChecksum):
		return "pnr_checksum"
	}
	return "pnr_format"
}

// writeExtractCSV sends the extract as a CSV file that Excel opens as it is:
// UTF-8 with a byte-order mark (without one, Excel reads å, ä and ö as
// Windows-1252), semicolons between fields (Swedish Excel's list separator,
// since the comma is the decimal sign) and CRLF line ends.
func (s *Handlers) writeExtractCSV(w http.ResponseWriter, r *http.Request, lang string, rows []auditRow) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	header := []string{"at", "user", "org", "roles", "action", "outcome", "resource", "purpose"}
	for i, h := range header {
		header[i] = translate(lang, "admin.extract.csv."+h)
	}
	cw.Write(header)
	for _, row := range rows {
		cw.Write([]string{row.At, cell(row.User), cell(row.Org), cell(row.Roles), cell(row.Action), cell(row.Outcome),
			cell(row.Resource), cell(row.Purpose)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return site.Unavailable("write extract", err)
	}
	name := "loggutdrag-" + s.Now().In(site.Stockholm).Format(time.DateOnly) + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// cell keeps a spreadsheet from reading a value as a formula: the log holds
// text others typed (a user name tried at sign-in, for one), and a cell
// starting with = + - @ or a tab would run in Excel (CSV injection, OWASP).
func cell(v string) string { return site.SpreadsheetCell(v) }
