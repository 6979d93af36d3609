// Package testclient is a browser in-process for tests: a client that
// sends requests straight to a handler and keeps the cookies it sets. The
// whole-server tests of package web and the harness of the feature packages
// (webtest) share it; it imports nothing of the server, so both can.
package testclient

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
)

// Client is a browser in-process: it keeps the cookies the server sets.
type Client struct {
	h       http.Handler
	cookies map[string]*http.Cookie
	// Addr is the client's address as the server sees it.
	Addr string
}

// New is a client of h that has not signed in.
func New(h http.Handler) *Client {
	return &Client{h: h, cookies: map[string]*http.Cookie{}, Addr: "192.0.2.10:5555"}
}

// Login posts the sign-in form.
func (c *Client) Login(user, password string) *httptest.ResponseRecorder {
	return c.Do("POST", "/login", url.Values{"username": {user}, "password": {password}})
}

// Do sends a request, with form as its url-encoded body when not nil.
func (c *Client) Do(method, target string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	if form == nil {
		return c.DoBody(method, target, "", "", hdr...)
	}
	return c.DoBody(method, target, form.Encode(), "application/x-www-form-urlencoded", hdr...)
}

// DoBody sends a request with a body of a content type ("" for none).
func (c *Client) DoBody(method, target, body, contentType string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = c.Addr
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return rec
}

// SetCookie makes the client send ck from now on, as a browser that had
// been given it.
func (c *Client) SetCookie(ck *http.Cookie) { c.cookies[ck.Name] = ck }

// DropCookie makes the client forget the cookie name.
func (c *Client) DropCookie(name string) { delete(c.cookies, name) }

// Cookie is the cookie name the client keeps, or nil.
func (c *Client) Cookie(name string) *http.Cookie { return c.cookies[name] }

// Cookies are the cookies the client keeps, in no order.
func (c *Client) Cookies() []*http.Cookie {
	out := make([]*http.Cookie, 0, len(c.cookies))
	for _, ck := range c.cookies {
		out = append(out, ck)
	}
	return out
}
