package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
)

// The counts of the start view ("Idag"): how many of a worklist's cases
// need attention today and this week, counted by the database so that the
// start view costs one query per figure however many cases there are.

// DueCounts are a worklist's open cases by their next due deadline, as
// the recompute stored it (next_due), and those with early warnings.
type DueCounts struct {
	Overdue  int // next deadline before today
	Today    int // next deadline today
	ThisWeek int // next deadline after today, up to and including the week's end
	Warnings int // at least one early warning in force
}

// CaseDueCounts counts the cases of a worklist query's scope (its filters
// other than the scope and status are ignored) by their next deadline
// relative to today and weekEnd (both dates; weekEnd on or after today).
func CaseDueCounts(ctx context.Context, q Querier, w WorklistQuery, today, weekEnd time.Time) (DueCounts, error) {
	scope := WorklistQuery{AssignedUserID: w.AssignedUserID, OfficeID: w.OfficeID, CustomerGroupID: w.CustomerGroupID,
		Unassigned: w.Unassigned, Status: w.Status}
	where, args, err := worklistWhere(scope, "")
	if err != nil {
		return DueCounts{}, err
	}
	args = append(args, dateArg(today), dateArg(weekEnd))
	t, e := fmt.Sprintf("$%d", len(args)-1), fmt.Sprintf("$%d", len(args))
	var c DueCounts
	err = q.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN next_due < `+t+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN next_due = `+t+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN next_due > `+t+` AND next_due <= `+e+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN warning_count > 0 THEN 1 ELSE 0 END), 0)
		FROM sickness_cases WHERE `+strings.Join(where, " AND "), args...).
		Scan(&c.Overdue, &c.Today, &c.ThisWeek, &c.Warnings)
	return c, err
}

// WorkerLoad is one active case worker of an office and the open cases
// assigned to them.
type WorkerLoad struct {
	UserID int64
	Name   string
	Open   int
}

// OfficeLoad counts the open cases of each active case worker of an
// office, by name, those without cases included: a manager's view of who
// carries what.
func OfficeLoad(ctx context.Context, q Querier, officeID int64) ([]WorkerLoad, error) {
	rows, err := q.Query(ctx, `SELECT u.id, u.name, COUNT(c.id) FROM users u
		LEFT JOIN sickness_cases c ON c.assigned_user_id = u.id AND c.status = $2
		WHERE u.office_id = $1 AND NOT u.disabled AND (u.roles & $3) <> 0
		GROUP BY u.id, u.name ORDER BY u.name, u.id`, officeID, CaseOpen, int64(account.RolesOf(account.CaseWorker)))
	return collect(rows, err, func(rows *Rows) (WorkerLoad, error) {
		var l WorkerLoad
		return l, rows.Scan(&l.UserID, &l.Name, &l.Open)
	})
}

// RejectedCountSince counts the certificates intake rejected from since
// on, of one sender (0: every sender).
func RejectedCountSince(ctx context.Context, q Querier, senderOrgID int64, since time.Time) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM rejected_certificates WHERE received_at >= $1 AND ($2 = 0 OR sender_org_id = $2)`,
		since.UTC(), senderOrgID).Scan(&n)
	return n, err
}

// AssociationWork is what waits for an association's staff.
type AssociationWork struct {
	Pending  int // registrations not yet accepted
	Interest int // interest from the public site not yet handled
	Ending   int // planned or ongoing insatser that end from today to the horizon
}

// AssociationWorkOf counts an association's pending registrations, its
// unhandled interest and its insatser ending between today and horizon
// (dates, both included).
func AssociationWorkOf(ctx context.Context, q Querier, associationID int64, today, horizon civil.Date) (AssociationWork, error) {
	var w AssociationWork
	err := q.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM participants WHERE association_id = $1 AND status = $2),
		(SELECT COUNT(*) FROM site_interest WHERE association_id = $1),
		(SELECT COUNT(*) FROM insatser WHERE association_id = $1 AND status IN ('planned', 'ongoing') AND end_on >= $3 AND end_on <= $4)`,
		associationID, string(association.Pending), civilArg(today), civilArg(horizon)).Scan(&w.Pending, &w.Interest, &w.Ending)
	return w, err
}

// CaseNews is what arrived lately on a case worker's open cases.
type CaseNews struct {
	Certificates int // certificates received
	Answered     int // supplement requests the care provider answered
}

// CaseNewsSince counts the certificates received and the supplement
// requests answered from since on, on the open cases assigned to a user.
func CaseNewsSince(ctx context.Context, q Querier, userID int64, since time.Time) (CaseNews, error) {
	var n CaseNews
	err := q.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM certificates c JOIN sickness_cases s ON s.id = c.case_id
			WHERE s.assigned_user_id = $1 AND s.status = $3 AND c.received_at >= $2),
		(SELECT COUNT(*) FROM certificate_messages m JOIN certificates c ON c.id = m.certificate_id JOIN sickness_cases s ON s.id = c.case_id
			WHERE s.assigned_user_id = $1 AND s.status = $3 AND m.type = 'KOMPLT' AND m.answered_at >= $2)`,
		userID, since.UTC(), CaseOpen).Scan(&n.Certificates, &n.Answered)
	return n, err
}
