package sqlstore_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestSubscriptionSecretSealed: with a secret key, a webhook secret is stored
// encrypted, reads back whole, and does not open with another key.
func TestSubscriptionSecretSealed(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		key := bytes.Repeat([]byte{7}, sqlstore.SecretKeySize)
		db := openDB(t, dsn, sqlstore.Options{SecretKey: key})
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		secret := inkform.NewWebhookSecret()
		h := &inkform.Subscription{FormID: form.ID, Type: "webhook", URL: "https://example.com/hook", Events: []string{"document.validated"}}
		if err := db.CreateSubscription(ctx, org.ID, h, secret); err != nil {
			t.Fatal(err)
		}
		if n := db.Count(t, "handlers", "secret = ?", secret); n != 0 {
			t.Fatal("the secret is stored in plain text")
		}
		if n := db.Count(t, "handlers", "secret LIKE 'aesgcm:v1:%'"); n != 1 {
			t.Fatal("the secret is not stored sealed")
		}
		_, got, err := db.FindSubscriptionSecret(ctx, org.ID, h.ID)
		if err != nil || got != secret {
			t.Fatalf("FindSubscriptionSecret = %q, %v; want the secret back", got, err)
		}
		other := openDB(t, dsn, sqlstore.Options{SecretKey: bytes.Repeat([]byte{8}, sqlstore.SecretKeySize)})
		if _, _, err := other.FindSubscriptionSecret(ctx, org.ID, h.ID); err == nil || !strings.Contains(err.Error(), "wrong secret key") {
			t.Errorf("another key opened the secret: %v", err)
		}
		none := openDB(t, dsn, sqlstore.Options{})
		if _, _, err := none.FindSubscriptionSecret(ctx, org.ID, h.ID); err == nil {
			t.Error("no key opened the secret")
		}
	})
}
