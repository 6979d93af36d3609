package publicsite

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// Hosts serves the public sites that have host names of their own:
// hosts maps a host name (lower case, without port) to the association's
// slug. A request for such a host is served as the same request under
// /f/<slug>/, except for the static files, and the site's links leave the
// prefix out. Requests for any other host pass to next unchanged.
func Hosts(hosts map[string]string, next http.Handler) http.Handler {
	if len(hosts) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		slug, ok := hosts[host]
		if !ok || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		r2 := r.Clone(context.WithValue(r.Context(), hostKey, true))
		r2.URL.Path = "/f/" + slug + r.URL.Path
		r2.URL.RawPath = ""
		next.ServeHTTP(w, r2)
	})
}

// ParseHosts reads host=slug pairs separated by commas
// ("finsam.example.se=finsam-gotland,…"), as the configuration gives them.
func ParseHosts(s string) map[string]string {
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		host, slug, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if ok && host != "" && slug != "" {
			out[strings.ToLower(strings.TrimSpace(host))] = strings.TrimSpace(slug)
		}
	}
	return out
}
