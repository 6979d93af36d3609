package association

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/finsam/personnummer"
)

// AllocationParams are the parameters of the state's model for dividing its
// allocation between the associations, in force since 2015: a base amount
// to each association, and the rest by a provision measure
// (försörjningsmått) and by the population aged 16–64, three to one.
type AllocationParams struct {
	Base             Ore   // to each association
	ProvisionWeight  int64 // share of the rest by the provision measure…
	PopulationWeight int64 // …and by population 16–64, in the same unit
	Source           string
}

// DefaultAllocationParams is the model as finsam.se describes it: a base of
// 400 tkr per association, then 75 % by försörjningsmått and 25 % by the
// population aged 16–64.
func DefaultAllocationParams() AllocationParams {
	return AllocationParams{
		Base:             Kr(400_000),
		ProvisionWeight:  75,
		PopulationWeight: 25,
		Source:           "https://www.finsam.se/kunskapsstod/ekonomi/finansiering/statens-fordelningsmodell (finsam.md §1)",
	}
}

// AllocationRow is one association in the national table.
type AllocationRow struct {
	Line      int // in the uploaded file, 1-based
	Name      string
	OrgNumber string // normalised NNNNNN-NNNN
	// Provision is the försörjningsmått in hundredths (the table may give
	// it with decimals, e.g. as full-year equivalents).
	Provision  int64
	Population int64 // aged 16–64
}

// Allocation is one association's part of the state allocation.
type Allocation struct {
	AllocationRow
	Base         Ore
	ByProvision  Ore
	ByPopulation Ore
	Total        Ore
}

// Allocate divides the state's total allocation between the associations
// in rows. The rest after the base amounts is apportioned first between the
// two measures and then, each pot by itself, between the associations (the
// largest-remainder method), so the parts sum to total exactly.
func Allocate(total Ore, rows []AllocationRow, p AllocationParams) ([]Allocation, error) {
	if len(rows) == 0 {
		return nil, newError(CodeEmpty, "", "the table has no associations", "tabellen har inga förbund")
	}
	if total < 0 || p.Base < 0 {
		return nil, newError(CodeNegative, "total", "the total is negative", "totalen är negativ")
	}
	bases := Ore(len(rows)) * p.Base
	if p.Base != 0 && bases/Ore(len(rows)) != p.Base || bases > total {
		return nil, newError(CodeBaseExceedsTotal, "total",
			"the base amounts ("+strconv.Itoa(len(rows))+" × "+p.Base.String()+") exceed the total "+total.String(),
			"grundbeloppen ("+strconv.Itoa(len(rows))+" × "+p.Base.String()+") är större än totalen "+total.String())
	}
	pots, err := Apportion(total-bases, []int64{p.ProvisionWeight, p.PopulationWeight})
	if err != nil {
		return nil, err
	}
	prov := make([]int64, len(rows))
	pop := make([]int64, len(rows))
	for i, r := range rows {
		prov[i], pop[i] = r.Provision, r.Population
	}
	byProv, err := Apportion(pots[0], prov)
	if err != nil {
		return nil, newError(CodeNoWeight, "provision", "the provision measures sum to zero", "försörjningsmåtten summerar till noll")
	}
	byPop, err := Apportion(pots[1], pop)
	if err != nil {
		return nil, newError(CodeNoWeight, "population", "the populations sum to zero", "befolkningen summerar till noll")
	}
	out := make([]Allocation, len(rows))
	for i, r := range rows {
		out[i] = Allocation{AllocationRow: r, Base: p.Base, ByProvision: byProv[i], ByPopulation: byPop[i],
			Total: p.Base + byProv[i] + byPop[i]}
	}
	return out, nil
}

// Limits of an uploaded table: there are some 75–85 associations.
const (
	MaxAllocationBytes = 1 << 20
	MaxAllocationRows  = 1000
)

// allocationColumns maps the accepted header names (English and Swedish,
// normalised by headerKey) to the column they mean.
var allocationColumns = map[string]string{
	"name": "name", "namn": "name", "forbund": "name", "samordningsforbund": "name", "association": "name",
	"org_number": "org_number", "organisationsnummer": "org_number", "orgnr": "org_number", "org_nr": "org_number",
	"provision_measure": "provision", "forsorjningsmatt": "provision", "provision": "provision",
	"population_16_64": "population", "befolkning_16_64": "population", "invanare_16_64": "population",
	"population": "population", "befolkning": "population",
}

var headerFold = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", " ", "_", "-", "_", "–", "_", "\ufeff", "")

func headerKey(s string) string { return headerFold.Replace(strings.ToLower(strings.TrimSpace(s))) }

// ParseAllocationCSV reads the national table: a header row naming the
// columns name, org_number, provision_measure and population_16_64 (or their
// Swedish names namn, organisationsnummer, försörjningsmått,
// befolkning_16_64) in any order, then one association per row. Fields are
// separated by semicolons (as Swedish spreadsheets save CSV) or commas, as
// the header shows. Every row is checked and every bad row reported, each
// with its line number and a message in English and Swedish (an Errors);
// on any error no row is returned, so that nothing is imported.
func ParseAllocationCSV(r io.Reader) ([]AllocationRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxAllocationBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxAllocationBytes {
		return nil, Errors{newError(CodeTooManyRows, "", "the file is larger than 1 MiB", "filen är större än 1 MiB")}
	}
	if !utf8.Valid(data) {
		return nil, Errors{newError(CodeCSV, "", "the file is not UTF-8 text: save it as CSV UTF-8", "filen är inte UTF-8-text: spara den som CSV UTF-8")}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		cr.Comma = ';'
	}
	var errs Errors
	rowErr := func(line int, code, field, en, sv string) {
		e := newError(code, field, en, sv)
		e.Line = line
		errs = append(errs, e)
	}
	col := map[string]int{}
	var rows []AllocationRow
	seen := map[string]int{} // org number → line
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			rowErr(perr.StartLine, CodeCSV, "", "the line is not valid CSV: "+perr.Err.Error(), "raden är inte giltig CSV: "+perr.Err.Error())
			if header {
				return nil, errs
			}
			continue
		} else if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if header {
			header = false
			for i, h := range rec {
				if c, ok := allocationColumns[headerKey(h)]; ok {
					if _, dup := col[c]; dup {
						rowErr(line, CodeHeader, h, "the column "+h+" appears twice", "kolumnen "+h+" finns två gånger")
					}
					col[c] = i
				}
			}
			for _, c := range []struct{ key, en, sv string }{
				{"name", "name", "namn"}, {"org_number", "org_number", "organisationsnummer"},
				{"provision", "provision_measure", "försörjningsmått"}, {"population", "population_16_64", "befolkning_16_64"},
			} {
				if _, ok := col[c.key]; !ok {
					rowErr(line, CodeHeader, c.en, "the header has no column "+c.en+" (or "+c.sv+")", "rubrikraden saknar kolumnen "+c.sv+" (eller "+c.en+")")
				}
			}
			if len(errs) > 0 {
				return nil, errs
			}
			continue
		}
		if len(rows)+len(errs) >= MaxAllocationRows {
			rowErr(line, CodeTooManyRows, "", "more than "+strconv.Itoa(MaxAllocationRows)+" rows", "fler än "+strconv.Itoa(MaxAllocationRows)+" rader")
			return nil, errs
		}
		if len(rec) <= maxCol(col) {
			rowErr(line, CodeColumns, "", "the row has "+strconv.Itoa(len(rec))+" fields, the header "+strconv.Itoa(maxCol(col)+1),
				"raden har "+strconv.Itoa(len(rec))+" fält, rubrikraden "+strconv.Itoa(maxCol(col)+1))
			continue
		}
		before := len(errs)
		row := AllocationRow{Line: line, Name: strings.TrimSpace(rec[col["name"]])}
		if row.Name == "" {
			rowErr(line, CodeRequired, "name", "the name is empty", "namnet saknas")
		}
		rawOrg := strings.TrimSpace(rec[col["org_number"]])
		if n, ok := NormaliseOrgNumber(rawOrg); ok {
			row.OrgNumber = n
			if first, dup := seen[n]; dup {
				rowErr(line, CodeDuplicate, "org_number", "the organisation number "+n+" is also on line "+strconv.Itoa(first),
					"organisationsnumret "+n+" finns också på rad "+strconv.Itoa(first))
			} else {
				seen[n] = line
			}
		} else {
			rowErr(line, CodeInvalidOrgNumber, "org_number", "not a valid organisation number: "+strconv.Quote(rawOrg),
				"inte ett giltigt organisationsnummer: "+strconv.Quote(rawOrg))
		}
		rawProv := strings.TrimSpace(rec[col["provision"]])
		if v, ok := parseDecimal2(rawProv); ok {
			row.Provision = v
		} else {
			rowErr(line, CodeInvalidNumber, "provision_measure", "the provision measure must be a number ≥ 0 with at most two decimals: "+strconv.Quote(rawProv),
				"försörjningsmåttet måste vara ett tal ≥ 0 med högst två decimaler: "+strconv.Quote(rawProv))
		}
		rawPop := strings.TrimSpace(rec[col["population"]])
		if v, ok := parseDecimal2(rawPop); ok && v%100 == 0 && v > 0 {
			row.Population = v / 100
		} else {
			rowErr(line, CodeInvalidNumber, "population_16_64", "the population aged 16–64 must be a whole number > 0: "+strconv.Quote(rawPop),
				"befolkningen 16–64 år måste vara ett heltal > 0: "+strconv.Quote(rawPop))
		}
		if len(errs) == before {
			rows = append(rows, row)
		}
	}
	if header {
		errs.add(CodeEmpty, "", "the file is empty", "filen är tom")
	} else if len(rows) == 0 && len(errs) == 0 {
		errs.add(CodeEmpty, "", "the table has no associations", "tabellen har inga förbund")
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var provSum int64
	for _, r := range rows {
		provSum += r.Provision
	}
	if provSum == 0 {
		return nil, Errors{newError(CodeNoWeight, "provision_measure", "every provision measure is zero", "alla försörjningsmått är noll")}
	}
	return rows, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func maxCol(col map[string]int) int {
	m := 0
	for _, i := range col {
		m = max(m, i)
	}
	return m
}

// parseDecimal2 reads a non-negative number with at most two decimals
// (comma or point, spaces between digit groups) as hundredths.
func parseDecimal2(s string) (int64, bool) {
	if strings.HasPrefix(strings.TrimSpace(s), "-") || strings.TrimSpace(s) == "" {
		return 0, false
	}
	o, err := ParseOre(s)
	if err != nil || o < 0 || strings.Contains(s, "kr") {
		return 0, false
	}
	return int64(o), true
}

// NormaliseOrgNumber checks a Swedish organisationsnummer (10 digits,
// optionally with a hyphen after the sixth, or with the century prefix 16)
// including its check digit (the Luhn algorithm, as for personnummer), and
// returns it as NNNNNN-NNNN.
func NormaliseOrgNumber(s string) (string, bool) {
	var d []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '-' && (len(d) == 6 || len(d) == 8):
		case c == ' ':
		default:
			return "", false
		}
	}
	if len(d) == 12 && d[0] == '1' && d[1] == '6' {
		d = d[2:]
	}
	if len(d) != 10 {
		return "", false
	}
	if personnummer.CheckDigit(string(d[:9])) != int(d[9]-'0') {
		return "", false
	}
	return string(d[:6]) + "-" + string(d[6:]), true
}
