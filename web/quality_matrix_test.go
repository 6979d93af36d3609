package web

import "maps"

// The quality board per care unit over time as JSON: as the board. Which
// region sees which units is tested in web/quality.
func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /api/v1/dashboards/quality/units": reportReaders,
	})
}
