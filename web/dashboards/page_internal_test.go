package dashboards

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestPageOfSeveralOfficesShowsTheWorstCaseWorkers: a page of several
// offices links each office to its own page and shows only the case
// workers with the most overdue cases (then warnings, then open cases);
// an office's page shows every case worker, and the dashboard itself (the
// API and the exports) keeps them all.
func TestPageOfSeveralOfficesShowsTheWorstCaseWorkers(t *testing.T) {
	var d Dashboard
	for o := int64(1); o <= 4; o++ {
		d.Offices = append(d.Offices, PlaceRow{OfficeID: o, Office: "Kontor " + strconv.FormatInt(o, 10)})
		for w := int64(1); w <= 10; w++ {
			id := o*100 + w
			d.Workers = append(d.Workers, PlaceRow{OfficeID: o, WorkerID: id, Open: Count{Value: int(w)},
				Overdue: Count{Value: int((id * 7) % 13)}, Warnings: Count{Value: int(id % 5)}})
		}
	}
	d.Offices = append(d.Offices, PlaceRow{OfficeID: 0, Office: "Inget kontor"})
	all := len(d.Workers)

	flt := filter{From: "2026-06-01", To: "2026-11-23", Group: "3"}
	places, workers, of := placeRows(flt, d)
	if len(workers) != worstWorkers || of != all || len(d.Workers) != all {
		t.Fatalf("%d of %d case workers shown (dashboard keeps %d), want %d of %d", len(workers), of, len(d.Workers), worstWorkers, all)
	}
	for i := 1; i < len(workers); i++ {
		a, b := workers[i-1], workers[i]
		if a.Overdue.Value < b.Overdue.Value || a.Overdue.Value == b.Overdue.Value && a.Warnings.Value < b.Warnings.Value {
			t.Errorf("row %d (%d overdue, %d warnings) before row %d (%d, %d)", i-1, a.Overdue.Value, a.Warnings.Value, i,
				b.Overdue.Value, b.Warnings.Value)
		}
	}
	least := workers[len(workers)-1].Overdue.Value
	for _, w := range d.Workers {
		if w.Overdue.Value > least && !containsWorker(workers, w.WorkerID) {
			t.Errorf("case worker %d with %d overdue cases is left out, %d is shown", w.WorkerID, w.Overdue.Value, least)
		}
	}
	for _, p := range places {
		if p.OfficeID == 0 {
			if p.Href != "" {
				t.Errorf("the cases of no office link to %q", p.Href)
			}
			continue
		}
		u, err := url.Parse(p.Href)
		if err != nil || u.Path != "/dashboards" || u.Query().Get("office") != strconv.FormatInt(p.OfficeID, 10) ||
			u.Query().Get("group") != "3" || u.Query().Get("from") != "2026-06-01" || !strings.HasSuffix(p.Href, "#handlaggare") {
			t.Errorf("office %d links to %q", p.OfficeID, p.Href)
		}
	}

	one := filter{From: "2026-06-01", To: "2026-11-23", Office: "2"}
	one.scope.OfficeID = 2
	places, workers, of = placeRows(one, d)
	if len(workers) != all || of != 0 || places[0].Href != "" {
		t.Errorf("an office's page: %d case workers (of %d), office link %q; want all %d and no link", len(workers), of, places[0].Href, all)
	}
}

func containsWorker(rows []PlaceRow, id int64) bool {
	for _, r := range rows {
		if r.WorkerID == id {
			return true
		}
	}
	return false
}
