package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/finsam/finsam/audit"
)

// CheckpointEvery is how many audit entries may be appended between two
// signed checkpoints.
const CheckpointEvery = 100

// The statements of an append, prepared once on SQLite (see Store.Prepare).
const (
	auditHeadQuery  = "SELECT seq, hash FROM audit_head WHERE id = 1"
	auditHeadUpdate = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1"
	auditInsert     = `INSERT INTO audit_log (seq, at, actor_user_id, actor_name, actor_org, actor_roles,
		action, outcome, resource_type, resource_id, person_key, purpose, remote_addr, request_id, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`
	auditPersonInsert = "INSERT INTO audit_persons (seq, n, person_key) VALUES ($1, $2, $3)"
)

// AppendAudit appends events to the audit chain inside tx. Use it inside the
// transaction of a write so that the write and its audit entry commit
// together; for reads, AuditRecorder runs its own transaction.
//
// The chain head row is locked (FOR UPDATE on PostgreSQL; SQLite has one
// writer), so concurrent appends queue; under SERIALIZABLE a concurrent
// append aborts the transaction, which Tx retries.
//
// Checkpoints it signs go to the store's anchor (see SetAuditAnchor) after
// the transaction commits.
func AppendAudit(ctx context.Context, tx *Tx, keys *audit.Keys, events ...audit.Event) error {
	_, sealed, err := appendAudit(ctx, tx, keys, events)
	tx.sealed = append(tx.sealed, sealed...)
	return err
}

// auditHead is the end of the chain: the last entry's number and hash.
type auditHead struct {
	seq  int64
	hash string
}

// chainedAudit is a batch of events chained onto a head, ready to write.
type chainedAudit struct {
	rows        []any // auditColumnsN values per entry, in auditInsert's order
	persons     []any // seq, n, person_key per listed person, in auditPersonInsert's order
	checkpoints []audit.Checkpoint
	from, to    auditHead // the head before and after the batch
}

// chainAudit computes the entries of events appended after head. It sets
// the events' times (now if zero, in UTC to the microsecond both databases
// keep), so that chaining them again gives the same hashes.
func chainAudit(keys *audit.Keys, head auditHead, events []audit.Event) chainedAudit {
	listed := 0
	for i := range events {
		listed += len(events[i].Persons)
	}
	c := chainedAudit{rows: make([]any, 0, len(events)*auditColumnsN), persons: make([]any, 0, listed*3), from: head}
	seq, prev := head.seq, head.hash
	for i := range events {
		e := &events[i]
		if e.At.IsZero() {
			e.At = time.Now()
		}
		e.At = e.At.UTC().Truncate(time.Microsecond)
		seq++
		h := audit.ComputeHash(prev, seq, e)
		// The entry's number is boxed once, for its row and for each
		// person it names (a list view names fifty).
		var entry any = seq
		c.rows = append(c.rows, entry, e.At, nullID(e.ActorUserID), e.ActorName, e.ActorOrg, e.ActorRoles, e.Action, e.Outcome,
			e.ResourceType, e.ResourceID, e.PersonKey, e.Purpose, e.RemoteAddr, e.RequestID, prev, h)
		for n, p := range e.Persons {
			c.persons = append(c.persons, entry, n, p)
		}
		prev = h
		if seq%CheckpointEvery == 0 {
			c.checkpoints = append(c.checkpoints, keys.Sign(seq, h, e.At))
		}
	}
	c.to = auditHead{seq: seq, hash: prev}
	return c
}

// appendAudit is AppendAudit, returning the new head of the chain and the
// checkpoints it signed, which it leaves to the caller to anchor.
func appendAudit(ctx context.Context, tx *Tx, keys *audit.Keys, events []audit.Event) (auditHead, []audit.Checkpoint, error) {
	var head auditHead
	if len(events) == 0 {
		return head, nil, nil
	}
	q := auditHeadQuery
	if tx.dialect == Postgres {
		q += " FOR UPDATE"
	}
	if err := tx.queryRowPrepared(ctx, q).Scan(&head.seq, &head.hash); err != nil {
		return head, nil, fmt.Errorf("audit head: %w", err)
	}
	// Chain the events first, then write them in as few statements as
	// possible (on PostgreSQL each statement is a network round trip).
	c := chainAudit(keys, head, events)
	rows := c.rows
	var err error
	switch {
	case tx.dialect == SQLite:
		// No round trips: a prepared statement per row is cheapest (a
		// 500-row statement costs more to compile than it saves).
		for i := 0; i < len(rows) && err == nil; i += auditColumnsN {
			_, err = tx.execPrepared(ctx, auditInsert, rows[i:i+auditColumnsN]...)
		}
		for i := 0; i < len(c.persons) && err == nil; i += 3 {
			_, err = tx.execPrepared(ctx, auditPersonInsert, c.persons[i:i+3]...)
		}
	default:
		// PostgreSQL, where every statement is a network round trip: the rows
		// in multi-row statements of at most 500 (under the parameter limit),
		// the last one also moving the chain head (a data-modifying CTE).
		const chunk = 500
		for i := 0; i < len(events) && err == nil; i += chunk {
			n := min(chunk, len(events)-i)
			args := rows[i*auditColumnsN : (i+n)*auditColumnsN]
			q := multiRowInsert(n)
			if i+n == len(events) {
				q = "WITH appended AS (" + q + " RETURNING 1) " +
					fmt.Sprintf("UPDATE audit_head SET seq = $%d, hash = $%d WHERE id = 1", len(args)+1, len(args)+2)
				args = append(args[:len(args):len(args)], c.to.seq, c.to.hash)
			}
			_, err = tx.Exec(ctx, q, args...)
		}
		const personChunk = 1000
		for i := 0; i < len(c.persons) && err == nil; i += personChunk * 3 {
			args := c.persons[i:min(i+personChunk*3, len(c.persons))]
			var b strings.Builder
			b.WriteString("INSERT INTO audit_persons (seq, n, person_key) VALUES ")
			for r := range len(args) / 3 {
				if r > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "($%d, $%d, $%d)", 3*r+1, 3*r+2, 3*r+3)
			}
			_, err = tx.Exec(ctx, b.String(), args...)
		}
	}
	if errors.Is(err, ErrConflict) {
		return head, nil, fmt.Errorf("%w: audit chain moved", ErrRetryable)
	} else if err != nil {
		return head, nil, fmt.Errorf("append audit: %w", err)
	}
	for _, cp := range c.checkpoints {
		if err := insertCheckpoint(ctx, tx, cp); err != nil {
			return head, nil, err
		}
	}
	if tx.dialect == SQLite {
		if _, err = tx.execPrepared(ctx, auditHeadUpdate, c.to.seq, c.to.hash); err != nil {
			return head, nil, err
		}
	}
	return c.to, c.checkpoints, nil
}

// auditColumnsN is the number of columns auditInsert writes.
const auditColumnsN = 16

// multiRowInsert is auditInsert for n rows in one statement. Its
// placeholders are numbered ($n) on both databases, since the statement
// that ends a batch numbers two more after them.
func multiRowInsert(n int) string {
	head, _, _ := strings.Cut(auditInsert, "VALUES")
	return head + "VALUES " + valuesList(Postgres, n, auditColumnsN)
}

func insertCheckpoint(ctx context.Context, tx *Tx, c audit.Checkpoint) error {
	_, err := tx.Exec(ctx, "INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING",
		c.Seq, c.Hash, c.At.UTC(), c.KeyID, c.Signature)
	return err
}

// SealAudit signs the current head of the chain, if it is not signed yet,
// and then gives the newest checkpoint to the anchor (see AnchorAudit).
// The server calls it on shutdown so that the tail of the log is covered.
func (s *Store) SealAudit(ctx context.Context, keys *audit.Keys) error {
	err := s.Tx(ctx, func(tx *Tx) error {
		q := "SELECT seq, hash FROM audit_head WHERE id = 1"
		if tx.dialect == Postgres {
			q += " FOR UPDATE"
		}
		var seq int64
		var h string
		if err := tx.QueryRow(ctx, q).Scan(&seq, &h); err != nil || seq == 0 {
			return err
		}
		return insertCheckpoint(ctx, tx, keys.Sign(seq, h, time.Now().UTC().Truncate(time.Microsecond)))
	})
	if err != nil {
		return err
	}
	_, _, err = s.AnchorAudit(ctx)
	return err
}

// AuditRecorder appends audit events in transactions of its own; it is
// what handlers use to record reads. Concurrent Record calls are committed
// together (group commit): one writer goroutine takes every event queued
// while the previous transaction ran and appends them in one transaction,
// so under load the cost of a commit is shared by many requests. Record
// still returns only after its events are committed.
type AuditRecorder struct {
	store   *Store
	keys    *audit.Keys
	queue   chan *auditRequest
	done    chan struct{} // closed by Close
	stopped chan struct{} // closed when the writer has finished
	close   sync.Once
	// head is the end of the chain after the writer's last append, on
	// PostgreSQL (nil until known, or when an append failed). Only the
	// writer goroutine uses it.
	head *auditHead
	conn *sql.Conn // the writer's connection on PostgreSQL, once it has one
}

type auditRequest struct {
	events []audit.Event
	result chan error
}

// maxAuditBatch bounds one group commit.
const maxAuditBatch = 256

// NewAuditRecorder starts a recorder; Close stops it.
func NewAuditRecorder(s *Store, keys *audit.Keys) *AuditRecorder {
	r := &AuditRecorder{store: s, keys: keys, queue: make(chan *auditRequest, maxAuditBatch),
		done: make(chan struct{}), stopped: make(chan struct{})}
	go r.run()
	return r
}

// Keys returns the keys the recorder signs and pseudonymises with.
func (r *AuditRecorder) Keys() *audit.Keys { return r.keys }

// Record appends events, committed before it returns: an access that cannot
// be audited must not happen, so callers fail the request on error.
func (r *AuditRecorder) Record(ctx context.Context, events ...audit.Event) error {
	return r.Start(ctx, events...).Wait()
}

// PendingAudit is an append that has been queued but perhaps not committed.
type PendingAudit struct {
	req *auditRequest
	rec *AuditRecorder
	err error // set when it could not even be queued
}

// Start queues events and returns at once, so that the request can do its
// own work while the audit entry is committed; it must call Wait before it
// sends anything derived from the access.
func (r *AuditRecorder) Start(ctx context.Context, events ...audit.Event) *PendingAudit {
	req := &auditRequest{events: events, result: make(chan error, 1)}
	if len(events) == 0 {
		req.result <- nil
		return &PendingAudit{req: req, rec: r}
	}
	select {
	case r.queue <- req:
		return &PendingAudit{req: req, rec: r}
	case <-r.done:
		return &PendingAudit{err: errors.New("audit recorder closed")}
	case <-ctx.Done():
		return &PendingAudit{err: ctx.Err()}
	}
}

// Wait returns when the events are committed, with the error if they were
// not. Once queued, the events are written even if the caller gives up.
func (p *PendingAudit) Wait() error {
	if p.err != nil {
		return p.err
	}
	select {
	case err := <-p.req.result:
		p.err = err
		p.req.result <- err // a second Wait sees the same result
		return err
	case <-p.rec.stopped:
		select {
		case err := <-p.req.result:
			p.req.result <- err
			return err
		default:
			return errors.New("audit recorder closed")
		}
	}
}

// Close stops the recorder after writing what is queued, and waits for it.
func (r *AuditRecorder) Close() {
	r.close.Do(func() { close(r.done) })
	<-r.stopped
}

func (r *AuditRecorder) run() {
	defer close(r.stopped)
	defer func() {
		if r.conn != nil {
			r.conn.Close()
		}
	}()
	// Prepared before the first transaction; if it fails the appends run
	// unprepared, which is only slower.
	_ = r.store.Prepare(context.Background(), auditHeadQuery, auditHeadUpdate, auditInsert)
	for {
		var req *auditRequest
		select {
		case req = <-r.queue:
		case <-r.done:
			select {
			case req = <-r.queue: // write what was queued before Close
			default:
				return
			}
		}
		batch := []*auditRequest{req}
		n := len(req.events)
	drain:
		for n < maxAuditBatch {
			select {
			case more := <-r.queue:
				batch = append(batch, more)
				n += len(more.events)
			default:
				break drain
			}
		}
		events := make([]audit.Event, 0, n)
		for _, b := range batch {
			events = append(events, b.events...)
		}
		sealed, err := r.append(events)
		for _, b := range batch {
			b.result <- err
		}
		// After the requests have their answer: they wait for the
		// database's commit, not for the anchor's.
		r.store.anchorCheckpoints(context.Background(), sealed)
	}
}

// append writes one batch and returns the checkpoints it signed. The writer
// outlives any one request: its transaction must not be cancelled because
// the request that queued first went away.
func (r *AuditRecorder) append(events []audit.Event) ([]audit.Checkpoint, error) {
	ctx := context.Background()
	if r.head != nil {
		// PostgreSQL, the head known from the last batch: one statement,
		// one round trip, as long as no one else appended meanwhile.
		head, sealed, err := r.appendAfter(ctx, *r.head, events)
		if err == nil {
			r.head = &head
			return sealed, nil
		}
		r.head = nil
		if !errors.Is(err, errAuditHeadMoved) {
			return nil, err
		}
	}
	// The chain head's row lock orders appends: READ COMMITTED suffices,
	// and the FOR UPDATE read then always sees the latest head.
	var head auditHead
	var sealed []audit.Checkpoint
	err := r.store.LockedTx(ctx, func(tx *Tx) (err error) {
		head, sealed, err = appendAudit(ctx, tx, r.keys, events)
		return err
	})
	if err != nil {
		return nil, err
	}
	if r.store.Dialect() == Postgres {
		r.head = &head
	}
	return sealed, nil
}

// appendAfter is appendAuditAfter on the writer's own connection. Holding
// one keeps the writer out of the queue for the pool, where under load it
// would wait behind the requests it is making wait, and keeps its prepared
// statement.
func (r *AuditRecorder) appendAfter(ctx context.Context, head auditHead, events []audit.Event) (auditHead, []audit.Checkpoint, error) {
	if r.conn == nil {
		conn, err := r.store.write.Conn(ctx)
		if err != nil {
			return head, nil, fmt.Errorf("audit connection: %w", normalize(err))
		}
		r.conn = conn
	}
	head, sealed, err := appendAuditAfter(ctx, r.conn, r.keys, head, events)
	if err != nil && !errors.Is(err, errAuditHeadMoved) {
		// Perhaps the connection broke: the next batch takes a new one.
		r.conn.Close()
		r.conn = nil
	}
	return head, sealed, err
}

const auditColumns = `seq, at, COALESCE(actor_user_id, 0), actor_name, actor_org, actor_roles, action, outcome,
	resource_type, resource_id, person_key, purpose, remote_addr, request_id, prev_hash, hash`

// auditColumnsQualified is auditColumns of audit_log aliased l.
const auditColumnsQualified = `l.seq, l.at, COALESCE(l.actor_user_id, 0), l.actor_name, l.actor_org, l.actor_roles, l.action, l.outcome,
	l.resource_type, l.resource_id, l.person_key, l.purpose, l.remote_addr, l.request_id, l.prev_hash, l.hash`

func scanAudit(scan func(...any) error) (audit.Entry, error) {
	var e audit.Entry
	err := scanUTC(scan, &e.Seq, &e.At, &e.ActorUserID, &e.ActorName, &e.ActorOrg, &e.ActorRoles, &e.Action, &e.Outcome,
		&e.ResourceType, &e.ResourceID, &e.PersonKey, &e.Purpose, &e.RemoteAddr, &e.RequestID, &e.PrevHash, &e.Hash)
	return e, err
}

// VerifyAudit walks the whole chain and its checkpoints, streaming the
// entries so that memory does not grow with the log. It compares no anchor;
// CheckAudit does.
func (s *Store) VerifyAudit(ctx context.Context, keys *audit.Keys) (audit.Result, error) {
	return s.CheckAudit(ctx, keys.PublicKey(), nil)
}

// CheckAudit walks the whole chain and its checkpoints with the public key
// alone, and compares them with what the anchors hold: a checkpoint in an
// anchor that the database lacks, or whose entry differs, means that the
// log was rewound. The anchors must have been read before the call (the
// database is always ahead of its anchors, never behind). The database is
// read in one snapshot, so a server appending meanwhile raises no alarm.
func (s *Store) CheckAudit(ctx context.Context, key audit.PublicKey, anchors []*audit.AnchorLog) (audit.Result, error) {
	var res audit.Result
	err := s.ReadTx(ctx, func(tx *Tx) (err error) {
		res, err = checkAudit(ctx, tx, key, anchors)
		return err
	})
	return res, err
}

func checkAudit(ctx context.Context, tx *Tx, key audit.PublicKey, anchors []*audit.AnchorLog) (audit.Result, error) {
	var cps []audit.Checkpoint
	rows, err := tx.Query(ctx, "SELECT seq, hash, at, key_id, signature FROM audit_checkpoints ORDER BY seq")
	if err != nil {
		return audit.Result{}, err
	}
	for rows.Next() {
		c, err := scanCheckpoint(rows.Scan)
		if err != nil {
			rows.Close()
			return audit.Result{}, err
		}
		cps = append(cps, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return audit.Result{}, err
	}
	v, err := audit.NewVerifier(key, cps)
	if err != nil {
		return audit.Result{}, err
	}
	for _, a := range anchors {
		if err := v.Anchor(a); err != nil {
			return audit.Result{}, err
		}
	}
	// An entry's listed persons come joined to it, one row each, so that
	// the hash check covers them; an entry without any comes once.
	rows, err = tx.Query(ctx, "SELECT "+auditColumnsQualified+", COALESCE(p.person_key, '') FROM audit_log l"+
		" LEFT JOIN audit_persons p ON p.seq = l.seq ORDER BY l.seq, p.n")
	if err != nil {
		return audit.Result{}, err
	}
	defer rows.Close()
	var cur *audit.Entry
	for rows.Next() {
		var person sql.NullString
		e, err := scanAudit(func(dest ...any) error { return rows.Scan(append(dest, &person)...) })
		if err != nil {
			return audit.Result{}, err
		}
		if cur != nil && cur.Seq == e.Seq {
			cur.Persons = append(cur.Persons, person.String)
			continue
		}
		if cur != nil {
			if err := v.Entry(cur); err != nil {
				return audit.Result{}, err
			}
		}
		if person.String != "" {
			e.Persons = []string{person.String}
		}
		cur = &e
	}
	if err := rows.Err(); err != nil {
		return audit.Result{}, err
	}
	if cur != nil {
		if err := v.Entry(cur); err != nil {
			return audit.Result{}, err
		}
	}
	// Index rows of no entry would name persons in lists never shown.
	var stray, straySeq int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MIN(p.seq), 0) FROM audit_persons p
		WHERE NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.seq = p.seq)`).Scan(&stray, &straySeq); err != nil {
		return audit.Result{}, err
	}
	if stray > 0 {
		return audit.Result{}, &audit.TamperError{Seq: straySeq, Reason: fmt.Sprintf("%d listed persons belong to no entry", stray)}
	}
	// The head row must agree with the last entry: otherwise entries were
	// cut off the end after the head was written.
	res, err := v.Finish()
	if err != nil {
		return res, err
	}
	var headSeq int64
	if err := tx.QueryRow(ctx, "SELECT seq FROM audit_head WHERE id = 1").Scan(&headSeq); err != nil {
		return res, err
	}
	if headSeq != res.Entries {
		return res, &audit.TamperError{Seq: min(headSeq, res.Entries) + 1, Reason: fmt.Sprintf("the chain head says %d entries but %d were found (entries were removed or added)", headSeq, res.Entries)}
	}
	return res, nil
}

func scanCheckpoint(scan func(...any) error) (audit.Checkpoint, error) {
	var c audit.Checkpoint
	err := scanUTC(scan, &c.Seq, &c.Hash, &c.At, &c.KeyID, &c.Signature)
	return c, err
}

// AuditQuery selects audit entries. Zero fields do not filter.
type AuditQuery struct {
	ActorUserID int64
	ActorOrg    string
	PersonKey   string
	Action      string
	From, Until time.Time // Until is exclusive
	// BeforeSeq pages backwards: only entries older than this.
	BeforeSeq int64
	Limit     int
}

// SearchAudit returns matching entries, newest first.
func SearchAudit(ctx context.Context, q Querier, f AuditQuery) ([]audit.Entry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ActorUserID != 0 {
		add("actor_user_id = $%d", f.ActorUserID)
	}
	if f.ActorOrg != "" {
		add("actor_org = $%d", f.ActorOrg)
	}
	if f.PersonKey != "" {
		// The person's own entries and the lists they appeared in: one set
		// of sequence numbers from the two indexes on (person_key, seq), so
		// that neither side of an OR makes the database scan the whole log.
		add("seq IN (SELECT seq FROM audit_log WHERE person_key = $%[1]d UNION SELECT seq FROM audit_persons WHERE person_key = $%[1]d)", f.PersonKey)
	}
	if f.Action != "" {
		add("action = $%d", f.Action)
	}
	if !f.From.IsZero() {
		add("at >= $%d", f.From.UTC())
	}
	if !f.Until.IsZero() {
		add("at < $%d", f.Until.UTC())
	}
	if f.BeforeSeq != 0 {
		add("seq < $%d", f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 100
	}
	query := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	query += fmt.Sprintf(" ORDER BY seq DESC LIMIT $%d", len(args))
	return queryList(ctx, q, scanAudit, query, args...)
}
