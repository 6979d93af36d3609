package web

import (
	"embed"
	"encoding/json"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"strings"
	"time"
)

// The user interface is Swedish first, with English available. Messages are
// data (messages/*.json), keyed by a stable id; TestMessagesComplete checks
// that both languages have the same ids and that every id used exists. A
// part of the interface may keep its messages in a file of its own,
// messages/<lang>.<part>.json (messages/sv.association.json); an id may be
// defined only once per language.
//
//go:embed messages/*.json
var messageFS embed.FS

var messages = func() map[string]map[string]string {
	m := map[string]map[string]string{"sv": {}, "en": {}}
	files, _ := fs.Glob(messageFS, "messages/*.json")
	for _, f := range files {
		lang, _, _ := strings.Cut(path.Base(f), ".")
		raw, _ := messageFS.ReadFile(f)
		var table map[string]string
		if err := json.Unmarshal(raw, &table); err != nil {
			panic("web: " + f + ": " + err.Error()) // embedded at build time; a test covers it
		}
		if m[lang] == nil {
			panic("web: " + f + ": unknown language " + lang)
		}
		for id := range table {
			if _, dup := m[lang][id]; dup {
				panic("web: " + f + ": message " + id + " is defined twice")
			}
		}
		maps.Copy(m[lang], table)
	}
	return m
}()

// apiMessages are the English developer-facing texts of API error codes.
var apiMessages = map[string]string{
	"not_found":           "no such resource",
	"method_not_allowed":  "method not allowed for this resource; see the Allow header",
	"cross_origin_denied": "cross-origin request refused",
	"internal":            "internal error; the request id identifies it in the server log",
	"unavailable":         "service unavailable",
	"bad_request":         "the request could not be parsed",
	"forbidden":           "not allowed for this user or token",
	"unauthenticated":     "authentication required: send an API token as 'Authorization: Bearer <token>'",
	"invalid_token":       "the API token is unknown, revoked or malformed",
	"too_large":           "request body too large",
}

// translate returns the text of id in lang.
func translate(lang, id string) string {
	if m, ok := messages[lang][id]; ok {
		return m
	}
	if m, ok := messages["sv"][id]; ok {
		return m
	}
	return id
}

// apiMessage is the English developer-facing message of an API error code.
func apiMessage(code string) string {
	if m, ok := apiMessages[code]; ok {
		return m
	}
	return code
}

const langCookie = "lang"

// language picks the page language: ?lang= (which also sets the cookie so
// the choice sticks), then the cookie, then Swedish.
func language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "sv" || l == "en" {
		http.SetCookie(w, &http.Cookie{
			Name: langCookie, Value: l, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secureRequest(r),
		})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "sv" || c.Value == "en") {
		return c.Value
	}
	return "sv"
}
