package assocreport

import (
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/store"
)

// Cell is one published value of a table.
type Cell struct {
	// Text is the value as shown: a number, an amount ("1 234,50"), a
	// label, or a suppressed count ("<5", "..").
	Text string
	// Value is the number behind Text when Number is set (kronor for
	// amounts): what a spreadsheet stores and a chart draws.
	Value  float64
	Number bool
}

// Hidden reports whether the cell is a count that is not published ("<5",
// ".."): it has text but no number, and a chart has no length to draw.
func (c Cell) Hidden() bool { return !c.Number && c.Text != "" }

// Table is a table of the report as published: the same tables make the
// page, the PDF and the XLSX, so none of them can show more than another.
type Table struct {
	// ID names the table in code, XLSX sheet names and page anchors.
	ID    string
	Title string
	Head  []string
	// Numeric marks the columns that hold numbers (right-aligned).
	Numeric []bool
	// Rows; the first cell of each row is its header. A last row may be
	// the total (Total set).
	Rows  [][]Cell
	Total bool
	// Note explains the table, e.g. how small counts are shown.
	Note string
}

// Parts is the table without its total row, for a chart of its parts.
func (t Table) Parts() Table {
	if t.Total && len(t.Rows) > 0 {
		t.Rows = t.Rows[:len(t.Rows)-1]
	}
	return t
}

// Translator gives the text of a message id (the web package's messages,
// ids prefixed "assoc.rep.").
type Translator func(id string) string

// Publisher formats counts of people. For the association's own staff
// (Exact) every count is shown; for everyone else small counts are
// suppressed (association.CountCell, SuppressTable).
type Publisher struct {
	Exact bool
}

func text(s string) Cell { return Cell{Text: s} }

func countCell(s string) Cell {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return Cell{Text: s}
	}
	return Cell{Text: s, Value: float64(n), Number: true}
}

func moneyCell(o association.Ore) Cell {
	return Cell{Text: o.Number(), Value: float64(o) / 100, Number: true}
}

func plainCount(n int64) Cell { return countCell(strconv.FormatInt(n, 10)) }

// one formats a lone count.
func (p Publisher) one(n int64) Cell {
	if p.Exact {
		return plainCount(n)
	}
	return countCell(association.CountCell(n))
}

// table formats a table of counts with its totals.
func (p Publisher) table(cells [][]int64) (shown [][]Cell, rowTotals, colTotals []Cell, grand Cell) {
	var s [][]string
	var rt, ct []string
	var g string
	if p.Exact {
		s = make([][]string, len(cells))
		var cols []int64
		var all int64
		for i, r := range cells {
			var sum int64
			for j, n := range r {
				s[i] = append(s[i], strconv.FormatInt(n, 10))
				sum += n
				for len(cols) <= j {
					cols = append(cols, 0)
				}
				cols[j] += n
			}
			rt = append(rt, strconv.FormatInt(sum, 10))
			all += sum
		}
		for _, n := range cols {
			ct = append(ct, strconv.FormatInt(n, 10))
		}
		g = strconv.FormatInt(all, 10)
	} else {
		s, rt, ct, g = SuppressTable(cells)
	}
	for _, r := range s {
		row := make([]Cell, len(r))
		for j, v := range r {
			row[j] = countCell(v)
		}
		shown = append(shown, row)
	}
	for _, v := range rt {
		rowTotals = append(rowTotals, countCell(v))
	}
	for _, v := range ct {
		colTotals = append(colTotals, countCell(v))
	}
	return shown, rowTotals, colTotals, countCell(g)
}

// Summary is the report's key figures as label and value.
type Summary struct {
	Label, Value string
}

// Summary lists the key figures.
func (r Report) Summary(T Translator, p Publisher) []Summary {
	female, male := r.Participants()
	_, _, _, all := p.table([][]int64{{female, male}})
	var budget, outcome association.Ore
	budget, outcome = r.Administration.Budget, r.Administration.Outcome
	for _, in := range r.Insatser {
		budget += in.Budget
		outcome += in.Spent
	}
	out := []Summary{
		{T("assoc.rep.sum.insatser"), strconv.Itoa(len(r.Insatser))},
		{T("assoc.rep.sum.participants"), all.Text},
		{T("assoc.rep.sum.ended"), p.one(r.Durations.N).Text},
		{T("assoc.rep.sum.workstudies"), r.shareWorkStudies(p)},
		{T("assoc.rep.sum.budget"), budget.String()},
		{T("assoc.rep.sum.outcome"), outcome.String()},
	}
	if r.HasEquity {
		out = append(out, Summary{T("assoc.rep.sum.equity"), r.Equity.String()})
	}
	return out
}

// shareWorkStudies is the share in work or studies at the end, in per
// cent with one decimal, or "–" when it could reveal a suppressed count.
func (r Report) shareWorkStudies(p Publisher) string {
	ws := r.WorkStudies
	if ws.Measured == 0 || !r.workStudiesShown(p) {
		return "–"
	}
	tenths := (ws.WorkOrStudies*1000 + ws.Measured/2) / ws.Measured
	return strconv.FormatInt(tenths/10, 10) + "," + strconv.FormatInt(tenths%10, 10) + " %"
}

// workStudiesShown reports whether work, studies, neither and their total
// are all published, so that sums and shares of them reveal nothing more.
// They are sums of the occupation table's end column too (each occupation
// counts as work, studies or neither): while that column hides a cell,
// publishing the sums could give it back, so they are hidden as well.
func (r Report) workStudiesShown(p Publisher) bool {
	if p.Exact {
		return true
	}
	ws := r.WorkStudies
	shown, _, _, total := SuppressTable([][]int64{{ws.Work, ws.Studies, ws.Measured - ws.WorkOrStudies}})
	hidden := func(c string) bool { return c == association.Suppressed || c == association.Withheld }
	for _, c := range append(shown[0], total) {
		if hidden(c) {
			return false
		}
	}
	for _, row := range r.occupationCells() {
		if hidden(row[1]) {
			return false
		}
	}
	return true
}

// occupationCells are the published cells of the occupation table (start,
// end), as SuppressTable gives them.
func (r Report) occupationCells() [][]string {
	var cells [][]int64
	for _, c := range r.Occupation {
		cells = append(cells, []int64{c.Start, c.End})
	}
	shown, _, _, _ := SuppressTable(cells)
	return shown
}

// Tables are the report's tables in the order of the report.
func (r Report) Tables(T Translator, codes *association.CodeLists, lang string, p Publisher) []Table {
	tc := tableContext{T: T, codes: codes, lang: lang, p: p}
	if !p.Exact {
		tc.note = T("assoc.rep.note.suppressed")
	}
	out := []Table{
		r.participantsTable(tc),
		r.budgetTable(tc),
		r.financiersTable(tc),
		r.incomeTable(tc),
		r.occupationTable(tc),
		r.workStudiesTable(tc),
		r.durationTable(tc),
		r.endReasonsTable(tc),
	}
	if r.InsatsID == 0 {
		out = append(out, r.contributionsTable(tc))
	}
	return out
}

// tableContext is what every table of a report is drawn with.
type tableContext struct {
	T     Translator
	codes *association.CodeLists
	lang  string
	p     Publisher
	note  string // says that small counts are suppressed; "" when they are exact
}

// participantsTable: participants by insats and sex, planned against actual.
func (r Report) participantsTable(tc tableContext) Table {
	T := tc.T
	parts := Table{ID: "participants", Title: T("assoc.rep.t.participants"), Note: tc.note, Total: true,
		Head:    []string{T("assoc.rep.col.insats"), T("assoc.rep.col.female"), T("assoc.rep.col.male"), T("assoc.rep.col.total"), T("assoc.rep.col.planned")},
		Numeric: []bool{false, true, true, true, true}}
	var cells [][]int64
	var planned int64
	for _, in := range r.Insatser {
		cells = append(cells, []int64{in.Female, in.Male})
		planned += int64(in.Planned)
	}
	shown, rowT, colT, grand := tc.p.table(cells)
	for i, in := range r.Insatser {
		parts.Rows = append(parts.Rows, []Cell{text(in.Name), shown[i][0], shown[i][1], rowT[i], plainCount(int64(in.Planned))})
	}
	if len(colT) < 2 {
		colT = []Cell{plainCount(0), plainCount(0)}
	}
	parts.Rows = append(parts.Rows, []Cell{text(T("assoc.rep.total")), colT[0], colT[1], grand, plainCount(planned)})
	return parts
}

// budgetTable: budget and outcome by insats, with the administration when
// the report is of the whole association.
func (r Report) budgetTable(tc tableContext) Table {
	T := tc.T
	money := Table{ID: "budget", Title: T("assoc.rep.t.budget"), Total: true,
		Head:    []string{T("assoc.rep.col.line"), T("assoc.rep.col.budget"), T("assoc.rep.col.outcome"), T("assoc.rep.col.diff")},
		Numeric: []bool{false, true, true, true}}
	var tb, to association.Ore
	addMoney := func(label string, b, o association.Ore) {
		money.Rows = append(money.Rows, []Cell{text(label), moneyCell(b), moneyCell(o), moneyCell(b - o)})
		tb += b
		to += o
	}
	if r.InsatsID == 0 {
		addMoney(T("assoc.rep.administration"), r.Administration.Budget, r.Administration.Outcome)
	}
	for _, in := range r.Insatser {
		addMoney(in.Name, in.Budget, in.Spent)
	}
	money.Rows = append(money.Rows, []Cell{text(T("assoc.rep.total")), moneyCell(tb), moneyCell(to), moneyCell(tb - to)})
	return money
}

// financiersTable: costs by financier (SUS's Kostnadsrapport).
func (r Report) financiersTable(tc tableContext) Table {
	T := tc.T
	fin := Table{ID: "financiers", Title: T("assoc.rep.t.financiers"), Total: true,
		Head:    []string{T("assoc.rep.col.financier"), T("assoc.rep.col.budget"), T("assoc.rep.col.outcome")},
		Numeric: []bool{false, true, true}}
	var tb, to association.Ore
	for _, m := range r.Financiers {
		fin.Rows = append(fin.Rows, []Cell{text(T("assoc.rep.fin." + string(m.Financier))), moneyCell(m.Budget), moneyCell(m.Outcome)})
		tb += m.Budget
		to += m.Outcome
	}
	fin.Rows = append(fin.Rows, []Cell{text(T("assoc.rep.total")), moneyCell(tb), moneyCell(to)})
	return fin
}

// incomeTable: income sources before and after. A participant may have
// several, so no totals are published and each count stands alone.
func (r Report) incomeTable(tc tableContext) Table {
	T := tc.T
	inc := Table{ID: "income", Title: T("assoc.rep.t.income"), Note: joinNotes(T("assoc.rep.note.income"), tc.note),
		Head:    []string{T("assoc.rep.col.income"), T("assoc.rep.col.start"), T("assoc.rep.col.end")},
		Numeric: []bool{false, true, true}}
	for _, c := range r.Income {
		inc.Rows = append(inc.Rows, []Cell{text(Label(tc.codes, association.ListIncomeSource, c.Code, tc.lang)), tc.p.one(c.Start), tc.p.one(c.End)})
	}
	return inc
}

// occupationTable: occupation before and after. Each participant has one,
// so the column totals are the number with a known occupation.
func (r Report) occupationTable(tc tableContext) Table {
	T := tc.T
	occ := Table{ID: "occupation", Title: T("assoc.rep.t.occupation"), Note: tc.note, Total: true,
		Head:    []string{T("assoc.rep.col.occupation"), T("assoc.rep.col.start"), T("assoc.rep.col.end")},
		Numeric: []bool{false, true, true}}
	var cells [][]int64
	for _, c := range r.Occupation {
		cells = append(cells, []int64{c.Start, c.End})
	}
	shown, _, colT, _ := tc.p.table(cells)
	for i, c := range r.Occupation {
		occ.Rows = append(occ.Rows, []Cell{text(Label(tc.codes, association.ListOccupation, c.Code, tc.lang)), shown[i][0], shown[i][1]})
	}
	if len(colT) < 2 {
		colT = []Cell{plainCount(0), plainCount(0)}
	}
	occ.Rows = append(occ.Rows, []Cell{text(T("assoc.rep.col.known")), colT[0], colT[1]})
	return occ
}

// workStudiesTable: work or studies after the insats (the Standardrapport
// measure).
func (r Report) workStudiesTable(tc tableContext) Table {
	T, p := tc.T, tc.p
	ws := r.WorkStudies
	wsT := Table{ID: "workstudies", Title: T("assoc.rep.t.workstudies"), Note: tc.note,
		Head:    []string{T("assoc.rep.col.measure"), T("assoc.rep.col.count")},
		Numeric: []bool{false, true}}
	// Work, studies and neither partition those measured (an occupation
	// carries one flag at most), so they are one row with its total.
	// Either and the share add nothing when all three are shown, and
	// would give a hidden one back otherwise: then they are hidden too.
	parts3, _, _, known := p.table([][]int64{{ws.Work, ws.Studies, ws.Measured - ws.WorkOrStudies}})
	either := countCell(association.Withheld)
	if r.workStudiesShown(p) {
		either = plainCount(ws.WorkOrStudies)
	} else if !p.Exact {
		// Hidden as a whole: the three add up to the known total.
		for i, c := range parts3[0] {
			if c.Text != association.Suppressed && c.Text != "0" {
				parts3[0][i] = countCell(association.Withheld)
			}
		}
	}
	wsT.Rows = [][]Cell{
		{text(T("assoc.rep.ws.measured")), known},
		{text(T("assoc.rep.ws.work")), parts3[0][0]},
		{text(T("assoc.rep.ws.studies")), parts3[0][1]},
		{text(T("assoc.rep.ws.neither")), parts3[0][2]},
		{text(T("assoc.rep.ws.either")), either},
		{text(T("assoc.rep.ws.share")), text(r.shareWorkStudies(p))},
	}
	return wsT
}

// durationTable: time in the insats by bucket, with the mean in the note.
func (r Report) durationTable(tc tableContext) Table {
	T, p := tc.T, tc.p
	d := r.Durations
	dur := Table{ID: "duration", Title: T("assoc.rep.t.duration"), Note: tc.note, Total: true,
		Head:    []string{T("assoc.rep.col.duration"), T("assoc.rep.col.count")},
		Numeric: []bool{false, true}}
	var cells [][]int64
	for _, n := range d.Buckets {
		cells = append(cells, []int64{n})
	}
	shown, _, _, grand := p.table(cells)
	lo := 0
	for i := range d.Buckets {
		label := ""
		if i < len(bucketBounds) {
			label = strconv.Itoa(lo+1) + "–" + strconv.Itoa(bucketBounds[i]) + " " + T("assoc.rep.days")
			lo = bucketBounds[i]
		} else {
			label = T("assoc.rep.over") + " " + strconv.Itoa(lo) + " " + T("assoc.rep.days")
		}
		dur.Rows = append(dur.Rows, []Cell{text(label), shown[i][0]})
	}
	dur.Rows = append(dur.Rows, []Cell{text(T("assoc.rep.total")), grand})
	mean := "–"
	if d.N > 0 && (p.Exact || d.N >= association.MinCell) {
		mean = strconv.FormatInt(d.MeanDays(), 10) + " " + T("assoc.rep.days")
	}
	dur.Note = joinNotes(T("assoc.rep.mean")+": "+mean+".", tc.note)
	return dur
}

// endReasonsTable: the reasons for ending, with the count of registrations
// left out of every outcome in the note.
func (r Report) endReasonsTable(tc tableContext) Table {
	T, p := tc.T, tc.p
	end := Table{ID: "endreasons", Title: T("assoc.rep.t.endreasons"), Note: tc.note, Total: true,
		Head:    []string{T("assoc.rep.col.reason"), T("assoc.rep.col.count")},
		Numeric: []bool{false, true}}
	var cells [][]int64
	for _, c := range r.EndReasons {
		cells = append(cells, []int64{c.N})
	}
	shown, _, _, grand := p.table(cells)
	for i, c := range r.EndReasons {
		end.Rows = append(end.Rows, []Cell{text(Label(tc.codes, association.ListEndReason, c.Code, tc.lang)), shown[i][0]})
	}
	end.Rows = append(end.Rows, []Cell{text(T("assoc.rep.total")), grand})
	if r.Excluded > 0 {
		end.Note = joinNotes(T("assoc.rep.excluded")+": "+p.one(r.Excluded).Text+".", tc.note)
	}
	return end
}

// contributionsTable: contributions by member, with the equity in the
// note; only in the report of the whole association.
func (r Report) contributionsTable(tc tableContext) Table {
	T := tc.T
	con := Table{ID: "contributions", Title: T("assoc.rep.t.contributions"), Total: true,
		Head:    []string{T("assoc.rep.col.member"), T("assoc.rep.col.planned_kr"), T("assoc.rep.col.invoiced"), T("assoc.rep.col.paid")},
		Numeric: []bool{false, true, true, true}}
	var pl, inv, paid association.Ore
	for _, c := range r.Contributions {
		con.Rows = append(con.Rows, []Cell{text(c.Member), moneyCell(c.Planned), moneyCell(c.Invoiced), moneyCell(c.Paid)})
		pl, inv, paid = pl+c.Planned, inv+c.Invoiced, paid+c.Paid
	}
	con.Rows = append(con.Rows, []Cell{text(T("assoc.rep.total")), moneyCell(pl), moneyCell(inv), moneyCell(paid)})
	if r.HasEquity {
		con.Note = T("assoc.rep.sum.equity") + ": " + r.Equity.String() + "."
	}
	return con
}

// bucketBounds are the upper bounds of the time-in-insats groups.
var bucketBounds = store.DurationBuckets[:]

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}
