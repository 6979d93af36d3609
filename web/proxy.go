package web

// Behind a reverse proxy (--trust-proxy) the peer of every request is the
// proxy: the client's address and scheme come in X-Forwarded-For and
// X-Forwarded-Proto. Each proxy appends the address it saw to
// X-Forwarded-For, so only the rightmost hops were written by proxies; the
// hops to their left are whatever the client sent. The client is therefore
// the rightmost hop not added by a trusted proxy: with no proxies
// configured the peer is the one trusted proxy and the client the
// rightmost hop; with proxies configured, hops in their networks are
// skipped from the right, and a peer outside them is not a proxy at all
// (its forwarded headers are ignored).

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// remoteAddr is the client's address, as the sign-in throttle, the
// sessions and the audit log know it.
func (s *Server) remoteAddr(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if !s.fromProxy(peer) {
		return peer.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	// nearest is the address of whoever added hops[i]: the peer, then each
	// trusted proxy in turn.
	nearest := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			// Not an address: written by the client, or by a proxy that
			// should not be trusted; count the one who passed it on.
			break
		}
		if len(s.trustedProxies) == 0 || !s.trusted(hop) {
			return hop.String()
		}
		nearest = hop
	}
	return nearest.String()
}

// secure tells whether the request came over HTTPS, directly or through a
// trusted TLS-terminating proxy, or the site's public address is https
// (browsers see only that address, whatever hop before finsam is plain);
// cookies are then marked Secure.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil || strings.HasPrefix(strings.ToLower(s.publicURL), "https://") {
		return true
	}
	return s.fromProxy(peerAddr(r.RemoteAddr)) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// fromProxy reports whether the peer is a proxy whose forwarded headers
// count: any peer with --trust-proxy alone, a configured one otherwise.
func (s *Server) fromProxy(peer netip.Addr) bool {
	return s.trustProxy && (len(s.trustedProxies) == 0 || s.trusted(peer))
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.trustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// peerAddr is the address of a request's peer ("host:port"); the zero
// Addr when it is none.
func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, _ := netip.ParseAddr(host)
	return ip.Unmap()
}

// parseHop reads one X-Forwarded-For entry: an address, optionally with a
// port (IPv6 then in brackets), as proxies write them.
func parseHop(v string) (netip.Addr, bool) {
	v = strings.TrimSpace(v)
	if ip, err := netip.ParseAddr(v); err == nil {
		return ip.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// ParseTrustedProxies reads a comma-separated list of the trusted reverse
// proxies' addresses and networks ("10.0.0.0/8, 192.0.2.50"); "" is none.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []netip.Prefix
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if strings.Contains(part, "/") {
			p, err := netip.ParsePrefix(part)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: not an address or network: %w", part, err)
			}
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or network (like 10.0.0.0/8 or 192.0.2.50)", part)
		}
		ip = ip.Unmap()
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}
