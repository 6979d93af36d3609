package assocreport

import (
	"strconv"

	"github.com/finsam/finsam/association"
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
	nr := len(cells)
	nc := 0
	for _, r := range cells {
		nc = max(nc, len(r))
	}
	// m is the table with its margins: row nr holds the column totals and
	// column nc the row totals.
	m := make([][]int64, nr+1)
	for i := range m {
		m[i] = make([]int64, nc+1)
	}
	for i, r := range cells {
		for j, n := range r {
			m[i][j] = n
			m[i][nc] += n
			m[nr][j] += n
			m[nr][nc] += n
		}
	}
	hide := make([][]bool, nr+1)
	for i := range hide {
		hide[i] = make([]bool, nc+1)
		for j := range hide[i] {
			hide[i][j] = association.IsSuppressed(m[i][j])
		}
	}
	// A line is a row or a column, totals included; protect makes sure no
	// line has exactly one hidden value. Each pass only adds hidden values,
	// so the loop ends.
	protect := func(cellsOf func(k int) (int, int), n int) bool {
		hidden := 0
		for k := 0; k < n; k++ {
			if i, j := cellsOf(k); hide[i][j] {
				hidden++
			}
		}
		if hidden != 1 {
			return false
		}
		best := -1
		for k := 0; k < n-1; k++ { // the last is the total
			i, j := cellsOf(k)
			if !hide[i][j] && m[i][j] > 0 {
				if bi, bj := cellsOf(max(best, 0)); best < 0 || m[i][j] < m[bi][bj] {
					best = k
				}
			}
		}
		if best < 0 {
			best = n - 1
		}
		i, j := cellsOf(best)
		if hide[i][j] || m[i][j] == 0 {
			return false
		}
		hide[i][j] = true
		return true
	}
	for changed := true; changed; {
		changed = false
		for i := 0; i <= nr; i++ {
			if protect(func(k int) (int, int) { return i, k }, nc+1) {
				changed = true
			}
		}
		for j := 0; j <= nc; j++ {
			if protect(func(k int) (int, int) { return k, j }, nr+1) {
				changed = true
			}
		}
	}
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
