package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
)

const importHelp = `
Imports medical certificates (FK 7804) from files, as a care provider's
system would send them one by one to POST /api/v1/certificates:

  finsam import certificates --org SLUG FILE|FOLDER…

  *.jsonl, *.ndjson, *.json   JSON Lines: one certificate (finsam's JSON form) per line
  *.xml                       one RegisterCertificate v3 document (type LISJP) per file
  a folder                    every such file in it and below it, in name order

Certificates are validated, scored and stored with their sick-leave periods
exactly as through the API, many per transaction, with constant memory. The
import is idempotent: a certificate received before (same sender and id, same
content) is counted as a duplicate and not stored again, so an interrupted
import is resumed by running it again. Rejected certificates (malformed or
breaking the rules, or another certificate under a used id) are kept with
their reasons and listed for administrators. Progress goes to standard error;
a summary to standard output.`

// maxLine bounds one JSON certificate, as the API does.
const maxLine = 256 << 10

func runImport(ctx context.Context, e *env, args []string) error {
	sub, args, err := subcommand(e, "import", "certificates [flags] FILE|FOLDER…", importHelp, args, "certificates")
	if err != nil {
		return err
	}
	fs := newFlagSet(e, "import "+sub, "--org SLUG [flags] FILE|FOLDER…", importHelp)
	db, keys := storeFlags(fs, e)
	orgSlug := fs.String("org", "", "the care provider `SLUG` the certificates come from (required)")
	batch := fs.Int("batch", 500, "certificates per transaction")
	quiet := fs.Bool("quiet", false, "no progress on standard error (it is shown only in a terminal)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *orgSlug == "" || fs.NArg() == 0 || *batch < 1 {
		fmt.Fprintf(e.stderr, "give --org and at least one file or folder\n\n")
		return badUsage(fs)
	}
	files, err := importFiles(fs.Args())
	if err != nil {
		return err
	}
	st, auditKeys, err := openAudited(ctx, db, keys, true)
	if err != nil {
		return err
	}
	defer st.Close()
	org, err := store.OrganisationBySlug(ctx, st, *orgSlug)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no organisation %q", *orgSlug)
	} else if err != nil {
		return err
	}
	// As the API: only care providers (and regions) send certificates.
	if !org.Type.SendsCertificates() {
		return fmt.Errorf("organisation %q is a %s, not a care provider or region: only they send certificates", org.Slug, org.Type)
	}
	// The FMB table an administrator loaded, as the server uses.
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		fmt.Fprintf(e.stderr, "warning: the stored FMB table is unusable (%v); using the shipped one\n", err)
	}
	in := intake.New(st, auditKeys, fmb, nil)
	if err := in.Prepare(ctx); err != nil {
		return err
	}
	imp := &importer{in: in, batchSize: *batch, actor: audit.Event{ActorName: cliActor(), ActorOrg: org.Slug, RemoteAddr: "local"},
		org: org.ID, start: time.Now(), progress: e.stderr}
	// The progress line rewrites itself with \r: only for a person at a
	// terminal, never into a log file.
	if *quiet || !isTerminal(e.stderr) {
		imp.progress = io.Discard
	}
	for _, f := range files {
		if err := imp.file(ctx, f); err != nil {
			return err
		}
	}
	if err := imp.flush(ctx); err != nil {
		return err
	}
	imp.report(true)
	el := time.Since(imp.start)
	fmt.Fprintf(e.stdout, "imported %d certificates from %d file(s) in %s (%.0f/s): %d accepted, %d duplicates, %d rejected (%d malformed, %d invalid, %d conflicts)\n",
		imp.total(), len(files), el.Round(time.Millisecond), float64(imp.total())/el.Seconds(),
		imp.counts[intake.Accepted], imp.counts[intake.Duplicate],
		imp.counts[intake.Malformed]+imp.counts[intake.Invalid]+imp.counts[intake.Conflict],
		imp.counts[intake.Malformed], imp.counts[intake.Invalid], imp.counts[intake.Conflict])
	return nil
}

// importFiles expands folders and checks every file can be read, before
// anything is imported.
func importFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", a, errors.Unwrap(err))
		}
		if !info.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && formatOf(p) >= 0 {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	for _, f := range out {
		if formatOf(f) < 0 {
			return nil, fmt.Errorf("%s: unknown kind of file (use .jsonl, .ndjson, .json or .xml)", f)
		}
	}
	return out, nil
}

func formatOf(path string) intake.Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson", ".json":
		return intake.JSON
	case ".xml":
		return intake.XML
	}
	return -1
}

// importer batches submissions and counts outcomes.
type importer struct {
	in        *intake.Intake
	batchSize int
	actor     audit.Event
	org       int64
	pending   []intake.Submission
	counts    [5]int
	start     time.Time
	lastShown time.Time
	progress  io.Writer
}

func (imp *importer) total() int {
	n := 0
	for _, c := range imp.counts {
		n += c
	}
	return n
}

func (imp *importer) add(ctx context.Context, s intake.Submission) error {
	imp.pending = append(imp.pending, s)
	if len(imp.pending) >= imp.batchSize {
		return imp.flush(ctx)
	}
	return nil
}

func (imp *importer) flush(ctx context.Context) error {
	if len(imp.pending) == 0 {
		return nil
	}
	rs, err := imp.in.SubmitBatch(ctx, imp.pending)
	if err != nil {
		return fmt.Errorf("store a batch (nothing of it was stored; run the import again to resume): %w", err)
	}
	for _, r := range rs {
		imp.counts[r.Status]++
	}
	imp.pending = imp.pending[:0]
	imp.report(false)
	return nil
}

func (imp *importer) report(final bool) {
	if !final && time.Since(imp.lastShown) < time.Second {
		return
	}
	imp.lastShown = time.Now()
	el := time.Since(imp.start).Seconds()
	fmt.Fprintf(imp.progress, "\r%d certificates, %.0f/s", imp.total(), float64(imp.total())/max(el, 1e-9))
	if final {
		fmt.Fprintln(imp.progress)
	}
}

func (imp *importer) file(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	base := filepath.Base(path)
	if formatOf(path) == intake.XML {
		body, err := io.ReadAll(io.LimitReader(f, maxLine+1))
		if err != nil {
			return err
		}
		return imp.add(ctx, intake.Submission{SenderOrgID: imp.org, Format: intake.XML, Body: body,
			Source: "import:" + base, Actor: imp.actor})
	}
	r := bufio.NewReaderSize(f, 64<<10)
	for line := 1; ; line++ {
		b, err := readLine(r)
		if len(bytes.TrimSpace(b)) > 0 {
			if err := imp.add(ctx, intake.Submission{SenderOrgID: imp.org, Format: intake.JSON, Body: b,
				Source: fmt.Sprintf("import:%s:%d", base, line), Actor: imp.actor}); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

// readLine reads one line (without its newline) into a fresh slice; a line
// longer than maxLine is read to its end and returned cut, so that it is
// rejected as malformed rather than stopping the import.
func readLine(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(out) < maxLine+1 {
			out = append(out, chunk[:min(len(chunk), maxLine+1-len(out))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(out, "\r\n"), err
	}
}
