package association

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// Apportion splits total into parts proportional to weights, in whole öre,
// by the largest-remainder method (Hamilton): every part first gets the
// floor of its exact quota, then the öre left over go one each to the parts
// with the largest remainders. The parts always sum to total exactly. Ties
// go to the larger weight, then to the earlier part, so the result depends
// on nothing but the input. A negative total is split as its absolute value
// and negated. Weights must be non-negative with a positive sum; the
// arithmetic is exact (128-bit intermediates), whatever their size.
func Apportion(total Ore, weights []int64) ([]Ore, error) {
	if len(weights) == 0 {
		return nil, newError(CodeNoParties, "", "nothing to split between", "inget att fördela mellan")
	}
	var sum uint64
	for i, w := range weights {
		if w < 0 {
			return nil, newError(CodeNegative, "weights["+strconv.Itoa(i)+"]", "a weight is negative", "en andel är negativ")
		}
		var carry uint64
		sum, carry = bits.Add64(sum, uint64(w), 0)
		if carry != 0 {
			return nil, newError(CodeAmountOverflow, "", "the weights are too large", "andelarna är för stora")
		}
	}
	if sum == 0 {
		return nil, newError(CodeNoWeight, "", "the weights sum to zero", "andelarna summerar till noll")
	}
	neg := total < 0
	t := uint64(total)
	if neg {
		t = uint64(-(total + 1)) + 1
	}
	parts := make([]uint64, len(weights))
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range weights {
		hi, lo := bits.Mul64(t, uint64(w))
		parts[i], rems[i] = bits.Div64(hi, lo, sum) // hi < sum since w <= sum
		given += parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(rems[b], rems[a]); c != 0 {
			return c
		}
		return cmp.Compare(weights[b], weights[a])
	})
	// left < len(weights): each floor lost less than one öre.
	for k := uint64(0); k < t-given; k++ {
		parts[order[k]]++
	}
	out := make([]Ore, len(weights))
	for i, p := range parts {
		out[i] = Ore(p)
		if neg {
			out[i] = -out[i]
		}
	}
	return out, nil
}

// Key is how the municipalities (and, when there are several, the regions)
// divide their quarter between them; the association's statutes
// (förbundsordning, 9 §) choose it.
type Key string

// The keys.
const (
	// KeyPopulation divides in proportion to each member's population.
	KeyPopulation Key = "population"
	// KeyAgreed divides by shares the members agreed on, which must sum to
	// 100 %.
	KeyAgreed Key = "agreed"
)

// Valid reports whether k is a known key.
func (k Key) Valid() bool { return k == KeyPopulation || k == KeyAgreed }

// WholeShare is 100 % in the unit of Party.ShareBP: hundredths of a per
// cent (basis points), fine enough for per-mille shares (1 ‰ = 10) and for
// shares agreed to two decimals ("33,33 %").
const WholeShare = 10000

// Party is a member that pays part of a quarter: a region or a municipality.
type Party struct {
	OrgID      int64
	Name       string
	Population int64 // for KeyPopulation
	ShareBP    int64 // for KeyAgreed, in basis points (WholeShare = 100 %)
}

// PartAmount is what one member pays.
type PartAmount struct {
	OrgID  int64
	Name   string
	Amount Ore
}

// Split is a year's total contribution divided between the members under
// 5 § of the Finsam law: the state (paid by Försäkringskassan, including
// Arbetsförmedlingen's part) a half, the region(s) a quarter and the
// municipalities, as one party, a quarter.
type Split struct {
	Total          Ore
	State          Ore // a half, paid by Försäkringskassan
	RegionsTotal   Ore // a quarter
	MunicipalTotal Ore // a quarter
	Regions        []PartAmount
	Municipalities []PartAmount
}

// Sum adds every part; it equals Total for every Split that SplitContribution
// returns.
func (s Split) Sum() Ore {
	sum := s.State
	for _, p := range s.Regions {
		sum += p.Amount
	}
	for _, p := range s.Municipalities {
		sum += p.Amount
	}
	return sum
}

// SplitContribution divides a year's total contribution (the state's half
// included) between the members. The halves and quarters are themselves
// apportioned, so an odd öre goes somewhere and the parts sum to total
// exactly. The law requires at least one region and one municipality (3 §).
func SplitContribution(total Ore, key Key, regions, municipalities []Party) (Split, error) {
	var errs Errors
	if total < 0 {
		errs.add(CodeNegative, "total", "the total contribution is negative", "det totala bidraget är negativt")
	}
	if !key.Valid() {
		errs.add(CodeUnknownKey, "key", "unknown distribution key (use population or agreed)", "okänd fördelningsnyckel (använd befolkning eller överenskomna andelar)")
	}
	if len(regions) == 0 {
		errs.add(CodeNoParties, "regions", "at least one region must be a member", "minst en region måste vara medlem")
	}
	if len(municipalities) == 0 {
		errs.add(CodeNoParties, "municipalities", "at least one municipality must be a member", "minst en kommun måste vara medlem")
	}
	if key.Valid() {
		errs = append(errs, checkKey(key, "regions", regions)...)
		errs = append(errs, checkKey(key, "municipalities", municipalities)...)
	}
	if len(errs) > 0 {
		return Split{}, errs
	}
	thirds, err := Apportion(total, []int64{2, 1, 1})
	if err != nil {
		return Split{}, err
	}
	s := Split{Total: total, State: thirds[0], RegionsTotal: thirds[1], MunicipalTotal: thirds[2]}
	if s.Regions, err = divide(thirds[1], key, regions); err != nil {
		return Split{}, err
	}
	if s.Municipalities, err = divide(thirds[2], key, municipalities); err != nil {
		return Split{}, err
	}
	return s, nil
}

// checkKey validates the parties' weights under the key; field is
// "regions" or "municipalities".
func checkKey(key Key, field string, parties []Party) Errors {
	var errs Errors
	if len(parties) < 2 {
		return nil // one party pays the whole quarter: there is nothing to divide
	}
	var sum int64
	for i, p := range parties {
		f := field + "[" + strconv.Itoa(i) + "]"
		switch key {
		case KeyPopulation:
			if p.Population < 0 {
				errs.add(CodeNegative, f+".population", "the population is negative", "folkmängden är negativ")
			}
			sum += max(p.Population, 0)
		case KeyAgreed:
			if p.ShareBP < 0 || p.ShareBP > WholeShare {
				errs.add(CodeInvalidShare, f+".share", "a share must be between 0 and 100 %", "en andel måste vara mellan 0 och 100 %")
			}
			sum += p.ShareBP
		}
	}
	if len(errs) > 0 {
		return errs
	}
	switch {
	case key == KeyAgreed && sum != WholeShare:
		errs.add(CodeSharesSum, field+".share",
			"the shares must sum to 100 %; they sum to "+FormatShare(sum),
			"andelarna måste summera till 100 %; de summerar till "+FormatShare(sum))
	case key == KeyPopulation && sum == 0 && len(parties) > 1:
		errs.add(CodeNoWeight, field+".population", "no population given to divide by", "ingen folkmängd att fördela efter")
	}
	return errs
}

func divide(amount Ore, key Key, parties []Party) ([]PartAmount, error) {
	out := make([]PartAmount, len(parties))
	weights := make([]int64, len(parties))
	for i, p := range parties {
		out[i] = PartAmount{OrgID: p.OrgID, Name: p.Name}
		weights[i] = p.Population
		if key == KeyAgreed {
			weights[i] = p.ShareBP
		}
	}
	if len(parties) == 1 {
		out[0].Amount = amount // one party pays the whole quarter, whatever its weight
		return out, nil
	}
	parts, err := Apportion(amount, weights)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Amount = parts[i]
	}
	return out, nil
}

// ParseShare reads a share as people type it, in per cent with up to two
// decimals ("33,33", "25 %", "12.5") or in per mille ("125 ‰"), and returns
// it in basis points (WholeShare = 100 %).
func ParseShare(s string) (int64, error) {
	in := groupSpaces.Replace(strings.TrimSpace(s))
	bad := newError(CodeInvalidShare, "", "not a share: write a per cent between 0 and 100, e.g. 33,33", "inte en andel: skriv en procentsats mellan 0 och 100, t.ex. 33,33")
	scale := int64(100) // basis points per unit typed
	switch {
	case strings.HasSuffix(in, "‰"):
		in, scale = strings.TrimSuffix(in, "‰"), 10
	default:
		in = strings.TrimSuffix(in, "%")
	}
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(in, ",", "."), ".")
	maxFrac := 2
	if scale == 10 {
		maxFrac = 1
	}
	if whole == "" || len(whole) > 4 || !allDigits(whole) || (hasFrac && (frac == "" || len(frac) > maxFrac || !allDigits(frac))) {
		return 0, bad
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	v := w * scale
	if frac != "" {
		f, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) < maxFrac {
			f *= 10
		}
		v += f * scale / pow10(maxFrac)
	}
	if v > WholeShare {
		return 0, bad
	}
	return v, nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// FormatShare writes basis points as a Swedish per cent: "33,33 %".
func FormatShare(bp int64) string {
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	s := sign + strconv.FormatInt(bp/100, 10)
	if r := bp % 100; r != 0 {
		s += "," + strconv.FormatInt(r/10, 10)
		if r%10 != 0 {
			s += strconv.FormatInt(r%10, 10)
		}
	}
	return s + " %"
}
