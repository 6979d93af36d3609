// Package disclosure hides small counts of people in published tables:
// primary suppression of the counts 1–4 and complementary (secondary)
// suppression of further values so that no hidden count can be recomputed
// from a total minus the shown parts (docs/adr/0034-complementary-cell-suppression.md).
// It is pure: counts in, which of them to hide out.
package disclosure

// MinCell is the smallest count of people shown outside the organisation
// that holds the data: a smaller count could point out the people behind it.
const MinCell = 5

// Suppressed is how a count hidden by primary suppression is shown.
const Suppressed = "<5"

// Withheld is how a count hidden only to protect a small one is shown
// (Statistics Sweden's "..", figure not available): it may well be 5 or
// more.
const Withheld = ".."

// Small reports whether a count is hidden by primary suppression: 1–4.
// Zero reveals no one and is shown.
func Small(n int64) bool { return n > 0 && n < MinCell }

// Protect decides which of values to hide. Each line is a list of indexes
// into values whose last value is the sum of the others (a row or column
// with its total, a care provider with its units). Protect hides every
// small value (primary suppression) and then, as long as some line has
// exactly one hidden value, hides the smallest other non-zero part of that
// line too, or the line's total when no part is left to hide: otherwise
// the total minus the shown parts, or the parts added up, would give the
// hidden value back. Zeros are never hidden, so a line whose only other
// values are zeros hides its total. Lines are visited in order, so the
// result is the same for the same input; each pass only adds hidden
// values, so the loop ends.
func Protect(values []int64, lines [][]int) []bool {
	hide := make([]bool, len(values))
	for i, v := range values {
		hide[i] = Small(v)
	}
	for changed := true; changed; {
		changed = false
		for _, line := range lines {
			if protectLine(values, hide, line) {
				changed = true
			}
		}
	}
	return hide
}

// protectLine hides one more value of line when exactly one is hidden, and
// reports whether it did.
func protectLine(values []int64, hide []bool, line []int) bool {
	hidden := 0
	for _, i := range line {
		if hide[i] {
			hidden++
		}
	}
	if hidden != 1 || len(line) < 2 {
		return false
	}
	best := -1
	for _, i := range line[:len(line)-1] {
		if !hide[i] && values[i] > 0 && (best < 0 || values[i] < values[best]) {
			best = i
		}
	}
	if best < 0 {
		best = line[len(line)-1]
	}
	if hide[best] || values[best] == 0 {
		return false
	}
	hide[best] = true
	return true
}

// Table protects a table of counts published with its row totals, column
// totals and grand total. cells is rows × columns (rows may be short; a
// missing cell is zero). The result is the table with its margins: row
// len(cells) holds the column totals and the last column the row totals,
// values m and whether each is hidden.
func Table(cells [][]int64) (m [][]int64, hide [][]bool) {
	nr, nc := len(cells), 0
	for _, r := range cells {
		nc = max(nc, len(r))
	}
	m = make([][]int64, nr+1)
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
	at := func(i, j int) int { return i*(nc+1) + j }
	values := make([]int64, 0, (nr+1)*(nc+1))
	for _, r := range m {
		values = append(values, r...)
	}
	var lines [][]int
	for i := 0; i <= nr; i++ {
		line := make([]int, nc+1)
		for j := range line {
			line[j] = at(i, j)
		}
		lines = append(lines, line)
	}
	for j := 0; j <= nc; j++ {
		line := make([]int, nr+1)
		for i := range line {
			line[i] = at(i, j)
		}
		lines = append(lines, line)
	}
	flat := Protect(values, lines)
	hide = make([][]bool, nr+1)
	for i := range hide {
		hide[i] = flat[at(i, 0):at(i, nc+1)]
	}
	return m, hide
}
