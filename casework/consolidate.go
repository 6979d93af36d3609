package casework

import (
	"slices"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// DecidedPeriod is a stretch of days with one degree of sick leave and the
// stored period that decides it.
type DecidedPeriod struct {
	From, To Date
	Degree   int
	// PeriodID is the stored period that decides these days, and
	// CertificateID its certificate (0 when it was entered by hand).
	PeriodID      int64
	CertificateID int64
	// Overruled are the other periods in force on some of these days with
	// another degree: where the sources disagreed.
	Overruled []Overruled
}

// Overruled is a period that another decides over.
type Overruled struct {
	PeriodID      int64
	CertificateID int64 // 0 when entered by hand
	Degree        int
}

// ConsolidatePeriods turns a case's stored periods, which overlap when a
// renewal or a new certificate revises an earlier one, into the
// non-overlapping periods the rules engine takes, and says for each which
// period decides it:
//
//   - a certificate replaced by another (relation ERSATT) counts for
//     nothing, on every day it covered;
//   - a period entered by hand by the case worker decides over
//     certificates (it records what the case worker established); among
//     such periods the one entered last decides;
//   - among certificates, for each day the one signed most recently
//     decides (on equal signing times the one stored last).
//
// Adjacent days decided by the same period with the same degree form one
// period; the result is in date order. ps need not be sorted.
func ConsolidatePeriods(ps []store.Period) []DecidedPeriod {
	if len(ps) == 0 {
		return nil
	}
	// The certificates that an ERSATT certificate of the same sender
	// replaces.
	type key struct {
		sender int64
		certID string
	}
	replaced := map[key]bool{}
	for _, p := range ps {
		if p.CertificateID != 0 && p.Replaces != "" {
			replaced[key{p.SenderOrgID, p.Replaces}] = true
		}
	}
	live := make([]int, 0, len(ps))
	for i, p := range ps {
		if p.CertificateID != 0 && replaced[key{p.SenderOrgID, p.CertID}] {
			continue
		}
		live = append(live, i)
	}
	// Strongest first.
	stronger := func(a, b store.Period) bool {
		if (a.CertificateID == 0) != (b.CertificateID == 0) {
			return a.CertificateID == 0 // by hand decides
		}
		if !a.SignedAt.Equal(b.SignedAt) {
			return a.SignedAt.After(b.SignedAt)
		}
		if a.CertificateID != b.CertificateID {
			return a.CertificateID > b.CertificateID
		}
		return a.ID > b.ID
	}
	slices.SortStableFunc(live, func(a, b int) int {
		switch {
		case stronger(ps[a], ps[b]):
			return -1
		case stronger(ps[b], ps[a]):
			return 1
		}
		return 0
	})
	var out []DecidedPeriod
	taken := make([][2]int32, 0, len(live))
	for _, i := range live {
		p := ps[i]
		lo, hi := civil.Of(p.From).Days(), civil.Of(p.To).Days()
		for _, piece := range uncovered(lo, hi, taken) {
			out = append(out, DecidedPeriod{From: civil.FromDays(piece[0]), To: civil.FromDays(piece[1]), Degree: p.Degree,
				PeriodID: p.ID, CertificateID: p.CertificateID})
		}
		taken = append(taken, [2]int32{lo, hi})
	}
	slices.SortFunc(out, func(a, b DecidedPeriod) int { return int(a.From.Days() - b.From.Days()) })
	// Join what the same period decides on adjacent days.
	joined := out[:0]
	for _, d := range out {
		if n := len(joined); n > 0 && joined[n-1].PeriodID == d.PeriodID && joined[n-1].CertificateID == d.CertificateID &&
			joined[n-1].Degree == d.Degree && joined[n-1].To.AddDays(1) == d.From {
			joined[n-1].To = d.To
			continue
		}
		joined = append(joined, d)
	}
	out = joined
	// Where the others disagreed.
	for k := range out {
		d := &out[k]
		for _, i := range live {
			p := ps[i]
			if p.ID == d.PeriodID || p.Degree == d.Degree {
				continue
			}
			lo, hi := civil.Of(p.From).Days(), civil.Of(p.To).Days()
			if hi < d.From.Days() || lo > d.To.Days() {
				continue
			}
			d.Overruled = append(d.Overruled, Overruled{PeriodID: p.ID, CertificateID: p.CertificateID, Degree: p.Degree})
		}
	}
	return out
}

// RulesPeriods are the decided periods as the rules engine takes them.
func RulesPeriods(ds []DecidedPeriod) []rules.Period {
	out := make([]rules.Period, len(ds))
	for i, d := range ds {
		out[i] = rules.Period{From: d.From, To: d.To, Degree: d.Degree}
	}
	return out
}
