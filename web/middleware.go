package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/finsam/finsam/web/internal/site"
)

// middleware wraps the mux in the chain every request passes, outermost
// first: request id, access log and metrics; panic recovery; security
// headers; cross-origin protection for unsafe methods.
func (s *Server) middleware(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusForbidden, "cross_origin_denied", "")
	}))
	inner := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		r = r.WithContext(site.WithRequest(r.Context(), id, s.secure(r)))
		rec := &site.StatusRecorder{ResponseWriter: w}
		h := rec.Header()
		h.Set("X-Request-Id", id)
		setSecurityHeaders(h)
		s.metrics.inFlight.Inc()

		func() {
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					s.log.ErrorContext(r.Context(), "panic serving request", "panic", p, "stack", string(debug.Stack()))
					if rec.Status == 0 {
						s.fail(rec, r, http.StatusInternalServerError, "internal", "")
					}
				}
			}()
			inner.ServeHTTP(rec, r)
		}()

		s.metrics.inFlight.Dec()
		if rec.Status == 0 {
			rec.Status = http.StatusOK
		}
		elapsed := time.Since(start)
		route := routeLabel(r.Pattern)
		s.metrics.observe(route, r.Method, rec.Status, elapsed)
		level := slog.LevelInfo
		if rec.Status >= 500 {
			level = slog.LevelError
		}
		// The path is logged without its query string: queries may hold
		// search terms about persons.
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.Status),
			slog.Int64("bytes", rec.Bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		)
	})
}

// routeLabel keeps the metric label set bounded: a request that matched no
// route is labelled "unmatched", whatever its path.
func routeLabel(pattern string) string {
	if pattern == "" || pattern == "/" {
		return "unmatched"
	}
	return pattern
}

// contentSecurityPolicy allows only same-origin scripts and styles and never
// inline code. data: images are needed for FKUI's embedded SVG icons.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestIDHandler adds the request id from the context to every log record
// made with a context, so that all lines of one request can be found.
type requestIDHandler struct{ slog.Handler }

func withRequestID(h slog.Handler) slog.Handler { return requestIDHandler{h} }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
