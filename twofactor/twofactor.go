// Package twofactor makes and checks time-based one-time passwords
// (RFC 6238) for inkform's second factor, with github.com/pquerna/otp:
// 30-second steps, 6 digits, HMAC-SHA1 — what every authenticator app
// reads from a QR code. It knows nothing of users or storage; the console
// (package ui) keeps secrets through inkform.TOTPStore.
package twofactor

import (
	"bytes"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The code's parameters. Authenticator apps ignore anything but these
// defaults, so they are fixed.
const (
	Period = 30 // seconds per step
	Digits = 6
)

// Skew is how many steps before and after the current one a code may
// belong to: a phone's clock a little off, or a code typed as it turns.
const Skew = 1

// qrSize is the QR code's width and height in pixels.
const qrSize = 200

// Key is a new secret with what an authenticator app needs to add it.
type Key struct {
	Secret string // base32, no padding
	URL    string // otpauth://totp/…, the QR code's content
}

// NewKey returns a new random 160-bit secret for account (an e-mail
// address) under issuer (the name the app shows above the code).
func NewKey(issuer, account string) (*Key, error) { return generate(issuer, account, nil) }

// KeyFor returns the Key of an existing secret, to show its QR code again.
func KeyFor(issuer, account, secret string) (*Key, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return nil, fmt.Errorf("second factor key: malformed secret")
	}
	return generate(issuer, account, raw)
}

// generate makes a Key; a nil secret is a new random one.
func generate(issuer, account string, secret []byte) (*Key, error) {
	k, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: account, Period: Period, SecretSize: 20, Secret: secret,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return nil, fmt.Errorf("second factor key: %w", err)
	}
	return &Key{Secret: k.Secret(), URL: k.URL()}, nil
}

// QRCode returns the PNG of a QR code holding url.
func QRCode(url string) ([]byte, error) {
	k, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	img, err := k.Image(qrSize, qrSize)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// Step returns the time step of t.
func Step(t time.Time) int64 { return t.Unix() / Period }

// Code returns the code of secret at t, as the person's app shows it.
func Code(secret string, t time.Time) (string, error) {
	code, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{
		Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", fmt.Errorf("second factor code: %w", err)
	}
	return code, nil
}

// Check returns the step whose code code is, looking Skew steps either
// side of t's, and false when it is none of them (or not six digits).
// Which step matters: the caller refuses a step used before.
func Check(secret, code string, t time.Time) (int64, bool) {
	if len(code) != Digits {
		return 0, false
	}
	now := Step(t)
	for step := now - Skew; step <= now+Skew; step++ {
		want, err := Code(secret, time.Unix(step*Period, 0))
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}
