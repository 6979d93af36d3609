package quality

// The quality board as JSON (/api/v1/dashboards/quality): the same
// figures for the same filter, with the same rules of who sees what — a
// region its own certificates, and outside FK a count of 1–4 as "<5", a
// count hidden to protect one as "..", and no share, mean or median that
// would reveal either (null instead).

import (
	"net/http"
	"slices"
	"strings"

	"github.com/finsam/finsam/web/internal/site"
)

// APIFigures are one line of the board as the API answers it. Counts are
// numbers, or the string "<5" or ".." when hidden; shares, means and medians are
// null when hidden or without certificates.
type APIFigures struct {
	Month           string   `json:"month,omitempty"`
	CareProvider    string   `json:"care_provider,omitempty"`
	CareProviderHSA string   `json:"care_provider_hsa_id,omitempty"`
	Unit            string   `json:"unit,omitempty"`
	UnitHSA         string   `json:"unit_hsa_id,omitempty"`
	Certificates    any      `json:"certificates"`
	WithoutFindings any      `json:"without_findings"`
	SharePercent    *float64 `json:"share_without_findings_percent"`
	MeanScore       *float64 `json:"mean_score"`
	FMBExceeded     any      `json:"fmb_exceeded"`
	Supplemented    any      `json:"supplemented"`
	SupplementPct   *float64 `json:"supplement_percent"`
	AnswerDays      *float64 `json:"median_answer_days"`
	FirstActionDays *float64 `json:"median_first_action_days"`
}

// APIBoard is the whole board.
type APIBoard struct {
	From           string       `json:"from"`
	To             string       `json:"to"`
	Suppressed     bool         `json:"suppressed"`
	Total          APIFigures   `json:"total"`
	Months         []APIFigures `json:"months"`
	Providers      []APIFigures `json:"care_providers"`
	Units          []APIFigures `json:"units"`
	ProviderMonths []APIFigures `json:"care_provider_months"`
	// Findings counts the certificates with each finding (FindingCodes).
	Findings []APIFinding `json:"findings"`
}

// APIFinding is how many certificates have one finding.
type APIFinding struct {
	Code  string `json:"code"`
	Count any    `json:"count"`
}

func apiFigures(l qualityLine) APIFigures {
	num := func(v float64, hidden bool) *float64 {
		if hidden {
			return nil
		}
		r := round1(v)
		return &r
	}
	f := l.Figures
	return APIFigures{Certificates: l.count(measureCertificates), WithoutFindings: l.count(measureWithout),
		FMBExceeded: l.count(measureFinding0 + fmbIndex), Supplemented: l.count(measureSupplemented),
		SharePercent:    num(f.ShareWithout, f.Certificates == 0 || l.shareHidden()),
		MeanScore:       num(f.MeanScore, f.Certificates == 0 || l.meanHidden()),
		SupplementPct:   num(f.SupplementShare, f.Certificates == 0 || l.suppHidden()),
		AnswerDays:      num(f.MedianDays, f.Answered == 0 || l.small(f.Answered)),
		FirstActionDays: num(f.FirstActionDays, f.FirstActions == 0 || l.small(f.FirstActions))}
}

// apiProblems are the filter's problems (message ids) as the API's field
// problems.
func apiProblems(errs []string) site.Problems {
	var ps site.Problems
	for _, e := range errs {
		switch e {
		case "quality.err.month":
			ps.Add("from", "month")
		case "quality.err.order":
			ps.Add("to", "order")
		case "quality.err.span":
			ps.Add("from", "span")
		default:
			ps.Add("unit", "unknown")
		}
	}
	return ps
}

// API answers the board as JSON.
func (s *Handlers) API(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	f, errs := s.readQualityFilter(r)
	f.bound(a)
	if len(errs) > 0 {
		return apiProblems(errs)
	}
	months := f.months()
	rows, _, _, err := s.qualityRows(r, f, months, nil)
	if err != nil {
		return site.Unavailable("quality API", err)
	}
	var total Agg
	byMonth := make([]Agg, len(months)-1)
	type key struct{ provider, unit, month string }
	groups := map[key]*Agg{}
	var order []key
	names := map[string]string{}
	add := func(k key) *Agg {
		if groups[k] == nil {
			groups[k] = &Agg{}
			order = append(order, k)
		}
		return groups[k]
	}
	for _, row := range rows {
		total.Add(row)
		byMonth[row.Month].Add(row)
		m := months[row.Month].Format("2006-01")
		add(key{row.CareProviderHSAID, "", ""}).Add(row)
		add(key{row.CareProviderHSAID, row.UnitHSAID, ""}).Add(row)
		add(key{row.CareProviderHSAID, "", m}).Add(row)
		names[row.CareProviderHSAID] = row.CareProviderName
		names[row.CareProviderHSAID+"\x00"+row.UnitHSAID] = row.UnitName
	}
	prot := protect(rows, months, f.suppress)
	out := APIBoard{From: f.From, To: f.To, Suppressed: f.suppress, Total: apiFigures(prot.line(groupKey{}, total.Figures())),
		Months: []APIFigures{}, Providers: []APIFigures{}, Units: []APIFigures{}, ProviderMonths: []APIFigures{}}
	tl := prot.line(groupKey{}, total.Figures())
	for i, code := range FindingCodes {
		out.Findings = append(out.Findings, APIFinding{Code: code, Count: tl.count(measureFinding0 + i)})
	}
	for i := range byMonth {
		m := months[i].Format("2006-01")
		x := apiFigures(prot.line(groupKey{month: m}, byMonth[i].Figures()))
		x.Month = m
		out.Months = append(out.Months, x)
	}
	slices.SortStableFunc(order, func(a, b key) int {
		if c := strings.Compare(names[a.provider], names[b.provider]); c != 0 {
			return c
		}
		if c := strings.Compare(a.month, b.month); c != 0 {
			return c
		}
		return strings.Compare(names[a.provider+"\x00"+a.unit], names[b.provider+"\x00"+b.unit])
	})
	for _, k := range order {
		x := apiFigures(prot.line(groupKey(k), groups[k].Figures()))
		x.CareProvider, x.CareProviderHSA = names[k.provider], k.provider
		switch {
		case k.unit != "":
			x.Unit, x.UnitHSA = names[k.provider+"\x00"+k.unit], k.unit
			out.Units = append(out.Units, x)
		case k.month != "":
			x.Month = k.month
			out.ProviderMonths = append(out.ProviderMonths, x)
		default:
			out.Providers = append(out.Providers, x)
		}
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}
