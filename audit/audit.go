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
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
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

// verify checks a checkpoint's signature.
func (k *Keys) verify(c Checkpoint) bool {
	if c.KeyID != k.keyID {
		return false
	}
	sig, err := hex.DecodeString(c.Signature)
	if err != nil {
		return false
	}
	return ed25519.Verify(k.signing.Public().(ed25519.PublicKey), checkpointMessage(c.Seq, c.Hash, c.At), sig)
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
// checkpoints, which are few): give it the checkpoints first, then every
// entry in sequence order, then call Finish.
type Verifier struct {
	keys        *Keys
	next        int64
	prev        string
	checkpoints map[int64]Checkpoint
	lastSeal    int64
	err         error
}

// NewVerifier starts a verification with the installation's keys and the
// signed checkpoints, whose signatures it checks first.
func NewVerifier(k *Keys, checkpoints []Checkpoint) (*Verifier, error) {
	v := &Verifier{keys: k, next: 1, prev: GenesisHash, checkpoints: make(map[int64]Checkpoint, len(checkpoints))}
	for _, c := range checkpoints {
		if !k.verify(c) {
			v.err = &TamperError{Seq: c.Seq, Reason: "checkpoint signature is not valid for this installation's key"}
			return v, v.err
		}
		v.checkpoints[c.Seq] = c
	}
	return v, nil
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
	if c, ok := v.checkpoints[e.Seq]; ok {
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
}

// Finish ends the walk: a checkpoint naming an entry that was never seen
// means entries were removed from the end.
func (v *Verifier) Finish() (Result, error) {
	if v.err != nil {
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
	return Result{Entries: v.next - 1, Sealed: v.lastSeal}, nil
}
