//go:build !unix

package audit

import (
	"context"
	"errors"
)

// SyslogAnchor is not available on this system.
type SyslogAnchor struct{}

// DialSyslog fails: this system has no syslog.
func DialSyslog(string) (*SyslogAnchor, error) {
	return nil, errors.New("audit syslog: not available on this system; use the anchor file")
}

// Append does nothing.
func (*SyslogAnchor) Append(context.Context, ...Checkpoint) error { return nil }

// Close does nothing.
func (*SyslogAnchor) Close() error { return nil }
