package main

import (
	"log/slog"

	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/ui"
)

// newConsole wires the web console to the store. Its sign-in forms are
// signed with a key derived from the store's secret key, which every node
// of a deployment shares, so a form fetched from one node signs in on
// another. Cookies are Secure when browsers use HTTPS: TLS here or at the
// load balancer.
func newConsole(db *sqlstore.DB, cfg *serveConfig, logger *slog.Logger) (*ui.Server, error) {
	key, err := cfg.store.secretKey()
	if err != nil {
		return nil, err
	}
	return &ui.Server{
		Users: db, Orgs: db, Sessions: db, Audit: db,
		Logger:         logger,
		Key:            key,
		SecureCookies:  cfg.TLSCert != "" || cfg.BehindTLSProxy,
		TrustedProxies: cfg.TrustedProxies,
	}, nil
}
