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
	// actorKey holds the actor the guard resolved, for the error page.
	actorKey
)

// WithActor is r carrying the actor the guard resolved, so that an error
// page answered for the request keeps the signed-in header and menu: a
// person who followed a stale link or was refused still sees who they are
// and where they can go.
func WithActor(r *http.Request, a *Actor) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), actorKey, a))
}

// actorOf returns the actor WithActor put on r, or nil.
func actorOf(r *http.Request) *Actor {
	a, _ := r.Context().Value(actorKey).(*Actor)
	return a
}

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
