package main

import (
	"context"
	"log/slog"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
	"github.com/inkform/inkform/pdf"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/ui"
)

// newConsole wires the web console to the store. Its sign-in forms are
// signed with a key derived from the store's secret key, which every node
// of a deployment shares, so a form fetched from one node signs in on
// another. Cookies are Secure when browsers use HTTPS: TLS here or at the
// load balancer.
//
// The verification station reads documents, forms and cutouts through
// the same services as the API (cutouts is the API's, so both share one
// cache; blobs holds the forms' backgrounds) and works through the same workflow (newVerification), so a
// person's corrections meet the API's rules and its leases. The documents, quarantine and jobs pages
// use the API's services too, and parse quarantined ink with the API's limits.
// Forms filled on tablets are captured as the API's digital submissions are.
func newConsole(db *sqlstore.DB, blobs inkform.BlobStore, cutouts inkform.CutoutService, cfg *serveConfig, logger *slog.Logger) (*ui.Server, error) {
	vf := newVerification(db)
	key, err := cfg.store.secretKey()
	if err != nil {
		return nil, err
	}
	// Single sign-on's orgs are named at start, so a typo stops the server
	// rather than every sign-in.
	sso, err := cfg.sso.build(context.Background(), db)
	if err != nil {
		return nil, err
	}
	return &ui.Server{
		Users: db, Orgs: db, Sessions: db, Audit: db, TOTP: db, SSO: sso,
		Documents: db, Forms: db, Cutouts: cutouts, Blobs: blobs,
		Verification: vf.Service, Leases: vf.Leases, Entries: vf.Entries,
		Purger: db, Renders: db, Capture: db, Quarantine: db, Jobs: db,
		Printer: pdf.Printer{}, Subscriptions: db, Tokens: db,
		InkParser:      inkml.Parser{Limits: cfg.limits().Configured()},
		Logger:         logger,
		Key:            key,
		SecureCookies:  cfg.TLSCert != "" || cfg.BehindTLSProxy,
		TrustedProxies: cfg.TrustedProxies,
	}, nil
}
