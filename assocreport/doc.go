// Package assocreport is a coordination association's yearly report
// (verksamhetsberättelse) as a model: the figures read from
// the store's aggregates for one association and year (optionally one
// insats), and the same figures as tables of published cells, with small
// counts suppressed for everything that leaves the association's staff
// (association.MinCell; see SuppressTable). The PDF (WritePDF) and the
// XLSX (WriteXLSX) are drawn from those tables, so no format shows more
// than another; the web package renders them as a page. The export for
// Uppföljning Finsam (uppfoljning.go) is CSV. synth generates data for
// the benchmark and tests; pdftext reads the PDFs back in tests.
//
// The store counts in SQL and hands over one row per group, never the
// participants, so a report costs the same whatever the register's size.
package assocreport
