package certificate

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/finsam/finsam/personnummer"
)

// Canonical returns the certificate's stable JSON encoding: the form
// finsam stores, and the bytes that tell a repeated delivery ("same id, same
// body": 200) from a conflicting one ("same id, different body": 409). JSON
// and XML deliveries of the same certificate give the same bytes.
//
// Normalisation:
//   - the version as major.minor, the newest when not given;
//   - signed_at in UTC (RFC 3339);
//   - the personnummer as 12 digits, a 10-digit one read on the signing
//     day (Validate refuses patients born after it, so this agrees with
//     reading it on the day of receipt); a number that does not parse is
//     kept as given;
//   - diagnosis codes upper-case without the dot, the code system left
//     out for ICD-10-SE (fields that are empty in most certificates —
//     the code system, svar 30, 39.2, additional questions — are left
//     out when empty, so that a certificate without them keeps its earlier
//     canonical form apart from the version);
//   - basis, occupations and work measures in the order of their code
//     lists, sick-leave periods by start date: their order carries no
//     meaning on the form (the diagnoses' order does: the first is the
//     main diagnosis, so it is kept);
//   - line breaks in text as "\n" (XML already normalises them);
//   - every list present, empty as [], never null.
//
// Canonical never fails: the parsers only produce times it can encode.
func (c *Certificate) Canonical() []byte {
	n := c.normalized()
	b, err := json.Marshal(n)
	if err != nil {
		// Only a SignedAt outside years 0–9999 can get here, which no
		// parser produces; encode the rest rather than lose it.
		n.SignedAt = time.Time{}
		b, _ = json.Marshal(n)
	}
	return b
}

// normalized returns the canonical copy of c.
func (c *Certificate) normalized() *Certificate {
	n := *c
	if !n.SignedAt.IsZero() {
		n.SignedAt = n.SignedAt.UTC()
	}
	n.Patient.Personnummer = canonicalPersonnummer(c.Patient.Personnummer, c.SignedDate())

	n.Basis = slices.Clone(c.Basis)
	if n.Basis == nil {
		n.Basis = []Basis{}
	}
	for i := range n.Basis {
		n.Basis[i].Description = lf(n.Basis[i].Description)
	}
	slices.SortStableFunc(n.Basis, func(a, b Basis) int { return codeRank(basisOrder, a.Type) - codeRank(basisOrder, b.Type) })

	n.Occupation = sortedCodes(c.Occupation, occupationOrder)
	n.WorkMeasures = sortedCodes(c.WorkMeasures, workMeasureOrder)

	n.Diagnoses = slices.Clone(c.Diagnoses)
	if n.Diagnoses == nil {
		n.Diagnoses = []Diagnosis{}
	}
	for i := range n.Diagnoses {
		n.Diagnoses[i].Code = NormalizeDiagnosisCode(strings.TrimSpace(n.Diagnoses[i].Code))
		n.Diagnoses[i].Text = lf(n.Diagnoses[i].Text)
		if sys := diagnosisSystem(n.Diagnoses[i].System); sys == SystemICD10SE {
			n.Diagnoses[i].System = ""
		} else if sys != "" {
			n.Diagnoses[i].System = sys
		}
	}
	if v, ok := NormalizeVersion(c.Version); ok {
		n.Version = v
	} else if c.Version == "" {
		n.Version = NewestVersion
	}
	if c.Additional != nil {
		n.Additional = slices.Clone(c.Additional)
		for i := range n.Additional {
			n.Additional[i].Text = lf(n.Additional[i].Text)
		}
	}

	n.SickLeave = slices.Clone(c.SickLeave)
	if n.SickLeave == nil {
		n.SickLeave = []SickLeave{}
	}
	slices.SortStableFunc(n.SickLeave, func(a, b SickLeave) int {
		if d := a.From.Sub(b.From); d != 0 {
			return d
		}
		return codeRank(degreeOrder, a.Degree) - codeRank(degreeOrder, b.Degree)
	})

	if c.WorkingTimeDistribution != nil {
		v := *c.WorkingTimeDistribution
		n.WorkingTimeDistribution = &v
	}
	if c.Prognosis != nil {
		p := *c.Prognosis
		p.Description = lf(p.Description)
		n.Prognosis = &p
	}
	if c.Relation != nil {
		r := *c.Relation
		n.Relation = &r
	}
	for _, s := range []*string{&n.NotExaminedReason, &n.CurrentWork, &n.FunctionalImpairment,
		&n.ActivityLimitation, &n.OngoingTreatment, &n.PlannedTreatment, &n.EarlyStartReason,
		&n.FMBMotivation, &n.WorkingTimeMotivation, &n.WorkMeasuresText, &n.Other, &n.ContactReason,
		&n.LabourMarketProgramme} {
		*s = lf(*s)
	}
	return &n
}

// codeRank orders known codes by their list and unknown ones after them
// (a stable sort keeps their relative order).
func codeRank(list []string, code string) int {
	if i := indexOf(list, code); i >= 0 {
		return i
	}
	return len(list)
}

func sortedCodes(codes, order []string) []string {
	out := slices.Clone(codes)
	if out == nil {
		return []string{}
	}
	slices.SortStableFunc(out, func(a, b string) int { return codeRank(order, a) - codeRank(order, b) })
	return out
}

// lf turns CRLF and lone CR into LF, as an XML parser does.
func lf(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func canonicalPersonnummer(s string, signed Date) string {
	if signed.IsZero() {
		signed = maxDate
	}
	n, err := personnummer.Parse(strings.TrimSpace(s), signed.Time())
	if err != nil {
		return s
	}
	return string(n)
}
