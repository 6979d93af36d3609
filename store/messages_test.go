package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// messageFixture is FK, two care providers and a certificate from each.
type messageFixture struct {
	fk, region, other int64
	cert, otherCert   int64
}

func messageSetup(t *testing.T, s *store.Store) messageFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	var f messageFixture
	storetest.Write(t, s, func(tx *store.Tx) error {
		for _, o := range []struct {
			slug string
			typ  organisation.Type
			id   *int64
		}{{"fk", organisation.FK, &f.fk}, {"region-test", organisation.Region, &f.region}, {"region-other", organisation.Region, &f.other}} {
			org, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: o.slug, Name: o.slug, Type: o.typ})
			if err != nil {
				return err
			}
			*o.id = org.ID
		}
		pid, err := store.EnsurePerson(ctx, tx, "197001019801", now)
		if err != nil {
			return err
		}
		for _, c := range []struct {
			sender int64
			id     *int64
		}{{f.region, &f.cert}, {f.other, &f.otherCert}} {
			if *c.id, err = store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: c.sender, CertID: "abc", PersonID: pid,
				SignedAt: now, ReceivedAt: now, IssuerHSAID: "SE1", UnitHSAID: "SE2", UnitName: "U", CareProviderHSAID: "SE3",
				CareProviderName: "V", DiagnosisCode: "M545", FirstDay: day("2026-11-01"), LastDay: day("2026-11-14"),
				QualityScore: 40, Findings: []byte(`[]`), Source: "api", Body: []byte(`{}`), BodyHash: "h"}); err != nil {
				return err
			}
		}
		return nil
	})
	return f
}

func insertMessage(t *testing.T, s *store.Store, m store.Message) int64 {
	t.Helper()
	return storetest.Made(t, s, func(tx *store.Tx) (int64, error) {
		return store.InsertMessage(context.Background(), tx, m)
	})
}

func TestSupplementRequestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := messageSetup(t, s)
		sent := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
		req := store.Message{CertificateID: f.cert, Type: store.MessageSupplement, SenderOrgID: f.fk, RecipientOrgID: f.region,
			Questions: []store.Question{{AnswerID: "17", Text: "Beskriv aktivitetsbegränsningen."}, {AnswerID: "35", Text: "Koppla till funktionsnedsättningen."}},
			Text:      "Komplettera intyget.", CreatedAt: sent, LastAnswerDate: day("2026-11-16")}
		id := insertMessage(t, s, req)
		// The other care provider's certificate has a request of its own.
		otherReq := req
		otherReq.CertificateID, otherReq.RecipientOrgID = f.otherCert, f.other
		otherID := insertMessage(t, s, otherReq)

		open, err := store.OpenMessagesTo(ctx, s, f.region)
		if err != nil || len(open) != 1 {
			t.Fatalf("open messages of the region: %+v %v", open, err)
		}
		got := open[0]
		if got.ID != id || got.Type != store.MessageSupplement || got.CertID != "abc" || len(got.Questions) != 2 ||
			got.Questions[0] != req.Questions[0] || !got.CreatedAt.Equal(sent) || !got.LastAnswerDate.Equal(day("2026-11-16")) ||
			got.Answered() || !got.FetchedAt.IsZero() {
			t.Fatalf("stored request: %+v", got)
		}

		// Fetched: the first time is kept.
		for _, at := range []time.Time{sent.Add(time.Hour), sent.Add(2 * time.Hour)} {
			if err := s.Tx(ctx, func(tx *store.Tx) error { return store.MarkMessagesFetched(ctx, tx, []int64{id}, at) }); err != nil {
				t.Fatal(err)
			}
		}
		msgs, _ := store.CertificateMessages(ctx, s, f.cert)
		if len(msgs) != 1 || !msgs[0].FetchedAt.Equal(sent.Add(time.Hour)) {
			t.Fatalf("fetched: %+v", msgs)
		}

		// Late after its last answer date, not on it.
		if got.Late(day("2026-11-16")) || !got.Late(day("2026-11-17")) {
			t.Error("Late is wrong around the last answer date")
		}
		late, err := store.LateSupplements(ctx, s, day("2026-11-16"))
		if err != nil || len(late) != 0 {
			t.Fatalf("late on the last answer date: %+v %v", late, err)
		}
		late, err = store.LateSupplements(ctx, s, day("2026-11-17"))
		if err != nil || len(late) != 2 {
			t.Fatalf("late the day after: %d %v", len(late), err)
		}
		reminder := store.Message{CertificateID: f.cert, Type: store.MessageReminder, SenderOrgID: f.fk, RecipientOrgID: f.region,
			Text: "Påminnelse", CreatedAt: sent.AddDate(0, 0, 15), LastAnswerDate: day("2026-11-24"), ReminderOf: id}
		rid := insertMessage(t, s, reminder)
		// One reminder per request, enforced by the schema.
		err = s.Tx(ctx, func(tx *store.Tx) error { _, err := store.InsertMessage(ctx, tx, reminder); return err })
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("a second reminder: %v", err)
		}
		// A reminder must name its request, and a request must not.
		bad := reminder
		bad.ReminderOf = 0
		if err := s.Tx(ctx, func(tx *store.Tx) error { _, err := store.InsertMessage(ctx, tx, bad); return err }); !errors.Is(err, store.ErrCheck) {
			t.Fatalf("a reminder of nothing: %v", err)
		}
		late, _ = store.LateSupplements(ctx, s, day("2026-11-17"))
		if len(late) != 1 || late[0].ID != otherID {
			t.Fatalf("late after the reminder: %+v", late)
		}
		open, _ = store.OpenMessagesTo(ctx, s, f.region)
		if len(open) != 2 || open[1].ID != rid || open[1].ReminderOf != id {
			t.Fatalf("open with the reminder: %+v", open)
		}

		// The answer: a KOMPLT certificate from the same sender closes the
		// request and its reminder; one from another sender does not.
		storetest.Write(t, s, func(tx *store.Tx) error {
			if n, err := store.AnswerSupplements(ctx, tx, f.other, "no-such-id", f.otherCert, sent); err != nil || n != 0 {
				t.Errorf("answer to an unknown id: %d %v", n, err)
			}
			n, err := store.AnswerSupplements(ctx, tx, f.region, "abc", f.otherCert, sent.AddDate(0, 0, 16))
			if err != nil || n != 1 {
				t.Errorf("answer: %d %v", n, err)
			}
			return err
		})
		if open, _ := store.OpenMessagesTo(ctx, s, f.region); len(open) != 0 {
			t.Fatalf("open after the answer: %+v", open)
		}
		if open, _ := store.OpenMessagesTo(ctx, s, f.other); len(open) != 1 {
			t.Fatalf("the other provider's request was closed too: %+v", open)
		}
		msgs, _ = store.CertificateMessages(ctx, s, f.cert)
		if len(msgs) != 2 || !msgs[0].Answered() || msgs[0].AnsweredByCertificateID != f.otherCert || msgs[0].Late(day("2026-12-01")) {
			t.Fatalf("answered request: %+v", msgs)
		}
		// Answering again changes nothing.
		s.Tx(ctx, func(tx *store.Tx) error {
			if n, _ := store.AnswerSupplements(ctx, tx, f.region, "abc", f.cert, sent.AddDate(0, 0, 20)); n != 0 {
				t.Errorf("answered twice: %d", n)
			}
			return nil
		})
	})
}
