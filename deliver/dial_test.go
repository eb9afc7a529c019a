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
		{"93.184.216.34:443", false},
		{"[2606:2800:220:1:248:1893:25c8:1946]:443", false},
	}
	for _, tt := range tests {
		err := checkAddress("tcp", tt.addr, nil)
		if got := errors.Is(err, ErrPrivateAddress); got != tt.private {
			t.Errorf("checkAddress(%s) = %v, want private %v", tt.addr, err, tt.private)
		}
	}
}
