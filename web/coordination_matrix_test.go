package web

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// The coordination routes (web/coordination) in the access matrix: a
// coordination FK leads of the matrix case, with a consent FK recorded that
// names AF, to which nobody else is invited.
func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /samordning":                                                       personReaders,
		"GET /samordning/vardenheter":                                           personReaders,
		"GET /arenden/{id}/samordning":                                          coordinators,
		"POST /arenden/{id}/samordning":                                         coordinators,
		"POST /arenden/{id}/samordning/samtycken":                               coordinators,
		"POST /samtycken/{consentID}/aterkalla":                                 coordinators,
		"GET /samordning/{id}":                                                  fkCaseRoles,
		"POST /samordning/{id}/samtycken":                                       coordinators,
		"POST /samordning/{id}/parter":                                          coordinators,
		"POST /samordning/{id}/moten":                                           coordinators,
		"POST /samordning/{id}/moten/{meetingID}":                               coordinators,
		"POST /samordning/{id}/moten/{meetingID}/installt":                      coordinators,
		"POST /samordning/{id}/atgarder":                                        coordinators,
		"POST /samordning/{id}/atgarder/{actionID}":                             coordinators,
		"POST /samordning/{id}/anteckningar":                                    coordinators,
		"GET /api/v1/coordinations":                                             personReaders,
		"GET /api/v1/coordinations/{coordinationID}":                            fkCaseRoles,
		"POST /api/v1/coordinations/{coordinationID}/consents":                  coordinators,
		"POST /api/v1/coordinations/{coordinationID}/meetings":                  coordinators,
		"POST /api/v1/coordinations/{coordinationID}/plan-actions":              coordinators,
		"POST /api/v1/consents/{consentID}/withdraw":                            coordinators,
		"POST /api/v1/coordinations/{coordinationID}/meetings/{meetingID}/held": coordinators,
		"POST /api/v1/coordinations/{coordinationID}/plan-actions/{actionID}":   coordinators,
		"POST /api/v1/coordinations/{coordinationID}/notes":                     coordinators,
		"GET /samordning/vardenheter/arenden/{id}":                              regionCoordinators,
		"POST /samordning/vardenheter/arenden/{id}":                             regionCoordinators,
		"POST /samordning/vardenheter/arenden/{id}/samtycken":                   regionCoordinators,
	})
	matrixFixtureHooks = append(matrixFixtureHooks, func(t *testing.T, st *store.Store, f *fixtures) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		err := st.Tx(ctx, func(tx *store.Tx) error {
			fk, err := store.OrganisationBySlug(ctx, tx, "fk")
			if err != nil {
				return err
			}
			af, err := store.OrganisationBySlug(ctx, tx, "af")
			if err != nil {
				return err
			}
			c, err := store.CaseByID(ctx, tx, f.caseID)
			if err != nil {
				return err
			}
			day := civil.Of(now)
			consent, err := store.RecordConsent(ctx, tx, coordination.Consent{PersonID: c.PersonID, RecordedByOrg: fk.ID, Purpose: coordination.PurposeReconciliation,
				Parties:   []coordination.Party{{OrgID: af.ID, Parts: policy.PartBasic | policy.PartPlan}},
				ValidFrom: day, ValidUntil: day.AddDays(90), Method: coordination.Written, DocumentRef: "matrix"}, 0, now)
			if err != nil {
				return err
			}
			id, err := store.StartCoordination(ctx, tx, f.caseID, c.PersonID, fk.ID, 0, now)
			if err != nil {
				return err
			}
			meeting, err := store.CreateMeeting(ctx, tx, coordination.Meeting{CoordinationID: id, Kind: coordination.OtherMeeting, Status: coordination.Planned,
				Start: now.Add(24 * time.Hour), LengthMinutes: 60, Video: true, ConvenedBy: fk.ID, Parties: []coordination.Party{{OrgID: fk.ID}}}, 0, now)
			if err != nil {
				return err
			}
			// The region's way in is probed on the case of the certificate
			// Region Gotland sent.
			cert, err := store.CertificateByID(ctx, tx, f.certificate)
			if err != nil {
				return err
			}
			f.coord["unitCase"] = cert.CaseID
			f.coord["id"], f.coord["coordinationID"], f.coord["consentID"], f.coord["meetingID"], f.coord["actionID"] = id, id, consent, meeting, f.actionID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
