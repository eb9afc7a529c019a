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

// cgnat is the shared address space of carrier-grade NAT (RFC 6598), as
// internal as the RFC 1918 ranges netip.Addr.IsPrivate knows.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// privateAddr reports whether a is not a public unicast address.
func privateAddr(a netip.Addr) bool {
	a = a.Unmap() // ::ffff:127.0.0.1 is loopback too
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || cgnat.Contains(a)
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
