package main

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestMessagesRemind: a supplement request past its last answer date gets
// one reminder, however often the command runs.
func TestMessagesRemind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now()
		storetest.Write(t, st, func(tx *store.Tx) error {
			fk, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "fk", Name: "FK", Type: organisation.FK})
			if err != nil {
				return err
			}
			region, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "region-test", Name: "Region", Type: organisation.Region})
			if err != nil {
				return err
			}
			pid, err := store.EnsurePerson(ctx, tx, "197001019801", now)
			if err != nil {
				return err
			}
			day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			cid, err := store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: region.ID, CertID: "abc", PersonID: pid,
				SignedAt: day, ReceivedAt: day, IssuerHSAID: "SE1", UnitHSAID: "SE2", UnitName: "U", CareProviderHSAID: "SE3",
				CareProviderName: "V", DiagnosisCode: "M545", FirstDay: day, LastDay: day, QualityScore: 40,
				Findings: []byte(`[]`), Source: "api", Body: []byte(`{}`), BodyHash: "h"})
			if err != nil {
				return err
			}
			// Due long ago, whatever the date the test runs on; and one due
			// in a year, which is not late.
			for _, last := range []time.Time{day.AddDate(0, 0, 14), now.AddDate(1, 0, 0)} {
				if _, err := store.InsertMessage(ctx, tx, store.Message{CertificateID: cid, Type: store.MessageSupplement,
					SenderOrgID: fk.ID, RecipientOrgID: region.ID, Questions: []store.Question{{AnswerID: "17", Text: "Beskriv."}},
					CreatedAt: day, LastAnswerDate: last}); err != nil {
					return err
				}
			}
			return nil
		})
		_, db := handOver(t, st)
		secret := filepath.Join(t.TempDir(), "finsam.key")
		os.WriteFile(secret, []byte(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32)))+"\n"), 0o600)
		args := append([]string{"messages", "remind", "--secret-file", secret}, db...)
		for _, want := range []string{"reminders sent: 1", "reminders sent: 0"} {
			code, out, errOut := finsam(t, nil, args...)
			if code != 0 || !strings.Contains(out, want) {
				t.Fatalf("messages remind: %d %q %q, want %q", code, out, errOut, want)
			}
		}
		if code, _, _ := finsam(t, nil, "messages", "nudge"); code != 2 {
			t.Error("an unknown subcommand did not exit 2")
		}
	})
}
