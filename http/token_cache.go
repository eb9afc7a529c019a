package http

import (
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// tokenCacheSize caps the authentication cache. Deployments have tens or
// hundreds of tokens; the cap only matters when someone floods the server
// with valid tokens of many orgs, and then the cost is a lookup, not memory.
const tokenCacheSize = 4096

// tokenCache remembers successful token lookups for a short time so that a
// burst of pen submissions costs one database query per token, not one per
// request. It is keyed by the SHA-256 of the secret, so the secret itself is
// never held. Failed lookups are not cached: a brand-new token must work at
// once, and a bad secret is as cheap to look up as a good one.
type tokenCache struct {
	ttl time.Duration // <= 0 disables the cache
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[[32]byte]tokenCacheEntry
}

type tokenCacheEntry struct {
	token   inkform.Token
	expires time.Time
}

func newTokenCache(ttl time.Duration, max int, now func() time.Time) *tokenCache {
	return &tokenCache{ttl: ttl, max: max, now: now, entries: make(map[[32]byte]tokenCacheEntry)}
}

// get returns the cached token for the secret's hash, if fresh.
func (c *tokenCache) get(key [32]byte) (inkform.Token, bool) {
	if c.ttl <= 0 {
		return inkform.Token{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return inkform.Token{}, false
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, key)
		return inkform.Token{}, false
	}
	return e.token, true
}

// put caches a token. When the cache is full it first drops expired
// entries and then, if still full, arbitrary ones: a miss only costs a
// lookup, so no LRU bookkeeping is worth its locking.
func (c *tokenCache) put(key [32]byte, t inkform.Token) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.max {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries {
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[key] = tokenCacheEntry{token: t, expires: now.Add(c.ttl)}
}

// forget drops a revoked token so this node refuses it at once; other nodes
// refuse it when their entry expires.
func (c *tokenCache) forget(orgID, tokenID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.token.ID == tokenID && e.token.OrgID == orgID {
			delete(c.entries, k)
		}
	}
}

// len returns the number of cached entries, fresh or not.
func (c *tokenCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
