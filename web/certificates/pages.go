package certificates

// The certificate pages for Försäkringskassan's staff:
// an office's inbox of new certificates and the page of one certificate,
// with its answers grouped as on the form and its quality findings beside
// the answers they concern.
//
// Ownership: every FK 7804 is addressed to Försäkringskassan, so a
// certificate belongs to the FK organisation (the one of type FK; with
// several, the oldest, store.CertificateOwner). The routes need
// policy.ReadPerson; the handlers then authorize ReadPerson on
// Resource{OrgID: FK}, which admits FK staff with case roles (case workers
// and managers) and answers 404 to other organisations' coordinators and
// staff. Diagnoses need policy.ReadDiagnoses on top, which managers do not
// have: for them diagnosis codes, texts and the FMB finding (which names
// the code) are left out.
//
// Offices: an FK office serves the municipality in its municipality_code;
// its inbox lists the certificates of persons living there.
//
// Audit: listing persons is a read of personal data. An inbox page is one
// entry (action list_certificates, resource type certificate_list, the
// number of rows as purpose) naming every listed certificate's person in
// the order shown (audit.Event.Persons), so that a person's access-log
// extract (loggutdrag) shows every time their certificate appeared in
// someone's list while a page costs one chained entry, not one per row
// (docs/adr/0027-one-audit-entry-per-list-view.md). The certificate page
// writes read_certificate, and read_diagnoses when the diagnoses are shown,
// both with the person's key.

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
)

// inboxPerPage is how many certificates an inbox page lists.
const inboxPerPage = 50

// authorizeCertificates checks that a may read FK's certificates: FK staff
// with case roles. Others get 404 (audited), as for any resource of
// another organisation. It returns the FK organisation.
func (s *Handlers) authorizeCertificates(r *http.Request, a *site.Actor, resourceID string) (organisation.Organisation, error) {
	fk, ok, err := certview.FK(r.Context(), s.Store)
	if err != nil {
		return fk, site.Unavailable("find FK organisation", err)
	}
	if !ok {
		return fk, site.NotFound()
	}
	return fk, s.Authorize(r, a, policy.ReadPerson, policy.Resource{OrgID: fk.ID}, "certificate", resourceID)
}

// mayReadDiagnoses asks the policy without answering or auditing a refusal:
// a role without diagnoses still sees the rest of the page.
func (s *Handlers) mayReadDiagnoses(a *site.Actor, fk organisation.Organisation) bool {
	return policy.Can(&a.Actor, policy.ReadDiagnoses, policy.Resource{OrgID: fk.ID, Now: s.Now()}) == policy.Allow
}

type inboxData struct {
	Office        string
	NoOffice      bool
	OnlyFindings  bool
	Rows          []certview.Row
	ShowDiagnoses bool
	Older, First  string
}

// Inbox is GET /certificates: it lists the certificates of the persons living in the
// municipality the user's office serves, newest received first.
func (s *Handlers) Inbox(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	fk, err := s.authorizeCertificates(r, a, "inbox")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := inboxData{OnlyFindings: q.Get("findings") == "1", ShowDiagnoses: s.mayReadDiagnoses(a, fk)}
	var office store.Office
	if a.User.OfficeID != 0 {
		var err error
		if office, err = store.OfficeByID(ctx, s.Store, a.User.OfficeID); err != nil {
			return site.Unavailable("find office", err)
		}
	}
	d.Office = office.Name
	if office.MunicipalityCode == "" {
		d.NoOffice = true
		s.Render(w, r, http.StatusOK, "certificates", site.Page{Lang: lang, Title: translate(lang, "cert.inbox.title"), Actor: a, Data: d})
		return nil
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	rows, err := store.Inbox(ctx, s.Store, store.InboxQuery{MunicipalityCodes: []string{office.MunicipalityCode},
		OnlyWithFindings: d.OnlyFindings, After: max(after, 0), Limit: inboxPerPage + 1})
	if err != nil {
		return site.Unavailable("inbox", err)
	}
	filter := url.Values{}
	if d.OnlyFindings {
		filter.Set("findings", "1")
	}
	if len(rows) > inboxPerPage {
		rows = rows[:inboxPerPage]
		next := url.Values{"after": {strconv.FormatInt(rows[len(rows)-1].ID, 10)}}
		if d.OnlyFindings {
			next.Set("findings", "1")
		}
		d.Older = site.WithQuery("/certificates", next)
	}
	if after > 0 {
		d.First = site.WithQuery("/certificates", filter)
	}
	listed := make([]string, 0, len(rows))
	for _, c := range rows {
		d.Rows = append(d.Rows, certview.NewRow(c, d.ShowDiagnoses))
		listed = append(listed, c.Personnummer)
	}
	if len(listed) > 0 {
		e := a.Event(r, "list_certificates", audit.OutcomeOK, "certificate_list", r.URL.Path)
		e.Purpose = strconv.Itoa(len(listed)) + " certificates"
		e.Persons = s.Audit.Keys().PersonKeys(listed)
		s.AuditRead(r, a, e)
	}
	s.Render(w, r, http.StatusOK, "certificates", site.Page{Lang: lang, Title: translate(lang, "cert.inbox.title"), Actor: a, Data: d})
	return nil
}

// findingView is a quality finding as the certificate page shows it.
type findingView struct {
	Code, Label, Message string
	// Anchor is the id of the answer it concerns.
	Anchor string
	Weight int
}

// certQuestion is one answer of the form.
type certQuestion struct {
	Anchor   string
	AnswerID string // the form's answer (svar) id
	Label    string
	Lines    []string
	Findings []findingView
}

// certSection is one part of the form.
type certSection struct {
	Anchor, Title string
	Questions     []certQuestion
	Hidden        string // why the section's content is not shown
}

type certificateData struct {
	ID           int64
	Person       string
	Signed       string
	Received     string
	Issuer       string
	Unit         string
	CareProvider string
	Score        int
	Findings     []findingView
	Sections     []certSection
	Smittskydd   bool
	Relation     string
	// RelationID links the certificate the relation names (0 when it has
	// not been received); Referrers are the later ones that name this one.
	RelationID      int64
	Referrers       []relatedView
	TestEnvironment bool
	ShowDiagnoses   bool
	// MayRequest: the actor may ask for a supplement (WritePerson); a
	// manager reads the certificate but does not see the form.
	MayRequest bool
	CaseSpan   string
	CaseDays   int
	Others     []certview.Row
	Supplement any
}

// relatedView is a certificate that refers to the one shown.
type relatedView struct {
	ID            int64
	Label, Signed string
}

// Page is GET /certificates/{id}: it shows one certificate to FK's staff.
func (s *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	rec, fk, relation, err := certview.Load(s.Site, r, a, policy.ReadPerson)
	if err != nil {
		return err
	}
	id := rec.ID
	c, err := certificate.ParseJSON(rec.Body)
	if err != nil {
		return site.Unavailable("parse stored certificate "+strconv.FormatInt(id, 10), err)
	}
	pnr := personnummer.Number(rec.Personnummer)
	key := s.Audit.Keys().PersonKey(pnr)
	diagnoses := s.mayReadDiagnoses(a, fk)
	e := a.Event(r, "read_certificate", audit.OutcomeOK, "certificate", strconv.FormatInt(id, 10))
	e.PersonKey = key
	e.Purpose = relation
	events := []audit.Event{e}
	if diagnoses {
		e.Action = "read_diagnoses"
		events = append(events, e)
	}
	s.AuditRead(r, a, events...)

	d := certificateData{ID: id, Person: pnr.String(), Signed: site.LocalTime(c.SignedAt), Received: site.LocalTime(rec.ReceivedAt),
		Issuer: c.Issuer.Name, Unit: c.Issuer.UnitName, CareProvider: c.Issuer.CareProviderName, Score: rec.QualityScore,
		Smittskydd: c.Smittskydd, ShowDiagnoses: diagnoses,
		MayRequest: policy.Can(&a.Actor, policy.WritePerson, policy.Resource{OrgID: fk.ID, Now: s.Now()}) == policy.Allow}
	d.TestEnvironment = c.TestEnvironment()
	if c.Relation != nil {
		d.Relation = translate(lang, "cert.relation."+c.Relation.Type) + " " + c.Relation.CertificateID
		d.RelationID, err = store.CertificateIDByCertID(ctx, s.Store, rec.SenderOrgID, c.Relation.CertificateID)
		if errors.Is(err, store.ErrNotFound) {
			d.Relation += " " + translate(lang, "cert.relation.unknown")
		} else if err != nil {
			return site.Unavailable("related certificate", err)
		}
	}
	referrers, err := store.CertificatesReferringTo(ctx, s.Store, rec.SenderOrgID, rec.CertID)
	if err != nil {
		return site.Unavailable("referring certificates", err)
	}
	for _, ref := range referrers {
		d.Referrers = append(d.Referrers, relatedView{ID: ref.ID, Label: translate(lang, "cert.related."+ref.Type) + " " + ref.CertID,
			Signed: site.LocalTime(ref.SignedAt)})
	}
	if rec.CaseID != 0 {
		d.CaseSpan = certview.Period(rec.CaseFirst, rec.CaseLast)
		d.CaseDays = int(rec.CaseLast.Sub(rec.CaseFirst).Hours()/24) + 1
	}
	d.Sections = certificateSections(c, lang, diagnoses)
	findings := certview.ParseFindings(rec.Findings)
	for _, f := range findings {
		fv := findingView{Code: f.Code, Label: translate(lang, "quality.finding."+f.Code), Message: f.Message,
			Weight: certificate.FindingWeight(f.Code)}
		if f.Code == certificate.FindingFMBExceeded && !diagnoses {
			fv.Message = translate(lang, "cert.finding.fmb_hidden") // the stored text names the diagnosis
		}
		fv.Anchor = attachFinding(d.Sections, f.AnswerID, fv)
		d.Findings = append(d.Findings, fv)
	}
	others, err := store.PersonCertificates(ctx, s.Store, rec.PersonID, 50)
	if err != nil {
		return site.Unavailable("person's certificates", err)
	}
	for _, o := range others {
		row := certview.NewRow(o, diagnoses)
		row.Current = o.ID == id
		d.Others = append(d.Others, row)
	}
	if d.Supplement, err = s.supplements.View(ctx, id, findings, lang); err != nil {
		return site.Unavailable("supplement requests", err)
	}
	s.Render(w, r, http.StatusOK, "certificate", site.Page{Lang: lang, Title: translate(lang, "cert.title"), Actor: a, Data: d})
	return nil
}

// attachFinding puts a finding beside the first question with its answer
// id and returns that question's anchor ("" when no question shown
// matches). The first is the right one where two share an id: the basis
// before the reason for not examining (1), the reason for an early start
// before the other information (25), both carried in one answer.
func attachFinding(sections []certSection, answerID string, f findingView) string {
	for i := range sections {
		for j := range sections[i].Questions {
			q := &sections[i].Questions[j]
			if q.AnswerID == answerID {
				q.Findings = append(q.Findings, f)
				return q.Anchor
			}
		}
	}
	return ""
}

// certificateSections are the certificate's answers in the order and
// parts of the form FK 7804. Unanswered questions are shown as such: a
// missing answer is what a case worker looks for.
func certificateSections(c *certificate.Certificate, lang string, diagnoses bool) []certSection {
	t := func(id string) string { return translate(lang, id) }
	text := func(s string) []string {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return []string{s}
	}
	yesNo := func(b bool) []string {
		if b {
			return []string{t("cert.yes")}
		}
		return []string{t("cert.no")}
	}
	code := func(prefix string, codes []string) []string {
		var out []string
		for _, c := range codes {
			out = append(out, translate(lang, prefix+c))
		}
		return out
	}
	q := func(anchor, answerID, label string, lines []string) certQuestion {
		return certQuestion{Anchor: "q-" + anchor, AnswerID: answerID, Label: t(label), Lines: lines}
	}

	var basis []string
	for _, b := range c.Basis {
		line := t("cert.basis."+b.Type) + ", " + b.Date.String()
		if b.Description != "" {
			line += ": " + b.Description
		}
		basis = append(basis, line)
	}
	var diag []string
	for _, dg := range c.Diagnoses {
		diag = append(diag, certview.DisplayDiagnosis(certificate.NormalizeDiagnosisCode(dg.Code))+" "+dg.Text)
	}
	var periods []string
	for _, p := range c.SickLeave {
		periods = append(periods, t("cert.degree."+p.Degree)+": "+p.From.String()+" – "+p.To.String())
	}
	var workingTime []string
	if c.WorkingTimeDistribution != nil {
		workingTime = yesNo(*c.WorkingTimeDistribution)
		if c.WorkingTimeMotivation != "" {
			workingTime = append(workingTime, c.WorkingTimeMotivation)
		}
	}
	var prognosis []string
	if c.Prognosis != nil {
		line := t("cert.prognosis." + c.Prognosis.Type)
		switch {
		case c.Prognosis.Days > 0:
			line += " " + strconv.Itoa(c.Prognosis.Days) + " " + t("cert.days")
		case c.Prognosis.Months > 0:
			line += " " + strconv.Itoa(c.Prognosis.Months) + " " + t("cert.months")
		}
		prognosis = []string{line}
	}
	contact := yesNo(c.ContactFK)
	if c.ContactReason != "" {
		contact = append(contact, c.ContactReason)
	}

	diagnosisSection := certSection{Anchor: "s-diagnosis", Title: t("cert.s.diagnosis"),
		Questions: []certQuestion{q("diagnoses", "6", "cert.q.diagnoses", diag)}}
	if !diagnoses {
		diagnosisSection.Questions, diagnosisSection.Hidden = nil, t("cert.diagnoses.hidden")
	}
	return []certSection{
		{Anchor: "s-basis", Title: t("cert.s.basis"), Questions: []certQuestion{
			q("basis", "1", "cert.q.basis", basis),
			q("not-examined", "1", "cert.q.not_examined", text(c.NotExaminedReason)),
		}},
		{Anchor: "s-occupation", Title: t("cert.s.occupation"), Questions: []certQuestion{
			q("occupation", "28", "cert.q.occupation", code("cert.occupation.", c.Occupation)),
			q("current-work", "29", "cert.q.current_work", text(c.CurrentWork)),
		}},
		diagnosisSection,
		{Anchor: "s-consequences", Title: t("cert.s.consequences"), Questions: []certQuestion{
			q("impairment", "35", "cert.q.impairment", text(c.FunctionalImpairment)),
			q("limitation", "17", "cert.q.limitation", text(c.ActivityLimitation)),
		}},
		{Anchor: "s-treatment", Title: t("cert.s.treatment"), Questions: []certQuestion{
			q("ongoing", "19", "cert.q.ongoing", text(c.OngoingTreatment)),
			q("planned", "20", "cert.q.planned", text(c.PlannedTreatment)),
		}},
		{Anchor: "s-assessment", Title: t("cert.s.assessment"), Questions: []certQuestion{
			q("sick-leave", "32", "cert.q.sick_leave", periods),
			q("early-start", "25", "cert.q.early_start", text(c.EarlyStartReason)),
			q("fmb", "37", "cert.q.fmb", text(c.FMBMotivation)),
			q("working-time", "33", "cert.q.working_time", workingTime),
			q("travel", "34", "cert.q.travel", yesNo(c.TravelToWork)),
		}},
		{Anchor: "s-prognosis", Title: t("cert.s.prognosis"), Questions: []certQuestion{
			q("prognosis", "39", "cert.q.prognosis", prognosis),
		}},
		{Anchor: "s-measures", Title: t("cert.s.measures"), Questions: []certQuestion{
			q("measures", "40", "cert.q.measures", code("cert.measure.", c.WorkMeasures)),
			q("measures-text", "44", "cert.q.measures_text", text(c.WorkMeasuresText)),
		}},
		{Anchor: "s-other", Title: t("cert.s.other"), Questions: []certQuestion{
			q("other", "25", "cert.q.other", text(c.Other)),
		}},
		{Anchor: "s-contact", Title: t("cert.s.contact"), Questions: []certQuestion{
			q("contact", "26", "cert.q.contact", contact),
		}},
	}
}
