// Package heapwatch is what the speed tests over generated open cases
// share: how many cases to generate, and the heap in use before, at its
// peak during, and after a run, since memory must not grow with the number
// of cases.
package heapwatch

import (
	"os"
	"runtime"
	"strconv"
	"testing"
)

// Cases is the number of open cases a speed test generates,
// FINSAM_BENCH_CASES; the test is skipped when it is not set.
func Cases(t testing.TB) int {
	n, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_CASES"))
	if n <= 0 {
		t.Skip("set FINSAM_BENCH_CASES to the number of open cases to generate, e.g. 200000")
	}
	return n
}

// InUse is the heap in use once the garbage is collected.
func InUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// Peak keeps the largest heap in use it has seen, looking at every
// Every-th call of Sample: a run's progress calls it once a batch.
type Peak struct {
	Every int
	calls int
	max   uint64
}

// Sample looks at the heap in use if this is the Every-th call.
func (p *Peak) Sample() {
	if p.calls++; p.calls%max(p.Every, 1) == 0 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		p.max = max(p.max, m.HeapInuse)
	}
}

// Max is the largest heap in use Sample saw.
func (p *Peak) Max() uint64 { return p.max }

// MiB writes b bytes in mebibytes, with one decimal.
func MiB(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB" }
