package web

import (
	"maps"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/fixture"
)

// The coordination associations' routes (package web/forbund): who may use
// them.
func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /forbund":                                   signedInUsers,
		"GET /forbund/{slug}":                            contributionReaders,
		"GET /forbund/{slug}/installningar":              associationStaff,
		"POST /forbund/{slug}/installningar":             associationStaff,
		"GET /forbund/{slug}/styrelse":                   contributionReaders,
		"POST /forbund/{slug}/styrelse":                  associationStaff,
		"POST /forbund/{slug}/styrelse/avsluta":          associationStaff,
		"POST /forbund/{slug}/styrelse/ta-bort":          associationStaff,
		"GET /forbund/{slug}/finansiering":               contributionReaders,
		"POST /forbund/{slug}/finansiering":              associationStaff,
		"POST /forbund/{slug}/finansiering/betalningar":  associationStaff,
		"GET /forbund/{slug}/budget":                     associationStaff,
		"POST /forbund/{slug}/budget":                    associationStaff,
		"POST /forbund/{slug}/budget/ta-bort":            associationStaff,
		"POST /forbund/{slug}/budget/eget-kapital":       associationStaff,
		"GET /forbund/{slug}/fordelning":                 associationStaff,
		"POST /forbund/{slug}/fordelning":                associationStaff,
		"GET /api/v1/associations/{slug}":                contributionReaders,
		"GET /api/v1/associations/{slug}/contributions":  contributionReaders,
		"POST /api/v1/associations/{slug}/contributions": associationStaff,
		"GET /api/v1/associations/{slug}/budget-lines":   associationStaff,
		"POST /api/v1/associations/{slug}/budget-lines":  associationStaff,
		"POST /api/v1/associations/{slug}/equity":        associationStaff,
		"POST /api/v1/associations/{slug}/allocation":    associationStaff,
	})
}

func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /arenden/{id}/hanvisning":                                            fkCaseWorkers,
		"POST /arenden/{id}/hanvisning":                                           fkCaseWorkers,
		"GET /forbund/{slug}/insatser":                                            associationStaff,
		"GET /forbund/{slug}/insatser/ny":                                         associationStaff,
		"POST /forbund/{slug}/insatser/ny":                                        associationStaff,
		"GET /forbund/{slug}/insatser/{insatsID}":                                 associationStaff,
		"POST /forbund/{slug}/insatser/{insatsID}":                                associationStaff,
		"GET /forbund/{slug}/insatser/{insatsID}/deltagare/ny":                    associationStaff,
		"POST /forbund/{slug}/insatser/{insatsID}/deltagare/ny":                   associationStaff,
		"GET /forbund/{slug}/deltagare":                                           associationStaff,
		"GET /forbund/{slug}/deltagare/{participantID}":                           associationStaff,
		"POST /forbund/{slug}/deltagare/{participantID}/start":                    associationStaff,
		"POST /forbund/{slug}/deltagare/{participantID}/avboj":                    associationStaff,
		"POST /forbund/{slug}/deltagare/{participantID}/utskrivning":              associationStaff,
		"POST /forbund/{slug}/deltagare/{participantID}/uppfoljning":              associationStaff,
		"GET /forbund/{slug}/kodlistor":                                           associationStaff,
		"POST /forbund/{slug}/kodlistor":                                          associationStaff,
		"GET /api/v1/associations/{slug}/insatser":                                associationStaff,
		"POST /api/v1/associations/{slug}/insatser":                               associationStaff,
		"GET /api/v1/associations/{slug}/insatser/{insatsID}":                     associationStaff,
		"PUT /api/v1/associations/{slug}/insatser/{insatsID}":                     associationStaff,
		"GET /api/v1/associations/{slug}/insatser/{insatsID}/participants":        associationStaff,
		"POST /api/v1/associations/{slug}/insatser/{insatsID}/participants":       associationStaff,
		"GET /api/v1/associations/{slug}/participants/{participantID}":            associationStaff,
		"POST /api/v1/associations/{slug}/participants/{participantID}/end":       associationStaff,
		"POST /api/v1/associations/{slug}/participants/{participantID}/follow-up": associationStaff,
	})
	matrixFixtureHooks = append(matrixFixtureHooks, func(t *testing.T, st *store.Store, f *fixtures) {
		insatsID, participantID := storetest.Insats(t, st, "finsam-gotland")
		f.assoc["insatsID"], f.assoc["participantID"] = insatsID, participantID
	})
}

func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /forbund/{slug}/rapporter":                                  associationReaders,
		"GET /forbund/{slug}/rapporter/arsrapport.pdf":                   associationReaders,
		"GET /forbund/{slug}/rapporter/arsrapport.xlsx":                  associationReaders,
		"GET /forbund/{slug}/rapporter/uppfoljning-finsam.csv":           associationReaders,
		"GET /api/v1/associations/{slug}/reports/yearly":                 associationReaders,
		"GET /api/v1/associations/{slug}/reports/uppfoljning-finsam.csv": associationReaders,
	})
	matrixFixtureHooks = append(matrixFixtureHooks, func(t *testing.T, st *store.Store, f *fixtures) {
		fixture.AssociationReport(t, st)
	})
}

// allocationTable is a valid national table of the allocation model, which
// the malformed-input corpus spoils.
const allocationTable = "namn;organisationsnummer;försörjningsmått;befolkning_16_64\n" +
	"Samordningsförbundet Gotland;222000-1768;1 234,5;38 000\n" +
	"Samordningsförbundet Norr;222000-1776;2 000;50 000\n" +
	"Samordningsförbundet Syd;222000-1784;777;21 000\n"
