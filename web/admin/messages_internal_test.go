package admin

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
)

// TestAdminMessagesExist covers the message ids the administration pages
// build at run time ("admin.err." + code and the like), which
// TestFeatureMessagesComplete (package web) cannot find in the source.
func TestAdminMessagesExist(t *testing.T) {
	var ids []string
	files, _ := filepath.Glob("*.go")
	codes := regexp.MustCompile(`(?:Add\("[a-z_]+", |return )"([a-z_]+)"\)?`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range codes.FindAllStringSubmatch(string(src), -1) {
			ids = append(ids, "admin.err."+m[1])
		}
	}
	if len(ids) < 25 {
		t.Fatalf("found %d error codes: the scan is broken", len(ids))
	}
	// Every field that can be wrong is named in the error summary.
	fields := regexp.MustCompile(`(?:Add|text|checkSlug|checkDate)\((?:&?errs, )?"([a-z_]+)"`)
	nFields := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, m := range fields.FindAllStringSubmatch(string(src), -1) {
			ids = append(ids, "admin.field."+m[1])
			nFields++
		}
	}
	if nFields < 20 {
		t.Fatalf("found %d fields: the scan is broken", nFields)
	}
	for _, a := range auditActions {
		ids = append(ids, "admin.action."+a)
	}
	// A refusal is logged with the policy action it refused: the log page
	// names every one in words.
	for a := policy.Action(1); a.Valid(); a++ {
		ids = append(ids, "admin.action."+a.String())
	}
	for _, t := range organisation.Types {
		ids = append(ids, "admin.orgtype."+string(t))
	}
	for _, k := range officeKinds(organisation.FK) {
		ids = append(ids, "admin.office.kind."+k)
	}
	for _, sc := range account.KnownScopes {
		ids = append(ids, scopeMessage(sc))
	}
	for _, o := range []string{audit.OutcomeOK, audit.OutcomeDenied, audit.OutcomeFailed} {
		ids = append(ids, "admin.outcome."+o)
	}
	for _, d := range []string{"created", "saved", "sessions"} {
		ids = append(ids, "admin.user.done."+d)
	}
	for _, d := range []string{"created", "office"} {
		ids = append(ids, "admin.org.done."+d)
	}
	for _, h := range []string{"at", "user", "org", "roles", "action", "outcome", "resource", "purpose"} {
		ids = append(ids, "admin.extract.csv."+h)
	}
	for _, id := range ids {
		for _, lang := range []string{"sv", "en"} {
			if _, ok := feature.Words[lang][id]; !ok {
				t.Errorf("%s missing in %s", id, lang)
			}
		}
	}
}
