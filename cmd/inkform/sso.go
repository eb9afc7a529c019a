package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/oidc"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/ui"
)

// ssoConfig is the console's OpenID Connect provider (docs/configuration.md).
type ssoConfig struct {
	Issuer           string
	Name             string
	ClientID         string
	ClientSecret     string
	ClientSecretFile string
	RedirectURL      string
	Orgs             string
	Role             string
	Domains          string
}

func (c *ssoConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Issuer, "oidc-issuer", "", "single sign-on: the OpenID Connect provider's issuer URL (empty: no single sign-on)")
	fs.StringVar(&c.Name, "oidc-name", "single sign-on", "single sign-on: the provider's name on the sign-in page (\"Sign in with NAME\")")
	fs.StringVar(&c.ClientID, "oidc-client-id", "", "single sign-on: inkform's client ID at the provider")
	fs.StringVar(&c.ClientSecret, "oidc-client-secret", "", "single sign-on: the client secret (set this variable, or --oidc-client-secret-file, instead of the flag)")
	fs.StringVar(&c.ClientSecretFile, "oidc-client-secret-file", "", "single sign-on: a file holding the client secret")
	fs.StringVar(&c.RedirectURL, "oidc-redirect-url", "", "single sign-on: the callback URL registered at the provider, https://HOST/login/sso/callback")
	fs.StringVar(&c.Orgs, "oidc-orgs", "", "single sign-on: comma-separated names of the orgs whose users may sign in through the provider; new people join the first")
	fs.StringVar(&c.Role, "oidc-role", "", "single sign-on: role of people signing in whom no mapped org knows (empty: refuse them)")
	fs.StringVar(&c.Domains, "oidc-domains", "", "single sign-on: comma-separated e-mail domains that may sign in (empty: any the provider verified)")
}

// build returns the console's single sign-on, nil when none is set up.
// The orgs must exist; the secret is read here and never logged.
func (c *ssoConfig) build(ctx context.Context, db *sqlstore.DB) (*ui.SSO, error) {
	if c.Issuer == "" {
		return nil, nil
	}
	secret := c.ClientSecret
	if c.ClientSecretFile != "" {
		data, err := os.ReadFile(c.ClientSecretFile)
		if err != nil {
			return nil, fmt.Errorf("--oidc-client-secret-file: %w", err)
		}
		secret = strings.TrimSpace(string(data))
	}
	if c.ClientID == "" || secret == "" || c.RedirectURL == "" || c.Orgs == "" {
		return nil, errors.New("--oidc-issuer needs --oidc-client-id, a client secret, --oidc-redirect-url and --oidc-orgs")
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || u.Path != "/login/sso/callback" {
		return nil, fmt.Errorf("--oidc-redirect-url must end in /login/sso/callback, not %q", c.RedirectURL)
	}
	if c.Role != "" && !inkform.Role(c.Role).Valid() {
		return nil, fmt.Errorf("--oidc-role: unknown role %q", c.Role)
	}
	sso := &ui.SSO{Role: inkform.Role(c.Role), Domains: splitList(strings.ToLower(c.Domains))}
	for _, name := range splitList(c.Orgs) {
		org, err := findOrg(ctx, db, name)
		if err != nil {
			return nil, fmt.Errorf("--oidc-orgs: %w", err)
		}
		sso.Orgs = append(sso.Orgs, org.ID)
	}
	sso.Provider = oidc.New(oidc.Config{Name: c.Name, Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: secret, RedirectURL: c.RedirectURL})
	return sso, nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
