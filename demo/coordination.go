package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// CoordinationLoaded says what LoadCoordination loaded.
type CoordinationLoaded struct {
	Coordinations, Consents, Meetings, Actions int
}

// LoadCoordination adds coordination across the agencies to a demo
// database that holds the case work (LoadCases): four of the demo case
// worker's open cases get the person's consents, a coordination, meetings,
// actions in the one plan and notes, so that AF's, the region's and the
// municipality's demo coordinators each find persons in Mina
// samordningsärenden, one of them a new invitation, and one person has
// withdrawn a consent. now is the real time of loading. Like the other
// demo loaders it writes through the store without audit events: it has no
// actor and no real person.
func LoadCoordination(ctx context.Context, st *store.Store, now time.Time) (CoordinationLoaded, error) {
	var out CoordinationLoaded
	err := st.Tx(ctx, func(tx *store.Tx) error {
		out = CoordinationLoaded{}
		orgs := map[string]int64{}
		for _, slug := range []string{"fk", "af", "region-gotland", "gotlands-kommun"} {
			o, err := store.OrganisationBySlug(ctx, tx, slug)
			if err != nil {
				return fmt.Errorf("demo coordination: %s: %w", slug, err)
			}
			orgs[slug] = o.ID
		}
		users := map[string]int64{}
		for _, name := range []string{"handlaggare", "samordnare-af", "samordnare-region", "samordnare-kommun"} {
			u, err := store.UserByName(ctx, tx, name)
			if err != nil {
				return fmt.Errorf("demo coordination: %s: %w", name, err)
			}
			users[name] = u.ID
		}
		rows, _, err := store.Worklist(ctx, tx, store.WorklistQuery{AssignedUserID: users["handlaggare"], Limit: 200})
		if err != nil {
			return err
		}
		var cases []store.Case
		for _, r := range rows {
			if !r.ProtectedIdentity && r.MunicipalityCode == "0980" && r.ChainDay >= 30 {
				// A case the generator coordinated already is left to it.
				if _, err := store.CoordinationOfCase(ctx, tx, r.ID); err == nil {
					continue
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				cases = append(cases, r.Case)
			}
			if len(cases) == 4 {
				break
			}
		}
		if len(cases) < 4 {
			return fmt.Errorf("demo coordination: only %d open cases of the demo case worker to coordinate", len(cases))
		}
		today := civil.Of(now.In(stockholm()))
		at := func(days, hour int) time.Time {
			d := today.AddDays(days)
			y, m, dd := d.Civil()
			return time.Date(y, time.Month(m), dd, hour, 0, 0, 0, stockholm())
		}
		fk, af, region, kommun := orgs["fk"], orgs["af"], orgs["region-gotland"], orgs["gotlands-kommun"]
		all := policy.PartBasic | policy.PartPlan
		type spec struct {
			purpose  coordination.Purpose
			parties  []coordination.Party
			invite   []int64
			seen     bool
			withdraw bool
		}
		specs := []spec{
			{coordination.PurposeReconciliation, []coordination.Party{{OrgID: af, Parts: all | policy.PartDecisions}, {OrgID: region, Parts: all | policy.PartSickLeave | policy.PartDiagnoses}}, []int64{af, region}, true, false},
			{coordination.PurposeSIP, []coordination.Party{{OrgID: region, Parts: all | policy.PartSickLeave}, {OrgID: kommun, Parts: all | policy.PartSickLeave}}, []int64{region, kommun}, true, false},
			{coordination.PurposeJointMapping, []coordination.Party{{OrgID: af, Parts: all | policy.PartSickLeave}, {OrgID: kommun, Parts: all}}, []int64{af, kommun}, false, false},
			{coordination.PurposeReconciliation, []coordination.Party{{OrgID: af, Parts: all}}, []int64{af}, true, true},
		}
		for i, sp := range specs {
			c := cases[i]
			consent := coordination.Consent{PersonID: c.PersonID, RecordedByOrg: fk, Purpose: sp.purpose, Parties: sp.parties,
				ValidFrom: today.AddDays(-20 + i), ValidUntil: today.AddDays(160), Method: coordination.Written, DocumentRef: fmt.Sprintf("Samtycke FK %d-%03d", today.Year(), 100+i)}
			if i == 2 {
				consent.Method, consent.DocumentRef, consent.OralRecordedBy, consent.OralRecordedOn = coordination.Oral, "", "Hanna Handläggare (demo)", today.AddDays(-2)
				consent.ValidFrom = today.AddDays(-2)
			}
			cid, err := store.RecordConsent(ctx, tx, consent, users["handlaggare"], now.Add(-time.Duration(20-i)*24*time.Hour))
			if err != nil {
				return err
			}
			out.Consents++
			k, err := store.StartCoordination(ctx, tx, c.ID, c.PersonID, fk, users["handlaggare"], now.Add(-time.Duration(19-i)*24*time.Hour))
			if err != nil {
				return err
			}
			out.Coordinations++
			for _, org := range sp.invite {
				if err := store.InviteParty(ctx, tx, k, org, users["handlaggare"], now.Add(-time.Duration(18-i*5)*24*time.Hour)); err != nil {
					return err
				}
				if sp.seen {
					if err := store.MarkSeen(ctx, tx, k, org, now.Add(-time.Duration(17-i*5)*24*time.Hour)); err != nil {
						return err
					}
				}
			}
			if sp.withdraw {
				if err := store.WithdrawConsent(ctx, tx, cid, users["handlaggare"], now.Add(-3*24*time.Hour)); err != nil {
					return err
				}
			}
			n, a, err := demoPlan(ctx, tx, i, c, k, orgs, users, at, today, now)
			if err != nil {
				return err
			}
			out.Meetings += n
			out.Actions += a
		}
		return regionLed(ctx, tx, &out, orgs, users, cases, today, now)
	})
	return out, err
}

// regionLed adds one coordination the region leads (ADR 33): a patient
// of its care units, whose consent the region's coordinator recorded
// orally, with FK and the municipality invited and the region's own first
// action in the plan.
func regionLed(ctx context.Context, tx *store.Tx, out *CoordinationLoaded, orgs, users map[string]int64, taken []store.Case, today civil.Date, now time.Time) error {
	fk, region, kommun := orgs["fk"], orgs["region-gotland"], orgs["gotlands-kommun"]
	y, m, d := today.Civil()
	patients, err := store.UnitPatients(ctx, tx, region, time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), 200)
	if err != nil {
		return err
	}
	for _, p := range patients {
		if p.CaseID == 0 || p.ProtectedIdentity || slices.ContainsFunc(taken, func(c store.Case) bool { return c.ID == p.CaseID }) {
			continue
		}
		if _, err := store.CoordinationOfCase(ctx, tx, p.CaseID); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		all := policy.PartBasic | policy.PartPlan | policy.PartSickLeave
		consent := coordination.Consent{PersonID: p.PersonID, RecordedByOrg: region, Purpose: coordination.PurposeCoordination,
			Parties:   []coordination.Party{{OrgID: fk, Parts: all}, {OrgID: kommun, Parts: policy.PartBasic | policy.PartPlan}},
			ValidFrom: today.AddDays(-5), ValidUntil: today.AddDays(120), Method: coordination.Oral,
			OralRecordedBy: "Rut Rehabkoordinator (demo)", OralRecordedOn: today.AddDays(-5)}
		if _, err := store.RecordConsent(ctx, tx, consent, users["samordnare-region"], now.Add(-5*24*time.Hour)); err != nil {
			return err
		}
		k, err := store.StartCoordination(ctx, tx, p.CaseID, p.PersonID, region, users["samordnare-region"], now.Add(-5*24*time.Hour))
		if err != nil {
			return err
		}
		for _, org := range []int64{fk, kommun} {
			if err := store.InviteParty(ctx, tx, k, org, users["samordnare-region"], now.Add(-4*24*time.Hour)); err != nil {
				return err
			}
		}
		if _, err := store.AddCoordinationAction(ctx, tx, p.CaseID, coordination.Action{Title: "Koordineringsinsats: samtal om återgång i arbete",
			OwnerOrgID: region, OwnerPerson: "Rut Rehabkoordinator (demo)", Due: today.AddDays(7), Status: coordination.ActionPlanned, Source: coordination.SIPPlan},
			0, users["samordnare-region"], region, now.Add(-4*24*time.Hour)); err != nil {
			return err
		}
		out.Consents++
		out.Coordinations++
		out.Actions++
		return nil
	}
	return fmt.Errorf("demo coordination: no patient of the region's care units to coordinate")
}

func stockholm() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.UTC
}

// demoPlan gives coordination i its meetings, actions and notes.
func demoPlan(ctx context.Context, tx *store.Tx, i int, c store.Case, k int64, orgs, users map[string]int64,
	at func(days, hour int) time.Time, today civil.Date, now time.Time) (meetings, actions int, err error) {
	fk, af, region, kommun := orgs["fk"], orgs["af"], orgs["region-gotland"], orgs["gotlands-kommun"]
	action := func(title string, owner int64, person string, due int, src coordination.Source, meeting int64, status string) error {
		_, err := store.AddCoordinationAction(ctx, tx, c.ID, coordination.Action{Title: title, OwnerOrgID: owner, OwnerPerson: person,
			Due: today.AddDays(due), Source: src, Status: status}, meeting, users["handlaggare"], fk, now.Add(-48*time.Hour))
		actions++
		return err
	}
	note := func(org int64, user, body string, shared bool) error {
		_, err := store.AddCoordinationNote(ctx, tx, k, store.CoordinationNote{OrgID: org, Body: body, Shared: shared}, users[user], now.Add(-24*time.Hour))
		return err
	}
	meeting := func(m coordination.Meeting) (int64, error) {
		m.CoordinationID = k
		meetings++
		return store.CreateMeeting(ctx, tx, m, users["handlaggare"], now.Add(-10*24*time.Hour))
	}
	switch i {
	case 0:
		held, err := meeting(coordination.Meeting{Kind: coordination.Reconciliation, Status: coordination.Held, Start: at(-6, 10), LengthMinutes: 75,
			Place: "Försäkringskassan, Visby", ConvenedBy: fk, Parties: []coordination.Party{{OrgID: fk}, {OrgID: af}, {OrgID: region}}, PersonAttends: true,
			Agenda: "Arbetsförmåga, möjligheter till anpassning, nästa steg", DoctorAttended: true,
			Minutes: "Personen vill pröva arbetsträning. Läkaren bedömer att 25 % arbete är möjligt om sex veckor. Arbetsgivaren ser över anpassade arbetsuppgifter."})
		if err != nil {
			return 0, 0, err
		}
		if _, err := meeting(coordination.Meeting{Kind: coordination.JointMapping, Status: coordination.Planned, Start: at(4, 13), LengthMinutes: 60, Video: true,
			ConvenedBy: fk, Parties: []coordination.Party{{OrgID: fk}, {OrgID: af}}, PersonAttends: true, Agenda: "Gemensam kartläggning: arbetsförmåga och stöd från Arbetsförmedlingen"}); err != nil {
			return 0, 0, err
		}
		for _, a := range []struct {
			title  string
			owner  int64
			person string
			due    int
			src    coordination.Source
			m      int64
			status string
		}{
			{"Arbetsgivaren ser över anpassade arbetsuppgifter", fk, "Hanna Handläggare (demo)", 10, coordination.EmployerPlan, 0, coordination.ActionOngoing},
			{"Arbetsträning 25 % hos arbetsgivaren", af, "Adam Arbetsförmedlare (demo)", 30, coordination.MeetingMinutes, held, coordination.ActionPlanned},
			{"Uppföljande läkarbesök och bedömning av arbetsförmåga", region, "Rut Rehabkoordinator (demo)", -2, coordination.MeetingMinutes, held, coordination.ActionPlanned},
			{"Bedömning av rätt till sjukpenning dag 90", fk, "Hanna Handläggare (demo)", 20, coordination.RehabPlan, 0, coordination.ActionPlanned},
		} {
			if err := action(a.title, a.owner, a.person, a.due, a.src, a.m, a.status); err != nil {
				return 0, 0, err
			}
		}
		if err := note(af, "samordnare-af", "Personen är inskriven hos Arbetsförmedlingen sedan tidigare. Intresse för arbetsträning.", true); err != nil {
			return 0, 0, err
		}
		if err := note(region, "samordnare-region", "Intern anteckning: samtal med behandlande läkare om tidsplan.", false); err != nil {
			return 0, 0, err
		}
	case 1:
		if _, err := meeting(coordination.Meeting{Kind: coordination.SIP, Status: coordination.Planned, Start: at(5, 9), LengthMinutes: 90,
			Place: "Vårdcentralen Visby", ConvenedBy: region, Parties: []coordination.Party{{OrgID: region}, {OrgID: kommun}, {OrgID: fk}}, PersonAttends: true,
			Agenda: "Samordnad individuell plan: vård, stöd i vardagen och försörjning"}); err != nil {
			return 0, 0, err
		}
		if err := action("Kontakt med socialtjänsten om stöd i vardagen", kommun, "Kalle Kommunsamordnare (demo)", 7, coordination.SIPPlan, 0, coordination.ActionPlanned); err != nil {
			return 0, 0, err
		}
		if err := action("Rehabiliteringsplan i journalen uppdateras", region, "Rut Rehabkoordinator (demo)", 3, coordination.SIPPlan, 0, coordination.ActionOngoing); err != nil {
			return 0, 0, err
		}
		if err := note(kommun, "samordnare-kommun", "Personen har tidigare haft kontakt med försörjningsstöd.", true); err != nil {
			return 0, 0, err
		}
	case 2:
		if err := action("Begäran om gemensam kartläggning (blankett 7462) skickas", fk, "Hanna Handläggare (demo)", 2, coordination.MappingPlan, 0, coordination.ActionPlanned); err != nil {
			return 0, 0, err
		}
	case 3:
		if err := action("Avstämningsmöte planeras", fk, "Hanna Handläggare (demo)", 14, coordination.RehabPlan, 0, coordination.ActionPlanned); err != nil {
			return 0, 0, err
		}
	}
	return meetings, actions, nil
}
