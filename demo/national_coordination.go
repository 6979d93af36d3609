package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// Coordination at national scale: about one open case in ten that has run
// a month or more is coordinated across the agencies, as FK would call an
// avstämningsmöte or a gemensam kartläggning, or the region and the
// municipality a SIP. Each rests on the person's consent recorded by FK
// for the organisations it invites (AF, the person's region and
// municipality), and holds the meetings and actions of its kind. One
// consent in thirty is withdrawn; a fifth of the invitations are not
// opened yet. The draws come from a generator of their own, so that the
// persons, cases and certificates are the same as without coordination.

// coordinatedShare is the share, in tenths, of the open cases past day 30
// that are coordinated.
const coordinatedShare = 1

// coordinator draws the coordinations of a run.
type coordinator struct {
	g   *generator
	rng *rand.Rand
	ids store.BulkCoordinationIDs
}

func newCoordinator(g *generator, ids store.BulkCoordinationIDs) *coordinator {
	return &coordinator{g: g, rng: rand.New(rand.NewPCG(g.cfg.Seed, 0x73616d6f7264)), ids: ids}
}

// coordinate is case c's coordination, and false for a case left alone.
func (co *coordinator) coordinate(c store.BulkCase, p store.Person) (store.BulkCoordination, bool) {
	today := co.g.today
	// One draw for every open case, so that which ones are coordinated
	// does not depend on the draws of the others.
	pick := co.rng.IntN(10)
	elapsed := int(today.Sub(c.FirstDay).Hours() / 24)
	if elapsed < 30 || pick >= coordinatedShare {
		return store.BulkCoordination{}, false
	}
	r := &co.g.regions[co.g.byMunicipality[p.MunicipalityCode]]
	fk, af, region, kommun := co.g.fk, co.g.af, r.org.ID, co.g.muniOrg[p.MunicipalityCode]
	day := civil.Of(today)
	started := today.AddDate(0, 0, -co.rng.IntN(min(elapsed-14, 60))).Add(time.Duration(8+co.rng.IntN(8)) * time.Hour)
	k := store.BulkCoordination{ID: co.ids.Coordination, CaseID: c.ID, PersonID: p.ID, LeadOrgID: fk, StartedBy: c.AssignedUserID,
		StartedAt: started, InvitedAt: started.Add(time.Duration(1+co.rng.IntN(20)) * time.Hour), Seen: co.rng.IntN(5) > 0}
	co.ids.Coordination++
	basic := policy.PartBasic | policy.PartPlan
	consent := coordination.Consent{ID: co.ids.Consent, PersonID: p.ID, RecordedByOrg: fk, ValidFrom: civil.Of(started),
		ValidUntil: day.AddDays(60 + co.rng.IntN(150)), Method: coordination.Written,
		DocumentRef: fmt.Sprintf("Samtycke FK %d-%06d", started.Year(), co.ids.Consent)}
	co.ids.Consent++
	if co.rng.IntN(4) == 0 {
		consent.Method, consent.DocumentRef = coordination.Oral, ""
		consent.OralRecordedBy, consent.OralRecordedOn = "Handläggare (demo)", consent.ValidFrom
	}
	worker := givenNames[co.rng.IntN(len(givenNames))] + " " + familyNames[co.rng.IntN(len(familyNames))] + " (demo)"
	meeting := func(kind coordination.MeetingKind, convener int64, orgs ...int64) coordination.Meeting {
		m := coordination.Meeting{ID: co.ids.Meeting, Kind: kind, Status: coordination.Planned, LengthMinutes: []int{45, 60, 60, 75, 90}[co.rng.IntN(5)],
			ConvenedBy: convener, PersonAttends: true, Video: co.rng.IntN(3) == 0, Agenda: meetingAgendas[kind]}
		co.ids.Meeting++
		if !m.Video {
			m.Place = "Försäkringskassan (demo)"
		}
		for _, o := range orgs {
			m.Parties = append(m.Parties, coordination.Party{OrgID: o})
		}
		m.Start = today.AddDate(0, 0, 1+co.rng.IntN(21)).Add(time.Duration(8+co.rng.IntN(8)) * time.Hour)
		return m
	}
	action := func(title string, owner int64, person string, src coordination.Source, meetingID int64) {
		a := store.BulkAction{ID: co.ids.Action, MeetingID: meetingID, Action: coordination.Action{Title: title, OwnerOrgID: owner,
			OwnerPerson: person, Due: day.AddDays(co.rng.IntN(60) - 10), Status: coordination.ActionPlanned, Source: src}}
		if co.rng.IntN(4) == 0 {
			a.Status = coordination.ActionOngoing
		}
		co.ids.Action++
		k.Actions = append(k.Actions, a)
	}
	switch x := co.rng.IntN(10); {
	case x < 5: // an avstämningsmöte held, with agreed actions
		regionParts := basic | policy.PartSickLeave
		if co.rng.IntN(2) == 0 {
			regionParts |= policy.PartDiagnoses
		}
		consent.Purpose = coordination.PurposeReconciliation
		consent.Parties = []coordination.Party{{OrgID: af, Parts: basic | policy.PartDecisions}, {OrgID: region, Parts: regionParts}}
		k.Invited = []int64{af, region}
		held := meeting(coordination.Reconciliation, fk, fk, af, region)
		if since := int(today.Sub(started).Hours() / 24); since > 1 {
			held.Status, held.DoctorAttended = coordination.Held, co.rng.IntN(2) == 0
			held.Start = started.AddDate(0, 0, 1+co.rng.IntN(since-1))
			held.Minutes = "Arbetsförmåga och möjligheter till anpassning gicks igenom. Personen vill pröva arbetsträning."
		}
		k.Meetings = append(k.Meetings, held)
		action("Arbetsgivaren ser över anpassade arbetsuppgifter", fk, worker, coordination.EmployerPlan, 0)
		action("Arbetsträning hos arbetsgivaren", af, "Arbetsförmedlare (demo)", coordination.MeetingMinutes, held.ID)
		action("Uppföljande läkarbesök och bedömning av arbetsförmåga", region, "Rehabkoordinator (demo)", coordination.MeetingMinutes, held.ID)
	case x < 7: // a gemensam kartläggning planned
		consent.Purpose = coordination.PurposeJointMapping
		consent.Parties = []coordination.Party{{OrgID: af, Parts: basic | policy.PartSickLeave}, {OrgID: kommun, Parts: basic}}
		k.Invited = []int64{af, kommun}
		k.Meetings = append(k.Meetings, meeting(coordination.JointMapping, fk, fk, af))
		action("Begäran om gemensam kartläggning (blankett 7462) skickas", fk, worker, coordination.MappingPlan, 0)
	case x < 9: // a SIP planned by the region
		consent.Purpose = coordination.PurposeSIP
		consent.Parties = []coordination.Party{{OrgID: region, Parts: basic | policy.PartSickLeave}, {OrgID: kommun, Parts: basic | policy.PartSickLeave}}
		k.Invited = []int64{region, kommun}
		k.Meetings = append(k.Meetings, meeting(coordination.SIP, region, region, kommun, fk))
		action("Kontakt med socialtjänsten om stöd i vardagen", kommun, "Kommunsamordnare (demo)", coordination.SIPPlan, 0)
		action("Rehabiliteringsplan i journalen uppdateras", region, "Rehabkoordinator (demo)", coordination.SIPPlan, 0)
	default: // the region's koordineringsinsats
		consent.Purpose = coordination.PurposeCoordination
		consent.Parties = []coordination.Party{{OrgID: region, Parts: basic | policy.PartSickLeave | policy.PartDiagnoses}}
		k.Invited = []int64{region}
		action("Koordineringsinsats: samtal om återgång i arbete", region, "Rehabkoordinator (demo)", coordination.RehabPlan, 0)
	}
	if days := int(today.Sub(started).Hours() / 24); days >= 2 && co.rng.IntN(30) == 0 {
		consent.WithdrawnAt = started.Add(time.Duration(1+co.rng.IntN(days-1)) * 24 * time.Hour)
	}
	k.Consent = consent
	return k, true
}

var meetingAgendas = map[coordination.MeetingKind]string{
	coordination.Reconciliation: "Arbetsförmåga, möjligheter till anpassning, nästa steg",
	coordination.JointMapping:   "Gemensam kartläggning: arbetsförmåga och stöd från Arbetsförmedlingen",
	coordination.SIP:            "Samordnad individuell plan: vård, stöd i vardagen och försörjning",
}
