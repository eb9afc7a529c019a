package deliver

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/inkform/inkform"
)

// Timeout bounds one delivery attempt: connecting, sending and reading the
// answer's head.
const Timeout = 10 * time.Second

// ErrPrivateAddress is returned when a webhook's host resolves to an
// address of this machine or of a private network, which a tenant must not
// reach through the server (SSRF). It is inkform.ErrPrivateTarget, the
// outcome the inkform.Deliverer contract names.
var ErrPrivateAddress = inkform.ErrPrivateTarget

// notPublic4 are the IPv4 ranges that are not global unicast: this host,
// private networks, carrier-grade NAT, IETF protocol assignments,
// documentation, benchmarking, the retired 6to4 relay, multicast and the
// reserved 240/4 (IANA's special-purpose address registry).
var notPublic4 = prefixes(
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
	"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
)

// notPublic6 are the ranges inside IPv6 global unicast (2000::/3) that do
// not reach a public host directly: Teredo and the other IETF protocol
// assignments, ORCHID, documentation, and the deprecated site-local and the
// unique-local ranges (the last two lie outside 2000::/3 and are listed
// only to make the intent plain).
var notPublic6 = prefixes(
	"2001::/23", "2001:db8::/32", "3fff::/20", "fec0::/10", "fc00::/7",
)

// IPv6 ranges that carry an IPv4 address: NAT64 (RFC 6052, the address in
// the last 32 bits) and 6to4 (RFC 3056, in bits 16–47). They are as public
// as the address they carry.
var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4 = netip.MustParsePrefix("2002::/16")
	global = netip.MustParsePrefix("2000::/3")
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func inAny(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// privateAddr reports whether a is anything but a public (global unicast)
// address. It allows what is known to be public rather than refusing what
// is known to be private, so a range nobody thought of is refused.
func privateAddr(a netip.Addr) bool {
	a = a.Unmap() // ::ffff:127.0.0.1 is loopback too
	if a.Is4() {
		return inAny(a, notPublic4)
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return privateAddr(netip.AddrFrom4([4]byte(b[12:16])))
	case sixTo4.Contains(a):
		return privateAddr(netip.AddrFrom4([4]byte(b[2:6])))
	}
	// Everything outside 2000::/3 — loopback, unspecified, IPv4-compatible
	// ::/96, link-local, multicast, discard-only — is not public.
	return !global.Contains(a) || inAny(a, notPublic6)
}

// checkAddress is a net.Dialer Control func: it runs after DNS resolution,
// on the very address about to be connected, so a name that resolves to a
// public address when the subscription is made and to 127.0.0.1 later (DNS
// rebinding) is still refused.
func checkAddress(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook target %q: %w", address, err)
	}
	if privateAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
	}
	return nil
}

// NewClient returns the HTTP client deliveries are sent with: a 10 s
// timeout, no proxy (a proxy would connect on our behalf, past the address
// check), no redirects (a 3xx is a failed attempt, so a receiver cannot
// bounce a signed request elsewhere) and, unless allowPrivate, no
// connections to private addresses.
func NewClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: Timeout}
	if !allowPrivate {
		dialer.Control = checkAddress
	}
	transport := &http.Transport{
		Proxy:             nil,
		DialContext:       dialer.DialContext,
		ForceAttemptHTTP2: true,
		// Many subscriptions of many orgs often post to one integration host;
		// keeping their connections open saves a handshake per delivery.
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   Timeout,
		ResponseHeaderTimeout: Timeout,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
