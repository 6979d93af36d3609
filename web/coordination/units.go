package coordination

import (
	"net/http"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// The region coordinator's view of the patients on sick leave by its care
// units' certificates (as Inera's Rehabstöd shows a unit's ongoing cases):
// where each stands in the rehabilitation chain and its next milestone, by
// the rules engine's last evaluation of the case. What is FK's — its
// decisions, the plan — is shown only through a coordination the region is
// invited to and the person's consent covers.

type unitRow struct {
	Unit, Person, Number, LastDay string
	ChainDay                      int
	Next, NextDay                 string
	Coordination                  int64
	OpenPlan                      bool
	// CaseID is the patient's sickness case, for the region's way into
	// coordinating it while no coordination it takes part in exists.
	CaseID int64
}

type unitsData struct {
	Region bool
	Rows   []unitRow
}

const maxUnitPatients = 500

// Units is GET /samordning/vardenheter.
func (h *Handlers) Units(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	d := unitsData{Region: a.OrgType == organisation.Region}
	var events []audit.Event
	if d.Region {
		today := site.SwedishDate(h.Now())
		patients, err := store.UnitPatients(ctx, h.Store, a.OrgID, today, maxUnitPatients)
		if err != nil {
			return site.Unavailable("unit patients", err)
		}
		// The coordinations the region takes part in, to link to when the
		// person's consent lets it.
		coords, vias, err := h.visibleRows(r, a)
		if err != nil {
			return err
		}
		byPerson := map[int64]int{}
		for i, c := range coords {
			byPerson[c.PersonID] = i
		}
		var ids []int64
		for _, p := range patients {
			ids = append(ids, p.PersonID)
		}
		consents, err := store.PersonsConsents(ctx, h.Store, ids)
		if err != nil {
			return site.Unavailable("unit consents", err)
		}
		for _, p := range patients {
			row := unitRow{Unit: p.Unit, Person: p.Name, LastDay: dayUTC(p.LastDay), ChainDay: p.ChainDay, CaseID: p.CaseID}
			if !p.ProtectedIdentity {
				row.Number = personnummer.Number(p.Personnummer).String()
			}
			for _, m := range []struct {
				day  time.Time
				name string
			}{{p.Day91, "91"}, {p.Day181, "181"}, {p.Day366, "366"}} {
				if !m.day.IsZero() && !m.day.Before(today) {
					row.Next, row.NextDay = translate(lang, "coord.tl.day")+" "+m.name, dayUTC(m.day)
					break
				}
			}
			e := a.Event(r, "list_unit_patients", audit.OutcomeOK, "person", itoa(p.PersonID))
			e.PersonKey = h.Audit.Keys().PersonKey(personnummer.Number(p.Personnummer))
			e.Purpose = "own_certificates"
			if i, ok := byPerson[p.PersonID]; ok {
				row.Coordination = coords[i].ID
				res := policy.Resource{OrgID: coords[i].LeadOrgID, Now: today, Part: policy.PartPlan, Consents: coordination.PolicyAll(consents[p.PersonID])}
				row.OpenPlan = policy.Can(&a.Actor, policy.ReadPerson, res) == policy.Allow
				e.Purpose += " coordination " + via(vias[i])
			}
			d.Rows = append(d.Rows, row)
			events = append(events, e)
		}
	}
	h.auditRead(r, a, events...)
	h.Render(w, r, http.StatusOK, "coordination_units", site.Page{Lang: lang, Title: translate(lang, "coord.units.title"), Actor: a, Data: d})
	return nil
}
