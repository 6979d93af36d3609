package dashboards

// Exports of the dashboard: every table as CSV (one table, ?table=) and
// all of them as one XLSX workbook, a sheet each
// (docs/adr/0009-xlsx-export.md). The CSV is what Swedish Excel opens as
// it is: UTF-8 with a byte-order mark, semicolons, CRLF, decimal commas.

import (
	"net/http"
	"slices"

	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/spreadsheet"
)

// tableIDs are the exported tables, in the order of the page.
var tableIDs = []string{"totals", "phases", "weeks", "office_weeks", "chapters", "sexes", "ages", "deadlines", "supplements", "coordination", "offices", "workers"}

// table is one exported table: a header and rows of values (string, int
// or float64).
type table struct {
	ID     string
	Header []string
	Rows   [][]any
}

// tables are the dashboard's tables in lang.
func tables(lang string, d Dashboard) []table {
	t := func(id string) string { return translate(lang, "dash.col."+id) }
	var out []table
	labelled := func(id string, ls []Labelled) table {
		tb := table{ID: id, Header: []string{t("figure"), t("cases")}}
		for _, l := range ls {
			tb.Rows = append(tb.Rows, []any{l.Label, l.Count.Value})
		}
		return tb
	}
	out = append(out, labelled("totals", d.Totals), labelled("phases", d.Phases))
	weeks := table{ID: "weeks", Header: []string{t("week"), t("from"), t("to"), t("ongoing"), t("yearbefore"), t("inflow"), t("outflow")}}
	for _, w := range d.Weeks {
		var prev any = ""
		if w.Previous != nil {
			prev = w.Previous.Value
		}
		weeks.Rows = append(weeks.Rows, []any{w.Label, w.From, w.To, w.Ongoing.Value, prev, w.Inflow.Value, w.Outflow.Value})
	}
	ow := table{ID: "office_weeks", Header: []string{t("office"), t("week"), t("from"), t("to"), t("ongoing")}}
	for _, m := range d.Multiples {
		for i, c := range m.Ongoing {
			if i < len(d.Weeks) {
				ow.Rows = append(ow.Rows, []any{m.Office, d.Weeks[i].Label, d.Weeks[i].From, d.Weeks[i].To, c.Value})
			}
		}
	}
	out = append(out, weeks, ow)
	for i, id := range []string{"chapters", "sexes", "ages"} {
		if i >= len(d.Durations) {
			break
		}
		dt := d.Durations[i]
		tb := table{ID: id, Header: []string{dt.Head, t("cases"), t("median"), t("p90")}}
		for _, r := range dt.Rows {
			tb.Rows = append(tb.Rows, []any{r.Label, r.Cases.Value, r.Median, r.P90})
		}
		out = append(out, tb)
	}
	dl := table{ID: "deadlines", Header: []string{t("deadline"), t("cases"), t("met"), t("share")}}
	for _, r := range d.Deadlines {
		dl.Rows = append(dl.Rows, []any{r.Label, r.Cases.Value, r.Met.Value, r.Share})
	}
	out = append(out, dl)
	out = append(out, table{ID: "supplements", Header: []string{t("suppcases"), t("requests"), t("answered"), t("answerdays")},
		Rows: [][]any{{d.Supplement.Cases.Value, d.Supplement.Requests, d.Supplement.Answered, d.Supplement.Median}}})
	co := d.Coord
	out = append(out, table{ID: "coordination", Header: []string{t("coordinated"), t("coordshare"), t("coorddays"), t("reconciled"), t("reconcileddays")},
		Rows: [][]any{{co.Coordinated.Value, co.Share, orEmpty(co.DaysToStart), co.Reconciled.Value, orEmpty(co.DaysToReconciled)}}})
	offices := table{ID: "offices", Header: []string{t("office"), t("open"), t("overdue"), t("warnings")}}
	for _, r := range d.Offices {
		offices.Rows = append(offices.Rows, []any{r.Office, r.Open.Value, r.Overdue.Value, r.Warnings.Value})
	}
	workers := table{ID: "workers", Header: []string{t("office"), t("worker"), t("open"), t("overdue"), t("warnings")}}
	for _, r := range d.Workers {
		workers.Rows = append(workers.Rows, []any{r.Office, r.Worker, r.Open.Value, r.Overdue.Value, r.Warnings.Value})
	}
	return append(out, offices, workers)
}

func exportName(f filter, ext string) string { return "styrning-" + f.From + "-" + f.To + "." + ext }

// CSV sends one table of the dashboard (?table=) as CSV.
func (h *Handlers) CSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	id := r.URL.Query().Get("table")
	if !slices.Contains(tableIDs, id) {
		return site.Problems{{Field: "table", Code: "unknown"}}
	}
	flt, _, d, err := h.load(r, a, lang)
	if err != nil {
		return err
	}
	var tb table
	for _, t := range tables(lang, d) {
		if t.ID == id {
			tb = t
		}
	}
	body, err := spreadsheet.CSV(lang, spreadsheet.Table{Header: tb.Header, Rows: tb.Rows})
	if err != nil {
		return site.Unavailable("dashboard CSV", err)
	}
	spreadsheet.Send(w, exportName(flt, id+".csv"), body)
	return nil
}

// XLSX sends every table of the dashboard as a workbook, a sheet each.
func (h *Handlers) XLSX(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	flt, _, d, err := h.load(r, a, lang)
	if err != nil {
		return err
	}
	var sheets []spreadsheet.Table
	for _, tb := range tables(lang, d) {
		sheets = append(sheets, spreadsheet.Table{Sheet: translate(lang, "dash.sheet."+tb.ID), Header: tb.Header, Rows: tb.Rows})
	}
	body, err := spreadsheet.XLSX(translate(lang, "dash.title"), h.Now(), sheets...)
	if err != nil {
		return site.Unavailable("dashboard XLSX", err)
	}
	spreadsheet.Send(w, exportName(flt, "xlsx"), body)
	return nil
}

// orEmpty is a median as a cell: empty without cases.
func orEmpty(v *float64) any {
	if v == nil {
		return ""
	}
	return *v
}
