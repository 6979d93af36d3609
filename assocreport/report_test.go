package assocreport_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/assocreport/pdftext"
	"github.com/finsam/finsam/assocreport/synth"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

var codes = association.MustDefaultCodeLists()

// gotland makes an association with FK, AF, a region and a municipality as
// members, and a staff user.
func gotland(t *testing.T, st *store.Store) (organisation.Organisation, int64) {
	t.Helper()
	ctx := context.Background()
	var assoc organisation.Organisation
	var staff int64
	storetest.Write(t, st, func(tx *store.Tx) error {
		var err error
		assoc, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "finsam-gotland", Name: "Samordningsförbundet Gotland", Type: organisation.Association})
		if err != nil {
			return err
		}
		for _, o := range []organisation.Organisation{
			{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK},
			{Slug: "af", Name: "Arbetsförmedlingen", Type: organisation.AF},
			{Slug: "region-gotland", Name: "Region Gotland", Type: organisation.Region, Code: "09"},
			{Slug: "gotlands-kommun", Name: "Gotlands kommun", Type: organisation.Municipality, Code: "0980"},
		} {
			m, err := store.CreateOrganisation(ctx, tx, o)
			if err != nil {
				return err
			}
			if err := store.AddAssociationMember(ctx, tx, assoc.ID, m.ID); err != nil {
				return err
			}
		}
		staff, err = store.CreateUser(ctx, tx, store.User{Username: "forbund", Name: "Frida Förbundschef", OrgID: assoc.ID, Roles: account.RolesOf(account.AssociationStaff)})
		return err
	})
	return assoc, staff
}

func build(t *testing.T, st *store.Store, req assocreport.Request) (assocreport.Report, error) {
	t.Helper()
	var r assocreport.Report
	err := st.ReadTx(context.Background(), func(tx *store.Tx) error {
		var err error
		r, err = assocreport.Build(context.Background(), tx, codes, req)
		return err
	})
	return r, err
}

// gotlandFixture is gotland filled with the synthetic fixture.
func gotlandFixture(t *testing.T, st *store.Store) (organisation.Organisation, synth.FixtureIDs) {
	t.Helper()
	assoc, staff := gotland(t, st)
	ids, err := synth.Fixture(context.Background(), st, assoc, staff)
	if err != nil {
		t.Fatal(err)
	}
	return assoc, ids
}

// fixtureReport is the report of the fixture's year for gotlandFixture.
func fixtureReport(t *testing.T, st *store.Store) (organisation.Organisation, synth.FixtureIDs, assocreport.Report) {
	t.Helper()
	assoc, ids := gotlandFixture(t, st)
	r, err := build(t, st, assocreport.Request{Association: assoc, Year: synth.FixtureYear})
	if err != nil {
		t.Fatal(err)
	}
	return assoc, ids, r
}

func identity(id string) string { return id }

func TestYearlyReportFromFixture(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		assoc, ids, r := fixtureReport(t, st)
		kr := association.Kr
		want := []assocreport.InsatsFigures{
			{ID: ids.Forum, Name: "Samverkansforum", Kind: association.Structural, Budget: kr(100_000), Spent: kr(90_000)},
			{ID: ids.Skarphall, Name: "Skarphäll", Kind: association.Individual, Planned: 12, Female: 7, Male: 3, Budget: kr(500_000), Spent: kr(480_000)},
			{ID: ids.Steget, Name: "Steget", Kind: association.Individual, Planned: 8, Female: 5, Budget: kr(300_000), Spent: kr(310_000)},
		}
		if !reflect.DeepEqual(r.Insatser, want) {
			t.Errorf("insatser = %+v\nwant %+v", r.Insatser, want)
		}
		if r.Administration != (assocreport.Money{Budget: kr(1_000_000), Outcome: kr(950_000)}) {
			t.Errorf("administration = %+v", r.Administration)
		}
		wantFin := []assocreport.Money{{Financier: association.FinancierState, Budget: kr(1_500_000), Outcome: kr(1_430_000)},
			{Financier: association.FinancierRegion, Budget: kr(300_000), Outcome: kr(310_000)}, {Financier: association.FinancierMunicipality, Budget: kr(100_000), Outcome: kr(90_000)}}
		if !reflect.DeepEqual(r.Financiers, wantFin) {
			t.Errorf("financiers = %+v", r.Financiers)
		}
		if r.WorkStudies != (store.WorkStudies{Measured: 5, Work: 4, Studies: 1, WorkOrStudies: 5}) {
			t.Errorf("work or studies = %+v", r.WorkStudies)
		}
		if r.Excluded != 1 || !reflect.DeepEqual(r.EndReasons, []store.CodeCount{{Code: "work", N: 4}, {Code: "studies", N: 1}}) {
			t.Errorf("end reasons = %+v, excluded %d", r.EndReasons, r.Excluded)
		}
		if r.Durations.N != 5 {
			t.Errorf("durations = %+v", r.Durations)
		}
		if !r.HasEquity || r.Equity != kr(400_000) || len(r.Contributions) != 1 || r.Contributions[0].Member != "Försäkringskassan" {
			t.Errorf("equity %v %v, contributions %+v", r.HasEquity, r.Equity, r.Contributions)
		}

		// Published: the participants table with its totals is
		// suppressed so that no total gives a small cell back.
		tables := r.Tables(identity, codes, "sv", assocreport.Publisher{})
		parts := tables[0]
		var got [][]string
		for _, row := range parts.Rows {
			var line []string
			for _, c := range row {
				line = append(line, c.Text)
			}
			got = append(got, line)
		}
		wantParts := [][]string{
			{"Samverkansforum", "0", "0", "0", "0"},
			{"Skarphäll", "..", "<5", "10", "12"},
			{"Steget", "5", "0", "5", "8"},
			{"assoc.rep.total", "..", "<5", "15", "20"},
		}
		if !reflect.DeepEqual(got, wantParts) {
			t.Errorf("published participants = %v\nwant %v", got, wantParts)
		}
		// Staff see the exact figures.
		exact := r.Tables(identity, codes, "sv", assocreport.Publisher{Exact: true})[0]
		if exact.Rows[1][1].Text != "7" || exact.Rows[1][2].Text != "3" || exact.Rows[3][3].Text != "15" {
			t.Errorf("exact participants = %+v", exact.Rows)
		}
		// Of the 5 measured, 4 are in work and 1 in studies: both are
		// small, so the share (which with the total would give their sum
		// back) is hidden outside the staff's view.
		if s := r.Summary(identity, assocreport.Publisher{}); s[3].Value != "–" {
			t.Errorf("published summary = %+v", s)
		}
		if s := r.Summary(identity, assocreport.Publisher{Exact: true}); s[3].Value != "100,0 %" {
			t.Errorf("exact summary = %+v", s)
		}
		big := r
		big.WorkStudies = store.WorkStudies{Measured: 40, Work: 12, Studies: 6, WorkOrStudies: 18}
		big.Occupation = []assocreport.PhaseCount{{Code: "employed", Start: 5, End: 12}, {Code: "studies", Start: 0, End: 6}, {Code: "job_seeking", Start: 35, End: 22}}
		if s := big.Summary(identity, assocreport.Publisher{}); s[3].Value != "45,0 %" {
			t.Errorf("summary with large counts = %+v", s)
		}
		// The same sums would give a hidden occupation back: employed
		// subsidised 2 (<5) = work 12 − employed 10.
		linked := big
		linked.Occupation = []assocreport.PhaseCount{{Code: "employed", Start: 5, End: 10}, {Code: "employed_subsidised", Start: 5, End: 2},
			{Code: "studies", Start: 0, End: 6}, {Code: "job_seeking", Start: 30, End: 22}}
		if s := linked.Summary(identity, assocreport.Publisher{}); s[3].Value != "–" {
			t.Errorf("summary beside a hidden occupation = %+v", s)
		}
		var wsRows []string
		for _, t := range linked.Tables(identity, codes, "sv", assocreport.Publisher{}) {
			if t.ID == "workstudies" {
				for _, row := range t.Rows {
					wsRows = append(wsRows, row[1].Text)
				}
			}
		}
		if strings.Join(wsRows, " ") != "40 .. .. .. .. –" {
			t.Errorf("work and studies beside a hidden occupation = %v", wsRows)
		}
		// One insats.
		one, err := build(t, st, assocreport.Request{Association: assoc, Year: synth.FixtureYear, InsatsID: ids.Steget})
		if err != nil || one.InsatsName != "Steget" || len(one.Insatser) != 1 || one.Insatser[0].Female != 5 || one.Administration != (assocreport.Money{}) ||
			!reflect.DeepEqual(one.Financiers, []assocreport.Money{{Financier: association.FinancierRegion, Budget: kr(300_000), Outcome: kr(310_000)}}) {
			t.Errorf("Steget only = %+v, %v", one, err)
		}
	})
}

func TestYearlyReportWithoutData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		assoc, _ := gotlandFixture(t, st)
		for _, year := range []int{2010, 0, 99999} {
			if _, err := build(t, st, assocreport.Request{Association: assoc, Year: year}); !errors.Is(err, store.ErrReportPeriod) {
				t.Errorf("year %d: %v, want ErrReportPeriod", year, err)
			}
		}
		if _, err := build(t, st, assocreport.Request{Association: assoc, Year: 2025, InsatsID: 999999}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown insats: %v", err)
		}
	})
}

func TestUppfoljningCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		assoc, _ := gotlandFixture(t, st)
		rows, err := assocreport.Uppfoljning(context.Background(), st, codes, assoc.ID, synth.FixtureYear)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := assocreport.WriteUppfoljningCSV(&buf, rows); err != nil {
			t.Fatal(err)
		}
		body := buf.String()
		if !strings.HasPrefix(body, "\ufeff") || !strings.Contains(body, "\r\n") {
			t.Errorf("want a BOM and CRLF: %q", body[:20])
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		cr.Comma = ';'
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			assocreport.UppfoljningHeader,
			{"Samordningsförbundet Gotland", "2025", "Administration", "", "", "", "", "1000000", "950000"},
			{"Samordningsförbundet Gotland", "2025", "Samverkansforum", "Strukturövergripande", "", "", "", "100000", "90000"},
			{"Samordningsförbundet Gotland", "2025", "Skarphäll", "Individinriktad", "..", "<5", "10", "500000", "480000"},
			{"Samordningsförbundet Gotland", "2025", "Steget", "Individinriktad", "5", "0", "5", "300000", "310000"},
		}
		if !reflect.DeepEqual(recs, want) {
			t.Errorf("CSV = %q\nwant %q", recs, want)
		}
		if _, err := assocreport.Uppfoljning(context.Background(), st, codes, assoc.ID, 2010); !errors.Is(err, assocreport.ErrNoData) {
			t.Errorf("empty year: %v", err)
		}
	})
}

// TestSynthLoadAgreesWithTheDatabase loads a small generated set and checks
// the report's sums against counts taken straight from the tables.
func TestSynthLoadAgreesWithTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cfg := synth.Config{Seed: 1, Associations: 2, FirstYear: 2024, Years: 2, ParticipantsPerYear: 30, Insatser: 4, Prefix: "t"}
		res, err := synth.Load(ctx, st, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Participants != 120 || len(res.Associations) != 2 {
			t.Fatalf("loaded %+v", res)
		}
		for _, a := range res.Associations {
			r, err := build(t, st, assocreport.Request{Association: a, Year: 2025})
			if err != nil {
				t.Fatal(err)
			}
			f, m := r.Participants()
			var want int64
			if err := st.QueryRow(ctx, `SELECT count(*) FROM participants WHERE association_id = $1 AND start_on <= '2025-12-31'
				AND (end_on IS NULL OR end_on >= '2025-01-01') AND end_reason <> 'wrong_registration'`, a.ID).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if f+m != want || want == 0 {
				t.Errorf("%s: report counts %d participants, the table %d", a.Slug, f+m, want)
			}
			var budget int64
			if err := st.QueryRow(ctx, `SELECT COALESCE(SUM(amount_ore), 0) FROM association_budget_lines WHERE association_id = $1 AND year = 2025 AND entry = 'budget'`, a.ID).Scan(&budget); err != nil {
				t.Fatal(err)
			}
			var sum association.Ore
			for _, m := range r.Financiers {
				sum += m.Budget
			}
			if int64(sum) != budget {
				t.Errorf("%s: budget by financier %d, table %d", a.Slug, sum, budget)
			}
		}
		// Deterministic: the same seed gives the same data.
		var n1 int64
		st.QueryRow(ctx, "SELECT SUM(insats_id * 7 + length(sex) + length(age_group)) FROM participants").Scan(&n1)
		st2 := storetest.Open(t, st.Dialect())
		if _, err := synth.Load(ctx, st2, cfg); err != nil {
			t.Fatal(err)
		}
		var n2 int64
		st2.QueryRow(ctx, "SELECT SUM(insats_id * 7 + length(sex) + length(age_group)) FROM participants").Scan(&n2)
		if n1 != n2 {
			t.Errorf("same seed, different data: %d vs %d", n1, n2)
		}
	})
}

func TestYearlyReportPDF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, ids, r := fixtureReport(t, st)
		var buf bytes.Buffer
		created := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
		if err := assocreport.WritePDF(&buf, r, assocreport.Options{T: identity, Codes: codes, Lang: "sv", Created: created}); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Fatalf("not a PDF: %q", buf.Bytes()[:10])
		}
		text, err := pdftext.Extract(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Samordningsförbundet Gotland", "Skarphäll", "Samverkansforum", "assoc.rep.pdf.title 2025", "<5", "..", "1 000 000,00"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		for _, secret := range append(ids.PersonNames, ids.Personnummer...) {
			if strings.Contains(text, secret) || bytes.Contains(buf.Bytes(), []byte(secret)) {
				t.Errorf("the PDF shows personal data %q", secret)
			}
		}
		// The exact count of men in Skarphäll (3) is suppressed: the
		// table row shows "<5".
		if strings.Contains(text, "Skarphäll\n7\n3") {
			t.Error("the PDF shows Skarphäll's exact counts")
		}
	})
}

func TestYearlyReportXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, _, r := fixtureReport(t, st)
		var buf bytes.Buffer
		if err := assocreport.WriteXLSX(&buf, r, assocreport.Options{T: identity, Codes: codes, Lang: "sv", Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		tables := r.Tables(identity, codes, "sv", assocreport.Publisher{})
		if len(sheets) != len(tables)+1 {
			t.Errorf("sheets %v, want a summary and %d tables", sheets, len(tables))
		}
		// Participants: Steget's 5 women is a number, Skarphäll's men "<5".
		sheet := "assoc.rep.t.participants"
		if typ, _ := x.GetCellType(sheet, "B4"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("B4 type %v", typ)
		}
		if v, _ := x.GetCellValue(sheet, "B4"); v != "5" {
			t.Errorf("Steget women = %q", v)
		}
		if v, _ := x.GetCellValue(sheet, "C3"); v != "<5" {
			t.Errorf("Skarphäll men = %q", v)
		}
		if v, _ := x.GetCellValue("assoc.rep.t.budget", "B2"); v != "1000000" {
			t.Errorf("administration budget = %q", v)
		}
	})
}
