package assocreport

// The export for Försäkringskassan's Uppföljning Finsam, which replaced SUS
// for Finsam in 2023. Uppföljning Finsam records, per
// insats, the inriktning (individinriktad or strukturövergripande), budget
// and outcome, and for individual insatser "antal deltagare i
// individinriktade insatser fördelat på kön"
// (https://www.finsam.se/uppfoljning/behorigheter/anvandare-i-uppfoljning-finsam/behorighetsroller);
// the förbundsadministratör also enters the administration's budget and
// outcome. An insats with both individual and structural parts is
// registered as two insatser with different names, and individual insatser
// are no longer split into volume and individual follow-up
// (https://www.finsam.se/uppfoljning/anvandarhandledning). No file format
// for importing into Uppföljning Finsam was found (unconfirmed): the
// figures are typed into its web forms, so this CSV has one row per insats
// with exactly those figures, in that order, for the person who types them.
//
// The file is what Swedish Excel opens by double-click, like the quality
// export (docs/adr/0009-xlsx-export.md): UTF-8 with a byte-order mark (without
// it Excel reads å, ä, ö as cp1252), semicolons (Excel's list separator in a
// Swedish locale, where the comma is the decimal sign), CRLF line ends,
// amounts in kronor with a decimal comma and no digit grouping. Counts of
// 1–4 are "<5", and ".." hides a count that with a total would give such a
// count back (SuppressTable): the export leaves the association.

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
)

// UppfoljningRow is one row of the export: an insats, or an association's
// administration (InsatsID 0).
type UppfoljningRow struct {
	Association string
	Year        int
	InsatsID    int64
	Insats      string
	Kind        association.Kind // "" for the administration
	Female      int64
	Male        int64
	Budget      association.Ore
	Outcome     association.Ore
}

// Uppfoljning reads the export's rows for one association (or, with 0,
// every association) and year: each insats with participants, budget or
// outcome in the year, and each association's administration when it has
// budget or outcome. It returns ErrNoData for a year without rows.
func Uppfoljning(ctx context.Context, q store.Querier, codes *association.CodeLists, associationID int64, year int) ([]UppfoljningRow, error) {
	if year < MinYear || year > MaxYear {
		return nil, ErrNoData
	}
	from, _ := civil.New(year, 1, 1)
	to, _ := civil.New(year, 12, 31)
	insatser, err := store.ReportInsatser(ctx, q, associationID)
	if err != nil {
		return nil, err
	}
	f := store.ReportFilter{AssociationID: associationID, From: from, To: to,
		ExcludeEndReasons: codes.WithFlag(association.ListEndReason, association.FlagExclude)}
	bySex, err := store.ParticipantsBySex(ctx, q, f)
	if err != nil {
		return nil, err
	}
	money, err := store.BudgetOutcomeByInsats(ctx, q, associationID, year, year)
	if err != nil {
		return nil, err
	}
	// Rows in the order of insatser (by association, then name), each
	// association's administration first.
	idx := make(map[int64]int, len(insatser))
	admin := map[int64]*UppfoljningRow{}
	rows := make([]UppfoljningRow, 0, len(insatser))
	used := make([]bool, len(insatser))
	for i, in := range insatser {
		idx[in.ID] = i
		rows = append(rows, UppfoljningRow{Association: in.Association, Year: year, InsatsID: in.ID, Insats: in.Name, Kind: in.Kind})
	}
	for _, c := range bySex {
		i, ok := idx[c.InsatsID]
		if !ok {
			continue
		}
		used[i] = true
		switch c.Sex {
		case "female":
			rows[i].Female += c.N
		case "male":
			rows[i].Male += c.N
		}
	}
	for _, b := range money {
		if b.Kind == store.LineAdministration {
			continue
		}
		if i, ok := idx[b.InsatsID]; ok {
			used[i] = true
			rows[i].Budget += b.Budget
			rows[i].Outcome += b.Outcome
		}
	}
	// The administration has no insats: its rows are summed per association.
	var adminOf []int64
	adminMoney, err := store.AdministrationBudgets(ctx, q, associationID, year)
	if err != nil {
		return nil, err
	}
	for _, a := range adminMoney {
		if a.Budget == 0 && a.Outcome == 0 {
			continue
		}
		admin[a.AssociationID] = &UppfoljningRow{Association: a.Association, Year: year, Budget: a.Budget, Outcome: a.Outcome}
		adminOf = append(adminOf, a.AssociationID)
	}
	var out []UppfoljningRow
	seen := map[int64]bool{}
	for i, in := range insatser {
		if !seen[in.AssociationID] {
			seen[in.AssociationID] = true
			if a := admin[in.AssociationID]; a != nil {
				out = append(out, *a)
			}
		}
		if used[i] {
			out = append(out, rows[i])
		}
	}
	for _, id := range adminOf {
		if !seen[id] {
			out = append(out, *admin[id])
		}
	}
	if len(out) == 0 {
		return nil, ErrNoData
	}
	return out, nil
}

// UppfoljningHeader is the CSV's header in Swedish: the names Uppföljning
// Finsam's forms use for the figures.
var UppfoljningHeader = []string{"Samordningsförbund", "År", "Insats", "Inriktning", "Kvinnor", "Män", "Totalt", "Budget (kr)", "Utfall (kr)"}

// WriteUppfoljningCSV writes rows as the export (see the top of this
// file). Participant counts are published for individual insatser only,
// as Uppföljning Finsam asks, and always suppressed.
func WriteUppfoljningCSV(w io.Writer, rows []UppfoljningRow) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(UppfoljningHeader); err != nil {
		return err
	}
	// The counts are suppressed as one table (SuppressTable), like the
	// participants table of the report page, so that the two, published
	// side by side, show the same cells and neither gives the other's
	// hidden values back.
	var cells [][]int64
	for _, r := range rows {
		if r.Kind == association.Individual {
			cells = append(cells, []int64{r.Female, r.Male})
		}
	}
	shown, totals, _, _ := SuppressTable(cells)
	k := 0
	for _, r := range rows {
		insats, kind := r.Insats, r.Kind.Label()
		if r.InsatsID == 0 {
			insats, kind = "Administration", ""
		}
		var female, male, total string
		if r.Kind == association.Individual {
			female, male, total = shown[k][0], shown[k][1], totals[k]
			k++
		}
		rec := []string{csvText(r.Association), strconv.Itoa(r.Year), csvText(insats), kind, female, male, total, Kronor(r.Budget), Kronor(r.Outcome)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Kronor writes an amount as Swedish Excel reads a number: kronor, a
// decimal comma for öre, no digit grouping ("450000", "-12,50").
func Kronor(o association.Ore) string {
	s := o.Number()
	s = strings.ReplaceAll(s, " ", "")
	return strings.TrimSuffix(s, ",00")
}

// csvText keeps a name from running as a formula in a spreadsheet.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
