package association

import (
	"slices"
	"testing"
)

func TestCountCellSuppressesBelowFive(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 1: "<5", 4: "<5", 5: "5", 123: "123"} {
		if got := CountCell(n); got != want {
			t.Errorf("CountCell(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSuppressRowHidesWhatTheTotalWouldGiveBack(t *testing.T) {
	for _, tc := range []struct {
		cells     []int64
		want      []string
		wantTotal string
	}{
		// women 3, men 20: showing 20 and the total 23 gives 3 back.
		{[]int64{3, 20}, []string{"<5", ".."}, "23"},
		// the next smallest cell is the one withheld
		{[]int64{3, 20, 9}, []string{"<5", "20", ".."}, "32"},
		{[]int64{2, 3, 40}, []string{"<5", "<5", "40"}, "45"},
		{[]int64{10, 20}, []string{"10", "20"}, "30"},
		{[]int64{0, 3}, []string{"0", "<5"}, "<5"},
	} {
		got, total := SuppressRow(tc.cells)
		if !slices.Equal(got, tc.want) || total != tc.wantTotal {
			t.Errorf("SuppressRow(%v) = %v, %s; want %v, %s", tc.cells, got, total, tc.want, tc.wantTotal)
		}
	}
}
