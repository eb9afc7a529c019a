package http

import (
	"crypto/sha256"
	"net/http"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/throttle"
)

// Bad tokens from one client address: authFailureBurst at once, then one
// per authFailureEvery. A gateway with a stale token retries far slower;
// a guesser's 8,000 tries in 10 s become about 30.
const (
	authFailureBurst = 20
	authFailureEvery = time.Second
)

// maxSecretLength bounds what is hashed and looked up: real secrets are 36
// characters, so anything far longer is not a token and not worth a query.
const maxSecretLength = 128

// authorize authenticates the request's bearer token and checks that its
// role grants perm. It records the caller's org for the request log.
func (s *Server) authorize(r *http.Request, perm inkform.Permission) (*inkform.Principal, error) {
	p, err := s.authenticate(r)
	if err != nil {
		return nil, err
	}
	if info := requestInfoFrom(r.Context()); info != nil {
		info.orgID = p.OrgID
	}
	if !p.Role.Can(perm) {
		return nil, inkform.Errorf(inkform.EFORBIDDEN,
			"the role %q does not have the permission %q", p.Role, perm)
	}
	return p, nil
}

// authenticate turns "Authorization: Bearer ifk_…" into a Principal. Error
// messages never repeat the secret: problem bodies end up in client logs.
func (s *Server) authenticate(r *http.Request) (*inkform.Principal, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED,
			"this route needs an API token: send the header Authorization: Bearer %s…", inkform.TokenPrefix)
	}
	scheme, secret, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "the Authorization header must use the Bearer scheme")
	}
	secret = strings.TrimSpace(secret)
	key := sha256.Sum256([]byte(secret))
	tok, ok := s.tokens.get(key)
	if ok && !tok.Live(s.now()) {
		// Expired while cached: ask the store, which refuses it.
		ok = false
	}
	if !ok {
		// A token known good skips the limiter, so one client's bad
		// token does not lock out others behind the same address.
		// The failure is spent before the check and given back unless the
		// token was bad: checking with Allow and recording after would let
		// parallel requests all pass before the first failure counted.
		client := throttle.AddressKey(s.clientAddr(r))
		if ok, wait := s.authFailures.Take(client); !ok {
			e := inkform.Errorf(inkform.ETOOMANY, "too many bad tokens from this address; try again in %s", wait.Round(time.Second))
			e.RetryAfter = wait
			return nil, e
		}
		if !strings.HasPrefix(secret, inkform.TokenPrefix) || len(secret) > maxSecretLength {
			return nil, inkform.Errorf(inkform.EUNAUTHORIZED,
				"the bearer token is not an inkform API token (those start with %s)", inkform.TokenPrefix)
		}
		t, err := s.Tokens.Authenticate(r.Context(), secret)
		if inkform.ErrorCode(err) != inkform.EUNAUTHORIZED {
			s.authFailures.Refund(client)
		}
		if err != nil {
			return nil, err
		}
		tok = *t
		s.tokens.put(key, tok)
	}
	return &inkform.Principal{OrgID: tok.OrgID, Role: tok.Role, TokenID: tok.ID}, nil
}
