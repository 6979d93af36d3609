package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/finsam/finsam/audit"
)

// auditAppendAfter appends a batch to the chain in one statement, on
// condition that the head is still the one the batch was chained onto. The
// head's UPDATE runs first (the inserts read from it), so it takes the row
// lock every append takes and, if another append holds it, waits for that
// one and then sees its head; a moved head updates no row, and then nothing
// is inserted either. The arrays keep the text the same for any batch size,
// so the statement is prepared once per connection. $1–$16 are audit_log's
// columns, $17–$21 audit_checkpoints', $22–$25 the head after and before,
// $26–$28 audit_persons'.
const auditAppendAfter = `WITH head AS (
	UPDATE audit_head SET seq = $22, hash = $23 WHERE id = 1 AND seq = $24 AND hash = $25 RETURNING 1
), sealed AS (
	INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature)
	SELECT c.* FROM head, unnest($17::bigint[], $18::text[], $19::timestamptz[], $20::text[], $21::text[]) AS c
	ON CONFLICT (seq) DO NOTHING
), listed AS (
	INSERT INTO audit_persons (seq, n, person_key)
	SELECT p.* FROM head, unnest($26::bigint[], $27::integer[], $28::text[]) AS p
)
INSERT INTO audit_log (seq, at, actor_user_id, actor_name, actor_org, actor_roles,
	action, outcome, resource_type, resource_id, person_key, purpose, remote_addr, request_id, prev_hash, hash)
SELECT r.* FROM head, unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::text[], $5::text[], $6::text[],
	$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[]) AS r`

// errAuditHeadMoved says that the chain grew since the head was read (another
// instance, or a write's own audit entry, appended meanwhile).
var errAuditHeadMoved = errors.New("audit chain head moved")

// appendAuditAfter appends events to the chain on PostgreSQL in a single
// statement on conn outside any explicit transaction, so one network round
// trip and one commit, provided the chain still ends at head. It returns the
// new head and the checkpoints it signed, or errAuditHeadMoved, having
// written nothing, if the chain has moved on.
func appendAuditAfter(ctx context.Context, conn sqlRunner, keys *audit.Keys, head auditHead, events []audit.Event) (auditHead, []audit.Checkpoint, error) {
	c := chainAudit(keys, head, events)
	res, err := conn.ExecContext(ctx, auditAppendAfter, c.args()...)
	if err != nil {
		return head, nil, fmt.Errorf("append audit: %w", normalize(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return head, nil, fmt.Errorf("append audit: %w", normalize(err))
	}
	switch {
	case n == 0:
		return head, nil, errAuditHeadMoved
	case n != int64(len(events)):
		// Cannot happen: the statement inserts all rows or none.
		return head, nil, fmt.Errorf("append audit: %d of %d entries written", n, len(events))
	}
	return c.to, c.checkpoints, nil
}

// args are auditAppendAfter's arguments: the rows and checkpoints as one
// array per column, then the head after and before the batch.
func (c *chainedAudit) args() []any {
	n := len(c.rows) / auditColumnsN
	seqs := make([]int64, n)
	ats := make([]time.Time, n)
	actors := make([]*int64, n)
	text := make([][]string, auditColumnsN)
	for col := range text {
		if col >= 3 { // the text columns, actor_name to hash
			text[col] = make([]string, n)
		}
	}
	for i := range n {
		row := c.rows[i*auditColumnsN : (i+1)*auditColumnsN]
		seqs[i] = row[0].(int64)
		ats[i] = row[1].(time.Time)
		if id := row[2].(sql.NullInt64); id.Valid {
			actors[i] = &id.Int64
		}
		for col := 3; col < auditColumnsN; col++ {
			text[col][i] = row[col].(string)
		}
	}
	cpSeqs := make([]int64, len(c.checkpoints))
	cpHashes := make([]string, len(c.checkpoints))
	cpAts := make([]time.Time, len(c.checkpoints))
	cpKeys := make([]string, len(c.checkpoints))
	cpSigs := make([]string, len(c.checkpoints))
	for i, cp := range c.checkpoints {
		cpSeqs[i], cpHashes[i], cpAts[i], cpKeys[i], cpSigs[i] = cp.Seq, cp.Hash, cp.At.UTC(), cp.KeyID, cp.Signature
	}
	args := []any{seqs, ats, actors}
	for col := 3; col < auditColumnsN; col++ {
		args = append(args, text[col])
	}
	m := len(c.persons) / 3
	pSeqs := make([]int64, m)
	pNs := make([]int32, m)
	pKeys := make([]string, m)
	for i := range m {
		pSeqs[i], pNs[i], pKeys[i] = c.persons[3*i].(int64), int32(c.persons[3*i+1].(int)), c.persons[3*i+2].(string)
	}
	return append(args, cpSeqs, cpHashes, cpAts, cpKeys, cpSigs, c.to.seq, c.to.hash, c.from.seq, c.from.hash, pSeqs, pNs, pKeys)
}
