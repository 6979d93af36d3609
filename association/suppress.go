package association

import (
	"strconv"

	"github.com/finsam/finsam/disclosure"
)

// MinCell is the smallest count of people shown in anything that leaves the
// association (reports to the board and members, exports, the public
// pages): a smaller count could point out the people behind it.
const MinCell = disclosure.MinCell

// Suppressed is how a small count is shown.
const Suppressed = disclosure.Suppressed

// Withheld is how a count hidden only to protect a small one is shown (SCB's
// "..", figure not available): it may well be 5 or more.
const Withheld = disclosure.Withheld

// CountCell formats a count of people for output that leaves the
// association: 1–4 become "<5". Zero is shown, since it reveals no one.
func CountCell(n int64) string {
	if n > 0 && n < MinCell {
		return Suppressed
	}
	return strconv.FormatInt(n, 10)
}

// IsSuppressed reports whether CountCell hides n.
func IsSuppressed(n int64) bool { return disclosure.Small(n) }

// SuppressRow formats a row of counts whose total is published alongside.
// Besides the small cells (primary suppression) it hides, when exactly one
// cell is hidden, the next smallest non-zero cell too (secondary
// suppression): otherwise the total minus the shown cells would give the
// hidden one back. The total itself is formatted by CountCell.
func SuppressRow(cells []int64) (shown []string, total string) {
	shown = make([]string, len(cells))
	hide := make([]bool, len(cells))
	var sum int64
	hidden := 0
	for i, n := range cells {
		sum += n
		if IsSuppressed(n) {
			hide[i] = true
			hidden++
		}
	}
	if hidden == 1 {
		next := -1
		for i, n := range cells {
			if !hide[i] && n > 0 && (next < 0 || n < cells[next]) {
				next = i
			}
		}
		if next >= 0 {
			hide[next] = true
		}
	}
	for i, n := range cells {
		switch {
		case IsSuppressed(n):
			shown[i] = Suppressed
		case hide[i]:
			shown[i] = Withheld
		default:
			shown[i] = strconv.FormatInt(n, 10)
		}
	}
	return shown, CountCell(sum)
}
