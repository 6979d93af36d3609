// Package account holds who uses finsam: users with their roles, API clients
// with their tokens, and the secrets that prove either (passwords hashed with
// Argon2id, session ids and tokens kept only as hashes).
package account
