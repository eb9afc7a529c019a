package fake

import (
	"context"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.TOTPStore = (*TOTP)(nil)

// TOTP is an in-memory TOTPStore. It needs Users, to check that a second
// factor's user is of its org.
type TOTP struct {
	Users *Users

	mu       sync.Mutex
	byUser   map[string]*inkform.TOTP       // org/user → second factor
	recovery map[string]map[string]struct{} // org/user → hashes
	required map[string]bool                // org → rule
}

func totpKey(orgID, userID string) string { return orgID + "/" + userID }

// FindTOTP implements inkform.TOTPStore.
func (f *TOTP) FindTOTP(ctx context.Context, orgID, userID string) (*inkform.TOTP, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.byUser[totpKey(orgID, userID)]
	if !ok {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "second factor not found")
	}
	c := *t
	c.RecoveryCodes = len(f.recovery[totpKey(orgID, userID)])
	return &c, nil
}

// BeginTOTP implements inkform.TOTPStore.
func (f *TOTP) BeginTOTP(ctx context.Context, orgID, userID, secret string) error {
	if !f.Users.exists(orgID, userID) {
		return inkform.Errorf(inkform.ENOTFOUND, "user not found")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.byUser[totpKey(orgID, userID)]; ok && t.Enrolled() {
		return inkform.Errorf(inkform.ECONFLICT, "the user has a second factor already")
	}
	if f.byUser == nil {
		f.byUser = map[string]*inkform.TOTP{}
	}
	f.byUser[totpKey(orgID, userID)] = &inkform.TOTP{OrgID: orgID, UserID: userID, Secret: secret, CreatedAt: now()}
	return nil
}

// ConfirmTOTP implements inkform.TOTPStore.
func (f *TOTP) ConfirmTOTP(ctx context.Context, orgID, userID, secret string, step int64, recoveryHashes []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.byUser[totpKey(orgID, userID)]
	switch {
	case !ok:
		return inkform.Errorf(inkform.ENOTFOUND, "no second factor is being set up")
	case t.Enrolled():
		return inkform.Errorf(inkform.ECONFLICT, "the user has a second factor already")
	case t.Secret != secret:
		return inkform.Errorf(inkform.ECONFLICT, "the second factor being set up was replaced; start again")
	}
	t.ConfirmedAt, t.LastStep = now(), step
	if f.recovery == nil {
		f.recovery = map[string]map[string]struct{}{}
	}
	codes := map[string]struct{}{}
	for _, h := range recoveryHashes {
		codes[h] = struct{}{}
	}
	f.recovery[totpKey(orgID, userID)] = codes
	return nil
}

// UseTOTPStep implements inkform.TOTPStore.
func (f *TOTP) UseTOTPStep(ctx context.Context, orgID, userID string, step int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.byUser[totpKey(orgID, userID)]
	switch {
	case !ok || !t.Enrolled():
		return inkform.Errorf(inkform.ENOTFOUND, "second factor not found")
	case step <= t.LastStep:
		return inkform.Errorf(inkform.ECONFLICT, "this code was used already")
	}
	t.LastStep = step
	return nil
}

// UseRecoveryCode implements inkform.TOTPStore.
func (f *TOTP) UseRecoveryCode(ctx context.Context, orgID, userID, hash string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	codes := f.recovery[totpKey(orgID, userID)]
	if _, ok := codes[hash]; !ok {
		return inkform.Errorf(inkform.ENOTFOUND, "recovery code not found")
	}
	delete(codes, hash)
	return nil
}

// DeleteTOTP implements inkform.TOTPStore.
func (f *TOTP) DeleteTOTP(ctx context.Context, orgID, userID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.byUser[totpKey(orgID, userID)]; !ok {
		return inkform.Errorf(inkform.ENOTFOUND, "second factor not found")
	}
	delete(f.byUser, totpKey(orgID, userID))
	delete(f.recovery, totpKey(orgID, userID))
	return nil
}

// TOTPRequired implements inkform.TOTPStore.
func (f *TOTP) TOTPRequired(ctx context.Context, orgID string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.required[orgID], nil
}

// SetTOTPRequired implements inkform.TOTPStore. Unlike sqlstore it does
// not check that the org exists: the fake has no orgs.
func (f *TOTP) SetTOTPRequired(ctx context.Context, orgID string, required bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.required == nil {
		f.required = map[string]bool{}
	}
	f.required[orgID] = required
	return nil
}
