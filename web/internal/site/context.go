package site

import (
	"context"
	"net/http"
)

// ctxKey keys this package's context values.
type ctxKey int

const (
	requestIDKey ctxKey = iota
	// secureKey holds whether the request's cookies are to be Secure, for
	// the cookies set outside the server's methods.
	secureKey
)

// WithRequest is ctx carrying the request's id and whether its cookies are
// to be Secure; the middleware sets them first.
func WithRequest(ctx context.Context, id string, secure bool) context.Context {
	return context.WithValue(context.WithValue(ctx, requestIDKey, id), secureKey, secure)
}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// SecureRequest tells whether the request's cookies are to be Secure: as
// the middleware decided, or, outside it, whether the request came over TLS.
func SecureRequest(r *http.Request) bool {
	secure, ok := r.Context().Value(secureKey).(bool)
	return secure || !ok && r.TLS != nil
}
