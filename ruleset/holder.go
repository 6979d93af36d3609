package ruleset

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// Holder keeps a server's engine current with the stored values, also
// those another instance stored: Refresh compares the stored version (one
// row read by its key) with the engine's and, when it changed, builds a new
// engine and swaps it in atomically. Every request takes the engine once
// and uses that immutable engine throughout.
type Holder struct {
	store *store.Store
	log   *slog.Logger
	cur   atomic.Pointer[Loaded]
	fixed bool
}

// NewHolder loads the engine from st.
func NewHolder(ctx context.Context, st *store.Store, log *slog.Logger) (*Holder, error) {
	l, err := Load(ctx, st)
	if err != nil {
		return nil, err
	}
	h := &Holder{store: st, log: log}
	h.use(l)
	return h, nil
}

// Fixed is a holder of one engine that never changes (tests that pin the
// parameters).
func Fixed(e *rules.Engine) *Holder {
	h := &Holder{fixed: true}
	h.cur.Store(&Loaded{Engine: e})
	return h
}

func (h *Holder) use(l *Loaded) {
	for _, p := range l.Problems {
		h.log.Error("stored rules parameter left out", "id", p.Value.ID, "name", p.Value.Name,
			"from", p.Value.From.Format(time.DateOnly), "problem", p.Errors[0].Error())
	}
	h.cur.Store(l)
}

// Engine is the engine in force.
func (h *Holder) Engine() *rules.Engine { return h.cur.Load().Engine }

// Current is the engine in force with what it was built from.
func (h *Holder) Current() *Loaded { return h.cur.Load() }

// Refresh rebuilds the engine when the stored values changed since it was
// built.
func (h *Holder) Refresh(ctx context.Context) error {
	if h.fixed {
		return nil
	}
	v, err := store.RuleParamsVersion(ctx, h.store)
	if err != nil {
		return err
	}
	if v == h.cur.Load().Version {
		return nil
	}
	return h.Reload(ctx)
}

// Reload rebuilds the engine from the store.
func (h *Holder) Reload(ctx context.Context) error {
	if h.fixed {
		return nil
	}
	l, err := Load(ctx, h.store)
	if err != nil {
		return err
	}
	h.use(l)
	return nil
}

// Watch refreshes the engine every interval until ctx ends, so that a
// value stored through another instance is in force here within one
// interval.
func (h *Holder) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.Refresh(ctx); err != nil && ctx.Err() == nil {
				h.log.Error("refresh rules parameters", "err", err)
			}
		}
	}
}
