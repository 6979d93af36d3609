package certificates_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/certificates"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/webtest"
)

// certPagesServer is webtest.DemoWithOrgAdmin with the demo's certificates loaded (all
// for persons on Gotland) and one more certificate for a person in
// Stockholm, whose id it returns.
func certPagesServer(t *testing.T, st *store.Store) (*webtest.Server, int64) {
	t.Helper()
	s := webtest.DemoWithOrgAdmin(t, st)
	webtest.LoadDemoCertificates(t, st)
	return s, s.AddStockholmCertificate(t)
}

var certLink = regexp.MustCompile(`href="/certificates/(\d+)"`)

func TestCertificatePages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, stockholmCert := certPagesServer(t, st)
		ctx := context.Background()
		worker := s.SignedIn(t, webtest.CaseWorker)

		t.Run("the inbox lists the office's certificates, newest first, a page at a time", func(t *testing.T) {
			rec := worker.Do("GET", "/certificates", nil)
			body := rec.Body.String()
			if rec.Code != http.StatusOK || tableRows(body) != certificates.InboxPerPage {
				t.Fatalf("inbox: %d, %d rows", rec.Code, tableRows(body))
			}
			links := certLink.FindAllStringSubmatch(body, -1)
			if len(links) != certificates.InboxPerPage {
				t.Fatalf("%d certificate links", len(links))
			}
			if strings.Contains(body, `/certificates/`+itoa(stockholmCert)+`"`) {
				t.Error("the Visby office's inbox lists a certificate of a person in Stockholm")
			}
			if !regexp.MustCompile(`>(19|20)\d{6}-\d{4}</a>`).MatchString(body) {
				t.Error("no personnummer written YYYYMMDD-NNNN")
			}
			if regexp.MustCompile(`href="[^"]*(19|20)\d{6}-?\d{4}`).MatchString(body) {
				t.Error("a personnummer in a link")
			}
			if !strings.Contains(body, "Lokalt försäkringscenter Visby") || !strings.Contains(body, "Diagnos") {
				t.Error("no office name or no diagnosis column for the case worker")
			}
			// The next page starts after the last row of this one.
			older := regexp.MustCompile(`href="(/certificates\?after=\d+)"`).FindStringSubmatch(body)
			if older == nil {
				t.Fatal("no link to older certificates")
			}
			next := worker.Do("GET", older[1], nil).Body.String()
			if first := certLink.FindStringSubmatch(next); first == nil || first[1] == links[0][1] || strings.Contains(next, `/certificates/`+links[len(links)-1][1]+`"`) {
				t.Error("the second page repeats the first")
			}
			// Each page shown is one audit entry naming every listed person
			// (docs/adr/0027-one-audit-entry-per-list-view.md): two pages, two
			// entries, and each row's person in the index of its page's entry.
			if n := s.Count(t, "SELECT count(*) FROM audit_log WHERE actor_name = 'handlaggare' AND action = 'list_certificates'"); n != 2 {
				t.Errorf("%d list_certificates entries, want one per page shown (2)", n)
			}
			if n := s.Count(t, `SELECT count(*) FROM audit_persons p JOIN audit_log l ON l.seq = p.seq
				WHERE l.actor_name = 'handlaggare' AND l.action = 'list_certificates'`); n != 2*certificates.InboxPerPage {
				t.Errorf("the list views name %d persons, want %d", n, 2*certificates.InboxPerPage)
			}
			// A person listed on the first page finds that list view in their extract.
			lastID, _ := strconv.ParseInt(links[len(links)-1][1], 10, 64)
			last, err := store.CertificateByID(ctx, st, lastID)
			if err != nil {
				t.Fatal(err)
			}
			entries, err := store.PersonAudit(ctx, st, webtest.Keys(t).PersonKey(personnummer.Number(last.Personnummer)), "")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(entries, func(e audit.Entry) bool {
				return e.Action == "list_certificates" && e.ActorName == "handlaggare"
			}) {
				t.Errorf("the extract of a listed person lacks the inbox list view: %+v", entries)
			}
			if _, err := st.VerifyAudit(ctx, webtest.Keys(t)); err != nil {
				t.Errorf("the chain with inbox list views does not verify: %v", err)
			}
		})

		t.Run("only with findings", func(t *testing.T) {
			body := worker.Do("GET", "/certificates?findings=1", nil).Body.String()
			if tableRows(body) == 0 || strings.Contains(body, `table__column--numeric">0</td>`) {
				t.Error("the filter shows certificates without findings, or none")
			}
		})

		// A certificate with findings, from the inbox.
		var id int64
		var pnr string
		rows, err := store.Inbox(ctx, st, store.InboxQuery{MunicipalityCodes: []string{"0980"}, OnlyWithFindings: true, Limit: 1})
		if err != nil || len(rows) != 1 {
			t.Fatal(rows, err)
		}
		id, pnr = rows[0].ID, rows[0].Personnummer
		rec, _ := store.CertificateByID(ctx, st, id)
		key := webtest.Keys(t).PersonKey(personnummer.Number(pnr))
		code := certview.DisplayDiagnosis(rec.DiagnosisCode)
		path := "/certificates/" + itoa(id)

		t.Run("the case worker reads the certificate with its findings and diagnoses", func(t *testing.T) {
			rec := worker.Do("GET", path, nil)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("%d", rec.Code)
			}
			for _, want := range []string{"Grund för medicinskt underlag", "Sysselsättning", "Sjukdomens konsekvenser", "Bedömning",
				"Prognos", "Åtgärder", "Övrigt", "Kontakt", "Aktivitetsbegränsning", personnummer.Number(pnr).String(), code,
				"finsam-answer--finding", "Brister i intyget", "Personens intyg", "Sjukfall", "supplement-form-heading"} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			for _, action := range []string{"read_certificate", "read_diagnoses"} {
				if n := s.Count(t, "SELECT count(*) FROM audit_log WHERE actor_name = 'handlaggare' AND action = $1 AND person_key = $2 AND resource_id = $3",
					action, key, itoa(id)); n != 1 {
					t.Errorf("%d %s entries with the person's key, want 1", n, action)
				}
			}
		})

		t.Run("the manager reads it without diagnoses", func(t *testing.T) {
			chef := s.SignedIn(t, webtest.Manager)
			body := chef.Do("GET", path, nil).Body.String()
			if strings.Contains(body, code) || strings.Contains(body, ">"+rec.DiagnosisCode) {
				t.Errorf("the manager sees the diagnosis %s", code)
			}
			if !strings.Contains(body, "Diagnoser visas bara för roller") {
				t.Error("no notice that diagnoses are hidden")
			}
			// Managers do not ask for supplements (WritePerson): no form.
			if strings.Contains(body, "supplement-form-heading") {
				t.Error("the manager is offered the supplement form")
			}
			inbox := chef.Do("GET", "/certificates", nil).Body.String()
			if strings.Contains(inbox, `scope="col" class="table__column">Diagnos<`) {
				t.Error("the manager's inbox has a diagnosis column")
			}
			if n := s.Count(t, "SELECT count(*) FROM audit_log WHERE actor_name = 'chef' AND action = 'read_diagnoses'"); n != 0 {
				t.Errorf("%d read_diagnoses entries for the manager", n)
			}
			if n := s.Count(t, "SELECT count(*) FROM audit_log WHERE actor_name = 'chef' AND action = 'read_certificate' AND person_key = $1", key); n != 1 {
				t.Errorf("%d read_certificate entries for the manager", n)
			}
		})

		t.Run("other organisations get 404, administrators 403", func(t *testing.T) {
			for user, want := range map[string]int{"samordnare-af": 404, "samordnare-region": 404, "forbund": 404, "admin": 403, webtest.OrgAdmin: 403} {
				password := "demo"
				if user == webtest.OrgAdmin {
					password = webtest.OrgAdminPassword
				}
				b := s.SignedInWith(t, user, password)
				for _, p := range []string{path, "/certificates"} {
					rec := b.Do("GET", p, nil)
					if rec.Code != want || strings.Contains(rec.Body.String(), personnummer.Number(pnr).String()) {
						t.Errorf("%s GET %s: %d, want %d", user, p, rec.Code, want)
					}
				}
			}
			if worker.Do("GET", "/certificates/99999999", nil).Code != http.StatusNotFound {
				t.Error("a certificate that does not exist is not 404")
			}
		})
	})
}
