package sqlstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
)

// SecretKeySize is the length of Options.SecretKey: an AES-256 key.
const SecretKeySize = 32

// sealedPrefix marks a secret stored encrypted (AES-256-GCM); the rest is
// base64 of nonce ‖ ciphertext.
const sealedPrefix = "aesgcm:v1:"

// sealSecret encrypts a secret that must be stored but read back (a
// webhook signing key cannot be hashed: the sender needs it). The row's
// identity is the associated data, so a sealed value copied into another
// row does not open. Without a key it returns the secret as is; the server
// always configures one (cmd/inkform), this is for library use and tests.
func (db *DB) sealSecret(secret, rowID string) (string, error) {
	if len(db.opts.SecretKey) == 0 {
		return secret, nil
	}
	aead, err := newAEAD(db.opts.SecretKey)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(secret)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal secret: %w", err)
	}
	sealed := aead.Seal(nonce, nonce, []byte(secret), []byte(rowID))
	return sealedPrefix + base64.StdEncoding.EncodeToString(sealed), nil
}

// openSecret reverses sealSecret.
func (db *DB) openSecret(stored, rowID string) (string, error) {
	if !strings.HasPrefix(stored, sealedPrefix) {
		return stored, nil // stored without a key
	}
	if len(db.opts.SecretKey) == 0 {
		return "", fmt.Errorf("open secret: it is encrypted, but no secret key is configured (--secret-key)")
	}
	aead, err := newAEAD(db.opts.SecretKey)
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if err != nil || len(raw) < aead.NonceSize() {
		return "", fmt.Errorf("open secret: malformed")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(rowID))
	if err != nil {
		return "", fmt.Errorf("open secret: wrong secret key, or the value was altered")
	}
	return string(plain), nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("secret key must be %d bytes, not %d", SecretKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
