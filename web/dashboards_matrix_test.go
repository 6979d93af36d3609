package web

import "maps"

// The managers' dashboards (package web/dashboards): FK's managers only;
// the office boundary within FK is tested in the package itself.
func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /dashboards":                       fkManagers,
		"GET /dashboards/lista":                 fkManagers,
		"GET /dashboards.csv":                   fkManagers,
		"GET /dashboards.xlsx":                  fkManagers,
		"GET /api/v1/dashboards/caseload":       fkManagers,
		"GET /api/v1/dashboards/caseload/cases": fkManagers,
		"GET /dashboards/vad-om":                fkManagers,
		"POST /dashboards/vad-om":               fkManagers,
		"POST /api/v1/dashboards/whatif":        fkManagers,
		"GET /api/v1/dashboards/whatif":         fkManagers,
		// The quality board's figures as JSON: as the board.
		"GET /api/v1/dashboards/quality": reportReaders,
	})
}
