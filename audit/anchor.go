package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Anchor keeps a copy of every signed checkpoint outside the database, where
// the database's writers cannot rewrite it. Without one, someone who can
// write the database can delete the newest entries together with their
// checkpoints and move the chain head back, and the chain still verifies;
// with one, the anchor still holds the checkpoint of the removed tail.
//
// A checkpoint is appended to the anchor after the transaction that wrote
// it to the database has committed, never before: a crash between the two
// leaves the anchor behind the database (which verify reports as not yet
// anchored), never ahead of it (which would look like a rewound tail).
type Anchor interface {
	// Append stores the checkpoints; they are durable when it returns.
	Append(ctx context.Context, cps ...Checkpoint) error
	Close() error
}

// anchorMarker starts every anchor record, so that a record can be found in
// a line that a syslog daemon prefixed with its own fields.
const anchorMarker = `{"finsam_audit_anchor":`

// anchorVersion is the record format; a reader refuses newer ones.
const anchorVersion = 1

// anchorRecord is one line of an anchor: a checkpoint exactly as signed, so
// that the line can be checked with the public key alone.
type anchorRecord struct {
	Version   int       `json:"finsam_audit_anchor"`
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
	KeyID     string    `json:"key_id"`
	Signature string    `json:"signature"`
}

// AnchorLine is the anchor record of a checkpoint, without the newline.
func AnchorLine(c Checkpoint) string {
	b, err := json.Marshal(anchorRecord{Version: anchorVersion, Seq: c.Seq, Hash: c.Hash, At: c.At.UTC(), KeyID: c.KeyID, Signature: c.Signature})
	if err != nil {
		panic(err) // cannot happen: only strings, numbers and a time
	}
	return string(b)
}

// AnchorLog is what was read from one anchor.
type AnchorLog struct {
	Name        string // the file, for messages
	Missing     bool   // the file does not exist
	Checkpoints []Checkpoint
	// Torn counts lines that start a record but do not hold a whole one:
	// what a crash in the middle of an append leaves.
	Torn int
}

// ReadAnchorFile reads an anchor file, or a syslog file that holds anchor
// records among other lines (lines without a record are skipped). A file
// that does not exist is reported as Missing, not as an error, so that
// the verifier decides whether that is acceptable (it is only on a fresh
// installation).
func ReadAnchorFile(path string) (*AnchorLog, error) {
	a := &AnchorLog{Name: path}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		a.Missing = true
		return a, nil
	} else if err != nil {
		return nil, fmt.Errorf("audit anchor: %w", err)
	}
	defer f.Close()
	if err := a.read(f); err != nil {
		return nil, fmt.Errorf("audit anchor %s: %w", path, err)
	}
	return a, nil
}

func (a *AnchorLog) read(r io.Reader) error {
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		text, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if i := strings.Index(text, anchorMarker); i >= 0 {
			var rec anchorRecord
			dec := json.NewDecoder(strings.NewReader(strings.TrimSpace(text[i:])))
			dec.DisallowUnknownFields()
			switch derr := dec.Decode(&rec); {
			case derr != nil || rec.Hash == "" || rec.Signature == "":
				// A crash in the middle of an append leaves the start of a
				// record: without the end it can hold no valid signature,
				// so skipping it hides nothing.
				a.Torn++
			case rec.Version > anchorVersion:
				return fmt.Errorf("line %d is a record of a newer finsam (format %d)", line, rec.Version)
			default:
				a.Checkpoints = append(a.Checkpoints, Checkpoint{Seq: rec.Seq, Hash: rec.Hash, At: rec.At.UTC(), KeyID: rec.KeyID, Signature: rec.Signature})
			}
		}
		if err != nil { // io.EOF
			return nil
		}
	}
}

// FileAnchor appends checkpoints to a file of its own, one record a line.
// It only ever appends (O_APPEND), so the file can be made append-only for
// everyone, the server's own account included (chattr +a on Linux), and
// several processes can append to one file. Every append is fsync'd.
type FileAnchor struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

// OpenFileAnchor opens the anchor file at path for appending, making it
// (and its folder) if needed; created says that it did not exist. If the
// last line was cut short by a crash, it is ended first, so that the next
// record starts a line of its own.
func OpenFileAnchor(path string) (a *FileAnchor, created bool, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, false, fmt.Errorf("cannot create the folder of the audit anchor %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|os.O_EXCL, 0o640)
	created = err == nil
	if errors.Is(err, os.ErrExist) {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	}
	if err != nil {
		return nil, false, fmt.Errorf("cannot open the audit anchor %s: %w", path, err)
	}
	a = &FileAnchor{path: path, f: f}
	if created {
		// The new name must survive a crash too.
		if d, err := os.Open(filepath.Dir(path)); err == nil {
			d.Sync()
			d.Close()
		}
		return a, true, nil
	}
	if torn, err := endsTorn(path); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("cannot read the audit anchor %s: %w", path, err)
	} else if torn {
		if err := a.write([]byte("\n")); err != nil {
			f.Close()
			return nil, false, err
		}
	}
	return a, false, nil
}

// endsTorn says whether the file's last line has no newline.
func endsTorn(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return false, err
	}
	var last [1]byte
	if _, err := f.ReadAt(last[:], fi.Size()-1); err != nil {
		return false, err
	}
	return last[0] != '\n', nil
}

// Path is the anchor file.
func (a *FileAnchor) Path() string { return a.path }

// Append writes the checkpoints' records in one write and syncs the file.
func (a *FileAnchor) Append(_ context.Context, cps ...Checkpoint) error {
	if len(cps) == 0 {
		return nil
	}
	var b bytes.Buffer
	for _, c := range cps {
		b.WriteString(AnchorLine(c))
		b.WriteByte('\n')
	}
	return a.write(b.Bytes())
}

func (a *FileAnchor) write(b []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return fmt.Errorf("audit anchor %s: closed", a.path)
	}
	// One write: with O_APPEND the kernel places it at the end as a whole,
	// even when another process appends at the same time.
	if _, err := a.f.Write(b); err != nil {
		return fmt.Errorf("audit anchor %s: %w", a.path, err)
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("audit anchor %s: %w", a.path, err)
	}
	return nil
}

// Close closes the file.
func (a *FileAnchor) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}

// Anchors is several anchors as one: each checkpoint goes to all of them.
type Anchors []Anchor

// Append appends to every anchor, even when one fails.
func (as Anchors) Append(ctx context.Context, cps ...Checkpoint) error {
	var errs []error
	for _, a := range as {
		errs = append(errs, a.Append(ctx, cps...))
	}
	return errors.Join(errs...)
}

// Close closes every anchor.
func (as Anchors) Close() error {
	var errs []error
	for _, a := range as {
		errs = append(errs, a.Close())
	}
	return errors.Join(errs...)
}
