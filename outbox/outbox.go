// Package outbox sends the e-mail the public sites queue (store.EnqueueMail:
// sign-up confirmations, seats given from the waiting list, problem
// reports) over SMTP, as the administrator configures it. A message is
// queued in the transaction that records what it tells, and sent after
// the commit; a failed attempt is tried again after a growing pause, up
// to MaxAttempts, and then marked failed for the staff to see.
package outbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strings"
	"time"

	"github.com/finsam/finsam/store"
)

// Config is the SMTP server the mail goes through.
type Config struct {
	// Addr is host:port of the SMTP server.
	Addr string
	// From is the sender's address.
	From string
	// Username and Password authenticate (PLAIN, only over TLS or to
	// localhost); empty: no authentication.
	Username, Password string
	// StartTLS requires STARTTLS before anything is sent.
	StartTLS bool
	// Timeout bounds one message's whole conversation; 0: 30 seconds.
	Timeout time.Duration
}

// MaxAttempts is how often a message is tried before it is given up.
const MaxAttempts = 6

// Sender sends due messages.
type Sender struct {
	Store *store.Store
	SMTP  Config
	Log   *slog.Logger
	Now   func() time.Time
}

// SendDue sends the messages whose time has come, at most limit, and
// returns how many went.
func (s *Sender) SendDue(ctx context.Context, limit int) (int, error) {
	now := s.now()
	due, err := store.DueMail(ctx, s.Store, now, limit)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range due {
		err := s.send(ctx, m)
		werr := s.Store.Tx(ctx, func(tx *store.Tx) error {
			if err == nil {
				return store.MailSent(ctx, tx, m.ID, s.now())
			}
			final := m.Attempts+1 >= MaxAttempts
			// 1, 2, 4, 8, 16 minutes.
			next := s.now().Add(time.Duration(1<<m.Attempts) * time.Minute)
			return store.MailFailed(ctx, tx, m.ID, err.Error(), next, final)
		})
		if werr != nil {
			return sent, werr
		}
		if err != nil {
			s.log().WarnContext(ctx, "outbox: sending failed", "mail", m.ID, "attempt", m.Attempts+1, "err", err)
			continue
		}
		sent++
	}
	return sent, nil
}

// Run sends due mail every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.SendDue(ctx, 50); err != nil && ctx.Err() == nil {
			s.log().ErrorContext(ctx, "outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

// send delivers one message.
func (s *Sender) send(ctx context.Context, m store.Mail) error {
	timeout := s.SMTP.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.SMTP.Addr)
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(s.SMTP.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if s.SMTP.StartTLS {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if s.SMTP.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.SMTP.Username, s.SMTP.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.SMTP.From); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(Message(s.SMTP.From, m.To, m.Subject, m.Body, s.now())); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// Message is an RFC 5322 message in UTF-8, the subject encoded as RFC 2047
// asks and the body quoted-printable.
func Message(from, to, subject, body string, now time.Time) []byte {
	var b bytes.Buffer
	var id [12]byte
	rand.Read(id[:])
	domain := from[strings.LastIndexByte(from, '@')+1:]
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n", from, to,
		mime.QEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z), hex.EncodeToString(id[:]), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}
