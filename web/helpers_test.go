package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
)

// caseVersionOf reads a case's version.
func caseVersionOf(t *testing.T, st *store.Store, id int64) int {
	t.Helper()
	c, err := store.CaseByID(context.Background(), st, id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}

// doBody sends a request with a raw body of a content type, with the
// browser's cookies.
func (b *browser) doBody(method, target, body, contentType string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = b.addr
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.s.Handler().ServeHTTP(rec, req)
	return rec
}
