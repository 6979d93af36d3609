package assocreport

import (
	"reflect"
	"testing"
)

func TestSuppressTable(t *testing.T) {
	tests := []struct {
		name  string
		cells [][]int64
		shown [][]string
		rows  []string
		cols  []string
		grand string
	}{
		{"large counts stay", [][]int64{{5, 6}, {7, 8}}, [][]string{{"5", "6"}, {"7", "8"}}, []string{"11", "15"}, []string{"12", "14"}, "26"},
		{"zero reveals no one", [][]int64{{0, 5}}, [][]string{{"0", "5"}}, []string{"5"}, []string{"0", "5"}, "5"},
		// 1 and 4 are hidden; each row then has one hidden value, so the
		// next smallest is withheld; the columns have two hidden each.
		{"one and four with partners", [][]int64{{1, 9}, {4, 6}}, [][]string{{"<5", ".."}, {"<5", ".."}}, []string{"10", "10"}, []string{"5", "15"}, "20"},
		// A row [7, 3] with its total 10 would give the 3 back: 7 is
		// withheld. The women's column would then give 7 back from its
		// total 12, so that total is withheld; the totals row keeps two
		// hidden (12, and the men's 3). x+y=10, x+5=c, c+y=15 leave y open.
		{"derivable cell", [][]int64{{7, 3}, {5, 0}}, [][]string{{"..", "<5"}, {"5", "0"}}, []string{"10", "5"}, []string{"..", "<5"}, "15"},
		{"single count", [][]int64{{4}}, [][]string{{"<5"}}, []string{"<5"}, []string{"<5"}, "<5"},
		{"empty", nil, [][]string{}, []string{}, []string{}, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown, rows, cols, grand := SuppressTable(tt.cells)
			if !reflect.DeepEqual(shown, tt.shown) || !reflect.DeepEqual(rows, tt.rows) || !reflect.DeepEqual(cols, tt.cols) || grand != tt.grand {
				t.Errorf("got %v rows %v cols %v grand %s\nwant %v rows %v cols %v grand %s", shown, rows, cols, grand, tt.shown, tt.rows, tt.cols, tt.grand)
			}
			assertNoLoneHidden(t, tt.cells, shown, rows, cols, grand)
		})
	}
}

// assertNoLoneHidden checks the property itself: no row or column (with
// its total) has exactly one hidden value.
func assertNoLoneHidden(t *testing.T, cells [][]int64, shown [][]string, rows, cols []string, grand string) {
	t.Helper()
	hidden := func(s string) bool { return s == "<5" || s == ".." }
	for i := range shown {
		n := 0
		for _, s := range append(append([]string{}, shown[i]...), rows[i]) {
			if hidden(s) {
				n++
			}
		}
		if n == 1 {
			t.Errorf("row %d has one hidden value: %v %s", i, shown[i], rows[i])
		}
	}
	for j := range cols {
		n := 0
		for i := range shown {
			if hidden(shown[i][j]) {
				n++
			}
		}
		if hidden(cols[j]) {
			n++
		}
		if n == 1 {
			t.Errorf("column %d has one hidden value", j)
		}
	}
	n := 0
	for _, s := range append(append([]string{}, cols...), grand) {
		if hidden(s) {
			n++
		}
	}
	if n == 1 {
		t.Errorf("the totals row has one hidden value: %v %s", cols, grand)
	}
}
