// Package assocreport is a coordination association's yearly report
// (verksamhetsberättelse, issue 8 item 5) as a model: the figures read from
// the store's aggregates for one association and year (optionally one
// insats), and the same figures as tables of published cells, with small
// counts suppressed for everything that leaves the association's staff
// (association.MinCell; see SuppressTable). The web package renders the
// tables as a page, PDF, XLSX and CSV; the model itself knows no format.
//
// The store counts in SQL and hands over one row per group, never the
// participants, so a report costs the same whatever the register's size.
package assocreport
