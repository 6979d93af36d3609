package store

import (
	"strings"
	"unicode/utf8"
)

// PostgreSQL's text holds neither NUL bytes nor invalid UTF-8, which SQLite
// keeps as given; a request can carry both (a path segment %00, a
// certificate in the wrong encoding). These helpers make the two databases
// answer alike instead of PostgreSQL failing the query.

// textStorable reports whether PostgreSQL's text can hold s. A value that
// it cannot hold matches no stored row.
func textStorable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// storableText is s with invalid UTF-8 and NUL bytes replaced by U+FFFD, for
// text kept as received (a rejected certificate's body).
func storableText(s string) string {
	if textStorable(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
