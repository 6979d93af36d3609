// Package loopback finds a free TCP port on 127.0.0.1 for a server that a
// test or a local tool starts in another process (the finsam binary, a
// PostgreSQL replica), which must be told its address before it listens.
package loopback

import (
	"fmt"
	"net"
	"strconv"
)

// FreePort asks the kernel for a port on 127.0.0.1 that is free now. It is
// free again once FreePort returns, so another process may take it before
// the server binds it: good enough for tests and local tools, not for
// production.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// FreeAddr is FreePort's port as an address, "127.0.0.1:port".
func FreeAddr() (string, error) {
	port, err := FreePort()
	if err != nil {
		return "", err
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), nil
}
