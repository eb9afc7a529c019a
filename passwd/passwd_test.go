package passwd

import (
	"strings"
	"testing"
)

// fast keeps tests quick; the format and checks are the same as DefaultParams.
var fast = Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashVerify(t *testing.T) {
	t.Parallel()
	h, err := Hash("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batterx", false},
		{"", false},
	}
	for _, tt := range tests {
		ok, err := Verify(tt.password, h)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.password, ok, err, tt.want)
		}
	}
	h2, _ := Hash("correct horse battery", fast)
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestHashRefusesShortAndLong(t *testing.T) {
	t.Parallel()
	if _, err := Hash("short", fast); err == nil {
		t.Error("short password accepted")
	}
	if _, err := Hash(strings.Repeat("x", MaxLength+1), fast); err == nil {
		t.Error("overlong password accepted")
	}
}

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	for _, phc := range []string{"", "$bcrypt$x", "$argon2id$v=19$m=1,t=1$a$b", "$argon2id$v=18$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=1024,t=1,p=1$!!$AAAA"} {
		if _, err := Verify("whatever password", phc); err == nil {
			t.Errorf("Verify accepted malformed %q", phc)
		}
	}
}
