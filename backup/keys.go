package backup

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/inkform/inkform"
)

// Parameters of the passphrase's key derivation: argon2id at RFC 9106's
// second recommended setting (64 MiB, 3 passes), so guessing passphrases
// of a stolen archive costs what guessing password hashes does.
const (
	kdfName       = "argon2id"
	cipherName    = "xchacha20-poly1305"
	kdfTime       = 3
	kdfMemoryKiB  = 64 * 1024
	kdfThreads    = 4
	saltSize      = 16
	maxKeysBytes  = 4096
	maxKDFMemory  = 1 << 20 // KiB: a manifest cannot ask a restore for more than 1 GiB
	maxKDFTime    = 20
	minPassphrase = 12
)

// ErrPassphrase is the error of a passphrase that does not open the keys
// of an archive (or of a keys file that was changed).
var ErrPassphrase = inkform.Errorf(inkform.EUNAUTHORIZED, "the passphrase does not open the archive's keys (wrong passphrase, or a damaged keys file)")

// sealKeys encrypts secret with a key derived from passphrase and returns
// the sealed bytes and their description (without the File part).
func sealKeys(secret, passphrase []byte) ([]byte, *Keys, error) {
	if len(passphrase) < minPassphrase {
		return nil, nil, inkform.Errorf(inkform.EINVALID, "the passphrase must be at least %d bytes", minPassphrase)
	}
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, err
	}
	k := &Keys{KDF: kdfName, Salt: hex.EncodeToString(salt), Time: kdfTime, MemoryKiB: kdfMemoryKiB,
		Threads: kdfThreads, Cipher: cipherName}
	aead, err := chacha20poly1305.NewX(k.derive(passphrase, salt))
	if err != nil {
		return nil, nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, err
	}
	return aead.Seal(nonce, nonce, secret, k.additional()), k, nil
}

// openKeys decrypts sealed bytes described by k.
func openKeys(k *Keys, sealed, passphrase []byte) ([]byte, error) {
	salt, _ := hex.DecodeString(k.Salt) // checked by validate
	aead, err := chacha20poly1305.NewX(k.derive(passphrase, salt))
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrPassphrase
	}
	nonce, box := sealed[:aead.NonceSize()], sealed[aead.NonceSize():]
	secret, err := aead.Open(nil, nonce, box, k.additional())
	if err != nil {
		return nil, ErrPassphrase
	}
	return secret, nil
}

func (k *Keys) derive(passphrase, salt []byte) []byte {
	return argon2.IDKey(passphrase, salt, k.Time, k.MemoryKiB, k.Threads, chacha20poly1305.KeySize)
}

// additional binds the parameters to the ciphertext, so that a changed
// manifest cannot make a restore derive a weaker key unnoticed.
func (k *Keys) additional() []byte {
	return fmt.Appendf(nil, "%s %s t=%d m=%d p=%d %s", Format, k.KDF, k.Time, k.MemoryKiB, k.Threads, k.Cipher)
}

func (k *Keys) validate() error {
	salt, err := hex.DecodeString(k.Salt)
	switch {
	case k.KDF != kdfName || k.Cipher != cipherName:
		return damaged("keys sealed with %s/%s; this inkform knows %s/%s", k.KDF, k.Cipher, kdfName, cipherName)
	case err != nil || len(salt) < saltSize:
		return damaged("the keys' salt is not valid")
	case k.Time < 1 || k.Time > maxKDFTime || k.MemoryKiB < 8*uint32(max(k.Threads, 1)) || k.MemoryKiB > maxKDFMemory || k.Threads < 1:
		return damaged("the keys' argon2id parameters are out of range")
	case k.File.Size > maxKeysBytes:
		return damaged("the keys file is larger than %d bytes", maxKeysBytes)
	}
	return validFile(k.File, KeysKey)
}
