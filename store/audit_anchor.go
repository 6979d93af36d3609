package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/finsam/finsam/audit"
)

// SetAuditAnchor makes the store give every audit checkpoint it writes to
// a, once the transaction that wrote it has committed (never before: see
// audit.Anchor). The store closes a when it closes. Call it before the
// store is used. When the anchor refuses a checkpoint after its commit,
// failed is told (the write itself stands; the checkpoint is offered again
// with the next one, and AnchorAudit catches up).
func (s *Store) SetAuditAnchor(a audit.Anchor, failed func(error)) {
	s.anchor = a
	s.anchorFailed = failed
}

// anchorCheckpoints gives committed checkpoints to the anchor, if any.
func (s *Store) anchorCheckpoints(ctx context.Context, cps []audit.Checkpoint) {
	if s.anchor == nil || len(cps) == 0 {
		return
	}
	s.anchorMu.Lock()
	if p := s.anchorPending; p != nil {
		cps = append([]audit.Checkpoint{*p}, cps...)
		s.anchorPending = nil
	}
	s.anchorMu.Unlock()
	err := s.anchor.Append(ctx, cps...)
	if err == nil {
		s.anchored(cps...)
		return
	}
	// A later checkpoint covers every entry before it, so the newest one
	// is all that needs to be offered again.
	newest := cps[0]
	for _, c := range cps[1:] {
		if c.Seq > newest.Seq {
			newest = c
		}
	}
	s.anchorMu.Lock()
	if p := s.anchorPending; p == nil || p.Seq < newest.Seq {
		s.anchorPending = &newest
	}
	s.anchorMu.Unlock()
	if s.anchorFailed != nil {
		s.anchorFailed(fmt.Errorf("audit checkpoint of entry %d is in the database but not in the anchor: %w", newest.Seq, err))
	}
}

// AnchorAudit gives the newest checkpoint in the database to the anchor
// (unless this store gave it already), which then covers every entry up to
// it. It closes the gap a crash leaves
// between a checkpoint's commit and its append to the anchor, and starts
// the anchor of an installation that had none. It returns the checkpoint
// (ok false when the log has none yet, or the store has no anchor).
func (s *Store) AnchorAudit(ctx context.Context) (c audit.Checkpoint, ok bool, err error) {
	if s.anchor == nil {
		return c, false, nil
	}
	c, err = scanCheckpoint(s.QueryRow(ctx, "SELECT seq, hash, at, key_id, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1").Scan)
	if errors.Is(err, ErrNotFound) {
		return c, false, nil
	} else if err != nil {
		return c, false, err
	}
	s.anchorMu.Lock()
	done := c.Seq <= s.anchoredSeq
	s.anchorMu.Unlock()
	if done {
		return c, true, nil
	}
	if err := s.anchor.Append(ctx, c); err != nil {
		return c, false, fmt.Errorf("anchor the audit checkpoint of entry %d: %w", c.Seq, err)
	}
	s.anchored(c)
	return c, true, nil
}

// anchored notes checkpoints the anchor took, so that AnchorAudit does not
// append the newest twice.
func (s *Store) anchored(cps ...audit.Checkpoint) {
	s.anchorMu.Lock()
	defer s.anchorMu.Unlock()
	for _, c := range cps {
		s.anchoredSeq = max(s.anchoredSeq, c.Seq)
	}
}
