package association

import (
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
)

// The sex codes of ListSex that a personnummer implies.
const (
	SexFemale = "female"
	SexMale   = "male"
)

// LegalSex is the legal sex a personnummer or samordningsnummer records:
// the last digit of the birth number (the ninth digit of YYMMDDNNNC, the
// eleventh of the 12-digit form) is odd for men and even for women
// (Skatteverket, Rättslig vägledning 2020.9, "Personnummer",
// https://www4.skatteverket.se/rattsligvagledning/edition/2020.9/330245.html;
// folkbokföringslagen 18 §). It returns "" for a number that is not 12
// digits.
func LegalSex(n personnummer.Number) string {
	if len(n) != 12 || n[10] < '0' || n[10] > '9' {
		return ""
	}
	if (n[10]-'0')%2 == 1 {
		return SexMale
	}
	return SexFemale
}

// DeriveFromNumber is what a registration records about a person whose
// personnummer is given: the legal sex and the age group of the age on the
// start day (on: the registration's start, or the day of registration when
// it has none). The age group is "" when no band of cl covers the age.
func DeriveFromNumber(cl *CodeLists, n personnummer.Number, on civil.Date) (sex, ageGroup string) {
	birth := n.BirthDate()
	if birth.IsZero() || on.IsZero() {
		return LegalSex(n), ""
	}
	return LegalSex(n), cl.AgeGroup(civil.Of(birth).AgeOn(on))
}
