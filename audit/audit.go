// Package audit is finsam's tamper-evident log of every access to personal
// data, every sign-in and every permission change.
//
// The log is a hash chain: each entry stores the SHA-256 of the entry before
// it together with its own fields, so editing, removing or inserting an
// entry breaks every hash after it. Periodic checkpoints sign the head of the
// chain with an Ed25519 key kept outside the database, so that someone who
// can write to the database cannot quietly rebuild the chain after a change.
// Verifier walks the chain and names the first entry that does not fit.
//
// Persons appear in the log only as a pseudonymous key (an HMAC of the
// personnummer under a secret key), never as the personnummer itself.
package audit

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/personnummer"
)

// Outcomes of an audited event.
const (
	OutcomeOK     = "ok"     // done
	OutcomeDenied = "denied" // refused by policy
	OutcomeFailed = "failed" // attempted and failed (e.g. wrong password)
)

// Event is what happened: who did what to which resource, concerning which
// person, when, from where and why.
type Event struct {
	At           time.Time
	ActorUserID  int64
	ActorName    string // user name, "token:<prefix>" or "anonymous"
	ActorOrg     string // organisation slug
	ActorRoles   string
	Action       string // e.g. "sign_in", "read_person", "manage_users"
	Outcome      string
	ResourceType string
	ResourceID   string
	PersonKey    string // pseudonymous key of the person concerned, or ""
	Purpose      string // why, when the user was asked
	RemoteAddr   string
	RequestID    string
	// Persons are the pseudonymous keys of the persons a list showed, in
	// the order shown: one entry for a list view instead of one per row.
	// The store keeps them in an index beside the entry so that a person's
	// extract finds the list; the entry's hash covers them.
	Persons []string
}

// Entry is an event in the chain.
type Entry struct {
	Seq int64
	Event
	PrevHash string
	Hash     string
}

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash is the hash of an entry: SHA-256 over the previous hash, the
// sequence number and every field, each length-prefixed so that no two
// different entries encode alike.
func ComputeHash(prev string, seq int64, e *Event) string {
	h := sha256.New()
	var buf [8]byte
	field := func(s string) {
		binary.BigEndian.PutUint64(buf[:], uint64(len(s)))
		h.Write(buf[:])
		h.Write([]byte(s))
	}
	field("finsam-audit-v1")
	field(prev)
	field(strconv.FormatInt(seq, 10))
	field(e.At.UTC().Format(time.RFC3339Nano))
	field(strconv.FormatInt(e.ActorUserID, 10))
	for _, s := range []string{e.ActorName, e.ActorOrg, e.ActorRoles, e.Action, e.Outcome, e.ResourceType,
		e.ResourceID, e.PersonKey, e.Purpose, e.RemoteAddr, e.RequestID} {
		field(s)
	}
	// Entries without persons hash as they did before the field existed,
	// so the chains written then still verify.
	if len(e.Persons) > 0 {
		field("persons")
		field(strconv.Itoa(len(e.Persons)))
		for _, p := range e.Persons {
			field(p)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Keys are the secrets the audit log needs, both derived from one master
// secret kept outside the database (see LoadOrCreateSecret).
type Keys struct {
	signing   ed25519.PrivateKey
	keyID     string
	pseudonym []byte
}

// NewKeys derives the signing key and the pseudonym key from the master
// secret (at least 32 bytes).
func NewKeys(master []byte) (*Keys, error) {
	if len(master) < 32 {
		return nil, errors.New("audit: master secret shorter than 32 bytes")
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	priv := ed25519.NewKeyFromSeed(derive("finsam audit checkpoint signing key v1"))
	pub := priv.Public().(ed25519.PublicKey)
	id := sha256.Sum256(pub)
	return &Keys{signing: priv, keyID: hex.EncodeToString(id[:8]), pseudonym: derive("finsam person pseudonym key v1")}, nil
}

// KeyID names the signing key in checkpoints.
func (k *Keys) KeyID() string { return k.keyID }

// PersonKey is the pseudonymous key of a person in the log: the same person
// always gets the same key, and the key cannot be turned back into the
// personnummer without the secret.
func (k *Keys) PersonKey(n personnummer.Number) string {
	m := hmac.New(sha256.New, k.pseudonym)
	m.Write([]byte(n))
	return "p_" + hex.EncodeToString(m.Sum(nil)[:16])
}

// PersonKeys is PersonKey of each personnummer (given as strings, as the
// store holds them), with one HMAC reset between them rather than one
// made for each: a list of fifty persons is audited per page view.
func (k *Keys) PersonKeys(numbers []string) []string {
	m := hmac.New(sha256.New, k.pseudonym)
	out := make([]string, len(numbers))
	var sum [sha256.Size]byte
	var text [2 + 32]byte
	copy(text[:], "p_")
	for i, n := range numbers {
		m.Reset()
		io.WriteString(m, n)
		hex.Encode(text[2:], m.Sum(sum[:0])[:16])
		out[i] = string(text[:])
	}
	return out
}

// Checkpoint is a signed statement that the chain had hash Hash at Seq.
type Checkpoint struct {
	Seq       int64
	Hash      string
	At        time.Time
	KeyID     string
	Signature string
}

func checkpointMessage(seq int64, hash string, at time.Time) []byte {
	return []byte("finsam-audit-checkpoint-v1\n" + strconv.FormatInt(seq, 10) + "\n" + hash + "\n" + at.UTC().Format(time.RFC3339Nano))
}

// Sign makes a checkpoint for the chain head.
func (k *Keys) Sign(seq int64, hash string, at time.Time) Checkpoint {
	sig := ed25519.Sign(k.signing, checkpointMessage(seq, hash, at))
	return Checkpoint{Seq: seq, Hash: hash, At: at, KeyID: k.keyID, Signature: hex.EncodeToString(sig)}
}

// PublicKey returns the half of the signing key that verifies checkpoints
// but cannot make them: an auditor can check the log and its anchor with it
// alone, without the master secret.
func (k *Keys) PublicKey() PublicKey {
	return PublicKey{key: k.signing.Public().(ed25519.PublicKey), id: k.keyID}
}

// PublicKey verifies checkpoints.
type PublicKey struct {
	key ed25519.PublicKey
	id  string
}

// publicKeyPrefix starts the text form of a public key.
const publicKeyPrefix = "ed25519:"

// ParsePublicKey reads a public key in the form String gives.
func ParsePublicKey(s string) (PublicKey, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), publicKeyPrefix)
	b, err := base64.StdEncoding.DecodeString(rest)
	if !ok || err != nil || len(b) != ed25519.PublicKeySize {
		return PublicKey{}, fmt.Errorf("audit: %q is not a public key of the form %s<base64 of %d bytes>", s, publicKeyPrefix, ed25519.PublicKeySize)
	}
	id := sha256.Sum256(b)
	return PublicKey{key: b, id: hex.EncodeToString(id[:8])}, nil
}

// String is the key as "ed25519:" and the base64 of its 32 bytes.
func (p PublicKey) String() string {
	return publicKeyPrefix + base64.StdEncoding.EncodeToString(p.key)
}

// KeyID names the key, as checkpoints do.
func (p PublicKey) KeyID() string { return p.id }

// Verify checks a checkpoint's signature.
func (p PublicKey) Verify(c Checkpoint) bool {
	if c.KeyID != p.id || len(p.key) != ed25519.PublicKeySize {
		return false
	}
	sig, err := hex.DecodeString(c.Signature)
	if err != nil {
		return false
	}
	return ed25519.Verify(p.key, checkpointMessage(c.Seq, c.Hash, c.At), sig)
}

// TamperError names the first entry or checkpoint that does not fit.
type TamperError struct {
	Seq    int64
	Reason string
}

func (e *TamperError) Error() string {
	return fmt.Sprintf("audit log entry %d: %s", e.Seq, e.Reason)
}

// Verifier walks the chain in order with constant memory (besides the
// checkpoints, which are few): give it the checkpoints first, then the
// anchors, then every entry in sequence order, then call Finish.
type Verifier struct {
	key         PublicKey
	next        int64
	prev        string
	checkpoints map[int64]Checkpoint // the database's, until their entry is seen
	lastSeal    int64
	// anchored are the checkpoints the anchors hold, by entry.
	anchored     map[int64]anchoredCheckpoint
	lastAnchored int64 // the last entry an anchor's checkpoint was found to match
	anchors      int
	torn         int
	foreign      int
	err          error
}

// anchoredCheckpoint is a checkpoint found in an anchor, and which anchor.
type anchoredCheckpoint struct {
	hash   string
	anchor string
}

// NewVerifier starts a verification with the installation's public key and
// the database's signed checkpoints, whose signatures it checks first.
func NewVerifier(k PublicKey, checkpoints []Checkpoint) (*Verifier, error) {
	v := &Verifier{key: k, next: 1, prev: GenesisHash, checkpoints: make(map[int64]Checkpoint, len(checkpoints)),
		anchored: make(map[int64]anchoredCheckpoint)}
	for _, c := range checkpoints {
		if !k.Verify(c) {
			v.err = &TamperError{Seq: c.Seq, Reason: "checkpoint signature is not valid for this installation's key"}
			return v, v.err
		}
		v.checkpoints[c.Seq] = c
	}
	return v, nil
}

// Anchor adds what an anchor holds, to be compared with the database. It
// must be read before the database: checkpoints reach the database first
// and the anchor after, so an anchor read first never holds one the
// database has not committed (see Anchor).
func (v *Verifier) Anchor(a *AnchorLog) error {
	if v.err != nil {
		return v.err
	}
	v.anchors++
	if a.Missing {
		if len(v.checkpoints) > 0 {
			last := slices.Max(slices.Collect(maps.Keys(v.checkpoints)))
			v.err = &AnchorError{Anchor: a.Name, Reason: fmt.Sprintf("is missing, but the database holds signed checkpoints up to entry %d: "+
				"the anchor was removed or is elsewhere (an installation that had no anchor yet starts it with `finsam audit seal`)", last)}
		}
		return v.err
	}
	v.torn += a.Torn
	for _, c := range a.Checkpoints {
		if c.KeyID != v.key.id {
			v.foreign++ // another installation's line in a shared log
			continue
		}
		if !v.key.Verify(c) {
			v.err = &AnchorError{Anchor: a.Name, Reason: fmt.Sprintf("holds a checkpoint of entry %d whose signature is not valid for this installation's key (the anchor was edited)", c.Seq)}
			return v.err
		}
		if had, ok := v.anchored[c.Seq]; ok && had.hash != c.Hash {
			v.err = &TamperError{Seq: c.Seq, Reason: fmt.Sprintf("the anchors hold two different signed checkpoints of this entry (%s and %s): the chain was rewound and rewritten", had.anchor, a.Name)}
			return v.err
		}
		v.anchored[c.Seq] = anchoredCheckpoint{hash: c.Hash, anchor: a.Name}
	}
	return nil
}

// Entry checks the next entry of the chain.
func (v *Verifier) Entry(e *Entry) error {
	if v.err != nil {
		return v.err
	}
	switch {
	case e.Seq != v.next:
		v.err = &TamperError{Seq: v.next, Reason: fmt.Sprintf("missing (the next entry found is %d)", e.Seq)}
	case e.PrevHash != v.prev:
		v.err = &TamperError{Seq: e.Seq, Reason: "does not link to the entry before it (an entry was removed, inserted or changed)"}
	case ComputeHash(e.PrevHash, e.Seq, &e.Event) != e.Hash:
		v.err = &TamperError{Seq: e.Seq, Reason: "content does not match its hash (the entry was edited)"}
	}
	if v.err != nil {
		return v.err
	}
	c, sealed := v.checkpoints[e.Seq]
	if a, ok := v.anchored[e.Seq]; ok {
		switch {
		case a.hash != e.Hash:
			v.err = &TamperError{Seq: e.Seq, Reason: fmt.Sprintf("differs from the signed checkpoint in the anchor %s (the chain was rewritten after the anchor took it)", a.anchor)}
		case !sealed:
			v.err = &TamperError{Seq: e.Seq, Reason: fmt.Sprintf("its signed checkpoint, which the anchor %s holds, was removed from the database", a.anchor)}
		}
		if v.err != nil {
			return v.err
		}
		delete(v.anchored, e.Seq)
		v.lastAnchored = e.Seq
	}
	if sealed {
		if c.Hash != e.Hash {
			v.err = &TamperError{Seq: e.Seq, Reason: "differs from the signed checkpoint (the chain was rebuilt after a change)"}
			return v.err
		}
		delete(v.checkpoints, e.Seq)
		v.lastSeal = e.Seq
	}
	v.prev = e.Hash
	v.next++
	return nil
}

// Result summarises a verification.
type Result struct {
	Entries int64 // entries checked
	// Sealed is the last entry covered by a valid signed checkpoint; entries
	// after it are chained but not yet signed.
	Sealed int64
	// Anchors is how many anchors were compared; Anchored is the last entry
	// whose checkpoint an anchor holds. Checkpoints after it are in the
	// database only: a crash came between the two writes, or the instance
	// that made them has an anchor that was not given, or it has none.
	Anchors  int
	Anchored int64
	// TornLines counts anchor lines cut short (a crash while one was
	// written), which were skipped; OtherKeys counts checkpoints signed by
	// another installation's key (in a log several share), also skipped.
	TornLines int
	OtherKeys int
}

// Finish ends the walk: a checkpoint naming an entry that was never seen
// means entries were removed from the end.
func (v *Verifier) Finish() (Result, error) {
	if v.err != nil {
		return Result{}, v.err
	}
	last := v.next - 1
	if len(v.anchored) > 0 {
		seq := slices.Min(slices.Collect(maps.Keys(v.anchored)))
		held := fmt.Sprintf("entry %d", seq)
		if newest := slices.Max(slices.Collect(maps.Keys(v.anchored))); newest != seq {
			held = fmt.Sprintf("entries %d to %d", seq, newest)
		}
		v.err = &TamperError{Seq: last + 1, Reason: fmt.Sprintf("the log's tail was rewound: the anchor %s holds signed checkpoints of %s, "+
			"but the log ends at entry %d (entries were removed from the end together with their checkpoints)", v.anchored[seq].anchor, held, last)}
		return Result{}, v.err
	}
	first := int64(-1)
	for seq := range v.checkpoints {
		if first < 0 || seq < first {
			first = seq
		}
	}
	if first >= 0 {
		v.err = &TamperError{Seq: first, Reason: "signed checkpoint names an entry that is missing (entries were removed)"}
		return Result{}, v.err
	}
	return Result{Entries: last, Sealed: v.lastSeal, Anchors: v.anchors, Anchored: v.lastAnchored, TornLines: v.torn, OtherKeys: v.foreign}, nil
}

// AnchorError says that an anchor is missing or was edited.
type AnchorError struct {
	Anchor string
	Reason string
}

func (e *AnchorError) Error() string {
	return fmt.Sprintf("audit anchor %s %s", e.Anchor, e.Reason)
}
