// Package certintake is the server's certificate intake with the FMB table
// it assesses certificates against. The certificates API submits to it, the
// FMB administration replaces its table, and the case work reads the table
// when it brings a case up to date.
package certintake

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
)

// Holder is the intake with its FMB table. The table can be replaced while
// the server runs: a new intake is built with it and swapped in atomically,
// so that every submission uses one table throughout.
type Holder struct {
	store *store.Store
	keys  *audit.Keys
	now   func() time.Time
	cur   atomic.Pointer[withFMB]
}

type withFMB struct {
	in     *intake.Intake
	fmb    *certificate.FMB
	loaded bool // an administrator loaded it (not the shipped table)
}

// New is the intake over st with the FMB table an administrator stored, or
// the shipped one when none was. A stored table that no longer parses is
// logged and replaced by the shipped one rather than stopping the server.
func New(ctx context.Context, st *store.Store, keys *audit.Keys, now func() time.Time, log *slog.Logger) *Holder {
	h := &Holder{store: st, keys: keys, now: now}
	f, stored, err := intake.StoredFMB(ctx, st)
	if err != nil {
		log.ErrorContext(ctx, "stored FMB table unusable; using the shipped table", "err", err)
	}
	h.Use(f, stored)
	return h
}

// Use makes the intake assess certificates against fmb from now on; loaded
// says whether an administrator loaded it.
func (h *Holder) Use(fmb *certificate.FMB, loaded bool) {
	h.cur.Store(&withFMB{in: intake.New(h.store, h.keys, fmb, h.now), fmb: fmb, loaded: loaded})
}

// Submit takes one certificate in (see intake.Intake.Submit).
func (h *Holder) Submit(ctx context.Context, sub intake.Submission) (intake.Result, error) {
	return h.cur.Load().in.Submit(ctx, sub)
}

// Table is the FMB table in use and whether an administrator loaded it.
func (h *Holder) Table() (*certificate.FMB, bool) {
	cur := h.cur.Load()
	return cur.fmb, cur.loaded
}
