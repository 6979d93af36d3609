package certificate

// The code lists (kodverk) the certificate uses, in the order of the form.
// The order matters: Canonical sorts lists by it, so that a certificate
// whose choices arrive in another order is still the same certificate.

// Basis types, KV_FKMU_0001. UNDERSOKNING is lisjp v1;
// FYSISKUNDERSOKNING and DIGITALUNDERSOKNING replace it in FK7804 v2.0.
const (
	BasisExamination         = "UNDERSOKNING"
	BasisPhysicalExamination = "FYSISKUNDERSOKNING"
	BasisDigitalExamination  = "DIGITALUNDERSOKNING"
	BasisPhone               = "TELEFONKONTAKT"
	BasisRecords             = "JOURNALUPPGIFTER"
	BasisOther               = "ANNAT"
)

var basisOrder = []string{BasisExamination, BasisPhysicalExamination, BasisDigitalExamination,
	BasisPhone, BasisRecords, BasisOther}

// isExamination reports whether a basis type means the doctor examined the
// patient (the quality check not_examined_without_reason).
func isExamination(t string) bool {
	return t == BasisExamination || t == BasisPhysicalExamination || t == BasisDigitalExamination
}

// Occupations, KV_FKMU_0002.
// OccupationLabourMarket belongs to Inera's 2016 schema only (with svar
// 30).
const (
	OccupationCurrentWork  = "NUVARANDE_ARBETE"
	OccupationJobSeeker    = "ARBETSSOKANDE"
	OccupationParental     = "FORALDRALEDIG"
	OccupationStudies      = "STUDIER"
	OccupationLabourMarket = "PROGRAM"
)

var occupationOrder = []string{OccupationCurrentWork, OccupationJobSeeker, OccupationParental, OccupationStudies,
	OccupationLabourMarket}

// Sick-leave degrees, KV_FKMU_0003.
const (
	DegreeFull          = "HELT_NEDSATT"
	DegreeThreeQuarters = "TRE_FJARDEDEL"
	DegreeHalf          = "HALFTEN"
	DegreeOneQuarter    = "EN_FJARDEDEL"
)

var degreeOrder = []string{DegreeFull, DegreeThreeQuarters, DegreeHalf, DegreeOneQuarter}

// Prognosis types, KV_FKMU_0006. PrognosisBackInMonths is FK7804 v2.0's
// replacement of PrognosisBackInDays.
const (
	PrognosisLikely       = "STOR_SANNOLIKHET"
	PrognosisBackInDays   = "ATER_X_ANTAL_DGR"
	PrognosisBackInMonths = "ATER_X_ANTAL_MANADER"
	PrognosisUnlikely     = "SANNOLIKT_INTE"
	PrognosisUnclear      = "PROGNOS_OKLAR"
)

var prognosisOrder = []string{PrognosisLikely, PrognosisBackInDays, PrognosisBackInMonths, PrognosisUnlikely, PrognosisUnclear}

// prognosisDays is KV_FKMU_0007: the transport code of each allowed number
// of days for ATER_X_ANTAL_DGR.
var prognosisDays = []struct {
	code string
	days int
}{
	{"TRETTIO_DGR", 30}, {"SEXTIO_DGR", 60}, {"NITTIO_DGR", 90},
	{"HUNDRAATTIO_DAGAR", 180}, {"TREHUNDRASEXTIOFEM_DAGAR", 365},
}

func validPrognosisDays(d int) bool {
	for _, p := range prognosisDays {
		if p.days == d {
			return true
		}
	}
	return false
}

// Work measures (arbetslivsinriktade åtgärder), KV_FKMU_0004.
const WorkMeasureNone = "EJ_AKTUELLT"

var workMeasureOrder = []string{WorkMeasureNone, "ARBETSTRANING", "ARBETSANPASSNING", "SOKA_NYTT_ARBETE",
	"BESOK_ARBETSPLATS", "ERGONOMISK", "HJALPMEDEL", "KONFLIKTHANTERING", "KONTAKT_FHV", "OMFORDELNING",
	"OVRIGA_ATGARDER"}

// Relation types (KV_RELATION) a received certificate can carry: KOMPLT
// answers a request for supplement, ERSATT replaces the earlier
// certificate, FRLANG extends its sick leave (a renewal), KOPIA is a copy
// of it.
const (
	RelationSupplement  = "KOMPLT"
	RelationReplacement = "ERSATT"
	RelationExtension   = "FRLANG"
	RelationCopy        = "KOPIA"
)

// RelationTypes are the relation types in the order finsam lists them.
var RelationTypes = []string{RelationSupplement, RelationReplacement, RelationExtension, RelationCopy}

// indexOf returns the position of code in list, or -1.
func indexOf(list []string, code string) int {
	for i, c := range list {
		if c == code {
			return i
		}
	}
	return -1
}

// Transport constants of RegisterCertificate v3 ([C] support Constants.java).
const (
	typeCodeLISJP = "LISJP"
	// oidICD10SE is the code system of ICD-10-SE diagnoses.
	oidICD10SE = "1.2.752.116.1.1.1.1.3"
	// oidKSH97P is KSH97-P, the primary-care version of ICD-10 that Inera
	// accepts beside ICD-10-SE.
	oidKSH97P = "1.2.752.116.1.3.1.4.1"
)

// Diagnosis code systems as the JSON form names them.
const (
	SystemICD10SE = "ICD-10-SE"
	SystemKSH97P  = "KSH97-P"
)

// The code list of each coded delsvar, which the cv's codeSystem must name.
var cvSystems = map[string]string{
	"1.1": "KV_FKMU_0001", "28.1": "KV_FKMU_0002", "32.1": "KV_FKMU_0003", "40.1": "KV_FKMU_0004",
	"39.1": "KV_FKMU_0006", "39.3": "KV_FKMU_0007",
}

// The svar 25 prefixes of the two fields that have no answer of their own
// (UtlatandeToIntyg.buildOvrigaUpplysningar, joined with "\n").
const (
	prefixNotExamined = "Motivering till varför utlåtandet inte baseras på undersökning av patienten: "
	prefixEarlyStart  = "Orsak för att starta perioden mer än 7 dagar bakåt i tiden: "
)
