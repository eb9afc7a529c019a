package main

import (
	"log/slog"

	"github.com/inkform/inkform"
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
// person's corrections meet the API's rules and its leases. Forms filled
// on tablets are captured as the API's digital submissions are.
func newConsole(db *sqlstore.DB, blobs inkform.BlobStore, cutouts inkform.CutoutService, cfg *serveConfig, logger *slog.Logger) (*ui.Server, error) {
	vf := newVerification(db)
	key, err := cfg.store.secretKey()
	if err != nil {
		return nil, err
	}
	return &ui.Server{
		Users: db, Orgs: db, Sessions: db, Audit: db,
		Documents: db, Forms: db, Cutouts: cutouts, Blobs: blobs,
		Verification: vf.Service, Leases: vf.Leases, Entries: vf.Entries,
		Capture: db, Renders: db,
		Logger:         logger,
		Key:            key,
		SecureCookies:  cfg.TLSCert != "" || cfg.BehindTLSProxy,
		TrustedProxies: cfg.TrustedProxies,
	}, nil
}
