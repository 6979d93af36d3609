//go:build unix

package audit

import (
	"context"
	"fmt"
	"log/syslog"
	"strings"
)

// SyslogAnchor sends every checkpoint to syslog, for a copy on another
// machine (a central log server) that no one on this one can rewrite.
// Syslog cannot be read back by finsam: to verify, export the records
// from the log server to a file and give it to `finsam audit verify`.
type SyslogAnchor struct {
	w *syslog.Writer
}

// syslogTag is the program name the records are logged under.
const syslogTag = "finsam-audit"

// DialSyslog connects to a syslog daemon: "local" for this machine's
// (/dev/log), or udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH. Over
// UDP a record can be lost, which leaves a gap in the anchor and raises no
// false alarm; TCP reconnects when the server restarts.
func DialSyslog(addr string) (*SyslogAnchor, error) {
	const priority = syslog.LOG_AUTH | syslog.LOG_NOTICE
	var w *syslog.Writer
	var err error
	if addr == "local" {
		w, err = syslog.New(priority, syslogTag)
	} else {
		network, raddr, ok := strings.Cut(addr, "://")
		if !ok || (network != "udp" && network != "tcp" && network != "unix" && network != "unixgram") || raddr == "" {
			return nil, fmt.Errorf("audit syslog %q: give local, udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH", addr)
		}
		w, err = syslog.Dial(network, raddr, priority, syslogTag)
	}
	if err != nil {
		return nil, fmt.Errorf("audit syslog %s: %w", addr, err)
	}
	return &SyslogAnchor{w: w}, nil
}

// Append logs one record per checkpoint.
func (s *SyslogAnchor) Append(_ context.Context, cps ...Checkpoint) error {
	for _, c := range cps {
		if err := s.w.Notice(AnchorLine(c)); err != nil {
			return fmt.Errorf("audit syslog: %w", err)
		}
	}
	return nil
}

// Close closes the connection.
func (s *SyslogAnchor) Close() error { return s.w.Close() }
