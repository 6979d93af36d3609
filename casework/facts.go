package casework

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// FactsFrom turns a case as the store reads it into the Facts Derive takes,
// for the date date. fmb is the FMB table in force (nil: none); a
// certificate body is parsed only when FMB covers its diagnosis, to learn
// whether it motivates a longer sick leave.
func FactsFrom(c *store.RecomputeCase, date Date, fmb *certificate.FMB) Facts {
	f := Facts{
		Date:           date,
		Employment:     rules.Employment(c.Employment),
		AnnualIncome:   float64(c.AnnualIncomeOre) / 100,
		SeriousIllness: c.SeriousIllness,
		BirthDate:      BirthDate(c.Personnummer, date),
		LastContact:    dayOf(c.LastContact),
		PlanActions:    c.PlanActions,
	}
	f.Periods = effectivePeriods(c)
	if len(c.Certificates) > 0 {
		f.Certificates = make([]Certificate, len(c.Certificates))
		for i := range c.Certificates {
			x := &c.Certificates[i]
			cert := Certificate{
				ID:            x.ID,
				SignedOn:      certificate.SwedishDate(x.SignedAt),
				From:          civil.Of(x.FirstDay),
				To:            civil.Of(x.LastDay),
				DiagnosisCode: x.DiagnosisCode,
				QualityScore:  x.QualityScore,
				Findings:      countJSONList(x.Findings),
			}
			if days, ok := fmb.MaxDays(x.DiagnosisCode); ok {
				cert.FMBMaxDays = days
				cert.FMBMotivated = fmbMotivated(x.Body)
			}
			f.Certificates[i] = cert
		}
	}
	if len(c.Supplements) > 0 {
		f.Supplements = make([]Supplement, len(c.Supplements))
		for i, s := range c.Supplements {
			f.Supplements[i] = Supplement{MessageID: s.MessageID, SentOn: certificate.SwedishDate(s.SentAt),
				AnswerBy: civil.Of(s.AnswerBy), Answered: s.Answered}
		}
	}
	if len(c.CaseStarts) > 0 {
		f.CaseStarts = make([]Date, len(c.CaseStarts))
		for i, t := range c.CaseStarts {
			f.CaseStarts[i] = civil.Of(t)
		}
	}
	for _, d := range c.Deadlines {
		// Only a person's closing is a fact; one closed automatically
		// follows the facts again on every run.
		if d.Done && !d.Auto {
			if f.Done == nil {
				f.Done = make(map[DeadlineID]bool)
			}
			f.Done[DeadlineID{Kind: d.Kind, Key: d.Key}] = true
		}
	}
	return f
}

// dayOf is the calendar date of a stored DATE (midnight UTC); zero stays
// zero.
func dayOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return civil.Of(t.UTC())
}

// countJSONList counts the elements of a stored JSON list (the quality
// findings); anything else counts as none.
func countJSONList(b []byte) int {
	if len(bytes.TrimSpace(b)) <= 2 { // "", "[]"
		return 0
	}
	var list []json.RawMessage
	if err := json.Unmarshal(b, &list); err != nil {
		return 0
	}
	return len(list)
}

// fmbMotivated reports whether a certificate's canonical JSON body
// motivates a sick leave longer than FMB recommends (answer 37). A body
// that does not parse motivates nothing. Most bodies leave the answer
// empty, which is seen without parsing (as SQLite keeps the canonical text
// and PostgreSQL's jsonb writes it back).
func fmbMotivated(body []byte) bool {
	if bytes.Contains(body, []byte(`"fmb_motivation":""`)) || bytes.Contains(body, []byte(`"fmb_motivation": ""`)) {
		return false
	}
	c, err := certificate.ParseJSON(body)
	return err == nil && len(bytes.TrimSpace([]byte(c.FMBMotivation))) > 0
}

// effectivePeriods are the case's periods as the rules engine takes them:
// in date order and never overlapping (ConsolidatePeriods says which
// period decides each day).
func effectivePeriods(c *store.RecomputeCase) []rules.Period {
	if len(c.Periods) == 0 {
		return nil
	}
	// The signing times come with the periods from the store; a case built
	// otherwise has them with its certificates.
	ps, cloned := c.Periods, false
	for i := range ps {
		if ps[i].CertificateID == 0 || !ps[i].SignedAt.IsZero() {
			continue
		}
		if !cloned {
			ps, cloned = slices.Clone(ps), true
		}
		for _, x := range c.Certificates {
			if x.ID == ps[i].CertificateID {
				ps[i].SignedAt = x.SignedAt
			}
		}
	}
	return RulesPeriods(ConsolidatePeriods(ps))
}

// uncovered returns the parts of the day range lo..hi that no range in
// taken covers.
func uncovered(lo, hi int32, taken [][2]int32) [][2]int32 {
	pieces := [][2]int32{{lo, hi}}
	for _, t := range taken {
		var next [][2]int32
		for _, p := range pieces {
			if t[1] < p[0] || t[0] > p[1] {
				next = append(next, p)
				continue
			}
			if p[0] < t[0] {
				next = append(next, [2]int32{p[0], t[0] - 1})
			}
			if p[1] > t[1] {
				next = append(next, [2]int32{t[1] + 1, p[1]})
			}
		}
		pieces = next
	}
	return pieces
}

// BirthDate is the birth date a personnummer or samordningsnummer encodes,
// as of date (which decides the century of a number written without it);
// zero for an empty or invalid number or a birth date after date, so that
// the rules say the age limit could not be applied rather than guess.
func BirthDate(pnr string, date Date) Date {
	if pnr == "" {
		return Date{}
	}
	n, err := personnummer.Parse(pnr, date.Time())
	if err != nil {
		return Date{}
	}
	b := civil.Of(n.BirthDate())
	if b.IsZero() || (!date.IsZero() && b.After(date)) {
		return Date{}
	}
	return b
}
