// Package website is the domain of a coordination association's public
// website: the catalogue of its public insatser (Aktivitetskatalogen) with
// the details a visitor needs, the interest form, meetings and lectures
// with their sign-ups and waiting list, pages and news with their Swedish
// slugs, the network of organisations, and the Swedish text analysis that
// search uses when the database has none of its own (SQLite; PostgreSQL
// has its swedish configuration). It holds no I/O: the store keeps what is
// here and the web package shows it; "now" is always a parameter.
package website
