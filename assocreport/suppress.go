package assocreport

import (
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/disclosure"
)

// SuppressTable formats a table of counts of people whose row totals,
// column totals and grand total are published with it. It hides every
// count of 1–4 (primary suppression, association.Suppressed) and then, as
// long as some row or column has exactly one hidden value, hides the
// smallest other non-zero value of that line too (secondary suppression,
// association.Withheld), or the line's total when the line has no other
// value to hide: otherwise the total minus the shown values would give the
// hidden one back. Zeros reveal no one and stay shown.
//
// cells is rows × columns; the result has the same shape, rowTotals one per
// row, colTotals one per column, and grand the sum of all.
func SuppressTable(cells [][]int64) (shown [][]string, rowTotals, colTotals []string, grand string) {
	m, hide := disclosure.Table(cells)
	nr, nc := len(m)-1, len(m[0])-1
	text := func(i, j int) string {
		switch {
		case association.IsSuppressed(m[i][j]):
			return association.Suppressed
		case hide[i][j]:
			return association.Withheld
		}
		return strconv.FormatInt(m[i][j], 10)
	}
	shown = make([][]string, nr)
	for i := range nr {
		shown[i] = make([]string, len(cells[i]))
		for j := range cells[i] {
			shown[i][j] = text(i, j)
		}
	}
	rowTotals = make([]string, nr)
	for i := range nr {
		rowTotals[i] = text(i, nc)
	}
	colTotals = make([]string, nc)
	for j := range nc {
		colTotals[j] = text(nr, j)
	}
	return shown, rowTotals, colTotals, text(nr, nc)
}
