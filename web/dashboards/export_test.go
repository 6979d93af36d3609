package dashboards

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/store"
)

// ListPage is the number of cases on one page of a figure's list.
const ListPage = listPage

// ListChoices are every customer group, office and case worker of an
// organisation: what a director may filter a list by.
type ListChoices struct{ c choices }

// LoadListChoices reads the choices of the organisation orgID once, for
// ListScope to read many lists by.
func LoadListChoices(ctx context.Context, st *store.Store, orgID int64) (ListChoices, error) {
	var c choices
	err := st.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		if c.groups, err = store.CustomerGroups(ctx, tx, orgID); err != nil {
			return err
		}
		if c.offices, err = store.Offices(ctx, tx, orgID); err != nil {
			return err
		}
		c.workers, err = store.Users(ctx, tx, orgID)
		return err
	})
	return ListChoices{c}, err
}

// ListScope is the scope and the figure of a figure's list address (the
// "list" of a figure in the dashboard's JSON), read at now as the list
// handler reads them, with lc to choose from: the national reconciliation
// streams the list's cases with store.CaseloadIDs instead of paging
// through 200,000 of them.
func (lc ListChoices) ListScope(list string, now time.Time) (store.CaseloadScope, caseload.Figure, error) {
	u, err := url.Parse(list)
	if err != nil {
		return store.CaseloadScope{}, caseload.Figure{}, err
	}
	q := u.Query()
	flt, ps := readFilterAt(q, now)
	flt.check(lc.c, &ps)
	fig, fps := readFigure(q, flt)
	if ps = append(ps, fps...); ps.Any() {
		return store.CaseloadScope{}, caseload.Figure{}, fmt.Errorf("list %s: %v", list, ps)
	}
	return flt.scope, fig, nil
}
