package disclosure_test

import (
	"fmt"
	"testing"

	"github.com/finsam/finsam/disclosure"
)

// show writes a protected table as text: hidden values as "x".
func show(m [][]int64, hide [][]bool) string {
	s := ""
	for i := range m {
		for j := range m[i] {
			if hide[i][j] {
				s += " x"
			} else {
				s += fmt.Sprintf(" %d", m[i][j])
			}
		}
		s += "\n"
	}
	return s
}

// recoverable reports a hidden value that some line gives back: a line in
// which it is the only hidden value.
func recoverable(m [][]int64, hide [][]bool) (int, int, bool) {
	for i := range m {
		for j := range m[i] {
			if !hide[i][j] {
				continue
			}
			row, col := 0, 0
			for k := range m[i] {
				if hide[i][k] {
					row++
				}
			}
			for k := range m {
				if hide[k][j] {
					col++
				}
			}
			if row == 1 || col == 1 {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// TestNaiveSuppressionLeaks is the worked example: care units (rows) by
// month (columns) with their totals. Hiding only the 3 leaves it as 23 - 20
// in its row and 15 - 12 in its column; complementary suppression hides
// the smallest other cell of the row (8, then the 9 below it, which
// protects that column) so that every hidden value has a partner in its
// row and column.
func TestNaiveSuppressionLeaks(t *testing.T) {
	cells := [][]int64{{12, 3, 8}, {7, 12, 9}}
	// Primary suppression alone: the 3 is recomputable.
	m, _ := disclosure.Table(cells)
	naive := make([][]bool, len(m))
	for i := range m {
		naive[i] = make([]bool, len(m[i]))
		for j := range m[i] {
			naive[i][j] = disclosure.Small(m[i][j])
		}
	}
	if i, j, ok := recoverable(m, naive); !ok || m[i][j] != 3 {
		t.Fatalf("primary suppression alone should leak the 3:\n%s", show(m, naive))
	}
	protects(t, cells, ""+
		" 12 x x 23\n"+
		" 7 x x 28\n"+
		" 19 15 17 51\n")
}

// protects checks that Table hides what want marks "x", and that no hidden
// value is alone in its row or column.
func protects(t *testing.T, cells [][]int64, want string) {
	t.Helper()
	m, hide := disclosure.Table(cells)
	if got := show(m, hide); got != want {
		t.Errorf("protected table\n%s\nwant\n%s", got, want)
	}
	if i, j, ok := recoverable(m, hide); ok {
		t.Errorf("cell (%d,%d) = %d can be recomputed", i, j, m[i][j])
	}
}

// TestTotalsAreHiddenWhenNothingElseProtects: a row whose only other cells
// are zero cannot hide a second cell, so its total goes, and the column of
// totals then needs a partner too.
func TestTotalsAreHiddenWhenNothingElseProtects(t *testing.T) {
	protects(t, [][]int64{{2, 0}, {0, 30}, {10, 0}}, ""+
		" x 0 x\n"+
		" 0 30 30\n"+
		" x 0 x\n"+
		" 12 30 42\n")
}

// TestNothingSmallHidesNothing: a table without counts of 1–4 is shown
// whole, and zeros are never hidden.
func TestNothingSmallHidesNothing(t *testing.T) {
	m, hide := disclosure.Table([][]int64{{5, 0, 9}, {0, 6, 100}})
	for i := range hide {
		for j := range hide[i] {
			if hide[i][j] {
				t.Errorf("(%d,%d) = %d hidden", i, j, m[i][j])
			}
		}
	}
}

// TestProtectFollowsLinesAcrossTables: units within care providers, each
// provider's total published, and the grand total over providers — lines
// of different lengths sharing values. A unit of 2 beside one of 40 in
// provider A: the 40 goes too; provider B's lone small unit hides B's
// total (its other unit is 0), and then the grand total's line needs a
// second hidden provider: A.
func TestProtectFollowsLinesAcrossTables(t *testing.T) {
	// 0: A1, 1: A2, 2: A, 3: B1, 4: B2, 5: B, 6: C1, 7: C, 8: all
	values := []int64{2, 40, 42, 3, 0, 3, 50, 50, 95}
	lines := [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7}, {2, 5, 7, 8}}
	hide := disclosure.Protect(values, lines)
	want := []bool{true, true, true, true, false, true, false, false, false}
	if fmt.Sprint(hide) != fmt.Sprint(want) {
		t.Errorf("hidden %v, want %v", hide, want)
	}
	for _, line := range lines {
		n := 0
		for _, i := range line {
			if hide[i] {
				n++
			}
		}
		if n == 1 {
			t.Errorf("line %v has a single hidden value", line)
		}
	}
}
