package web

import (
	"maps"
)

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
