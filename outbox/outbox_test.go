package outbox_test

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/outbox"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// smtpServer is a real SMTP server in the test that keeps what it
// receives, and refuses the first refuse messages.
type smtpServer struct {
	mu       sync.Mutex
	received []string
	refuse   int
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }

type session struct {
	s  *smtpServer
	to string
}

func (x *session) Reset()                                    {}
func (x *session) Logout() error                             { return nil }
func (x *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error { x.to = to; return nil }
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuse > 0 {
		x.s.refuse--
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	x.s.received = append(x.s.received, x.to+"\n"+string(b))
	return nil
}

func startSMTP(t *testing.T, refuse int) (*smtpServer, string) {
	t.Helper()
	be := &smtpServer{refuse: refuse}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return be, l.Addr().String()
}

func TestOutboxSendsThroughSMTPAndRetriesAfterAFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var assoc int64
		storetest.Write(t, st, func(tx *store.Tx) error {
			o, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "forbund", Name: "Förbundet", Type: organisation.Association})
			if err != nil {
				return err
			}
			assoc = o.ID
			return store.EnqueueMail(ctx, tx, assoc, "deltagare@example.se", "Anmälan: Frukostmöte om arbetsträning", "Hej Åsa,\n\nDu är anmäld.\n", now)
		})
		be, addr := startSMTP(t, 1)
		clock := now
		s := &outbox.Sender{Store: st, SMTP: outbox.Config{Addr: addr, From: "webb@forbund.example"}, Now: func() time.Time { return clock }}
		if n, err := s.SendDue(ctx, 10); err != nil || n != 0 {
			t.Fatalf("first attempt (refused): %d %v", n, err)
		}
		if n, _ := s.SendDue(ctx, 10); n != 0 {
			t.Fatal("retried before its pause")
		}
		clock = clock.Add(2 * time.Minute)
		if n, err := s.SendDue(ctx, 10); err != nil || n != 1 {
			t.Fatalf("second attempt: %d %v", n, err)
		}
		if len(be.received) != 1 {
			t.Fatalf("received %d", len(be.received))
		}
		msg := be.received[0]
		if !strings.HasPrefix(msg, "deltagare@example.se\n") || !strings.Contains(msg, "Subject: =?utf-8?q?") {
			t.Errorf("message: %s", msg)
		}
		body, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader([]byte(msg[strings.Index(msg, "\r\n\r\n")+4:]))))
		if !strings.Contains(string(body), "Hej Åsa") {
			t.Errorf("body: %q", body)
		}
		status, _ := store.OutboxStatus(ctx, st, assoc)
		if status.Sent != 1 || status.Queued != 0 {
			t.Errorf("status %+v", status)
		}
		// An unreachable server: tried MaxAttempts times, then failed.
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.EnqueueMail(ctx, tx, assoc, "b@example.se", "S", "B", clock) }); err != nil {
			t.Fatal(err)
		}
		s.SMTP.Addr = "127.0.0.1:1"
		for range outbox.MaxAttempts {
			s.SendDue(ctx, 10)
			clock = clock.Add(time.Hour)
		}
		status, _ = store.OutboxStatus(ctx, st, assoc)
		if status.Failed != 1 || status.Queued != 0 {
			t.Errorf("after giving up: %+v", status)
		}
	})
}
