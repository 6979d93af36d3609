package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmarks measure the server and not the recorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchServe(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest("GET", path, nil)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// The baseline: a bare handler doing what /healthz does, no middleware.
func BenchmarkBareHandlerFunc(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	benchServe(b, h, "/healthz")
}

func benchServer(b *testing.B) *Server {
	s, err := New(Config{Store: storetest.Open(b, store.SQLite), Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Version: "bench", AuditKeys: testKeys(b)})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// /healthz through the whole chain: request id, logging, metrics, recovery,
// security headers, cross-origin protection, mux.
func BenchmarkHealthzFullChain(b *testing.B) {
	benchServe(b, benchServer(b).Handler(), "/healthz")
}

// The handler alone, routed by the mux but without the middleware.
func BenchmarkHealthzMuxOnly(b *testing.B) {
	benchServe(b, benchServer(b).mux, "/healthz")
}

func BenchmarkStartPageFullChain(b *testing.B) {
	benchServe(b, benchServer(b).Handler(), "/")
}

func BenchmarkStartPageMuxOnly(b *testing.B) {
	benchServe(b, benchServer(b).mux, "/")
}
