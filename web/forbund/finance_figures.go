package forbund

import (
	"context"
	"net/url"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// The key figures on an association's start page: participants now,
// started and ended this year, and the year's budget used. Who sees what
// follows the policy: the association's staff (ManageAssociation) see the
// exact counts and the budget, each figure linking to the list it counts;
// its board (ReadAssociationReports) sees the counts as the reports show
// them, small ones written "<5", linking to the year's report; a member
// organisation sees none of them.

// keyFigure is one figure on the start page.
type keyFigure struct {
	ID, Label, Value string
	Note             string // e.g. the budget used as a share
	Href, Link       string // the list behind the figure
}

// keyFigures are the start page's figures.
type keyFigures struct {
	Year int
	// Aggregated says the counts are as the reports show them (small
	// counts suppressed).
	Aggregated bool
	Items      []keyFigure
}

// may reports whether the actor may do act on the association of the
// request, asked with the resource the page's own check used.
func may(a *site.Actor, ar assocRequest, act policy.Action) bool {
	return policy.Can(&a.Actor, act, ar.Res) == policy.Allow
}

// figures are the key figures the actor may see, nil for none.
func (h *Handlers) figures(ctx context.Context, a *site.Actor, ar assocRequest, lang string) (*keyFigures, error) {
	staff, board := may(a, ar, policy.ManageAssociation), may(a, ar, policy.ReadAssociationReports)
	if !staff && !board {
		return nil, nil
	}
	year := ar.Today.Year()
	f, err := store.KeyFigures(ctx, h.Store, ar.Org.ID, year)
	if err != nil {
		return nil, err
	}
	base, ys := "/forbund/"+ar.Org.Slug, strconv.Itoa(year)
	kf := &keyFigures{Year: year, Aggregated: !staff}
	count := func(n int64) string { return strconv.FormatInt(n, 10) }
	list := func(q url.Values) string { return site.WithQuery(base+"/deltagare", q) }
	linkText := "assoc.fin.figures.tolist"
	if !staff {
		count = association.CountCell
		report := site.WithQuery(base+"/rapporter", url.Values{"year": {ys}})
		list = func(url.Values) string { return report }
		linkText = "assoc.fin.figures.toreport"
	}
	add := func(id string, n int64, q url.Values) {
		kf.Items = append(kf.Items, keyFigure{ID: id, Label: translate(lang, "assoc.fin.figures."+id), Value: count(n),
			Href: list(q), Link: translate(lang, linkText)})
	}
	add("ongoing", f.Ongoing, url.Values{"status": {string(association.Active)}})
	add("started", f.Started, url.Values{"started": {ys}})
	add("ended", f.Ended, url.Values{"status": {string(association.Ended)}, "ended": {ys}})
	if staff {
		used := keyFigure{ID: "budget", Label: translate(lang, "assoc.fin.figures.budget"), Value: f.Outcome.String(),
			Href: site.WithQuery(base+"/budget", url.Values{"year": {ys}}), Link: translate(lang, "assoc.fin.figures.tobudget")}
		if bp, ok := f.UsedBasisPoints(); ok {
			used.Note = association.FormatShare(bp) + " " + translate(lang, "assoc.fin.figures.of") + " " + f.Budget.String()
		} else {
			used.Note = translate(lang, "assoc.fin.figures.nobudget")
		}
		kf.Items = append(kf.Items, used)
	}
	return kf, nil
}
