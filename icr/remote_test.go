package icr

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// fixedRecognizer answers every request with the same reading.
type fixedRecognizer struct{ rec inkform.Recognition }

func (f fixedRecognizer) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	return f.rec, nil
}

func TestRemote(t *testing.T) {
	t.Parallel()
	req := inkform.RecognizeRequest{
		Charset: inkform.CharsetDigits,
		Strokes: []inkform.Stroke{{Points: []inkform.Point{{X: 1.5, Y: 2, T: 10}, {X: 3, Y: 4.25, T: 20}}}},
	}
	fallback := fixedRecognizer{inkform.Recognition{Text: "fallback", Confidence: 0.1}}
	good := `{"text":"42","confidence":0.97,"chars":[{"candidates":[{"char":"4","p":0.98},{"char":"9","p":0.02}]},{"candidates":[{"char":"2","p":0.99}]}]}`
	tests := []struct {
		name     string
		status   int
		body     string
		delay    time.Duration
		fallback inkform.Recognizer
		want     string // Text, or "" when an error is expected
	}{
		{"ok", 200, good, 0, fallback, "42"},
		{"server error falls back", 503, `{}`, 0, fallback, "fallback"},
		{"timeout falls back", 200, good, 5 * time.Second, fallback, "fallback"},
		{"bad json falls back", 200, `{"text":`, 0, fallback, "fallback"},
		{"bad confidence falls back", 200, `{"text":"1","confidence":7}`, 0, fallback, "fallback"},
		{"bad candidate falls back", 200, `{"text":"1","confidence":0.5,"chars":[{"candidates":[{"char":"12","p":0.5}]}]}`, 0, fallback, "fallback"},
		{"no fallback is an error", 500, `{}`, 0, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Authorization") != "Bearer s3cret" {
					http.Error(w, "bad request shape", http.StatusBadRequest)
					return
				}
				var got RemoteRequest
				if err := json.NewDecoder(r.Body).Decode(&got); err != nil || got.Charset != "digits" || len(got.Strokes) != 1 || got.Strokes[0][1] != [3]float64{3, 4.25, 20} {
					http.Error(w, "bad body", http.StatusBadRequest)
					return
				}
				_, _ = io.Copy(io.Discard, r.Body)
				select {
				case <-time.After(tt.delay):
				case <-r.Context().Done():
					return
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			// Generous for answers that come at once (the machine may be
			// busy), short against the one that never does.
			timeout := 5 * time.Second
			if tt.delay > 0 {
				timeout = 100 * time.Millisecond
			}
			r := &Remote{URL: srv.URL, Timeout: timeout, Token: "s3cret", Fallback: tt.fallback, Client: srv.Client()}
			rec, err := r.Recognize(context.Background(), req)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %+v, want an error", rec)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Text != tt.want {
				t.Fatalf("text %q, want %q", rec.Text, tt.want)
			}
			if tt.want == "42" && (rec.Confidence != 0.97 || len(rec.Chars) != 2 || rec.Chars[0].Candidates[1] != (inkform.Candidate{Char: '9', P: 0.02})) {
				t.Fatalf("got %+v", rec)
			}
		})
	}
}

func TestRemoteCancelledContextDoesNotFallBack(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server notices the client hanging up only once the body is
		// consumed.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	r := &Remote{URL: srv.URL, Timeout: 5 * time.Second, Fallback: fixedRecognizer{inkform.Recognition{Text: "x"}}, Client: srv.Client()}
	_, err := r.Recognize(ctx, inkform.RecognizeRequest{Charset: inkform.CharsetAlnum})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func TestRemoteSendsCells(t *testing.T) {
	t.Parallel()
	var got RemoteRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte(`{"text":"7","confidence":0.5}`))
	}))
	t.Cleanup(srv.Close)
	cell := []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 1}}}}
	r := &Remote{URL: srv.URL, Client: srv.Client()}
	rec, err := r.Recognize(context.Background(), inkform.RecognizeRequest{Charset: inkform.CharsetUpper, Cells: 2, CellStrokes: [][]inkform.Stroke{cell, nil}})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Text != "7" || got.Cells != 2 || len(got.CellStrokes) != 2 || len(got.CellStrokes[0]) != 1 || len(got.CellStrokes[1]) != 0 {
		t.Fatalf("rec %+v, request %+v", rec, got)
	}
	if !strings.EqualFold(string(got.Charset), "upper") {
		t.Fatalf("charset %q", got.Charset)
	}
}
