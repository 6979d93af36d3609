package coordination

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

type listRow struct {
	ID                        int64
	Person, Number, Lead      string
	Invited, NextMeeting, Due string
	New, Overdue, MeetingSoon bool
	OpenActions, ChainDay     int
	ShowChainDay              bool
}

type listData struct {
	Rows                     []listRow
	NewCount, WeekCount, Due int
	// Region: the list links to the region's view of its care units.
	Region bool
}

// visibleRows are the organisation's coordinations that the person's
// consents let the actor see today, with the consent each goes through.
func (h *Handlers) visibleRows(r *http.Request, a *site.Actor) ([]store.CoordinationListRow, []int64, error) {
	ctx := r.Context()
	rows, err := store.CoordinationsOf(ctx, h.Store, a.OrgID, h.Now())
	if err != nil {
		return nil, nil, site.Unavailable("coordinations", err)
	}
	ids := make([]int64, 0, len(rows))
	for _, row := range rows {
		ids = append(ids, row.PersonID)
	}
	consents, err := store.PersonsConsents(ctx, h.Store, ids)
	if err != nil {
		return nil, nil, site.Unavailable("coordination consents", err)
	}
	day := site.SwedishDate(h.Now())
	var out []store.CoordinationListRow
	var vias []int64
	for _, row := range rows {
		res := policy.Resource{OrgID: row.LeadOrgID, OfficeID: row.OfficeID, Now: day, Consents: coordination.PolicyAll(consents[row.PersonID])}
		if d, via := policy.Decide(&a.Actor, policy.ReadPerson, res); d == policy.Allow {
			out = append(out, row)
			vias = append(vias, via)
		}
	}
	return out, vias, nil
}

// List is GET /samordning, Mina samordningsärenden: the coordinations the
// actor's organisation is invited to and may see under the person's
// consents, new invitations, meetings this week and what is due first.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	rows, vias, err := h.visibleRows(r, a)
	if err != nil {
		return err
	}
	now := h.Now()
	week := now.Add(7 * 24 * time.Hour)
	today := site.SwedishDate(now)
	d := listData{Region: a.OrgType == organisation.Region}
	for _, row := range rows {
		v := listRow{ID: row.ID, Person: row.PersonName, Lead: row.LeadOrgName, Invited: day(row.InvitedAt), New: row.New,
			NextMeeting: clock(row.NextMeeting), Due: dayUTC(row.NextActionDue), OpenActions: row.OpenActions, ChainDay: row.ChainDay}
		if !row.ProtectedIdentity {
			v.Number = personnummer.Number(row.Personnummer).String()
		}
		// The link names the person: by name, else by number, else (a
		// protected identity) as such, never as an empty link.
		switch {
		case v.Person != "":
		case row.ProtectedIdentity:
			v.Person = translate(lang, "coord.list.protected")
		default:
			v.Person, v.Number = v.Number, ""
		}
		v.MeetingSoon = !row.NextMeeting.IsZero() && row.NextMeeting.Before(week)
		v.Overdue = !row.NextActionDue.IsZero() && row.NextActionDue.Before(today)
		v.ShowChainDay = row.ChainDay > 0
		if v.New {
			d.NewCount++
		}
		if v.MeetingSoon {
			d.WeekCount++
		}
		if v.Overdue {
			d.Due++
		}
		d.Rows = append(d.Rows, v)
	}
	h.auditList(r, a, "/samordning", rows, vias)
	h.Render(w, r, http.StatusOK, "coordination_list", site.Page{Lang: lang, Title: translate(lang, "coord.list.title"), Actor: a, Data: d})
	return nil
}

// auditList queues the one audit entry of a list of coordinations shown
// (resource names the list): list_coordinations naming every listed
// person (audit.Event.Persons) in the order shown, and in its purpose how
// many were listed and the way each went, in the same order ("listed=3
// consent=29 lead consent=30"), so that a
// person's extract shows each list they appeared in and the consent it
// went through, while a list of 500 costs one chained entry, not 500.
func (h *Handlers) auditList(r *http.Request, a *site.Actor, resource string, rows []store.CoordinationListRow, vias []int64) {
	if len(rows) == 0 {
		return
	}
	numbers := make([]string, len(rows))
	ways := make([]string, len(rows))
	for i, row := range rows {
		numbers[i], ways[i] = row.Personnummer, via(vias[i])
	}
	e := a.Event(r, "list_coordinations", audit.OutcomeOK, "coordination_list", resource)
	e.Persons = h.Audit.Keys().PersonKeys(numbers)
	e.Purpose = "listed=" + strconv.Itoa(len(rows)) + " " + strings.Join(ways, " ")
	h.auditRead(r, a, e)
}
