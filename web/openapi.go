package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
)

// openAPISource is the hand-written OpenAPI 3.1 description of the API. It is
// written by hand so that it can explain; TestOpenAPIMatchesRoutes keeps it
// and the registered routes in step.
//
//go:embed openapi.json
var openAPISource []byte

// loadOpenAPI checks the document parses and stamps the build version in.
func loadOpenAPI(version string) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPISource, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	if info, ok := doc["info"].(map[string]any); ok && version != "" {
		info["version"] = version
	}
	return json.MarshalIndent(doc, "", "  ")
}

func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request, _ *actor) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.openapi)
}
