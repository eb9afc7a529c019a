package sqlstore_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestTOTPLifecycle walks a second factor through enrolment, sign-ins,
// replays, recovery codes and a reset, on every database, with the secret
// sealed at rest and nothing visible to another org.
func TestTOTPLifecycle(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openDB(t, dsn, sqlstore.Options{SecretKey: bytes.Repeat([]byte{9}, sqlstore.SecretKeySize)})
		u := newSignInUser(t, db)
		other := newSignInUser(t, db)
		const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

		if _, err := db.FindTOTP(ctx, u.OrgID, u.ID); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Fatalf("FindTOTP before enrolment = %v, want ENOTFOUND", err)
		}
		if err := db.BeginTOTP(ctx, other.OrgID, u.ID, secret); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Fatalf("BeginTOTP for a user of another org = %v, want ENOTFOUND", err)
		}
		if err := db.BeginTOTP(ctx, u.OrgID, u.ID, "FIRSTSECRETFIRSTSECRET"); err != nil {
			t.Fatal(err)
		}
		if err := db.BeginTOTP(ctx, u.OrgID, u.ID, secret); err != nil {
			t.Fatalf("BeginTOTP again while enrolling: %v", err)
		}
		if n := db.Count(t, "user_totp", "secret = ?", secret); n != 0 {
			t.Fatal("the secret is stored in plain text")
		}
		got, err := db.FindTOTP(ctx, u.OrgID, u.ID)
		if err != nil || got.Secret != secret || got.Enrolled() {
			t.Fatalf("FindTOTP while enrolling = %+v, %v; want the second secret, not enrolled", got, err)
		}
		if err := db.UseTOTPStep(ctx, u.OrgID, u.ID, 5); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("UseTOTPStep before confirming = %v, want ENOTFOUND", err)
		}
		hashes := []string{inkform.HashRecoveryCode(u.ID, "aaaa-bbbb"), inkform.HashRecoveryCode(u.ID, "cccc-dddd")}
		// A code checked against the first secret, which the second
		// replaced meanwhile (another tab), proves nothing about it.
		if err := db.ConfirmTOTP(ctx, u.OrgID, u.ID, "FIRSTSECRETFIRSTSECRET", 100, hashes); inkform.ErrorCode(err) != inkform.ECONFLICT {
			t.Fatalf("ConfirmTOTP with the replaced secret = %v, want ECONFLICT", err)
		}
		if got, err := db.FindTOTP(ctx, u.OrgID, u.ID); err != nil || got.Enrolled() || got.RecoveryCodes != 0 {
			t.Fatalf("after confirming a replaced secret: %+v, %v; want still enrolling, no recovery codes", got, err)
		}
		if err := db.ConfirmTOTP(ctx, other.OrgID, u.ID, secret, 100, hashes); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Fatalf("ConfirmTOTP for a user of another org = %v, want ENOTFOUND", err)
		}
		if err := db.ConfirmTOTP(ctx, u.OrgID, u.ID, secret, 100, hashes); err != nil {
			t.Fatal(err)
		}
		if err := db.ConfirmTOTP(ctx, u.OrgID, u.ID, secret, 101, hashes); inkform.ErrorCode(err) != inkform.ECONFLICT {
			t.Errorf("ConfirmTOTP twice = %v, want ECONFLICT", err)
		}
		if err := db.BeginTOTP(ctx, u.OrgID, u.ID, secret); inkform.ErrorCode(err) != inkform.ECONFLICT {
			t.Errorf("BeginTOTP when enrolled = %v, want ECONFLICT", err)
		}
		got, err = db.FindTOTP(ctx, u.OrgID, u.ID)
		if err != nil || !got.Enrolled() || got.LastStep != 100 || got.RecoveryCodes != 2 {
			t.Fatalf("FindTOTP after confirming = %+v, %v; want enrolled at step 100 with 2 codes", got, err)
		}
		for _, tt := range []struct {
			step int64
			want string
		}{{100, inkform.ECONFLICT}, {99, inkform.ECONFLICT}, {101, ""}, {101, inkform.ECONFLICT}, {103, ""}} {
			if err := db.UseTOTPStep(ctx, u.OrgID, u.ID, tt.step); inkform.ErrorCode(err) != tt.want {
				t.Errorf("UseTOTPStep(%d) = %v, want %q", tt.step, err, tt.want)
			}
		}
		if err := db.UseTOTPStep(ctx, other.OrgID, u.ID, 200); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("UseTOTPStep in another org = %v, want ENOTFOUND", err)
		}
		if err := db.UseRecoveryCode(ctx, u.OrgID, u.ID, hashes[0]); err != nil {
			t.Fatal(err)
		}
		if err := db.UseRecoveryCode(ctx, u.OrgID, u.ID, hashes[0]); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("UseRecoveryCode twice = %v, want ENOTFOUND", err)
		}
		if err := db.UseRecoveryCode(ctx, other.OrgID, u.ID, hashes[1]); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("UseRecoveryCode in another org = %v, want ENOTFOUND", err)
		}
		if err := db.DeleteTOTP(ctx, other.OrgID, u.ID); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("DeleteTOTP in another org = %v, want ENOTFOUND", err)
		}
		if err := db.DeleteTOTP(ctx, u.OrgID, u.ID); err != nil {
			t.Fatal(err)
		}
		if n := db.Count(t, "user_recovery_codes", "user_id = ?", u.ID); n != 0 {
			t.Errorf("%d recovery codes left after a reset", n)
		}
		if _, err := db.FindTOTP(ctx, u.OrgID, u.ID); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("FindTOTP after a reset = %v, want ENOTFOUND", err)
		}
	})
}

// TestTOTPRequired: an org requires a second factor only once set, the
// rule can be lifted again, and it belongs to one org.
func TestTOTPRequired(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a, b := newOrg(t, db), newOrg(t, db)
		for _, step := range []struct {
			set, wantA bool
		}{{true, true}, {true, true}, {false, false}, {true, true}} {
			if err := db.SetTOTPRequired(ctx, a.ID, step.set); err != nil {
				t.Fatal(err)
			}
			if got, err := db.TOTPRequired(ctx, a.ID); err != nil || got != step.wantA {
				t.Errorf("TOTPRequired = %v, %v; want %v", got, err, step.wantA)
			}
		}
		if got, err := db.TOTPRequired(ctx, b.ID); err != nil || got {
			t.Errorf("TOTPRequired of another org = %v, %v; want false", got, err)
		}
		if err := db.SetTOTPRequired(ctx, "no-such-org", true); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("SetTOTPRequired of no org = %v, want ENOTFOUND", err)
		}
	})
}

// TestBeginTOTPConcurrently: enrolments of one user begun at once (two
// tabs, a double click) all succeed and leave one unconfirmed secret, one
// of theirs, on every database; the second factor confirmed is that one.
func TestBeginTOTPConcurrently(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openDB(t, dsn, sqlstore.Options{SecretKey: bytes.Repeat([]byte{9}, sqlstore.SecretKeySize)})
		u := newSignInUser(t, db)
		const n = 16
		secrets := map[string]bool{}
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			secret := fmt.Sprintf("JBSWY3DPEHPK3PXP%016d", i)
			secrets[secret] = true
			wg.Go(func() { errs <- db.BeginTOTP(ctx, u.OrgID, u.ID, secret) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("a concurrent BeginTOTP failed: %v", err)
			}
		}
		if got := db.Count(t, "user_totp", "org_id = ? AND user_id = ?", u.OrgID, u.ID); got != 1 {
			t.Fatalf("%d second factors after concurrent enrolments, want 1", got)
		}
		got, err := db.FindTOTP(ctx, u.OrgID, u.ID)
		if err != nil || !secrets[got.Secret] || got.Enrolled() {
			t.Fatalf("FindTOTP = %+v, %v; want one of the begun secrets, unconfirmed", got, err)
		}
		if err := db.ConfirmTOTP(ctx, u.OrgID, u.ID, got.Secret, 7, nil); err != nil {
			t.Fatal(err)
		}
		if again, err := db.FindTOTP(ctx, u.OrgID, u.ID); err != nil || again.Secret != got.Secret || !again.Enrolled() {
			t.Fatalf("after confirming: %+v, %v; want %s enrolled", again, err, got.Secret)
		}
	})
}

// TestSetTOTPRequiredConcurrently: an org's rule set from several places
// at once is never refused and stays one rule, on every database.
func TestSetTOTPRequiredConcurrently(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openDB(t, dsn, sqlstore.Options{})
		org := newOrg(t, db)
		const n = 16
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs <- db.SetTOTPRequired(ctx, org.ID, i%2 == 0) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("a concurrent SetTOTPRequired failed: %v", err)
			}
		}
		if got := db.Count(t, "org_totp_rules", "org_id = ?", org.ID); got != 1 {
			t.Fatalf("%d rules for the org, want 1", got)
		}
		if err := db.SetTOTPRequired(ctx, org.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, err := db.TOTPRequired(ctx, org.ID); err != nil || !got {
			t.Errorf("TOTPRequired after setting it = %v, %v", got, err)
		}
	})
}
