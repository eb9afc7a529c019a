package http

import (
	"net"
	"net/http"
	"strings"
)

// hstsValue asks browsers to use HTTPS for two years, subdomains included.
const hstsValue = "max-age=63072000; includeSubDomains"

// SecurityHeaders sets the headers every response should carry: nosniff (a
// JSON body must never be sniffed as HTML), no framing, no referrer, and
// HSTS when hsts is true. Only set hsts when the server itself terminates
// TLS (or is always reached over HTTPS), since browsers remember it.
func SecurityHeaders(next http.Handler, hsts bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if hsts {
			h.Set("Strict-Transport-Security", hstsValue)
		}
		next.ServeHTTP(w, r)
	})
}

// RedirectHTTPS answers every plain-HTTP request with a 308 to the same
// host, path and query on HTTPS. addr is the HTTPS listen address (":443",
// "0.0.0.0:8443"); its port is added to the location unless it is 443. A
// 308 (not 301) keeps the method and body, so a misconfigured pen gateway
// that POSTs over HTTP is redirected rather than silently turned into a GET.
func RedirectHTTPS(addr string) http.Handler {
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "443" {
		port = ""
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		} else {
			host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		}
		if !validHost(host) {
			http.Error(w, "a valid Host header is required", http.StatusBadRequest)
			return
		}
		switch {
		case port != "":
			host = net.JoinHostPort(host, port)
		case strings.Contains(host, ":"):
			host = "[" + host + "]" // IPv6 literal
		}
		target := "https://" + host + r.URL.RequestURI()
		http.Redirect(w, r, target, http.StatusPermanentRedirect)
	})
}

// validHost accepts DNS names and IP literals, so a forged Host header
// cannot turn the redirect into something other than an https URL.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
