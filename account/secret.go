package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewSecret returns a random 256-bit secret, URL-safe, with a prefix that
// says what it is ("fss_" session, "fst_" API token). Secrets are high
// entropy, so storing their SHA-256 is enough: no slow hash is needed.
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how session ids and tokens are stored and looked up.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Secret prefixes.
const (
	SessionPrefix = "fss_"
	TokenPrefix   = "fst_"
)

// LooksLikeToken is a cheap check before a database look-up.
func LooksLikeToken(s string) bool {
	return strings.HasPrefix(s, TokenPrefix) && len(s) == len(TokenPrefix)+43
}

// Scope is a permission an API token carries.
type Scope string

// The scopes. Tokens are bound to an organisation and act only within it.
const (
	ScopeCertificatesWrite Scope = "certificates:write" // send FK 7804 certificates
	ScopeCertificatesRead  Scope = "certificates:read"  // read back what the organisation sent
	ScopeRulesEvaluate     Scope = "rules:evaluate"     // (the rules API is public; for quotas later)
)

// KnownScopes lists every scope.
var KnownScopes = []Scope{ScopeCertificatesWrite, ScopeCertificatesRead, ScopeRulesEvaluate}

// ValidScope reports whether s is a known scope.
func ValidScope(s string) bool {
	for _, k := range KnownScopes {
		if string(k) == s {
			return true
		}
	}
	return false
}
