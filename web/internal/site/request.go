package site

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseForm reads the url-encoded form a page posts, of at most
// MaxFormBytes: a larger body is TooLarge (413), one that does not parse
// BadRequest (400).
func ParseForm(w http.ResponseWriter, r *http.Request) error {
	return ParseFormMax(w, r, MaxFormBytes)
}

// ParseFormMax is ParseForm with a limit of its own.
func ParseFormMax(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return TooLarge()
		}
		return BadRequest()
	}
	return nil
}

// PathID reads a positive numeric id from the path value name; anything
// else is no id.
func PathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// LocalTime formats a time as people in Sweden read it; zero is "".
func LocalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Stockholm).Format("2006-01-02 15:04")
}

// AuditText is a text someone typed (a user name tried at sign-in, a
// search) as the audit log keeps it: at most 64 bytes, cut on a character
// boundary.
func AuditText(s string) string {
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:64], "")
	}
	return s
}
