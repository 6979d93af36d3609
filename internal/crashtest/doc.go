// Package crashtest holds the crash test: the real finsam binary is killed
// with SIGKILL at random points while it imports certificates (finsam serve
// through the API, finsam import from files) and while it recomputes cases,
// then restarted; every certificate acknowledged before a kill must be
// stored exactly once, nothing half-written, the database intact and the
// audit log verified. The package has no code of its own, only the test.
//
// It runs on SQLite, and on PostgreSQL when FINSAM_TEST_POSTGRES is set
// (each run in a fresh schema). By default a few kills per scenario, as CI
// runs it; FINSAM_CRASH_FULL=1 kills 20 times each.
package crashtest
