package quality

// Complementary suppression of the board's counts for readers outside
// Försäkringskassan (docs/adr/0034-complementary-cell-suppression.md). The
// board publishes each count (certificates, without findings,
// supplemented, each finding) per care unit and month (the exports), and
// added up per unit, per care provider and month, per month, per care
// provider and in all (the page and the API). Each such sum is a line of
// disclosure.Protect: a count of 1–4 is hidden, and then as many others as
// it takes that no line has a single hidden count, in every view alike, so
// that no hidden count follows from the page, the CSV, the XLSX and the
// API read together. The certificates with findings are the certificates
// minus those without: not shown, but protected as if they were.

import (
	"time"

	"github.com/finsam/finsam/disclosure"
	"github.com/finsam/finsam/store"
)

// The counts a group has, in this order: measureCertificates, ... and then
// one per finding of FindingCodes.
const (
	measureCertificates = iota
	measureWithout
	measureSupplemented
	measureFinding0
)

// measures are a group's counts in measure order.
func measures(f Figures) []int64 {
	out := []int64{int64(f.Certificates), int64(f.WithoutFindings), int64(f.Supplemented)}
	for _, n := range f.Findings {
		out = append(out, int64(n))
	}
	return out
}

// groupKey names a group of the board: "" is "all" (a provider's key has
// no unit and no month, the total none of the three). A unit is known by
// its provider and its HSA-id.
type groupKey struct{ provider, unit, month string }

// protection says which counts of each group a reader does not see; its
// zero value (Försäkringskassan's) hides nothing.
type protection struct {
	hidden map[groupKey][]bool
}

// protect works out what to hide of the groups of rows. months are the
// filter's month boundaries; on is false for FK, who sees everything.
func protect(rows []store.QualityRow, months []time.Time, on bool) protection {
	if !on {
		return protection{}
	}
	aggs := map[groupKey]*Agg{}
	var order []groupKey
	add := func(k groupKey, r store.QualityRow) {
		if aggs[k] == nil {
			aggs[k] = &Agg{}
			order = append(order, k)
		}
		aggs[k].Add(r)
	}
	// parts are the parts of each sum: the lines, their total last.
	parts := map[groupKey][]groupKey{}
	var sums []groupKey
	part := func(total, k groupKey) {
		if parts[total] == nil {
			sums = append(sums, total)
		}
		for _, p := range parts[total] {
			if p == k {
				return
			}
		}
		parts[total] = append(parts[total], k)
	}
	// Sums come in two kinds for the same total (a provider is the sum of
	// its units and of its months; all is the sum of the months and of the
	// providers), so the second kind is keyed apart.
	byUnits := func(k groupKey) groupKey { return groupKey{provider: k.provider, unit: "\x00units", month: k.month} }
	for _, r := range rows {
		m := months[r.Month].Format("2006-01")
		cell, unit := groupKey{r.CareProviderHSAID, r.UnitHSAID, m}, groupKey{r.CareProviderHSAID, r.UnitHSAID, ""}
		provMonth, prov := groupKey{r.CareProviderHSAID, "", m}, groupKey{r.CareProviderHSAID, "", ""}
		month, all := groupKey{"", "", m}, groupKey{}
		for _, k := range []groupKey{cell, unit, provMonth, prov, month, all} {
			add(k, r)
		}
		part(unit, cell)
		part(byUnits(provMonth), cell)
		part(byUnits(prov), unit)
		part(prov, provMonth)
		part(month, provMonth)
		part(all, month)
		part(byUnits(all), prov)
	}
	index := map[groupKey]int{}
	var counts [][]int64
	for i, k := range order {
		index[k] = i
		counts = append(counts, measures(aggs[k].Figures()))
	}
	total := func(s groupKey) groupKey {
		if s.unit == "\x00units" {
			s.unit = ""
		}
		return s
	}
	p := protection{hidden: map[groupKey][]bool{}}
	if len(order) == 0 {
		return p
	}
	// Each group's counts, and after them the certificates with findings:
	// not a column, but the certificates minus those without, so a count
	// of 1–4 there must be protected like a shown one.
	nm := len(counts[0])
	width := nm + 1
	at := func(g, m int) int { return g*width + m }
	values := make([]int64, len(order)*width)
	var lines [][]int
	for g := range order {
		copy(values[at(g, 0):], counts[g])
		values[at(g, nm)] = counts[g][measureCertificates] - counts[g][measureWithout]
		lines = append(lines, []int{at(g, measureWithout), at(g, nm), at(g, measureCertificates)})
	}
	for m := range width {
		for _, s := range sums {
			line := make([]int, 0, len(parts[s])+1)
			for _, k := range parts[s] {
				line = append(line, at(index[k], m))
			}
			lines = append(lines, append(line, at(index[total(s)], m)))
		}
	}
	hidden := disclosure.Protect(values, lines)
	for g, k := range order {
		p.hidden[k] = hidden[at(g, 0):at(g, nm)]
	}
	return p
}

// line is a group's figures as a reader sees them.
func (p protection) line(k groupKey, f Figures) qualityLine {
	return qualityLine{Figures: f, suppress: p.hidden != nil, hidden: p.hidden[k]}
}
