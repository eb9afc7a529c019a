package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/examples"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/sqlstore"
)

const demoOrg = "demo"

// setupDemo makes sure the demo org and the sample form exist, creates a
// fresh admin token (a stored one cannot be shown again) and prints what to
// try next.
func setupDemo(ctx context.Context, db *sqlstore.DB, baseURL string, store storeConfig, w io.Writer) error {
	org, err := db.FindOrgByName(ctx, demoOrg)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		org, err = db.CreateOrg(ctx, demoOrg)
	}
	if err != nil {
		return fmt.Errorf("demo org: %w", err)
	}
	var tmpl inkform.FormTemplate
	if err := json.Unmarshal(examples.WoundCheckForm, &tmpl); err != nil {
		return fmt.Errorf("sample form: %w", err)
	}
	ref, err := db.ResolveAddress(ctx, org.ID, tmpl.Pages[0].Address)
	var formID string
	switch {
	case err == nil:
		formID = ref.FormID
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		form, err := db.CreateForm(ctx, org.ID, &tmpl)
		if err != nil {
			return fmt.Errorf("sample form: %w", err)
		}
		formID = form.ID
	default:
		return fmt.Errorf("sample form: %w", err)
	}
	_, secret, err := db.CreateToken(ctx, org.ID, inkform.RoleAdmin, "demo")
	if err != nil {
		return fmt.Errorf("demo token: %w", err)
	}
	signIn, err := demoUser(ctx, db, org.ID)
	if err != nil {
		return err
	}
	where := "SQLite in " + store.Data
	if store.DB != "" {
		where = "the database of --db"
	}
	fmt.Fprintf(w, `
inkform is running at %[1]s (%[2]s).

Demo org %[3]q, sample form "Wound check" (%[4]s, page address 70.3.12.5).
A new admin token for it, shown only now:

  export INKFORM_TOKEN=%[5]s

Try, from the repository's root in another terminal:

  # send the ink of a filled-in form, as a pen gateway would
  curl -s -H "Authorization: Bearer $INKFORM_TOKEN" -H 'Content-Type: application/inkml+xml' \
       --data-binary @examples/wound-check.inkml %[1]s/api/v1/ink

  # list documents, then look at one (its id is in the answer above)
  curl -s -H "Authorization: Bearer $INKFORM_TOKEN" %[1]s/api/v1/documents
  curl -s -H "Authorization: Bearer $INKFORM_TOKEN" %[1]s/api/v1/documents/DOCUMENT_ID

  # the same form filled on a tablet
  curl -s -H "Authorization: Bearer $INKFORM_TOKEN" -H 'Content-Type: application/json' \
       -d '{"fields":{"patient_no":"004711","visit_date":"271126","dressing_changed":true,"pain":"some","signature":{"strokes":[{"points":[[5,10],[30,5],[60,15]]}]}}}' \
       %[1]s/api/v1/forms/%[4]s/submissions

  # validated documents in the order they were validated; ask again with ?after=NEXT
  curl -s -H "Authorization: Bearer $INKFORM_TOKEN" %[1]s/api/v1/forms/%[4]s/feed

  # have them POSTed to you, signed (Standard Webhooks); the answer holds the secret
  curl -s -H "Authorization: Bearer $INKFORM_TOKEN" -H 'Content-Type: application/json' \
       -d '{"type":"webhook","url":"https://example.org/inkform","events":["document.validated"]}' \
       %[1]s/api/v1/forms/%[4]s/handlers

The web console is at %[1]s/ — %[6]s

The API is described at %[1]s/api/v1/openapi.json; docs/ says more. Stop with Ctrl-C.
`, baseURL, where, org.Name, formID, secret, signIn)
	return nil
}

// demoEmail is the demo org's console user.
const demoEmail = "admin@demo.invalid"

// demoUser makes the demo's console user on the first demo start, with a
// random password shown only then (only its hash is stored), and says how
// to sign in.
func demoUser(ctx context.Context, db *sqlstore.DB, orgID string) (string, error) {
	if _, err := db.FindUserByEmail(ctx, orgID, demoEmail); err == nil {
		return "sign in as " + demoEmail + " with the password shown on the first demo start\n(or make another user: inkform user create --org demo --email you@example.org --role admin).", nil
	} else if inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return "", fmt.Errorf("demo user: %w", err)
	}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("demo user: %w", err)
	}
	password := base64.RawURLEncoding.EncodeToString(b[:])
	hash, err := passwd.Hash(password, passwd.DefaultParams)
	if err != nil {
		return "", fmt.Errorf("demo user: %w", err)
	}
	u := &inkform.User{OrgID: orgID, Email: demoEmail, Name: "Demo admin", Role: inkform.RoleAdmin, PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		return "", fmt.Errorf("demo user: %w", err)
	}
	return fmt.Sprintf("sign in as %s with the password %s (shown only now).", demoEmail, password), nil
}
