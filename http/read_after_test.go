package http

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// TestReadYourWrites follows a client through a write and the reads after
// it: the write's answer carries its time, and a read that brings it back
// (cookie or header) demands a replica that holds it.
func TestReadYourWrites(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	s := &Server{now: func() time.Time { return now }}
	var seen time.Time
	var demanded bool
	h := s.readYourWrites(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, demanded = inkform.ReadAfter(r.Context())
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		w.WriteHeader(max(code, 200))
	}))
	serve := func(req *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	stamp := strconv.FormatInt(now.UnixMicro(), 10)

	// A write reads from the primary and stamps its answer.
	rec := serve(httptest.NewRequest("PATCH", "/api/v1/documents/x", nil))
	if !demanded || !seen.After(now.AddDate(100, 0, 0)) {
		t.Errorf("a write's reads: ReadAfter = %v, %v; want the primary", seen, demanded)
	}
	if got := rec.Header().Get(ReadAfterHeader); got != stamp {
		t.Errorf("write answer: %s = %q, want %q", ReadAfterHeader, got, stamp)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != readAfterCookie || cookies[0].Value != stamp || !cookies[0].HttpOnly {
		t.Fatalf("write answer cookies %v", cookies)
	}
	// A failed write stamps nothing.
	if rec := serve(httptest.NewRequest("PATCH", "/x?code=409", nil)); rec.Header().Get(ReadAfterHeader) != "" || len(rec.Result().Cookies()) != 0 {
		t.Errorf("a failed write was stamped: %v", rec.Header())
	}

	old := strconv.FormatInt(now.Add(-2*readAfterWindow).UnixMicro(), 10)
	future := strconv.FormatInt(now.Add(time.Hour).UnixMicro(), 10)
	tests := []struct {
		name         string
		cookie, hdr  string
		wantDemanded bool
		want         time.Time
	}{
		{"no write", "", "", false, time.Time{}},
		{"the cookie", stamp, "", true, now},
		{"the header", "", stamp, true, now},
		{"a write long ago", old, "", false, time.Time{}},
		{"a time from the future counts as now", "", future, true, now},
		{"garbage", "x", "", false, time.Time{}},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", "/api/v1/documents", nil)
		if tt.cookie != "" {
			req.AddCookie(&http.Cookie{Name: readAfterCookie, Value: tt.cookie})
		}
		if tt.hdr != "" {
			req.Header.Set(ReadAfterHeader, tt.hdr)
		}
		rec := serve(req)
		if demanded != tt.wantDemanded || !seen.Equal(tt.want) {
			t.Errorf("%s: ReadAfter = %v, %v; want %v, %v", tt.name, seen, demanded, tt.want, tt.wantDemanded)
		}
		if rec.Header().Get(ReadAfterHeader) != "" {
			t.Errorf("%s: a read was stamped", tt.name)
		}
	}
}
