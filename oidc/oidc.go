// Package oidc signs people in to the console through an OpenID Connect
// provider (inkform.SingleSignOn), with github.com/coreos/go-oidc/v3 and
// golang.org/x/oauth2: discovery, the authorization code flow with PKCE,
// and verification of the ID token's signature, issuer, audience, expiry
// and nonce. Matching the identity to a user is the console's business.
package oidc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/inkform/inkform"
)

// Config is the operator's provider.
type Config struct {
	Name         string // as people know it: "Sign in with Name"
	Issuer       string // the issuer URL, whose discovery document names the rest
	ClientID     string
	ClientSecret string
	RedirectURL  string // https://inkform.example.org/login/sso/callback
	// HTTPClient talks to the provider (nil: one with a 10-second timeout).
	HTTPClient *http.Client
}

// Provider is an OpenID Connect provider. It reads the discovery document
// on first use, not at start, so a server starts while its provider is
// down; a failed discovery is tried again on the next sign-in.
type Provider struct {
	cfg Config

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *gooidc.IDTokenVerifier
}

var _ inkform.SingleSignOn = (*Provider)(nil)

// New returns the provider of cfg.
func New(cfg Config) *Provider {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return &Provider{cfg: cfg}
}

// Name implements inkform.SingleSignOn.
func (p *Provider) Name() string { return p.cfg.Name }

// discover returns the OAuth2 configuration and verifier, reading the
// discovery document the first time.
func (p *Provider) discover(ctx context.Context) (*oauth2.Config, *gooidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth != nil {
		return p.oauth, p.verifier, nil
	}
	// The provider keeps the context for fetching keys later, so it gets
	// one without the request's deadline.
	prov, err := gooidc.NewProvider(gooidc.ClientContext(context.WithoutCancel(ctx), p.cfg.HTTPClient), p.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("discover %s: %w", p.cfg.Issuer, err)
	}
	p.oauth = &oauth2.Config{
		ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: p.cfg.RedirectURL,
		Endpoint: prov.Endpoint(), Scopes: []string{gooidc.ScopeOpenID, "email", "profile"},
	}
	p.verifier = prov.Verifier(&gooidc.Config{ClientID: p.cfg.ClientID})
	return p.oauth, p.verifier, nil
}

// AuthURL implements inkform.SingleSignOn.
func (p *Provider) AuthURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	conf, _, err := p.discover(ctx)
	if err != nil {
		return "", err
	}
	return conf.AuthCodeURL(state, gooidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// maxClaims bounds the ID token this package verifies and reads.
const maxClaims = 64 << 10

// claims are the ID token's claims that inkform reads. email_verified is
// a boolean by the standard; some providers send the string "true".
type claims struct {
	Email         string          `json:"email"`
	EmailVerified json.RawMessage `json:"email_verified"`
	Name          string          `json:"name"`
}

// Exchange implements inkform.SingleSignOn.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce string) (*inkform.Identity, error) {
	conf, idv, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	if code == "" {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "no authorization code")
	}
	ctx = gooidc.ClientContext(ctx, p.cfg.HTTPClient)
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "exchange the authorization code: %v", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "the token response has no ID token")
	}
	if len(raw) > maxClaims {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "the ID token is too large")
	}
	idt, err := idv.Verify(ctx, raw)
	if err != nil {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "verify the ID token: %v", err)
	}
	if idt.Nonce != nonce {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "the ID token's nonce is not this sign-in's")
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "read the ID token's claims: %v", err)
	}
	verified := strings.Trim(string(c.EmailVerified), `"`) == "true"
	return &inkform.Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: c.Email, EmailVerified: verified, Name: c.Name}, nil
}
