package certificate

import (
	"strings"

	"github.com/finsam/finsam/personnummer"
)

// HSA-ids identify people, care units and care providers in Swedish health
// care (Inera's HSA catalogue). Inera's validators ([C] support/.../validate/)
// know two forms:
//
//   - HsaIdValidator: SE, an optional 16, a 10-digit organisation number
//     whose last digit is a modulus-10 (Luhn) check digit, "-", and a local
//     id of [0-9A-Za-z '()+,-./:=?], at most 31 characters in all;
//   - SimpleHsaIdValidator: 2–4 capital letters, an optional 16, 10 digits,
//     "-", anything, with no checksum.
//
// The HSA specification writes an id as SE, the catalogue owner's 10-digit
// organisation number, "-", and at least one letter or digit, at most 31
// characters in all. Inera's test catalogue writes its ids with the prefix
// TSTNMT instead of SE ("TSTNMT2321000156-1077"): certificates signed in
// Inera's test environments carry them.
//
// finsam accepts all of these, this way: an id with the national prefix
// "SE" must pass the full HsaIdValidator (every organisation number has a
// valid check digit, so a wrong one is a typing error); any other 2–4
// letter prefix (county catalogues) and a test-catalogue prefix (TST and
// up to five more capitals) is accepted in the simple form without the
// checksum. Both forms must keep to the local character set and the 31
// characters, and the local id must not be empty: an id that ends in "-"
// names nobody. Ids are case-sensitive and are not normalised.

const maxHSAIDLen = 31

// testPrefix starts the ids of Inera's test catalogue (TSTNMT…).
const testPrefix = "TST"

// IsTestHSAID reports whether id belongs to Inera's test catalogue, that
// is to a certificate signed in a test environment.
func IsTestHSAID(id string) bool { return strings.HasPrefix(id, testPrefix) }

// TestEnvironment reports whether the certificate was signed in a test
// environment: the doctor, the unit or the care provider has an id of
// Inera's test catalogue. finsam stores such certificates, marks them and
// leaves them out of statistics.
func (c *Certificate) TestEnvironment() bool {
	return IsTestHSAID(c.Issuer.HSAID) || IsTestHSAID(c.Issuer.UnitHSAID) || IsTestHSAID(c.Issuer.CareProviderHSAID)
}

// hsaIDProblem returns "" when id is a valid HSA-id, else what is wrong.
func hsaIDProblem(id string) string {
	if len(id) > maxHSAIDLen {
		return "is longer than 31 characters"
	}
	i := 0
	for i < len(id) && id[i] >= 'A' && id[i] <= 'Z' {
		i++
	}
	if (i < 2 || i > 4) && !(i <= 8 && strings.HasPrefix(id, testPrefix)) {
		return "must start with 2–4 capital letters, such as SE"
	}
	national := id[:i] == "SE"
	rest := id[i:]
	// The optional "16" is the century prefix of organisation numbers; with
	// it there are 12 digits before the dash, without it 10.
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	var org string
	switch n {
	case 10:
		org = rest[:10]
	case 12:
		if rest[:2] != "16" {
			return "must have a 10-digit organisation number, optionally after 16"
		}
		org = rest[2:12]
	default:
		return "must have a 10-digit organisation number, optionally after 16"
	}
	rest = rest[n:]
	if len(rest) == 0 || rest[0] != '-' {
		return `must have "-" after the organisation number`
	}
	local := rest[1:]
	if local == "" {
		return `must have a local id after "-"`
	}
	for j := 0; j < len(local); j++ {
		if !hsaLocalChar(local[j]) {
			return "has a character that HSA-ids do not use"
		}
	}
	if national && personnummer.CheckDigit(org[:9]) != int(org[9]-'0') {
		return "has an organisation number with a wrong check digit"
	}
	return ""
}

func hsaLocalChar(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return true
	}
	switch c {
	case ' ', '\'', '(', ')', '+', ',', '-', '.', '/', ':', '=', '?':
		return true
	}
	return false
}
