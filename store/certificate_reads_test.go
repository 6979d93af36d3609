package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestInboxListsAnOfficesMunicipalitiesNewestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const gotland, stockholmMun, unknown = "197001019801", "197001029800", "197001039809"
		signed := at("2026-03-01 10:00")
		ids := insertCerts(t, s, []testCert{
			{person: gotland, provider: "P", unit: "U", signed: signed, received: at("2026-03-02 08:00"), score: 100},
			{person: stockholmMun, provider: "P", unit: "U", signed: signed, received: at("2026-03-02 09:00"), score: 75, findings: fVague},
			{person: unknown, provider: "P", unit: "U", signed: signed, received: at("2026-03-02 10:00"), score: 75, findings: fVague},
			{person: gotland, provider: "P", unit: "U", signed: signed, received: at("2026-03-03 08:00"), score: 85, findings: fFMB},
			// Received at the same instant as the one before: the id orders them.
			{person: gotland, provider: "P", unit: "U", signed: signed, received: at("2026-03-03 08:00"), score: 100},
		})
		storetest.Write(t, s, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, "UPDATE persons SET municipality_code = '0980' WHERE personnummer = $1", gotland); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE persons SET municipality_code = '0180' WHERE personnummer = $1", stockholmMun); err != nil {
				return err
			}
			return nil
		})
		list := func(f store.InboxQuery) []int64 {
			t.Helper()
			rows, err := store.Inbox(ctx, s, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, r := range rows {
				out = append(out, r.ID)
			}
			return out
		}
		if got, want := list(store.InboxQuery{MunicipalityCodes: []string{"0980"}}), []int64{ids[4], ids[3], ids[0]}; !reflect.DeepEqual(got, want) {
			t.Errorf("Gotland's inbox %v, want %v", got, want)
		}
		// Pages: two, then what follows the second.
		if got := list(store.InboxQuery{MunicipalityCodes: []string{"0980"}, Limit: 2}); !reflect.DeepEqual(got, []int64{ids[4], ids[3]}) {
			t.Errorf("first page %v", got)
		}
		if got := list(store.InboxQuery{MunicipalityCodes: []string{"0980"}, Limit: 2, After: ids[3]}); !reflect.DeepEqual(got, []int64{ids[0]}) {
			t.Errorf("second page %v", got)
		}
		if got := list(store.InboxQuery{MunicipalityCodes: []string{"0980"}, OnlyWithFindings: true}); !reflect.DeepEqual(got, []int64{ids[3]}) {
			t.Errorf("only with findings %v", got)
		}
		if got := list(store.InboxQuery{MunicipalityCodes: []string{"0980", "0180"}}); len(got) != 4 {
			t.Errorf("two municipalities: %v", got)
		}
		if got := list(store.InboxQuery{}); got != nil {
			t.Errorf("no municipality lists %v", got)
		}

		// The demo's step: everyone without a municipality lives on Gotland.
		var n int64
		err := s.Tx(ctx, func(tx *store.Tx) (err error) {
			n, err = store.SetMissingMunicipality(ctx, tx, "0980")
			return err
		})
		if err != nil || n != 1 {
			t.Fatalf("SetMissingMunicipality = %d, %v; want 1", n, err)
		}
		if got := list(store.InboxQuery{MunicipalityCodes: []string{"0980"}}); len(got) != 4 {
			t.Errorf("after SetMissingMunicipality: %v", got)
		}

		rec, err := store.CertificateByID(ctx, s, ids[3])
		if err != nil {
			t.Fatal(err)
		}
		if rec.Personnummer != gotland || rec.MunicipalityCode != "0980" || rec.QualityScore != 85 || rec.UnitName != "name of U" ||
			string(rec.Body) != "{}" || !rec.ReceivedAt.Equal(at("2026-03-03 08:00")) || !rec.FirstDay.Equal(day("2026-01-01")) ||
			rec.CaseID != 0 || !rec.CaseFirst.IsZero() {
			t.Errorf("CertificateByID: %+v", rec)
		}
		if _, err := store.CertificateByID(ctx, s, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing certificate: %v", err)
		}
		others, err := store.PersonCertificates(ctx, s, rec.PersonID, 0)
		if err != nil || len(others) != 3 {
			t.Errorf("PersonCertificates: %d, %v", len(others), err)
		}
	})
}

func TestCertificateByIDShowsTheSicknessCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ids := insertCerts(t, s, []testCert{{person: "197001019801", provider: "P", unit: "U", signed: at("2026-03-01 10:00"),
			received: at("2026-03-01 11:00"), score: 100}})
		storetest.Write(t, s, func(tx *store.Tx) error {
			rec, err := store.CertificateByID(ctx, tx, ids[0])
			if err != nil {
				return err
			}
			caseID, err := store.AttachToCase(ctx, tx, rec.PersonID, day("2026-02-20"), day("2026-03-31"), time.Now(), sameCase)
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, "UPDATE certificates SET case_id = $1 WHERE id = $2", caseID, ids[0])
			return err
		})
		rec, err := store.CertificateByID(ctx, s, ids[0])
		if err != nil || rec.CaseID == 0 || !rec.CaseFirst.Equal(day("2026-02-20")) || !rec.CaseLast.Equal(day("2026-03-31")) {
			t.Errorf("case: %+v %v", rec, err)
		}
	})
}

func TestRejectedListAndDetail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var a, b organisation.Organisation
		err := s.Tx(ctx, func(tx *store.Tx) error {
			orgs, err := createOrgs(ctx, tx, organisation.Organisation{Slug: "region-a", Name: "Region A", Type: organisation.Region},
				organisation.Organisation{Slug: "region-b", Name: "Region B", Type: organisation.Region})
			if err != nil {
				return err
			}
			a, b = orgs[0], orgs[1]
			for i, org := range []int64{a.ID, b.ID, a.ID} {
				if err := store.RejectCertificate(ctx, tx, store.Rejected{SenderOrgID: org, CertID: "x", Source: "api",
					ReceivedAt: at("2026-03-01 10:00").Add(time.Duration(i) * time.Hour), ContentType: "application/json",
					Body: `{"id": "<b>"}`, Errors: []byte(`[{"field":"id","code":"missing","message":"m"}]`)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all, err := store.RejectedList(ctx, s, store.RejectedQuery{})
		if err != nil || len(all) != 3 || all[0].SenderName != "Region A" || all[1].SenderName != "Region B" {
			t.Fatalf("all rejected: %+v %v", all, err)
		}
		mine, _ := store.RejectedList(ctx, s, store.RejectedQuery{SenderOrgID: a.ID})
		if len(mine) != 2 {
			t.Errorf("region A's: %d", len(mine))
		}
		older, _ := store.RejectedList(ctx, s, store.RejectedQuery{Before: all[0].ID, Limit: 1})
		if len(older) != 1 || older[0].ID != all[1].ID {
			t.Errorf("paging: %+v", older)
		}
		r, err := store.RejectedByID(ctx, s, all[0].ID)
		if err != nil || r.Body != `{"id": "<b>"}` || r.SenderOrgID != a.ID {
			t.Errorf("RejectedByID: %+v %v", r, err)
		}
		if _, err := store.RejectedByID(ctx, s, 424242); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing: %v", err)
		}
	})
}
