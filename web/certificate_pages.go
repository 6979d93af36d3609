package web

// The certificate pages of issue 6 (item 6) for Försäkringskassan's staff:
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
// Audit: listing persons is a read of personal data. The inbox writes one
// entry per certificate shown (action list_certificates, with the
// certificate id and the person's key), so that a person's access-log
// extract (loggutdrag) shows every time their certificate appeared in
// someone's list, which one entry per page without person keys would not.
// A page holds at most inboxPerPage rows and the audit writer commits them
// in one group. The certificate page writes read_certificate, and
// read_diagnoses when the diagnoses are shown, both with the person's key.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/caseaccess"
)

// inboxPerPage is how many certificates an inbox page lists.
const inboxPerPage = 50

// fkOrganisation is the organisation certificates are addressed to: the one
// of type FK (the oldest, should there be several). ok is false when the
// installation has none.
func (s *Server) fkOrganisation(ctx context.Context) (organisation.Organisation, bool, error) {
	return store.CertificateOwner(ctx, s.store)
}

// authorizeCertificates checks that a may read FK's certificates: FK staff
// with case roles. Others get 404 (audited), as for any resource of
// another organisation. It returns the FK organisation.
func (s *Server) authorizeCertificates(w http.ResponseWriter, r *http.Request, a *actor, resourceID string) (organisation.Organisation, bool) {
	fk, ok, err := s.fkOrganisation(r.Context())
	if err != nil {
		s.unavailable(w, r, "find FK organisation", err)
		return fk, false
	}
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return fk, false
	}
	return fk, s.authorize(w, r, a, policy.ReadPerson, policy.Resource{OrgID: fk.ID}, "certificate", resourceID)
}

// loadCertificate reads the certificate named by the path's {id} and
// authorizes act on it as the certificate page does: act on the FK
// organisation, and for a certificate joined to a case, act on that case's
// office. A malformed id, a certificate that does not exist, one of
// another office's case and any refusal of another organisation all
// answer 404 (the policy's refusals audited); on false the handler
// returns. Every route that takes a certificate's id goes through here:
// caseaccess.LoadCertificate, which the supplement request of the case
// work uses too.
func (s *Server) loadCertificate(w http.ResponseWriter, r *http.Request, a *actor, act policy.Action) (store.CertificateRecord, organisation.Organisation, string, bool) {
	rec, fk, relation, err := caseaccess.LoadCertificate(s.site, w, r, a, act)
	if err != nil {
		s.site.Fail(w, r, err)
		return rec, fk, "", false
	}
	return rec, fk, relation, true
}

// mayReadDiagnoses asks the policy without answering or auditing a refusal:
// a role without diagnoses still sees the rest of the page.
func (s *Server) mayReadDiagnoses(a *actor, fk organisation.Organisation) bool {
	return policy.Can(&a.Actor, policy.ReadDiagnoses, policy.Resource{OrgID: fk.ID, Now: s.now()}) == policy.Allow
}

// certRow is a certificate in a list.
type certRow struct {
	ID        int64
	Received  string
	Signed    string
	Person    string // YYYYMMDD-NNNN
	Diagnosis string
	Period    string
	Unit      string
	Score     int
	Findings  int
	Current   bool
}

func newCertRow(c store.CertificateSummary, diagnoses bool) certRow {
	row := certRow{ID: c.ID, Received: localTime(c.ReceivedAt), Signed: c.SignedAt.In(stockholm).Format(time.DateOnly),
		Person: personnummer.Number(c.Personnummer).String(), Period: period(c.FirstDay, c.LastDay),
		Unit: c.UnitName, Score: c.QualityScore, Findings: len(parseFindings(c.Findings))}
	if diagnoses {
		row.Diagnosis = displayDiagnosis(c.DiagnosisCode)
	}
	return row
}

func period(from, to time.Time) string {
	return from.Format(time.DateOnly) + " – " + to.Format(time.DateOnly)
}

// displayDiagnosis writes a stored code as doctors read it: "M54.5".
func displayDiagnosis(code string) string {
	if len(code) > 3 {
		return code[:3] + "." + code[3:]
	}
	return code
}

// parseFindings reads a certificate's stored findings; a list that does not
// parse (which intake never writes) reads as none.
func parseFindings(raw []byte) []certificate.Finding {
	var fs []certificate.Finding
	_ = json.Unmarshal(raw, &fs)
	return fs
}

type inboxData struct {
	Office        string
	NoOffice      bool
	OnlyFindings  bool
	Rows          []certRow
	ShowDiagnoses bool
	Older, First  string
}

// certificateInbox lists the certificates of the persons living in the
// municipality the user's office serves, newest received first.
func (s *Server) certificateInbox(w http.ResponseWriter, r *http.Request, a *actor) {
	ctx := r.Context()
	lang := language(w, r)
	fk, ok := s.authorizeCertificates(w, r, a, "inbox")
	if !ok {
		return
	}
	q := r.URL.Query()
	d := inboxData{OnlyFindings: q.Get("findings") == "1", ShowDiagnoses: s.mayReadDiagnoses(a, fk)}
	var office store.Office
	if a.User.OfficeID != 0 {
		var err error
		if office, err = store.OfficeByID(ctx, s.store, a.User.OfficeID); err != nil {
			s.unavailable(w, r, "find office", err)
			return
		}
	}
	d.Office = office.Name
	if office.MunicipalityCode == "" {
		d.NoOffice = true
		s.render(w, r, http.StatusOK, "certificates", page{Lang: lang, Title: translate(lang, "cert.inbox.title"), Actor: a, Data: d})
		return
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	rows, err := store.Inbox(ctx, s.store, store.InboxQuery{MunicipalityCodes: []string{office.MunicipalityCode},
		OnlyWithFindings: d.OnlyFindings, After: max(after, 0), Limit: inboxPerPage + 1})
	if err != nil {
		s.unavailable(w, r, "inbox", err)
		return
	}
	filter := url.Values{}
	if d.OnlyFindings {
		filter.Set("findings", "1")
	}
	if len(rows) > inboxPerPage {
		rows = rows[:inboxPerPage]
		next := url.Values{"after": {itoa(rows[len(rows)-1].ID)}}
		if d.OnlyFindings {
			next.Set("findings", "1")
		}
		d.Older = withQuery("/certificates", next)
	}
	if after > 0 {
		d.First = withQuery("/certificates", filter)
	}
	events := make([]audit.Event, 0, len(rows))
	for _, c := range rows {
		d.Rows = append(d.Rows, newCertRow(c, d.ShowDiagnoses))
		e := a.Event(r, "list_certificates", audit.OutcomeOK, "certificate", itoa(c.ID))
		e.PersonKey = s.audit.Keys().PersonKey(personnummer.Number(c.Personnummer))
		events = append(events, e)
	}
	s.auditRead(r, a, events...)
	s.render(w, r, http.StatusOK, "certificates", page{Lang: lang, Title: translate(lang, "cert.inbox.title"), Actor: a, Data: d})
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
	Others     []certRow
	Supplement supplementView
}

// relatedView is a certificate that refers to the one shown.
type relatedView struct {
	ID            int64
	Label, Signed string
}

// certificatePage shows one certificate to FK's staff.
func (s *Server) certificatePage(w http.ResponseWriter, r *http.Request, a *actor) {
	ctx := r.Context()
	lang := language(w, r)
	rec, fk, relation, ok := s.loadCertificate(w, r, a, policy.ReadPerson)
	if !ok {
		return
	}
	id := rec.ID
	c, err := certificate.ParseJSON(rec.Body)
	if err != nil {
		s.unavailable(w, r, "parse stored certificate "+itoa(id), err)
		return
	}
	pnr := personnummer.Number(rec.Personnummer)
	key := s.audit.Keys().PersonKey(pnr)
	diagnoses := s.mayReadDiagnoses(a, fk)
	e := a.Event(r, "read_certificate", audit.OutcomeOK, "certificate", itoa(id))
	e.PersonKey = key
	e.Purpose = relation
	events := []audit.Event{e}
	if diagnoses {
		e.Action = "read_diagnoses"
		events = append(events, e)
	}
	s.auditRead(r, a, events...)

	d := certificateData{ID: id, Person: pnr.String(), Signed: localTime(c.SignedAt), Received: localTime(rec.ReceivedAt),
		Issuer: c.Issuer.Name, Unit: c.Issuer.UnitName, CareProvider: c.Issuer.CareProviderName, Score: rec.QualityScore,
		Smittskydd: c.Smittskydd, ShowDiagnoses: diagnoses,
		MayRequest: policy.Can(&a.Actor, policy.WritePerson, policy.Resource{OrgID: fk.ID, Now: s.now()}) == policy.Allow}
	d.TestEnvironment = c.TestEnvironment()
	if c.Relation != nil {
		d.Relation = translate(lang, "cert.relation."+c.Relation.Type) + " " + c.Relation.CertificateID
		d.RelationID, err = store.CertificateIDByCertID(ctx, s.store, rec.SenderOrgID, c.Relation.CertificateID)
		if errors.Is(err, store.ErrNotFound) {
			d.Relation += " " + translate(lang, "cert.relation.unknown")
		} else if err != nil {
			s.unavailable(w, r, "related certificate", err)
			return
		}
	}
	referrers, err := store.CertificatesReferringTo(ctx, s.store, rec.SenderOrgID, rec.CertID)
	if err != nil {
		s.unavailable(w, r, "referring certificates", err)
		return
	}
	for _, ref := range referrers {
		d.Referrers = append(d.Referrers, relatedView{ID: ref.ID, Label: translate(lang, "cert.related."+ref.Type) + " " + ref.CertID,
			Signed: localTime(ref.SignedAt)})
	}
	if rec.CaseID != 0 {
		d.CaseSpan = period(rec.CaseFirst, rec.CaseLast)
		d.CaseDays = int(rec.CaseLast.Sub(rec.CaseFirst).Hours()/24) + 1
	}
	d.Sections = certificateSections(c, lang, diagnoses)
	findings := parseFindings(rec.Findings)
	for _, f := range findings {
		fv := findingView{Code: f.Code, Label: translate(lang, "quality.finding."+f.Code), Message: f.Message,
			Weight: certificate.FindingWeight(f.Code)}
		if f.Code == certificate.FindingFMBExceeded && !diagnoses {
			fv.Message = translate(lang, "cert.finding.fmb_hidden") // the stored text names the diagnosis
		}
		fv.Anchor = attachFinding(d.Sections, f.AnswerID, fv)
		d.Findings = append(d.Findings, fv)
	}
	others, err := store.PersonCertificates(ctx, s.store, rec.PersonID, 50)
	if err != nil {
		s.unavailable(w, r, "person's certificates", err)
		return
	}
	for _, o := range others {
		row := newCertRow(o, diagnoses)
		row.Current = o.ID == id
		d.Others = append(d.Others, row)
	}
	if d.Supplement, err = s.supplementView(ctx, id, lang); err != nil {
		s.unavailable(w, r, "supplement requests", err)
		return
	}
	s.render(w, r, http.StatusOK, "certificate", page{Lang: lang, Title: translate(lang, "cert.title"), Actor: a, Data: d})
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
		diag = append(diag, displayDiagnosis(certificate.NormalizeDiagnosisCode(dg.Code))+" "+dg.Text)
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
