package certificate

import "time"

// Certificate is an FK 7804 (Inera type lisjp) medical certificate,
// "Läkarintyg för sjukpenning". JSON field names are those of finsam's API; the
// comments give the answer (svar) id of the form and of RegisterCertificate.
type Certificate struct {
	// ID is the issuer's certificate id (intygs-id extension).
	ID string `json:"id"`
	// Version is the version of the certificate model the certificate
	// follows (RegisterCertificate's version): "1.0", "1.1" … for lisjp v1,
	// "2.0" … for FK7804 v2. Each major version has its own code lists,
	// answers and limits (see Validate). The parsers normalise it to
	// major.minor and refuse other majors (ParseUnsupportedVersion); the
	// JSON form defaults to NewestVersion.
	Version string `json:"version"`
	// Schema2016 marks a lisjp v1 certificate in Inera's first schema
	// (RegisterCertificate v2, 2016): occupation
	// PROGRAM (labour market programme) with svar 30, up to 5 occupations,
	// and a description (44) required with any work measure but
	// EJ_AKTUELLT.
	Schema2016 bool `json:"schema_2016,omitempty"`
	// SignedAt is the signing time (signeringstidpunkt).
	SignedAt time.Time `json:"signed_at"`
	Patient  Patient   `json:"patient"`
	Issuer   Issuer    `json:"issuer"`
	// Smittskydd (27) is avstängning enligt smittskyddslagen; it reduces the
	// rule set (see Validate).
	Smittskydd bool `json:"smittskydd"`
	// Basis (1) is what the certificate is based on (grund för MU).
	Basis []Basis `json:"basis"`
	// NotExaminedReason is sent inside svar 25 with a fixed prefix.
	NotExaminedReason string `json:"not_examined_reason"`
	// Occupation (28) holds codes of KV_FKMU_0002.
	Occupation []string `json:"occupation"`
	// CurrentWork (29) describes the current work when Occupation holds
	// NUVARANDE_ARBETE.
	CurrentWork string `json:"current_work"`
	// LabourMarketProgramme (30) describes the programme when Occupation
	// holds PROGRAM (labour market programme) (Schema2016 only).
	LabourMarketProgramme string      `json:"labour_market_programme,omitempty"`
	Diagnoses             []Diagnosis `json:"diagnoses"` // 6
	// FunctionalImpairment (35) is funktionsnedsättning.
	FunctionalImpairment string `json:"functional_impairment"`
	// ActivityLimitation (17) is aktivitetsbegränsning.
	ActivityLimitation string      `json:"activity_limitation"`
	OngoingTreatment   string      `json:"ongoing_treatment"` // 19
	PlannedTreatment   string      `json:"planned_treatment"` // 20
	SickLeave          []SickLeave `json:"sick_leave"`        // 32
	// EarlyStartReason is sent inside svar 25 with a fixed prefix.
	EarlyStartReason string `json:"early_start_reason"`
	// FMBMotivation (37) says why the sick leave is longer than FMB's
	// recommendation.
	FMBMotivation string `json:"fmb_motivation"`
	// WorkingTimeDistribution (33.1) is arbetstidsförläggning; nil when not
	// answered.
	WorkingTimeDistribution *bool  `json:"working_time_distribution"`
	WorkingTimeMotivation   string `json:"working_time_motivation"` // 33.2
	TravelToWork            bool   `json:"travel_to_work"`          // 34
	// Prognosis (39); nil when not answered.
	Prognosis *Prognosis `json:"prognosis"`
	// WorkMeasures (40) holds codes of KV_FKMU_0004.
	WorkMeasures     []string `json:"work_measures"`
	WorkMeasuresText string   `json:"work_measures_text"` // 44
	// Other (25) is övriga upplysningar, without the two prefixed parts.
	Other         string `json:"other"`
	ContactFK     bool   `json:"contact_fk"`     // 26.1
	ContactReason string `json:"contact_reason"` // 26.2
	// Relation ties a certificate to an earlier one (a supplement, a
	// replacement, an extension or a copy).
	Relation *Relation `json:"relation,omitempty"`
	// Additional holds Försäkringskassan's additional questions
	// (tilläggsfrågor, svar 9001 and up), in the order sent.
	Additional []AdditionalAnswer `json:"additional,omitempty"`
}

// AdditionalAnswer is the answer to one of Försäkringskassan's additional
// questions: svar id (9001 and up) with its one delsvar id + ".1".
type AdditionalAnswer struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Patient is the person the certificate is about.
type Patient struct {
	// Personnummer is a personnummer or samordningsnummer; 12 digits in the
	// canonical form, any form personnummer.Parse reads on input.
	Personnummer string `json:"personnummer"`
}

// Issuer is the signing doctor (skapadAv) with the care unit and care
// provider, each identified by an HSA-id.
type Issuer struct {
	HSAID             string `json:"hsa_id"`
	Name              string `json:"name"`
	UnitHSAID         string `json:"unit_hsa_id"`
	UnitName          string `json:"unit_name"`
	CareProviderHSAID string `json:"care_provider_hsa_id"`
	CareProviderName  string `json:"care_provider_name"`
}

// Basis is one ground for the certificate (svar 1, one instance each).
type Basis struct {
	// Type is a code of KV_FKMU_0001 (see BasisTypes).
	Type        string `json:"type"`
	Date        Date   `json:"date"`
	Description string `json:"description"`
}

// Diagnosis is one diagnosis (svar 6), ICD-10-SE unless System says
// otherwise.
type Diagnosis struct {
	// Code is written with or without the dot in JSON and without it in
	// XML (Inera's form, a trailing "-" allowed); the canonical form has no
	// dot and is upper-case.
	Code string `json:"code"`
	Text string `json:"text"`
	// System is the code system: "" or SystemICD10SE for ICD-10-SE,
	// SystemKSH97P for KSH97-P (primary care). All diagnoses of a
	// certificate use one system (Inera's R12).
	System string `json:"system,omitempty"`
}

// SickLeave is one sick-leave period with its degree (svar 32).
type SickLeave struct {
	// Degree is a code of KV_FKMU_0003: HELT_NEDSATT, TRE_FJARDEDEL,
	// HALFTEN or EN_FJARDEDEL.
	Degree string `json:"degree"`
	From   Date   `json:"from"`
	To     Date   `json:"to"`
}

// Prognosis is the doctor's prognosis of a return to work (svar 39).
type Prognosis struct {
	// Type is a code of KV_FKMU_0006.
	Type string `json:"type"`
	// Days (39.3, KV_FKMU_0007) is set only with ATER_X_ANTAL_DGR: 30, 60,
	// 90, 180 or 365; 0 when absent.
	Days int `json:"days"`
	// Months (39.4) is FK7804 v2's ATER_X_ANTAL_MANADER: 1–99; 0 when
	// absent, and then left out of the JSON so that v1 certificates keep
	// their first shape.
	Months int `json:"months,omitempty"`
	// Description (39.2) is v2's basis of the assessment, required with
	// PROGNOS_OKLAR.
	Description string `json:"description,omitempty"`
}

// Relation ties this certificate to an earlier one.
type Relation struct {
	// Type is KOMPLT (answers a supplement request), ERSATT (replaces),
	// FRLANG (extends the sick leave) or KOPIA (a copy).
	Type          string `json:"type"`
	CertificateID string `json:"certificate_id"`
}

// Period is a sick-leave period as the case-work layer needs it.
type Period struct {
	From Date `json:"from"`
	To   Date `json:"to"`
	// Degree is the reduction of work capacity in percent: 100, 75, 50 or
	// 25.
	Degree int `json:"degree"`
}

// Periods returns the sick-leave periods with their degree in percent, in
// the order of the certificate. Periods with an unknown degree are left out
// (Validate refuses them).
func (c *Certificate) Periods() []Period {
	out := make([]Period, 0, len(c.SickLeave))
	for _, s := range c.SickLeave {
		if d := degreePercent(s.Degree); d > 0 {
			out = append(out, Period{From: s.From, To: s.To, Degree: d})
		}
	}
	return out
}

func degreePercent(code string) int {
	switch code {
	case "HELT_NEDSATT":
		return 100
	case "TRE_FJARDEDEL":
		return 75
	case "HALFTEN":
		return 50
	case "EN_FJARDEDEL":
		return 25
	}
	return 0
}
