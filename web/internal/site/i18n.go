package site

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Languages are the interface languages; Swedish first.
var Languages = []string{"sv", "en"}

// A Catalogue holds the interface's messages by language and stable id. The
// user interface is Swedish first, with English available. Messages are
// data (messages/<lang>.json, or messages/<lang>.<part>.json for a part that
// keeps its own), embedded by the package that uses them; a catalogue is
// built once and never changed. An id may be defined only once per
// language, also across the catalogues merged into one.
type Catalogue map[string]map[string]string

// LoadCatalogue reads the messages/*.json files of fsys.
func LoadCatalogue(fsys fs.FS) (Catalogue, error) {
	c := Catalogue{}
	for _, l := range Languages {
		c[l] = map[string]string{}
	}
	files, err := fs.Glob(fsys, "messages/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		lang, _, _ := strings.Cut(path.Base(f), ".")
		if c[lang] == nil {
			return nil, fmt.Errorf("%s: unknown language %s", f, lang)
		}
		raw, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var table map[string]string
		if err := json.Unmarshal(raw, &table); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for id, m := range table {
			if _, dup := c[lang][id]; dup {
				return nil, fmt.Errorf("%s: message %s is defined twice", f, id)
			}
			c[lang][id] = m
		}
	}
	return c, nil
}

// MustCatalogue is LoadCatalogue for catalogues embedded at build time (a
// test covers them): it panics on an error.
func MustCatalogue(fsys fs.FS) Catalogue {
	c, err := LoadCatalogue(fsys)
	if err != nil {
		panic("site: " + err.Error())
	}
	return c
}

// Merge is one catalogue with the messages of all of cs; an id defined in
// two of them is an error.
func Merge(cs ...Catalogue) (Catalogue, error) {
	out := Catalogue{}
	for _, l := range Languages {
		out[l] = map[string]string{}
	}
	for _, c := range cs {
		for lang, table := range c {
			if out[lang] == nil {
				return nil, fmt.Errorf("unknown language %s", lang)
			}
			for id, m := range table {
				if _, dup := out[lang][id]; dup {
					return nil, fmt.Errorf("message %s (%s) is defined twice", id, lang)
				}
				out[lang][id] = m
			}
		}
	}
	return out, nil
}

// MustMerge is Merge for catalogues embedded at build time.
func MustMerge(cs ...Catalogue) Catalogue {
	c, err := Merge(cs...)
	if err != nil {
		panic("site: " + err.Error())
	}
	return c
}

// T returns the text of id in lang, else in Swedish, else the id itself.
func (c Catalogue) T(lang, id string) string {
	if m, ok := c[lang][id]; ok {
		return m
	}
	if m, ok := c["sv"][id]; ok {
		return m
	}
	return id
}

// Has reports whether the catalogue has a Swedish text of id.
func (c Catalogue) Has(id string) bool {
	_, ok := c["sv"][id]
	return ok
}

// APIMessages are the English developer-facing texts of API error codes;
// error pages show "err." + the code in the visitor's language.
var APIMessages = map[string]string{
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

// APIMessage is the English developer-facing message of an API error code.
func APIMessage(code string) string {
	if m, ok := APIMessages[code]; ok {
		return m
	}
	return code
}

// LangCookie names the cookie that keeps the chosen language.
const LangCookie = "lang"

// Language picks the page language: ?lang= (which also sets the cookie so
// the choice sticks), then the cookie, then Swedish.
func Language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "sv" || l == "en" {
		http.SetCookie(w, &http.Cookie{
			Name: LangCookie, Value: l, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: SecureRequest(r),
		})
		return l
	}
	if c, err := r.Cookie(LangCookie); err == nil && (c.Value == "sv" || c.Value == "en") {
		return c.Value
	}
	return "sv"
}

//go:embed messages/*.json
var messageFS embed.FS

// Core are the messages of the layout, the navigation, the error pages and
// the role names, which every feature's catalogue builds on.
var Core = MustCatalogue(messageFS)
