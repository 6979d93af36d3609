package forbund_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/finsam/finsam/web"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/finsam/assocreport/pdftext"
	"github.com/finsam/finsam/assocreport/synth"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/forbund"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

func reportServer(t *testing.T, st *store.Store, user string, opts ...func(*web.Config)) (*browser, synth.FixtureIDs, *webtest.Server) {
	t.Helper()
	s, _ := demoServer(t, st, opts...)
	ids := fixture.AssociationReport(t, st)
	b := s.Client(t)
	if rec := b.Login(user, "demo"); rec.Code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", user, rec.Code)
	}
	return b, ids, s
}

// noPersonalData fails when a report shows a participant's name or
// personnummer, or anything that looks like a personnummer.
func noPersonalData(t *testing.T, what string, body []byte, ids synth.FixtureIDs) {
	t.Helper()
	for _, s := range append(append([]string{}, ids.PersonNames...), ids.Personnummer...) {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("%s shows personal data %q", what, s)
		}
	}
	if personnummerLike.Match(body) {
		t.Errorf("%s contains something like a personnummer: %q", what, personnummerLike.Find(body))
	}
}

var personnummerLike = regexp.MustCompile(`\b(19|20)\d{6}-?\d{4}\b`)

var rowCells = regexp.MustCompile(`<th scope="row" class="table__column">Skarphäll</th>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>`)

func TestAssociationReportPage(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		board, ids, s := reportServer(t, st, "styrelse")
		rec := board.Do("GET", "/forbund/finsam-gotland/rapporter", nil)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("board: %d %s", rec.Code, body)
		}
		// The board sees Skarphäll's 7 women and 3 men suppressed.
		if m := rowCells.FindStringSubmatch(body); m == nil || m[1] != ".." || m[2] != "&lt;5" || m[3] != "10" {
			t.Errorf("board's Skarphäll row: %q", m)
		}
		for _, want := range []string{`id="chart-participants-title"`, `role="img"`, "Kostnader per finansiär", `value="2025"`,
			"/forbund/finsam-gotland/rapporter/arsrapport.pdf?year=2025", "uppfoljning-finsam.csv?year=2025"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		noPersonalData(t, "the board's page", rec.Body.Bytes(), ids)

		staff := s.Client(t)
		staff.Login("forbund", "demo")
		rec = staff.Do("GET", "/forbund/finsam-gotland/rapporter?year=2025", nil)
		if m := rowCells.FindStringSubmatch(rec.Body.String()); rec.Code != http.StatusOK || m == nil || m[1] != "7" || m[2] != "3" {
			t.Errorf("staff's Skarphäll row: %d %q", rec.Code, m)
		}
		noPersonalData(t, "the staff's page", rec.Body.Bytes(), ids)

		// In English.
		rec = board.Do("GET", "/forbund/finsam-gotland/rapporter?year=2025&lang=en", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Participants by insats and sex") || !strings.Contains(rec.Body.String(), `lang="en"`) {
			t.Errorf("English page: %d", rec.Code)
		}
		if pdf := board.Do("GET", "/forbund/finsam-gotland/rapporter/arsrapport.pdf?year=2025", nil); pdf.Code == http.StatusOK {
			if text, _ := pdftext.Extract(pdf.Body.Bytes()); !strings.Contains(text, "Yearly report 2025") {
				t.Error("the English PDF lacks its title")
			}
		}

		// One insats.
		rec = board.Do("GET", "/forbund/finsam-gotland/rapporter?year=2025&insats="+itoa(ids.Steget), nil)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `<th scope="row" class="table__column">Skarphäll</th>`) {
			t.Errorf("Steget only: %d", rec.Code)
		}
	})
}

func TestAssociationReportBadInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		b, _, _ := reportServer(t, st, "styrelse")
		var auditBefore int
		st.QueryRow(context.Background(), "SELECT count(*) FROM audit_log").Scan(&auditBefore)
		for _, tt := range []struct{ target, want string }{
			{"/forbund/finsam-gotland/rapporter?year=20x5", "Året ska anges med fyra siffror"},
			{"/forbund/finsam-gotland/rapporter?year=1999", "Året ska anges med fyra siffror"},
			{"/forbund/finsam-gotland/rapporter?year=2025&insats=abc", "Välj en av förbundets insatser"},
			{"/forbund/finsam-gotland/rapporter?year=2025&insats=999999", "Välj en av förbundets insatser"},
			{"/forbund/finsam-gotland/rapporter?year=2010", "Det finns inga uppgifter för 2010"},
			{"/forbund/finsam-gotland/rapporter/arsrapport.pdf?year=2010", "Det finns inga uppgifter för 2010"},
			{"/forbund/finsam-gotland/rapporter/arsrapport.xlsx?year=abc", "Året ska anges"},
			{"/forbund/finsam-gotland/rapporter/uppfoljning-finsam.csv?year=2010", "Det finns inga uppgifter för 2010"},
		} {
			rec := b.Do("GET", tt.target, nil)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), tt.want) ||
				!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Errorf("%s: %d %s, want 422 with %q", tt.target, rec.Code, rec.Header().Get("Content-Type"), tt.want)
			}
		}
		// The form keeps what was typed.
		if rec := b.Do("GET", "/forbund/finsam-gotland/rapporter?year=20x5", nil); !strings.Contains(rec.Body.String(), `value="20x5"`) {
			t.Error("the bad year is not kept in the form")
		}
		// Reports write nothing, not even an audit entry: they hold no
		// personal data.
		var auditAfter int
		st.QueryRow(context.Background(), "SELECT count(*) FROM audit_log").Scan(&auditAfter)
		if auditAfter != auditBefore {
			t.Errorf("audit entries %d → %d", auditBefore, auditAfter)
		}
	})
}

func TestAssociationReportDownloads(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		// Even the staff's downloads are suppressed: files leave the
		// association.
		b, ids, _ := reportServer(t, st, "forbund")

		rec := b.Do("GET", "/forbund/finsam-gotland/rapporter/arsrapport.pdf?year=2025", nil)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" ||
			rec.Header().Get("Content-Disposition") != `attachment; filename="verksamhetsberattelse-finsam-gotland-2025.pdf"` {
			t.Fatalf("PDF: %d %v", rec.Code, rec.Header())
		}
		if !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
		text, err := pdftext.Extract(rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Verksamhetsberättelse 2025", "Samordningsförbundet Gotland", "Skarphäll", "Deltagare per insats och kön", "<5"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		noPersonalData(t, "the PDF", []byte(text), ids)
		noPersonalData(t, "the PDF file", rec.Body.Bytes(), ids)

		rec = b.Do("GET", "/forbund/finsam-gotland/rapporter/arsrapport.xlsx?year=2025", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), `verksamhetsberattelse-finsam-gotland-2025.xlsx`) {
			t.Fatalf("XLSX: %d %v", rec.Code, rec.Header())
		}
		x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheets := x.GetSheetList()
		if len(sheets) != 10 || sheets[1] != "Deltagare per insats och kön" {
			t.Errorf("sheets %v", sheets)
		}
		if v, _ := x.GetCellValue(sheets[1], "C3"); v != "<5" {
			t.Errorf("XLSX Skarphäll men = %q, want <5", v)
		}
		var cells bytes.Buffer
		for _, sh := range sheets {
			rows, _ := x.GetRows(sh)
			for _, row := range rows {
				cells.WriteString(strings.Join(row, "\t") + "\n")
			}
		}
		if !strings.Contains(cells.String(), "Skarphäll") {
			t.Error("the XLSX's cells were not read")
		}
		noPersonalData(t, "the XLSX", cells.Bytes(), ids)
		x.Close()

		for _, target := range []string{"/forbund/finsam-gotland/rapporter/uppfoljning-finsam.csv?year=2025",
			"/api/v1/associations/finsam-gotland/reports/uppfoljning-finsam.csv?year=2025"} {
			rec = b.Do("GET", target, nil)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
				rec.Header().Get("Content-Disposition") != `attachment; filename="uppfoljning-finsam-finsam-gotland-2025.csv"` {
				t.Fatalf("%s: %d %v", target, rec.Code, rec.Header())
			}
			recs, err := webtest.CSVRecords(rec.Body.String())
			if err != nil || len(recs) != 5 || recs[0][4] != "Kvinnor" || recs[3][2] != "Skarphäll" || recs[3][5] != "<5" || recs[4][4] != "5" {
				t.Errorf("%s: %q %v", target, recs, err)
			}
			noPersonalData(t, target, rec.Body.Bytes(), ids)
		}
	})
}

func TestAssociationReportAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		b, ids, _ := reportServer(t, st, "styrelse")
		rec := b.Do("GET", "/api/v1/associations/finsam-gotland/reports/yearly?year=2025", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("yearly: %d %s", rec.Code, rec.Body)
		}
		var rep forbund.APIYearlyReport
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Year != 2025 || rep.Association.Slug != "finsam-gotland" || rep.Insats != nil || len(rep.Tables) != 9 {
			t.Fatalf("yearly = %+v", rep)
		}
		parts := rep.Tables[0]
		if parts.ID != "participants" || !parts.TotalRow || strings.Join(parts.Rows[1], "|") != "Skarphäll|..|<5|10|12" {
			t.Errorf("participants = %+v", parts)
		}
		noPersonalData(t, "the API", rec.Body.Bytes(), ids)

		rec = b.Do("GET", "/api/v1/associations/finsam-gotland/reports/yearly?year=2025&insats="+itoa(ids.Skarphall), nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"insats":{"id":`+itoa(ids.Skarphall)+`,"name":"Skarphäll"}`) {
			t.Errorf("one insats: %d %s", rec.Code, rec.Body)
		}

		for _, tt := range []struct {
			target string
			status int
			code   string
		}{
			{"/api/v1/associations/finsam-gotland/reports/yearly", 400, "year_required"},
			{"/api/v1/associations/finsam-gotland/reports/uppfoljning-finsam.csv", 400, "year_required"},
			{"/api/v1/associations/finsam-gotland/reports/yearly?year=abc", 422, "validation_failed"},
			{"/api/v1/associations/finsam-gotland/reports/uppfoljning-finsam.csv?year=99999", 422, "validation_failed"},
			{"/api/v1/associations/finsam-gotland/reports/yearly?year=2025&insats=0", 422, "validation_failed"},
			{"/api/v1/associations/finsam-gotland/reports/yearly?year=2025&insats=999999", 422, "validation_failed"},
			{"/api/v1/associations/finsam-gotland/reports/yearly?year=2010", 422, "no_data"},
			{"/api/v1/associations/finsam-gotland/reports/uppfoljning-finsam.csv?year=2010", 422, "no_data"},
			{"/api/v1/associations/no-such/reports/yearly?year=2025", 404, "not_found"},
		} {
			rec := b.Do("GET", tt.target, nil)
			var e site.APIErrorBody
			json.Unmarshal(rec.Body.Bytes(), &e)
			if rec.Code != tt.status || e.Error.Code != tt.code {
				t.Errorf("%s: %d %s, want %d %s", tt.target, rec.Code, rec.Body, tt.status, tt.code)
			}
			if tt.code == "validation_failed" && (len(e.Error.Fields) == 0 || e.Error.Fields[0].Code == "") {
				t.Errorf("%s: no per-field codes: %s", tt.target, rec.Body)
			}
		}
	})
}

// TestAssociationReportMessagesExist checks the message ids that the
// report code builds (assocreport and these files use a translator
// function, which TestFeatureMessagesComplete's scan does not see).
