package inkform

import "context"

// Identity is who an identity provider says signed in: its subject, and
// the e-mail address with whether the provider verified it.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// SingleSignOn is an OpenID Connect provider the operator configured for
// the console (authorization code flow with PKCE). The console keeps the
// state, nonce and PKCE verifier between the two calls; the provider
// builds the URL the browser goes to and checks what comes back.
type SingleSignOn interface {
	// Name is the provider as people know it ("Sign in with Name").
	Name() string
	// AuthURL returns the provider's authorization URL for a sign-in
	// carrying state, nonce and the PKCE challenge of verifier.
	AuthURL(ctx context.Context, state, nonce, verifier string) (string, error)
	// Exchange trades the authorization code for tokens and returns the
	// identity of the verified ID token, whose nonce must be nonce;
	// EUNAUTHORIZED when the provider refuses or the token is not right.
	Exchange(ctx context.Context, code, verifier, nonce string) (*Identity, error)
}
