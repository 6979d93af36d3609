package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// A consent, a coordination with its parties, notes, a meeting and the
// plan round-trip on both databases; withdrawal is a time, not a deletion;
// an unshared note stays with its organisation; every change of an action
// is logged.
func TestCoordinationRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		today := civil.Of(now)
		var fk, af, region organisation.Organisation
		var personID, caseID, consentID, coordID, meetingID, actionID int64
		err := s.Tx(ctx, func(tx *store.Tx) error {
			var err error
			mk := func(slug string, typ organisation.Type) organisation.Organisation {
				if err != nil {
					return organisation.Organisation{}
				}
				var o organisation.Organisation
				o, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: slug, Name: slug, Type: typ})
				return o
			}
			fk, af, region = mk("fk", organisation.FK), mk("af", organisation.AF), mk("region-x", organisation.Region)
			if err != nil {
				return err
			}
			ids, err := store.InsertPersons(ctx, tx, []store.Person{{Personnummer: "197001019801", Name: "Test Testsson"}}, now)
			if err != nil {
				return err
			}
			personID = ids[0]
			cases, err := store.InsertCases(ctx, tx, []store.NewCase{{PersonID: personID, FirstDay: now.AddDate(0, 0, -40), LastDay: now}}, now)
			if err != nil {
				return err
			}
			caseID = cases[0]
			c := coordination.Consent{PersonID: personID, RecordedByOrg: fk.ID, Purpose: coordination.PurposeReconciliation,
				Parties:   []coordination.Party{{OrgID: af.ID, Parts: policy.PartBasic | policy.PartPlan}, {OrgID: region.ID, Parts: policy.PartBasic | policy.PartDiagnoses}},
				ValidFrom: today, ValidUntil: today.AddDays(90), Method: coordination.Oral, OralRecordedBy: "Hanna", OralRecordedOn: today}
			if consentID, err = store.RecordConsent(ctx, tx, c, 0, now); err != nil {
				return err
			}
			if coordID, err = store.StartCoordination(ctx, tx, caseID, personID, fk.ID, 0, now); err != nil {
				return err
			}
			for _, org := range []int64{af.ID, af.ID, region.ID} {
				if err := store.InviteParty(ctx, tx, coordID, org, 0, now); err != nil {
					return err
				}
			}
			if _, err := store.AddCoordinationNote(ctx, tx, coordID, store.CoordinationNote{OrgID: af.ID, Body: "AF:s egen anteckning"}, 0, now); err != nil {
				return err
			}
			if _, err := store.AddCoordinationNote(ctx, tx, coordID, store.CoordinationNote{OrgID: af.ID, Body: "Delad", Shared: true}, 0, now); err != nil {
				return err
			}
			m := coordination.Meeting{CoordinationID: coordID, Kind: coordination.Reconciliation, Status: coordination.Planned,
				Start: now.Add(48 * time.Hour), LengthMinutes: 60, Video: true, ConvenedBy: fk.ID,
				Parties: []coordination.Party{{OrgID: fk.ID}, {OrgID: af.ID}}, PersonAttends: true}
			if meetingID, err = store.CreateMeeting(ctx, tx, m, 0, now); err != nil {
				return err
			}
			a := coordination.Action{Title: "Arbetsträning", OwnerOrgID: af.ID, OwnerPerson: "Adam", Due: today.AddDays(30), Source: coordination.MeetingMinutes}
			actionID, err = store.AddCoordinationAction(ctx, tx, caseID, a, meetingID, 0, af.ID, now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.ConsentByID(ctx, s, consentID)
		if err != nil || len(got.Parties) != 2 || got.OralRecordedOn != today || got.ValidUntil != today.AddDays(90) || got.Withdrawn() {
			t.Fatalf("consent: %+v %v", got, err)
		}
		k, err := store.CoordinationOfCase(ctx, s, caseID)
		if err != nil || k.ID != coordID || len(k.Parties) != 3 || !k.HasParty(af.ID) {
			t.Fatalf("coordination: %+v %v", k, err)
		}
		list, err := store.CoordinationsOf(ctx, s, af.ID, now)
		if err != nil || len(list) != 1 || !list[0].New || list[0].OpenActions != 1 || list[0].NextMeeting.IsZero() {
			t.Fatalf("AF's list: %+v %v", list, err)
		}
		notes, err := store.CoordinationNotes(ctx, s, coordID, region.ID)
		if err != nil || len(notes) != 1 || notes[0].Body != "Delad" {
			t.Fatalf("the region sees AF's unshared note or misses the shared one: %+v %v", notes, err)
		}
		if notes, _ := store.CoordinationNotes(ctx, s, coordID, af.ID); len(notes) != 2 {
			t.Fatalf("AF's own notes: %+v", notes)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error {
			old, err := store.PlanItemByID(ctx, tx, caseID, actionID)
			if err != nil {
				return err
			}
			if err := store.UpdateCoordinationAction(ctx, tx, caseID, old, coordination.ActionOngoing, old.Due, "Alva", 0, af.ID, now); err != nil {
				return err
			}
			if err := store.RecordMeetingHeld(ctx, tx, meetingID, "Överens om arbetsträning.", 75, true, now); err != nil {
				return err
			}
			if err := store.MarkSeen(ctx, tx, coordID, af.ID, now); err != nil {
				return err
			}
			return store.WithdrawConsent(ctx, tx, consentID, 0, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		changes, err := store.ActionChanges(ctx, s, caseID)
		if err != nil || len(changes) != 3 || changes[1].Field != "status" || changes[2].New != "Alva" {
			t.Fatalf("change log: %+v %v", changes, err)
		}
		ms, err := store.Meetings(ctx, s, coordID)
		if err != nil || len(ms) != 1 || ms[0].Status != coordination.Held || !ms[0].DoctorAttended || len(ms[0].Parties) != 2 {
			t.Fatalf("meetings: %+v %v", ms, err)
		}
		if got, _ := store.ConsentByID(ctx, s, consentID); !got.Withdrawn() {
			t.Fatal("withdrawal not recorded")
		}
		err = s.Tx(ctx, func(tx *store.Tx) error { return store.WithdrawConsent(ctx, tx, consentID, 0, now) })
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("withdrawing twice: %v", err)
		}
		if list, _ := store.CoordinationsOf(ctx, s, af.ID, now); len(list) != 1 || list[0].New {
			t.Fatalf("seen: %+v", list)
		}
		// The schema refuses a written consent without its document.
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.RecordConsent(ctx, tx, coordination.Consent{PersonID: personID, RecordedByOrg: fk.ID, Purpose: coordination.PurposeSIP,
				ValidFrom: today, ValidUntil: today, Method: coordination.Written}, 0, now)
			return err
		})
		if err == nil {
			t.Fatal("a written consent without a document reference was stored")
		}
	})
}
