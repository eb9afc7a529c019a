package sqlstore

import "testing"

func TestParseWALPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0/0", 0, true},
		{"16/B374D848", 0x16<<32 | 0xB374D848, true},
		{" 0/FFFFFFFF\n", 0xFFFFFFFF, true},
		{"1/0", 1 << 32, true},
		{"B374D848", 0, false},
		{"x/1", 0, false},
		{"1/100000000", 0, false},
	}
	for _, tt := range tests {
		got, err := parseWALPosition(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseWALPosition(%q) = %x, %v; want %x, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	// Positions order as numbers: 0/FFFFFFFF is before 1/0, though not as text.
	a, _ := parseWALPosition("0/FFFFFFFF")
	b, _ := parseWALPosition("1/0")
	if a >= b {
		t.Errorf("0/FFFFFFFF (%x) is not before 1/0 (%x)", a, b)
	}
}
