package certificate

import "strings"

// The model versions finsam reads. Inera numbers the lisjp model 1.0, 1.1 …
// (Webcert's lisjp v1) and the FK7804 model of certificate-service 2.0;
// a minor version never changes the answers or code lists, a major one
// does.
const (
	// NewestVersion is what the JSON form means when it names no version.
	NewestVersion = "2.0"
)

// NormalizeVersion returns v as major.minor ("1" → "1.0", " 2.0 " →
// "2.0") and whether finsam supports it: majors 1 and 2, a minor of at
// most three digits.
func NormalizeVersion(v string) (string, bool) {
	v = strings.TrimSpace(v)
	major, minor, hasMinor := strings.Cut(v, ".")
	if major != "1" && major != "2" {
		return v, false
	}
	if !hasMinor {
		return major + ".0", true
	}
	if minor == "" || len(minor) > 3 {
		return v, false
	}
	for i := 0; i < len(minor); i++ {
		if minor[i] < '0' || minor[i] > '9' {
			return v, false
		}
	}
	return major + "." + minor, true
}

// Major is the certificate's major model version: 1 or 2 (a certificate
// built in code without a version is the newest).
func (c *Certificate) Major() int {
	if strings.HasPrefix(c.Version, "1") {
		return 1
	}
	return 2
}

// model is what one major version allows.
type model struct {
	basis      []string // KV_FKMU_0001
	maxBasis   int
	occupation []string // KV_FKMU_0002
	maxOccup   int
	prognosis  []string // KV_FKMU_0006
	// days: 39.3 ATER_X_ANTAL_DGR (v1); months: 39.4 ATER_X_ANTAL_MANADER
	// and the 39.2 description (v2).
	days, months bool
	// workMeasures: svar 40 exists and is required unless smittskydd (v1);
	// v2 has only the text 44, which is optional.
	workMeasures bool
	// annatMax limits the ANNAT description (v2: 50 characters), 0 none.
	annatMax int
}

var (
	modelV1 = model{
		basis:    []string{BasisExamination, BasisPhone, BasisRecords, BasisOther},
		maxBasis: 4, occupation: occupationOrder[:4], maxOccup: 4,
		prognosis: []string{PrognosisLikely, PrognosisBackInDays, PrognosisUnlikely, PrognosisUnclear},
		days:      true, workMeasures: true,
	}
	// model2016 is lisjp v1 in Inera's first schema (lisjp.2016).
	model2016 = model{
		basis:    modelV1.basis,
		maxBasis: 4, occupation: occupationOrder, maxOccup: 5,
		prognosis: modelV1.prognosis, days: true, workMeasures: true,
	}
	modelV2 = model{
		basis: []string{BasisPhysicalExamination, BasisDigitalExamination, BasisPhone, BasisRecords,
			BasisOther},
		maxBasis: 5, occupation: occupationOrder[:4], maxOccup: 4,
		prognosis: []string{PrognosisLikely, PrognosisBackInMonths, PrognosisUnlikely, PrognosisUnclear},
		months:    true, annatMax: 50,
	}
)

func (c *Certificate) model() *model {
	switch {
	case c.Major() == 2:
		return &modelV2
	case c.Schema2016:
		return &model2016
	}
	return &modelV1
}
