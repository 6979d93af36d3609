package assocreport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
)

// ErrNoData is returned (wrapping store.ErrReportPeriod) for a year in
// which the association had no participants and no budget or outcome.
var ErrNoData = fmt.Errorf("%w: no participants and no budget in the year", store.ErrReportPeriod)

// MinYear and MaxYear bound the years a report may be asked for: the
// Finsam law took effect in 2004, and the budget table takes years to 2200.
const (
	MinYear = 2004
	MaxYear = 2200
)

// Request selects a report.
type Request struct {
	Association organisation.Organisation
	Year        int
	// InsatsID narrows the participant figures and the money to one insats
	// (0: the whole association).
	InsatsID int64
}

// Report is the yearly report's figures, exact (unsuppressed).
type Report struct {
	Association organisation.Organisation
	Year        int
	InsatsID    int64
	InsatsName  string // with InsatsID

	// Insatser are the insatser with participants, budget or outcome in
	// the year, by name.
	Insatser []InsatsFigures
	// Administration is the association's own budget and outcome.
	Administration Money
	// Financiers is budget and outcome by financier, in the order of
	// association.Financiers (only those with an amount).
	Financiers []Money

	// Income and Occupation count the participants who ended in the year
	// by their income source and occupation at the start and at the end.
	Income, Occupation []PhaseCount
	WorkStudies        store.WorkStudies
	Durations          store.Durations
	EndReasons         []store.CodeCount
	// Excluded is how many registrations that ended in the year were
	// mistakes (end reasons flagged association.FlagExclude); they are left
	// out of every other participant figure.
	Excluded int64

	Contributions []Contribution
	// Equity is eget kapital at the end of the year, when recorded.
	Equity    association.Ore
	HasEquity bool
}

// InsatsFigures are one insats's participants and money in the year.
type InsatsFigures struct {
	ID            int64
	Name          string
	Kind          association.Kind
	Planned       int // planned participants
	Female, Male  int64
	Budget, Spent association.Ore // budget and outcome (utfall)
}

// Participants is how many took part.
func (f InsatsFigures) Participants() int64 { return f.Female + f.Male }

// Money is budget against outcome for one group.
type Money struct {
	Financier association.Financier // by financier
	Budget    association.Ore
	Outcome   association.Ore
}

// PhaseCount is how many had one code at the start and at the end.
type PhaseCount struct {
	Code       string
	Start, End int64
}

// Contribution is one member's contribution for the year.
type Contribution struct {
	Member                  string
	Planned, Invoiced, Paid association.Ore
}

// Participants is the number of participants in the year's insatser.
func (r Report) Participants() (female, male int64) {
	for _, in := range r.Insatser {
		female += in.Female
		male += in.Male
	}
	return female, male
}

// Build reads the report from the store. q should be one snapshot (a read
// transaction) so that the figures agree with each other. A year out of
// range or without data returns an error wrapping store.ErrReportPeriod.
func Build(ctx context.Context, q store.Querier, codes *association.CodeLists, req Request) (Report, error) {
	if req.Year < MinYear || req.Year > MaxYear {
		return Report{}, fmt.Errorf("%w: year %d", store.ErrReportPeriod, req.Year)
	}
	r := Report{Association: req.Association, Year: req.Year, InsatsID: req.InsatsID}
	assoc := req.Association.ID
	from, _ := civil.New(req.Year, 1, 1)
	to, _ := civil.New(req.Year, 12, 31)
	excluded := codes.WithFlag(association.ListEndReason, association.FlagExclude)
	f := store.ReportFilter{AssociationID: assoc, From: from, To: to, InsatsID: req.InsatsID, ExcludeEndReasons: excluded}

	insatser, err := store.Insatser(ctx, q, store.InsatsQuery{AssociationID: assoc})
	if err != nil {
		return Report{}, err
	}
	byID := map[int64]*InsatsFigures{}
	figures := func(id int64) *InsatsFigures {
		if g := byID[id]; g != nil {
			return g
		}
		g := &InsatsFigures{ID: id}
		for _, in := range insatser {
			if in.ID == id {
				g.Name, g.Kind, g.Planned = in.Name, in.Kind, in.Planned
			}
		}
		byID[id] = g
		return g
	}
	if req.InsatsID != 0 {
		i := slices.IndexFunc(insatser, func(in association.Insats) bool { return in.ID == req.InsatsID })
		if i < 0 {
			return Report{}, fmt.Errorf("insats %d: %w", req.InsatsID, store.ErrNotFound)
		}
		r.InsatsName = insatser[i].Name
	}

	bySex, err := store.ParticipantsBySex(ctx, q, f)
	if err != nil {
		return Report{}, err
	}
	for _, c := range bySex {
		g := figures(c.InsatsID)
		switch c.Sex {
		case "female":
			g.Female += c.N
		case "male":
			g.Male += c.N
		}
	}
	byInsats, err := store.BudgetOutcomeByInsats(ctx, q, assoc, req.Year, req.Year)
	if err != nil {
		return Report{}, err
	}
	for _, b := range byInsats {
		switch {
		case b.Kind == store.LineAdministration && req.InsatsID == 0:
			r.Administration.Budget += b.Budget
			r.Administration.Outcome += b.Outcome
		case b.Kind == store.LineInsats && (req.InsatsID == 0 || b.InsatsID == req.InsatsID):
			g := figures(b.InsatsID)
			g.Budget += b.Budget
			g.Spent += b.Outcome
		}
	}
	for _, g := range byID {
		r.Insatser = append(r.Insatser, *g)
	}
	slices.SortFunc(r.Insatser, func(a, b InsatsFigures) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		return int(a.ID - b.ID)
	})

	byFin, err := store.BudgetOutcomeByFinancierOf(ctx, q, assoc, req.InsatsID, req.Year, req.Year)
	if err != nil {
		return Report{}, err
	}
	for _, fin := range association.Financiers {
		m := Money{Financier: fin}
		for _, b := range byFin {
			if b.Financier == fin {
				m.Budget += b.Budget
				m.Outcome += b.Outcome
			}
		}
		if m.Budget != 0 || m.Outcome != 0 {
			r.Financiers = append(r.Financiers, m)
		}
	}

	income, err := store.IncomeSourceCounts(ctx, q, f)
	if err != nil {
		return Report{}, err
	}
	r.Income = phaseCounts(codes.List(association.ListIncomeSource), income)
	occ, err := store.OccupationCounts(ctx, q, f)
	if err != nil {
		return Report{}, err
	}
	r.Occupation = phaseCounts(codes.List(association.ListOccupation), occ)
	if r.WorkStudies, err = store.WorkOrStudiesAfter(ctx, q, f, association.PhaseEnd,
		codes.WithFlag(association.ListOccupation, association.FlagWork),
		codes.WithFlag(association.ListOccupation, association.FlagStudies)); err != nil {
		return Report{}, err
	}
	if r.Durations, err = store.TimeInInsats(ctx, q, f); err != nil {
		return Report{}, err
	}
	all := f
	all.ExcludeEndReasons = nil
	reasons, err := store.EndReasons(ctx, q, all)
	if err != nil {
		return Report{}, err
	}
	for _, c := range reasons {
		if slices.Contains(excluded, c.Code) {
			r.Excluded += c.N
			continue
		}
		r.EndReasons = append(r.EndReasons, c)
	}
	r.EndReasons = inListOrder(codes.List(association.ListEndReason), r.EndReasons)

	if req.InsatsID == 0 {
		if err := r.readFinance(ctx, q); err != nil {
			return Report{}, err
		}
	}
	if len(r.Insatser) == 0 && r.Administration == (Money{}) && len(r.Financiers) == 0 && r.Durations.N == 0 && len(r.EndReasons) == 0 {
		return Report{}, ErrNoData
	}
	return r, nil
}

// readFinance adds the members' contributions and the equity.
func (r *Report) readFinance(ctx context.Context, q store.Querier) error {
	members, err := store.AssociationMembers(ctx, q, r.Association.ID)
	if err != nil {
		return err
	}
	cs, err := store.Contributions(ctx, q, r.Association.ID, r.Year, 0)
	if err != nil {
		return err
	}
	for _, m := range members {
		for _, c := range cs {
			if c.MemberID == m.ID {
				r.Contributions = append(r.Contributions, Contribution{Member: m.Name, Planned: c.Planned, Invoiced: c.Invoiced, Paid: c.Paid})
			}
		}
	}
	eq, err := store.Equity(ctx, q, r.Association.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	r.Equity, r.HasEquity = eq[r.Year]
	return nil
}

// phaseCounts joins the start and end counts per code, in the code list's
// order (codes no longer in the list last).
func phaseCounts(l *association.CodeList, rows []store.PhaseCodeCount) []PhaseCount {
	idx := map[string]int{}
	var out []PhaseCount
	for _, c := range rows {
		if c.Phase != association.PhaseStart && c.Phase != association.PhaseEnd {
			continue
		}
		i, ok := idx[c.Code]
		if !ok {
			i = len(out)
			idx[c.Code] = i
			out = append(out, PhaseCount{Code: c.Code})
		}
		if c.Phase == association.PhaseStart {
			out[i].Start += c.N
		} else {
			out[i].End += c.N
		}
	}
	slices.SortStableFunc(out, func(a, b PhaseCount) int { return codeOrder(l, a.Code) - codeOrder(l, b.Code) })
	return out
}

func inListOrder(l *association.CodeList, cs []store.CodeCount) []store.CodeCount {
	slices.SortStableFunc(cs, func(a, b store.CodeCount) int { return codeOrder(l, a.Code) - codeOrder(l, b.Code) })
	return cs
}

func codeOrder(l *association.CodeList, code string) int {
	if l != nil {
		for i, c := range l.Codes {
			if c.Code == code {
				return i
			}
		}
		return len(l.Codes)
	}
	return 0
}

// Label is a code's label in lang ("sv" or "en"), or the code itself.
func Label(codes *association.CodeLists, list, code, lang string) string {
	if l := codes.List(list); l != nil {
		if c, ok := l.Lookup(code); ok {
			if lang == "en" {
				return c.EN
			}
			return c.SV
		}
	}
	return code
}

// FileName is the report's file name without extension, e.g.
// "verksamhetsberattelse-finsam-gotland-2025".
func (r Report) FileName(prefix string) string {
	return prefix + "-" + r.Association.Slug + "-" + strconv.Itoa(r.Year)
}
