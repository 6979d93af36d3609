package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/finsam/finsam/web/internal/site"
)

// openAPISource is the hand-written OpenAPI 3.1 description of the API. It is
// written by hand so that it can explain; TestOpenAPIMatchesRoutes keeps it
// and the registered routes in step. A part of the API may describe itself
// in a file of its own, openapi/<part>.json, holding "paths" and
// "components" ("schemas", "parameters", "responses") that are merged into
// the document; a name may be defined only once.
//
//go:embed openapi.json
var openAPISource []byte

//go:embed openapi
var openAPIParts embed.FS

// loadOpenAPI checks the document parses, merges the parts in and stamps the
// build version in.
func loadOpenAPI(version string) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPISource, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	parts, _ := fs.Glob(openAPIParts, "openapi/*.json")
	for _, name := range parts {
		raw, _ := openAPIParts.ReadFile(name)
		var part map[string]any
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := mergeOpenAPI(doc, part, name); err != nil {
			return nil, err
		}
	}
	if info, ok := doc["info"].(map[string]any); ok && version != "" {
		info["version"] = version
	}
	return json.MarshalIndent(doc, "", "  ")
}

func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request, _ *site.Actor) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.openapi)
	return nil
}

// mergeOpenAPI adds a part's paths and components to doc.
func mergeOpenAPI(doc, part map[string]any, name string) error {
	merge := func(into map[string]any, from any, where string) error {
		m, _ := from.(map[string]any)
		for k, v := range m {
			if _, dup := into[k]; dup {
				return fmt.Errorf("%s: %s %q is defined twice", name, where, k)
			}
			into[k] = v
		}
		return nil
	}
	sub := func(m map[string]any, key string) map[string]any {
		if v, ok := m[key].(map[string]any); ok {
			return v
		}
		v := map[string]any{}
		m[key] = v
		return v
	}
	if err := merge(sub(doc, "paths"), part["paths"], "path"); err != nil {
		return err
	}
	comps, _ := part["components"].(map[string]any)
	for kind, v := range comps {
		if err := merge(sub(sub(doc, "components"), kind), v, "components."+kind); err != nil {
			return err
		}
	}
	return nil
}
