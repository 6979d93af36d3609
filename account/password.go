package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP Password Storage Cheat Sheet's first
// recommendation, "m=19456 (19 MiB), t=2, p=1"
// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
// They are stored with each hash, so raising them later only affects new
// hashes; NeedsRehash tells when an old one should be replaced at sign-in.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// Password rules. Length is what matters (NIST SP 800-63B 5.1.1.2): at least
// 12 characters, at most 256 so hashing cannot be abused with huge inputs.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// ErrWeakPassword is returned for a password that breaks the rules.
var ErrWeakPassword = fmt.Errorf("password must be %d–%d characters", MinPasswordLen, MaxPasswordLen)

// CheckPasswordRules tells whether a new password may be set.
func CheckPasswordRules(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen || len(pw) > MaxPasswordLen {
		return ErrWeakPassword
	}
	return nil
}

// HashPassword returns the PHC-format Argon2id hash of pw:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

var errBadHash = errors.New("malformed password hash")

func parseHash(encoded string) (argonParams, error) {
	var p argonParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, errBadHash
	}
	// Refuse parameters that would let a planted hash exhaust the server.
	if p.memory == 0 || p.memory > 1<<20 || p.time == 0 || p.time > 20 || p.threads == 0 {
		return p, errBadHash
	}
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return p, errBadHash
	}
	if p.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.key) < 16 {
		return p, errBadHash
	}
	return p, nil
}

// VerifyPassword reports whether pw matches the encoded hash, in constant
// time with respect to the hash.
func VerifyPassword(encoded, pw string) bool {
	if len(pw) > MaxPasswordLen {
		return false
	}
	p, err := parseHash(encoded)
	if err != nil {
		return false
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

// NeedsRehash reports whether a hash was made with other parameters than the
// current ones.
func NeedsRehash(encoded string) bool {
	p, err := parseHash(encoded)
	return err != nil || p.memory != argonMemoryKiB || p.time != argonTime || p.threads != argonThreads || len(p.key) != argonKeyLen
}

// dummyHash is verified against when the user does not exist, so that a
// sign-in for an unknown name takes as long as one for a known name.
var dummyHash = func() string {
	h, _ := HashPassword("finsam-timing-equaliser")
	return h
}()

// BurnPasswordTime spends the time a password check takes, for unknown users.
func BurnPasswordTime(pw string) { VerifyPassword(dummyHash, pw) }

// passwordAlphabet has 32 symbols that cannot be mistaken for one another
// when read aloud or from a screen: no l, o, 0 or 1.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// GeneratePassword makes an initial password: 20 random symbols (100 bits)
// in groups of five, "abcde-fghij-kmnpq-rstuv".
func GeneratePassword() string {
	var b [20]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return short)
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(passwordAlphabet[c&31]) // 256 is a multiple of 32: no bias
	}
	return out.String()
}
