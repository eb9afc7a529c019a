package icr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// Remote defaults and limits.
const (
	DefaultRemoteTimeout = 5 * time.Second
	// MaxRemoteResponseBytes bounds what Remote reads from a service.
	MaxRemoteResponseBytes = 1 << 20
	maxRemoteChars         = 1000
)

// Remote is a Recognizer that asks another engine over HTTP: it POSTs the
// JSON RemoteRequest to URL and reads a RemoteResponse (docs/recognition.md
// describes both). When the service fails — unreachable, slower than
// Timeout, a non-2xx status, or an answer that does not parse — Remote
// returns Fallback's reading instead, so a broken plug-in delays
// documents but never loses them. Without a Fallback the failure is
// returned as an error and the job retries.
type Remote struct {
	URL string
	// Timeout bounds one call; zero means DefaultRemoteTimeout.
	Timeout time.Duration
	// Token, when set, is sent as "Authorization: Bearer <Token>".
	Token    string
	Fallback inkform.Recognizer
	// Client makes the calls; nil means http.DefaultClient.
	Client *http.Client
}

var _ inkform.Recognizer = (*Remote)(nil)

// RemoteRequest is the body Remote sends. A point is [x, y, t]: millimetres
// from the page's top-left corner (y downwards) and milliseconds.
type RemoteRequest struct {
	Charset inkform.Charset `json:"charset"`
	// Cells > 0 says the ink is already split into comb cells, one
	// entry of CellStrokes per cell (an empty cell has no strokes).
	Cells       int              `json:"cells"`
	Strokes     [][][3]float64   `json:"strokes"`
	CellStrokes [][][][3]float64 `json:"cellStrokes,omitempty"`
}

// RemoteResponse is the body Remote expects back. Chars is optional; when
// present each entry's candidates are ranked, most probable first.
type RemoteResponse struct {
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
	Chars      []struct {
		Candidates []struct {
			Char string  `json:"char"`
			P    float64 `json:"p"`
		} `json:"candidates"`
	} `json:"chars,omitempty"`
}

// Recognize implements inkform.Recognizer.
func (r *Remote) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	rec, err := r.call(ctx, req)
	if err == nil {
		return rec, nil
	}
	// A caller that gave up wants no answer, not a fallback one.
	if ctx.Err() != nil {
		return inkform.Recognition{}, fmt.Errorf("remote recognize: %w", ctx.Err())
	}
	if r.Fallback == nil {
		return inkform.Recognition{}, fmt.Errorf("remote recognize: %w", err)
	}
	rec, ferr := r.Fallback.Recognize(ctx, req)
	if ferr != nil {
		return inkform.Recognition{}, fmt.Errorf("remote recognize: %w; fallback: %w", err, ferr)
	}
	return rec, nil
}

func (r *Remote) call(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	body, err := json.Marshal(remoteRequest(req))
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("encode request: %w", err)
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultRemoteTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(body))
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("new request: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if r.Token != "" {
		hreq.Header.Set("Authorization", "Bearer "+r.Token)
	}
	client := r.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxRemoteResponseBytes))
		return inkform.Recognition{}, fmt.Errorf("post: status %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxRemoteResponseBytes+1))
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("read response: %w", err)
	}
	if len(data) > MaxRemoteResponseBytes {
		return inkform.Recognition{}, fmt.Errorf("read response: more than %d bytes", MaxRemoteResponseBytes)
	}
	var rr RemoteResponse
	if err := json.Unmarshal(data, &rr); err != nil {
		return inkform.Recognition{}, fmt.Errorf("decode response: %w", err)
	}
	return rr.recognition()
}

// recognition checks a response and converts it; a service that answers
// nonsense is treated like one that does not answer.
func (rr *RemoteResponse) recognition() (inkform.Recognition, error) {
	if !(rr.Confidence >= 0 && rr.Confidence <= 1) {
		return inkform.Recognition{}, fmt.Errorf("decode response: confidence %v outside 0..1", rr.Confidence)
	}
	if !utf8.ValidString(rr.Text) || utf8.RuneCountInString(rr.Text) > maxRemoteChars || len(rr.Chars) > maxRemoteChars {
		return inkform.Recognition{}, errors.New("decode response: text too long or not UTF-8")
	}
	rec := inkform.Recognition{Text: rr.Text, Confidence: rr.Confidence}
	for i, c := range rr.Chars {
		var cc inkform.CharCandidates
		for _, cand := range c.Candidates {
			r, n := utf8.DecodeRuneInString(cand.Char)
			if n == 0 || n != len(cand.Char) || r == utf8.RuneError || !(cand.P >= 0 && cand.P <= 1) {
				return inkform.Recognition{}, fmt.Errorf("decode response: char %d: bad candidate %q p=%v", i, cand.Char, cand.P)
			}
			cc.Candidates = append(cc.Candidates, inkform.Candidate{Char: r, P: cand.P})
		}
		rec.Chars = append(rec.Chars, cc)
	}
	return rec, nil
}

func remoteRequest(req inkform.RecognizeRequest) RemoteRequest {
	rr := RemoteRequest{Charset: req.Charset, Cells: req.Cells, Strokes: remoteStrokes(req.Strokes)}
	if req.Cells > 0 {
		rr.CellStrokes = make([][][][3]float64, len(req.CellStrokes))
		for i, c := range req.CellStrokes {
			rr.CellStrokes[i] = remoteStrokes(c)
		}
	}
	return rr
}

func remoteStrokes(strokes []inkform.Stroke) [][][3]float64 {
	out := make([][][3]float64, len(strokes))
	for i, s := range strokes {
		out[i] = make([][3]float64, len(s.Points))
		for j, p := range s.Points {
			out[i][j] = [3]float64{p.X, p.Y, float64(p.T)}
		}
	}
	return out
}
