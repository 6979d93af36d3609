// Package cases is Försäkringskassan's case work: the worklists (a case
// worker's own cases, a manager's office or customer group, re-assigning
// and moving cases), the case page with its forms (facts, periods entered
// by hand, deadlines, notes and contacts, decisions, the rehabilitation
// plan, closing and re-opening), a case entered by hand, the purpose asked
// of a case worker opening a case not theirs, the same as JSON under
// /api/v1/cases, and the requests for supplementary information about a
// certificate (supplement.go), and the referral of a case's person to an
// insats of a coordination association (referral.go).
//
// Ownership: a sickness case belongs to the FK organisation (the one
// certificates are addressed to, store.CertificateOwner) and to an office.
// Reads need policy.ReadPerson and writes policy.WritePerson on
// caseaccess.Resource: FK's case workers and managers of the office read,
// its case workers write; staff of another office and of other
// organisations get 404 (audited), as for anything that is not theirs.
// Re-assignment needs policy.AssignCases (managers).
//
// Audit: every read of a case is audited with the person's key before the
// page or answer leaves (read_case; read_diagnoses when diagnoses are
// shown), and a worklist writes one list_cases entry per list shown,
// naming every listed case's person in the audit index (ListEvent), so
// that a person's access-log extract shows every list their case appeared
// in. Every write is one transaction with
// its audit entry and the refresh of the case's stored state.
//
// Optimistic locking: every form and API write carries the case's version;
// store.ErrStale (someone saved first) writes nothing and answers 409 with
// the page as it now stands.
package cases

import (
	"embed"
	"html/template"
	"io/fs"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
	"github.com/finsam/finsam/web/internal/tmplfunc"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words; its code translates with its
// own words, those of the rules view (the case page shows the
// calculator's result), of the participant registration (the referral to
// an association's insats) and the core's.
var feature = site.NewFeature(files, rulesview.Messages, supplement.Messages, participant.Messages, site.Core)

// Messages are the case work's own words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Handlers serve the case work's routes; the web package registers them.
type Handlers struct {
	*site.Site
	// fmb is the FMB table in force, which an administrator may replace
	// while the server runs: the refresh of a case after an edit warns of a
	// sick leave longer than it recommends.
	fmb func() *certificate.FMB
}

// New is the case work's handlers on s, with its pages added to s. fmb
// gives the FMB table in force.
func New(s *site.Site, fmb func() *certificate.FMB) (*Handlers, error) {
	// The page that shows a submitted supplement request with its errors.
	if err := s.AddPages(site.Pages{FS: supplement.Templates, Dir: "templates"}); err != nil {
		return nil, err
	}
	pages := site.Pages{
		Partials: map[string][]string{
			"case.html":          {"case_fields.html", "rules_trace.html", "select_plain.html", "case_parts.html"},
			"case_new.html":      {"case_fields.html", "case_parts.html"},
			"case_purpose.html":  {"case_fields.html", "select_plain.html"},
			"case_referral.html": {"case_fields.html", "participant_fields.html"},
			"worklist.html":      {"case_fields.html", "select_plain.html", "case_parts.html"},
		},
		Shared: []fs.FS{form.Templates, rulesview.Templates, participant.Templates},
		Funcs:  template.FuncMap{"list": tmplfunc.List}}
	return site.Mount(feature, s, pages, &Handlers{Site: s, fmb: fmb})
}
