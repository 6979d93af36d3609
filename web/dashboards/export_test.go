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

// ListScope is the scope and the figure of a figure's list address (the
// "list" of a figure in the dashboard's JSON), read at now as the list
// handler reads them, with every customer group, office and case worker of
// the organisation orgID to choose from: the national reconciliation
// streams the list's cases with store.CaseloadIDs instead of paging
// through 200,000 of them.
func ListScope(ctx context.Context, st *store.Store, orgID int64, list string, now time.Time) (store.CaseloadScope, caseload.Figure, error) {
	u, err := url.Parse(list)
	if err != nil {
		return store.CaseloadScope{}, caseload.Figure{}, err
	}
	q := u.Query()
	flt, ps := readFilterAt(q, now)
	var c choices
	err = st.ReadTx(ctx, func(tx *store.Tx) error {
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
	if err != nil {
		return store.CaseloadScope{}, caseload.Figure{}, err
	}
	flt.check(c, &ps)
	fig, fps := readFigure(q, flt)
	if ps = append(ps, fps...); ps.Any() {
		return store.CaseloadScope{}, caseload.Figure{}, fmt.Errorf("list %s: %v", list, ps)
	}
	return flt.scope, fig, nil
}
