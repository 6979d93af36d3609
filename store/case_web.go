package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
)

// OfficeUsers lists the active users of an office by name: the case
// workers a manager may give the office's cases to are among them.
func OfficeUsers(ctx context.Context, q Querier, officeID int64) ([]User, error) {
	rows, err := q.Query(ctx, "SELECT "+userColumns+" FROM users WHERE office_id = $1 AND NOT disabled ORDER BY name, id", officeID)
	return collect(rows, err, func(rows *Rows) (User, error) { return scanUser(rows.Scan) })
}

// OrganisationByCode finds the organisation of a type with an official
// code: a municipality by its kommun code, a region by its län code.
func OrganisationByCode(ctx context.Context, q Querier, typ organisation.Type, code string) (organisation.Organisation, error) {
	return scanOrg(q.QueryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE type = $1 AND code = $2 ORDER BY id LIMIT 1", string(typ), code).Scan)
}

// WorklistCountUpTo counts the cases a worklist query selects (ignoring
// the cursor), but stops at limit+1: a page says "more than 10 000"
// rather than count an office's 200,000 cases on every request, which
// costs as much as reading them. It returns the count and whether it
// stopped.
func WorklistCountUpTo(ctx context.Context, q Querier, w WorklistQuery, limit int) (int, bool, error) {
	where, args, err := worklistWhere(w, "")
	if err != nil {
		return 0, false, err
	}
	args = append(args, limit+1)
	var n int
	err = q.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM sickness_cases WHERE "+strings.Join(where, " AND ")+
		fmt.Sprintf(" LIMIT $%d) x", len(args)), args...).Scan(&n)
	if n > limit {
		return limit, true, err
	}
	return n, false, err
}

// CaseWorkerLoad is how many open cases a user has.
type CaseWorkerLoad struct {
	UserID int64
	Name   string
	Open   int
	// More says the count stopped at the limit.
	More bool
}

// OfficeCaseLoad is the active case workers of an office, by name, and
// the open cases of each, each count stopping at limit+1 so that a page
// showing it costs at most that per case worker (an index range of the
// user's open cases) however many cases the office has. It reads only what
// the office's list shows of them: a manager's page reads it on every view.
func OfficeCaseLoad(ctx context.Context, q Querier, officeID int64, limit int) ([]CaseWorkerLoad, error) {
	rows, err := q.Query(ctx, `SELECT u.id, u.name, (SELECT COUNT(*) FROM (SELECT 1 FROM sickness_cases c
			WHERE c.assigned_user_id = u.id AND c.status = $2 LIMIT $3) x)
		FROM users u WHERE u.office_id = $1 AND NOT u.disabled AND (u.roles & $4) <> 0 ORDER BY u.name, u.id`,
		officeID, CaseOpen, limit+1, int64(account.RolesOf(account.CaseWorker)))
	return collect(rows, err, func(rows *Rows) (CaseWorkerLoad, error) {
		var l CaseWorkerLoad
		err := rows.Scan(&l.UserID, &l.Name, &l.Open)
		if l.Open > limit {
			l.Open, l.More = limit, true
		}
		return l, err
	})
}
