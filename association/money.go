package association

import (
	"math"
	"strconv"
	"strings"
)

// Ore is an amount of money in öre (1/100 krona). Money is never a float in
// finsam: amounts are added, split and compared as whole öre, and every
// split hands out the remainder öre explicitly (see Apportion).
type Ore int64

// Kronor returns o as whole kronor and the öre left over, both with the sign
// of o.
func (o Ore) Kronor() (kr int64, ore int64) { return int64(o) / 100, int64(o) % 100 }

// String formats o the Swedish way: "1 234 567,89 kr", with a space between
// groups of three digits and a decimal comma.
func (o Ore) String() string { return o.Number() + " kr" }

// Number formats o as String does but without the unit: "1 234 567,89", for
// table cells whose header carries the unit.
func (o Ore) Number() string {
	var neg bool
	u := uint64(o)
	if o < 0 {
		neg = true
		u = uint64(-(o + 1)) + 1 // math.MinInt64 has no positive int64
	}
	kr, ore := u/100, u%100
	digits := strconv.FormatUint(kr, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	b.WriteByte(',')
	b.WriteByte(byte('0' + ore/10))
	b.WriteByte(byte('0' + ore%10))
	return b.String()
}

// spaces people and spreadsheets put between digit groups: space, no-break
// space, narrow no-break space, thin space.
var groupSpaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "")

// ParseOre reads an amount in kronor as people type it: "1 234,50",
// "1234.5", "1 234 kr", "-50", "12:-". Digit groups may be separated by
// spaces (also no-break and thin spaces); the decimal separator is a comma
// or a point, followed by one or two digits. Anything else, including a
// third decimal (an amount in parts of an öre) and both a comma and a point
// (is "1.234,50" a thousand or one?), is refused with CodeInvalidAmount;
// amounts beyond int64 öre with CodeAmountOverflow.
func ParseOre(s string) (Ore, error) {
	in := strings.TrimSpace(s)
	in = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(in, "kr"), "SEK"))
	for _, suffix := range []string{":-", ",-"} {
		in = strings.TrimSuffix(in, suffix)
	}
	in = groupSpaces.Replace(in)
	bad := newError(CodeInvalidAmount, "", "not an amount in kronor: write e.g. 1 234,50", "inte ett belopp i kronor: skriv t.ex. 1 234,50")
	neg := false
	switch {
	case strings.HasPrefix(in, "-"):
		neg, in = true, in[1:]
	case strings.HasPrefix(in, "\u2212"): // the typographic minus sign
		neg, in = true, in[len("\u2212"):]
	case strings.HasPrefix(in, "+"):
		in = in[1:]
	}
	if strings.Contains(in, ",") && strings.Contains(in, ".") {
		return 0, bad
	}
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(in, ",", "."), ".")
	if whole == "" || !allDigits(whole) || (hasFrac && (len(frac) == 0 || len(frac) > 2 || !allDigits(frac))) {
		return 0, bad
	}
	if len(frac) == 1 {
		frac += "0"
	}
	kr, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || kr > (math.MaxInt64-99)/100 {
		return 0, newError(CodeAmountOverflow, "", "the amount is too large", "beloppet är för stort")
	}
	ore := kr * 100
	if frac != "" {
		f, _ := strconv.ParseUint(frac, 10, 64)
		ore += f
	}
	if neg {
		return -Ore(ore), nil
	}
	return Ore(ore), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Kr is n whole kronor in öre, for amounts written in code and tests.
func Kr(n int64) Ore { return Ore(n * 100) }
