package throttle

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	t.Parallel()
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, c := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"direct", "203.0.113.7:4000", nil, "203.0.113.7"},
		{"untrusted peer's header is ignored", "203.0.113.7:4000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"one trusted proxy", "10.0.0.2:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"spoofed left part", "10.0.0.2:80", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"chain of proxies", "10.0.0.2:80", []string{"198.51.100.1", "10.0.0.9"}, "198.51.100.1"},
		{"only proxies", "10.0.0.2:80", []string{"10.0.0.9"}, "10.0.0.9"},
		{"garbled hop", "10.0.0.2:80", []string{"198.51.100.1, nonsense, 10.0.0.9"}, "10.0.0.9"},
		{"mapped IPv4", "[::ffff:203.0.113.7]:1", nil, "203.0.113.7"},
		{"IPv6 proxy", "[fd00::1]:80", []string{"2001:db8::5"}, "2001:db8::5"},
		{"no port", "203.0.113.7", nil, "203.0.113.7"},
		{"unknown", "pipe", nil, "invalid IP"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := ClientAddr(r, trusted).String(); got != c.want {
				t.Errorf("ClientAddr = %s, want %s", got, c.want)
			}
		})
	}
}
