package rules

import (
	"math/rand/v2"
	"testing"
)

// TestRingCountMatchesBitByBit holds count, the word-at-a-time popcount of
// the day loop's ring, to counting the bits one day at a time, for ranges
// starting at every offset within a word and of every length up to the
// ring's size, including ranges that wrap around its end and days before
// 1970 (negative day numbers).
func TestRingCountMatchesBitByBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 4; round++ {
		var s sim
		for i := range s.ring {
			s.ring[i] = rng.Uint64()
		}
		if round == 1 {
			s.ring = [ringWords]uint64{}
		}
		if round == 2 {
			for i := range s.ring {
				s.ring[i] = ^uint64(0)
			}
		}
		for _, base := range []int32{0, 19723, -1000, ringDays*40 - 70} {
			for off := int32(0); off < 130; off++ {
				lo := base + off
				for n := int32(0); n <= ringDays; n++ {
					hi := lo + n - 1
					var want int32
					for d := lo; d <= hi; d++ {
						if s.bit(d) {
							want++
						}
					}
					if got := s.count(lo, hi); got != want {
						t.Fatalf("round %d: count(%d, %d) = %d, want %d", round, lo, hi, got, want)
					}
				}
			}
		}
	}
}

// TestSelectBitFindsTheNthSetBit holds selectBit to walking the bits one
// by one, for every n of random words and of words with all bits, one
// bit and bits only in the high half set.
func TestSelectBitFindsTheNthSetBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	words := []uint64{^uint64(0), 1, 1 << 63, 0xffffffff00000000, 0x8000000000000001}
	for range 2000 {
		words = append(words, rng.Uint64(), rng.Uint64()&rng.Uint64()&rng.Uint64())
	}
	for _, w := range words {
		var n int32
		for pos := int32(0); pos < 64; pos++ {
			if w&(1<<pos) == 0 {
				continue
			}
			n++
			if got := selectBit(w, n); got != pos {
				t.Fatalf("selectBit(%#x, %d) = %d, want %d", w, n, got, pos)
			}
		}
	}
}
