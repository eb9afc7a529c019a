package inkform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"time"
)

// TOTP is a password user's second factor: a time-based one-time password
// (RFC 6238) from an authenticator app. It is enrolling until the person
// types a first code (ConfirmedAt zero), enrolled after; only an enrolled
// one is asked for at sign-in.
type TOTP struct {
	OrgID  string
	UserID string
	// Secret is the shared key in base32, as authenticator apps take it.
	// Stores keep it encrypted with the server's secret key.
	Secret      string
	CreatedAt   time.Time
	ConfirmedAt time.Time // zero while enrolling
	// LastStep is the time step (Unix seconds / 30) of the last code that
	// was accepted; a code of this step or an earlier one is a replay.
	LastStep int64
	// RecoveryCodes is how many unused recovery codes the user has.
	RecoveryCodes int
}

// Enrolled reports whether the person has confirmed the secret with a code.
func (t *TOTP) Enrolled() bool { return !t.ConfirmedAt.IsZero() }

// TOTPStore keeps second factors and each org's rule about them. Every
// method is scoped by org.
type TOTPStore interface {
	// FindTOTP returns the user's second factor, enrolling or enrolled;
	// ENOTFOUND when the user has none.
	FindTOTP(ctx context.Context, orgID, userID string) (*TOTP, error)
	// BeginTOTP stores a new secret for the user, not yet confirmed, in
	// place of an earlier unconfirmed one; ECONFLICT when the user is
	// enrolled already, ENOTFOUND when the org has no such user.
	BeginTOTP(ctx context.Context, orgID, userID, secret string) error
	// ConfirmTOTP enrols the user: the unconfirmed secret becomes the
	// second factor, step is recorded as used, and the recovery codes
	// (HashRecoveryCode of each) replace any earlier ones. secret is the
	// one the code was checked against: ECONFLICT when another BeginTOTP
	// (say, in a second tab) has replaced it since, so that nobody is
	// enrolled with a secret their app does not hold. ECONFLICT also when
	// the user is enrolled already, ENOTFOUND when there is no secret.
	ConfirmTOTP(ctx context.Context, orgID, userID, secret string, step int64, recoveryHashes []string) error
	// UseTOTPStep records that the code of step signed the user in;
	// ECONFLICT when a code of that step or a later one was used already,
	// so each code works once. ENOTFOUND when the user is not enrolled.
	UseTOTPStep(ctx context.Context, orgID, userID string, step int64) error
	// UseRecoveryCode spends one of the user's recovery codes (by its
	// hash); ENOTFOUND when the user has no such unused code.
	UseRecoveryCode(ctx context.Context, orgID, userID, hash string) error
	// DeleteTOTP removes the user's second factor and recovery codes (an
	// admin's reset); ENOTFOUND when the user has none.
	DeleteTOTP(ctx context.Context, orgID, userID string) error
	// TOTPRequired reports whether the org requires its password users to
	// have a second factor (false until an admin says so).
	TOTPRequired(ctx context.Context, orgID string) (bool, error)
	// SetTOTPRequired sets the org's rule; ENOTFOUND when there is no
	// such org.
	SetTOTPRequired(ctx context.Context, orgID string, required bool) error
}

// RecoveryCodeCount is how many recovery codes an enrolment gives.
const RecoveryCodeCount = 10

// MaxRecoveryCodeLength bounds what is hashed as a typed recovery code.
const MaxRecoveryCodeLength = 64

// recoveryEncoding writes recovery codes in lower-case base32 without the
// letters people confuse least: it is read off paper and typed again.
var recoveryEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewRecoveryCode returns a random recovery code of 80 bits in four
// groups, like "k3vq-7dxa-pm2h-ztw4".
func NewRecoveryCode() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	s := recoveryEncoding.EncodeToString(b[:])
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// HashRecoveryCode returns the hex SHA-256 of a recovery code as stored,
// bound to its user. The code is normalised first (case, spaces and
// hyphens do not matter), so it may be typed as a person reads it. A fast
// hash suffices: the code is random with 80 bits, there is no dictionary.
func HashRecoveryCode(userID, code string) string {
	code = strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, code)
	h := sha256.Sum256([]byte("inkform recovery code v1\x00" + userID + "\x00" + code))
	return hex.EncodeToString(h[:])
}

// Audit actions of second factors and single sign-on: enrolment, a reset
// by an admin, a wrong code, a recovery code spent, a sign-in through the
// identity provider and a user it made, an org's rule changed.
const (
	AuditUserTOTPEnrol    = "user.totp_enrol"
	AuditUserTOTPReset    = "user.totp_reset"
	AuditUserTOTPFail     = "user.totp_fail"
	AuditUserRecoveryUsed = "user.recovery_code_used"
	AuditUserSignInSSO    = "user.sign_in_sso"
	AuditUserCreateSSO    = "user.create_sso"
	AuditOrgRequireTOTP   = "org.require_totp"
)
