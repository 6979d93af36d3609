package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
)

// User is a user as stored.
type User struct {
	ID           int64
	Username     string
	Name         string
	Email        string
	OrgID        int64
	OfficeID     int64
	Roles        account.Roles
	PasswordHash string
	OIDCSubject  string
	Disabled     bool
	FailedLogins int
	LockedUntil  time.Time
	CreatedAt    time.Time
}

const userColumns = `id, username, name, COALESCE(email, ''), org_id, COALESCE(office_id, 0), roles,
	COALESCE(password_hash, ''), COALESCE(oidc_subject, ''), disabled, failed_logins, locked_until, created_at`

// userFields returns the scan destinations of userColumns and what to do
// with them after the scan; split so that joins can scan several records
// from one row.
func userFields(u *User) ([]any, func()) {
	var locked sql.NullTime
	var roles int64
	return []any{&u.ID, &u.Username, &u.Name, &u.Email, &u.OrgID, &u.OfficeID, &roles,
			&u.PasswordHash, &u.OIDCSubject, &u.Disabled, &u.FailedLogins, &locked, &u.CreatedAt}, func() {
			u.Roles = account.Roles(roles)
			if locked.Valid {
				u.LockedUntil = locked.Time.UTC()
			}
			u.CreatedAt = u.CreatedAt.UTC()
		}
}

func scanUser(scan func(...any) error) (User, error) {
	return scanFields(scan, userFields)
}

// CreateUser inserts a user and returns its id.
func CreateUser(ctx context.Context, tx *Tx, u User) (int64, error) {
	now := time.Now().UTC()
	var pwSet sql.NullTime
	if u.PasswordHash != "" {
		pwSet = sql.NullTime{Time: now, Valid: true}
	}
	id, err := tx.InsertID(ctx, `INSERT INTO users (username, name, email, org_id, office_id, roles, password_hash,
		oidc_subject, disabled, password_set_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		u.Username, u.Name, nullString(u.Email), u.OrgID, nullID(u.OfficeID), int64(u.Roles), nullString(u.PasswordHash),
		nullString(u.OIDCSubject), u.Disabled, pwSet, now)
	if err != nil {
		return 0, fmt.Errorf("create user %s: %w", u.Username, err)
	}
	return id, nil
}

// UserByName finds a user by user name.
func UserByName(ctx context.Context, q Querier, username string) (User, error) {
	return scanUser(q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username = $1", username).Scan)
}

// UserByID finds a user by id.
func UserByID(ctx context.Context, q Querier, id int64) (User, error) {
	return scanUser(q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id).Scan)
}

// UserBySubject finds the user an identity provider's subject maps to.
func UserBySubject(ctx context.Context, q Querier, orgID int64, subject string) (User, error) {
	return scanUser(q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE org_id = $1 AND oidc_subject = $2", orgID, subject).Scan)
}

// Users lists the users of an organisation (orgID 0: all), by user name.
func Users(ctx context.Context, q Querier, orgID int64) ([]User, error) {
	return queryList(ctx, q, scanUser, "SELECT "+userColumns+" FROM users WHERE $1 = 0 OR org_id = $1 ORDER BY username", orgID)
}

// UpdateUser writes name, email, office, roles and disabled.
func UpdateUser(ctx context.Context, tx *Tx, u User) error {
	res, err := tx.Exec(ctx, `UPDATE users SET name = $2, email = $3, office_id = $4, roles = $5, disabled = $6 WHERE id = $1`,
		u.ID, u.Name, nullString(u.Email), nullID(u.OfficeID), int64(u.Roles), u.Disabled)
	return mustAffect(res, err)
}

// SetPassword replaces a user's password hash and resets its failure count.
func SetPassword(ctx context.Context, tx *Tx, userID int64, hash string) error {
	res, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, password_set_at = $3, failed_logins = 0, locked_until = NULL WHERE id = $1`,
		userID, hash, time.Now().UTC())
	return mustAffect(res, err)
}

// RecordLoginFailure records a failed sign-in under the user name as typed
// (known or not, so that the throttle treats both alike) and the address,
// counts it on the user (if known), and forgets failures older than
// before, which the throttle no longer weighs.
func RecordLoginFailure(ctx context.Context, tx *Tx, userID int64, username, addr string, now, before time.Time) error {
	if _, err := tx.Exec(ctx, "INSERT INTO login_failures (remote_addr, username, at) VALUES ($1, $2, $3)", addr, truncate(username, 100), now.UTC()); err != nil {
		return err
	}
	if userID != 0 {
		if _, err := tx.Exec(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1", userID); err != nil {
			return err
		}
	}
	return PruneLoginFailures(ctx, tx, before)
}

// ClearLoginFailures forgets, after a good sign-in, the user's failures
// from that address and resets the user's failure count. Failures from
// other addresses stay: they are someone else's guesses.
func ClearLoginFailures(ctx context.Context, tx *Tx, userID int64, username, addr string) error {
	if _, err := tx.Exec(ctx, "DELETE FROM login_failures WHERE username = $1 AND remote_addr = $2", truncate(username, 100), addr); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1", userID)
	return err
}

// LoginFailures are the failed sign-ins since a time that the sign-in
// throttle weighs for one attempt.
type LoginFailures struct {
	// Pair counts the failures of the user name from the address, and
	// PairLast is the newest of them.
	Pair     int
	PairLast time.Time
	// Account counts the failures of the user name from any address, and
	// AccountLast is the newest of them.
	Account     int
	AccountLast time.Time
	// Accounts counts the distinct user names that failed from the
	// address.
	Accounts int
}

// LoginFailuresOf reads the failures since a time of a user name (as
// typed) and of an address.
func LoginFailuresOf(ctx context.Context, q Querier, username, addr string, since time.Time) (LoginFailures, error) {
	var f LoginFailures
	rows, err := q.Query(ctx, "SELECT remote_addr, at FROM login_failures WHERE username = $1 AND at >= $2", truncate(username, 100), since.UTC())
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var from string
		var at time.Time
		if err := rows.Scan(&from, &at); err != nil {
			return f, err
		}
		at = at.UTC()
		f.Account++
		if at.After(f.AccountLast) {
			f.AccountLast = at
		}
		if from == addr {
			f.Pair++
			if at.After(f.PairLast) {
				f.PairLast = at
			}
		}
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	err = q.QueryRow(ctx, "SELECT count(DISTINCT username) FROM login_failures WHERE remote_addr = $1 AND at >= $2", addr, since.UTC()).Scan(&f.Accounts)
	return f, err
}

// PruneLoginFailures forgets failures older than before.
func PruneLoginFailures(ctx context.Context, tx *Tx, before time.Time) error {
	_, err := tx.Exec(ctx, "DELETE FROM login_failures WHERE at < $1", before.UTC())
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// affected is how many rows a statement changed: res and err are what
// Exec returned.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// mustAffect turns an UPDATE or DELETE of one row by id into ErrNotFound
// when no row matched.
func mustAffect(res sql.Result, err error) error {
	n, err := affected(res, err)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// Session is a signed-in browser.
type Session struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RemoteAddr string
	UserAgent  string
}

const sessionColumns = "id_hash, user_id, created_at, last_seen_at, expires_at, remote_addr, user_agent"

func sessionFields(s *Session) ([]any, func()) {
	return []any{&s.IDHash, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.RemoteAddr, &s.UserAgent}, func() {
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	}
}

func scanSession(scan func(...any) error) (Session, error) {
	return scanFields(scan, sessionFields)
}

// SessionWithUser finds a session with its user and the user's
// organisation in one query: every signed-in request needs all three.
func SessionWithUser(ctx context.Context, q Querier, idHash string) (Session, User, organisation.Organisation, error) {
	var s Session
	var u User
	var o organisation.Organisation
	sd, sp := sessionFields(&s)
	ud, up := userFields(&u)
	od, op := orgFields(&o)
	err := q.QueryRow(ctx, "SELECT "+prefixed("s.", sessionColumns)+", "+prefixed("u.", userColumns)+", "+prefixed("o.", orgColumns)+
		" FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id WHERE s.id_hash = $1", idHash).
		Scan(append(append(sd, ud...), od...)...)
	sp()
	up()
	op()
	return s, u, o, err
}

// CreateSession stores a new session.
func CreateSession(ctx context.Context, tx *Tx, s Session) error {
	_, err := tx.Exec(ctx, "INSERT INTO sessions ("+sessionColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7)",
		s.IDHash, s.UserID, s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC(), truncate(s.RemoteAddr, 100), truncate(s.UserAgent, 300))
	return err
}

// TouchSession records activity on a session.
func TouchSession(ctx context.Context, tx *Tx, idHash string, at time.Time) error {
	_, err := tx.Exec(ctx, "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1", idHash, at.UTC())
	return err
}

// DeleteSession ends one session.
func DeleteSession(ctx context.Context, tx *Tx, idHash string) error {
	_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE id_hash = $1", idHash)
	return err
}

// DeleteUserSessions ends every session of a user (sign out everywhere) and
// returns how many there were.
func DeleteUserSessions(ctx context.Context, tx *Tx, userID int64) (int64, error) {
	return affected(tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", userID))
}

// DeleteOtherSessions ends every session of a user but the one with the
// hash keep: after a password change, whoever knew the old password is out
// while the user stays signed in where they changed it.
func DeleteOtherSessions(ctx context.Context, tx *Tx, userID int64, keep string) error {
	_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2", userID, keep)
	return err
}

// UserSessions lists a user's sessions, newest first.
func UserSessions(ctx context.Context, q Querier, userID int64) ([]Session, error) {
	return queryList(ctx, q, scanSession, "SELECT "+sessionColumns+" FROM sessions WHERE user_id = $1 ORDER BY created_at DESC", userID)
}

// PruneSessions removes sessions past their absolute expiry or idle since
// before idleBefore.
func PruneSessions(ctx context.Context, tx *Tx, now, idleBefore time.Time) error {
	_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2", now.UTC(), idleBefore.UTC())
	return err
}

// Token is an API token as stored (never the token itself).
type Token struct {
	ID         int64
	OrgID      int64
	Name       string
	Scopes     []account.Scope
	Prefix     string // the first characters, to recognise a token in lists
	CreatedBy  int64
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

const tokenColumns = "id, org_id, name, scopes, prefix, COALESCE(created_by, 0), created_at, last_used_at, revoked_at"

func tokenFields(t *Token) ([]any, func()) {
	var scopes string
	var used, revoked sql.NullTime
	return []any{&t.ID, &t.OrgID, &t.Name, &scopes, &t.Prefix, &t.CreatedBy, &t.CreatedAt, &used, &revoked}, func() {
		t.Scopes = nil
		for _, s := range strings.Fields(scopes) {
			t.Scopes = append(t.Scopes, account.Scope(s))
		}
		t.CreatedAt = t.CreatedAt.UTC()
		if used.Valid {
			t.LastUsedAt = used.Time.UTC()
		}
		if revoked.Valid {
			t.RevokedAt = revoked.Time.UTC()
		}
	}
}

func scanToken(scan func(...any) error) (Token, error) {
	return scanFields(scan, tokenFields)
}

// TokenWithOrganisation finds an unrevoked token by its secret together with
// its organisation, in one query: every API request with a token needs both.
func TokenWithOrganisation(ctx context.Context, q Querier, secret string) (Token, organisation.Organisation, error) {
	var t Token
	var o organisation.Organisation
	td, tp := tokenFields(&t)
	od, op := orgFields(&o)
	err := q.QueryRow(ctx, "SELECT "+prefixed("t.", tokenColumns)+", "+prefixed("o.", orgColumns)+
		" FROM api_tokens t JOIN organisations o ON o.id = t.org_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
		account.HashSecret(secret)).Scan(append(td, od...)...)
	tp()
	op()
	return t, o, err
}

// CreateToken stores a token by the hash of its secret.
func CreateToken(ctx context.Context, tx *Tx, t Token, secret string) (int64, error) {
	scopes := make([]string, len(t.Scopes))
	for i, s := range t.Scopes {
		scopes[i] = string(s)
	}
	return tx.InsertID(ctx, `INSERT INTO api_tokens (org_id, name, scopes, token_hash, prefix, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		t.OrgID, t.Name, strings.Join(scopes, " "), account.HashSecret(secret), secret[:len(account.TokenPrefix)+6], nullID(t.CreatedBy), time.Now().UTC())
}

// TokenBySecret finds an unrevoked token by its secret.
func TokenBySecret(ctx context.Context, q Querier, secret string) (Token, error) {
	return scanToken(q.QueryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
		account.HashSecret(secret)).Scan)
}

// Tokens lists an organisation's tokens (orgID 0: all), newest first.
func Tokens(ctx context.Context, q Querier, orgID int64) ([]Token, error) {
	return queryList(ctx, q, scanToken, "SELECT "+tokenColumns+" FROM api_tokens WHERE $1 = 0 OR org_id = $1 ORDER BY id DESC", orgID)
}

// TokenByID finds a token by id.
func TokenByID(ctx context.Context, q Querier, id int64) (Token, error) {
	return scanToken(q.QueryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = $1", id).Scan)
}

// RevokeToken revokes a token; revoking twice is harmless.
func RevokeToken(ctx context.Context, tx *Tx, id int64) error {
	res, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1", id, time.Now().UTC())
	return mustAffect(res, err)
}

// TouchToken records that a token was used (at most once a minute is
// enough; callers decide).
func TouchToken(ctx context.Context, tx *Tx, id int64, at time.Time) error {
	_, err := tx.Exec(ctx, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", id, at.UTC())
	return err
}
