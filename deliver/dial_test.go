package deliver

import (
	"errors"
	"testing"
)

func TestCheckAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		private bool
	}{
		{"127.0.0.1:80", true},
		{"[::1]:443", true},
		{"10.1.2.3:80", true},
		{"172.16.0.1:80", true},
		{"192.168.1.1:80", true},
		{"169.254.169.254:80", true}, // cloud metadata
		{"[fe80::1]:80", true},
		{"[fd00::1]:80", true},
		{"[::ffff:127.0.0.1]:80", true},
		{"0.0.0.0:80", true},
		{"100.64.0.1:80", true},
		{"0.1.2.3:80", true},
		{"198.18.0.1:80", true},
		{"192.0.0.8:80", true},
		{"240.0.0.1:80", true},
		{"255.255.255.255:80", true},
		{"224.0.0.1:80", true},
		{"[64:ff9b::7f00:1]:80", true},      // NAT64 of 127.0.0.1
		{"[64:ff9b::a9fe:a9fe]:80", true},   // NAT64 of 169.254.169.254
		{"[64:ff9b::5db8:d822]:443", false}, // NAT64 of 93.184.216.34
		{"[2002:7f00:1::1]:80", true},       // 6to4 of 127.0.0.1
		{"[2002:c0a8:101::1]:80", true},     // 6to4 of 192.168.1.1
		{"[2002:5db8:d822::1]:443", false},  // 6to4 of 93.184.216.34
		{"[::7f00:1]:80", true},             // IPv4-compatible 127.0.0.1
		{"[::5db8:d822]:80", true},          // IPv4-compatible, deprecated
		{"[fec0::1]:80", true},
		{"[2001:db8::1]:80", true},
		{"[2001:0:4136:e378:8000:63bf:3fff:fdd2]:80", true}, // Teredo
		{"[100::1]:80", true},
		{"[ff02::1]:80", true},
		{"[::]:80", true},
		{"93.184.216.34:443", false},
		{"1.1.1.1:443", false},
		{"[2606:2800:220:1:248:1893:25c8:1946]:443", false},
	}
	for _, tt := range tests {
		err := checkAddress("tcp", tt.addr, nil)
		if got := errors.Is(err, ErrPrivateAddress); got != tt.private {
			t.Errorf("checkAddress(%s) = %v, want private %v", tt.addr, err, tt.private)
		}
	}
}
