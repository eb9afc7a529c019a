package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
	"github.com/inkform/inkform/inkml"
)

// recognizeResult is one output line of `inkform recognize`. File, Text and
// Confidence are the contract; Error is added only for a file that could
// not be read.
type recognizeResult struct {
	File       string  `json:"file"`
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
	Error      string  `json:"error,omitempty"`
}

// runRecognize reads each FILE — an InkML document holding the ink of one
// free-text field — with the built-in engine and prints one JSON object per
// file, in the order given. The ink of all pages is read as one field and
// segmented into characters. A file that cannot be read gets a line with
// "error" and the command exits non-zero after the other files.
func runRecognize(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("recognize", "FILE...", stderr)
	charset := fs.String("charset", string(inkform.CharsetAlnum), "character set: digits, upper or alnum")
	files, err := parseArgs(fs, args, -1)
	if err != nil {
		return err
	}
	cs := inkform.Charset(*charset)
	switch cs {
	case inkform.CharsetDigits, inkform.CharsetUpper, inkform.CharsetAlnum:
	default:
		return fmt.Errorf("%w: --charset %q: want digits, upper or alnum", errUsage, *charset)
	}
	if len(files) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no FILE given", errUsage)
	}
	engine, err := icr.New()
	if err != nil {
		return fmt.Errorf("recognize: %w", err)
	}
	enc := json.NewEncoder(stdout)
	failed := 0
	for _, name := range files {
		res := recognizeResult{File: name}
		rec, err := recognizeFile(ctx, engine, name, cs)
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("recognize: %w", ctx.Err())
		case err != nil:
			failed++
			res.Error = err.Error()
		default:
			res.Text, res.Confidence = rec.Text, rec.Confidence
		}
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("recognize: write: %w", err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("recognize: %d of %d files could not be read", failed, len(files))
	}
	return nil
}

// recognizeFile reads one InkML file within the capture limits and
// recognises all its strokes as one free-text field.
func recognizeFile(ctx context.Context, r inkform.Recognizer, name string, cs inkform.Charset) (inkform.Recognition, error) {
	lim := inkml.DefaultLimits()
	f, err := os.Open(name)
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, lim.MaxBytes+1))
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("read: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return inkform.Recognition{}, fmt.Errorf("read: larger than %d bytes", lim.MaxBytes)
	}
	sub, err := inkml.Parse(data, lim)
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("parse: %w", err)
	}
	var strokes []inkform.Stroke
	for _, p := range sub.Pages {
		strokes = append(strokes, p.Strokes...)
	}
	rec, err := r.Recognize(ctx, inkform.RecognizeRequest{Strokes: strokes, Charset: cs})
	if err != nil {
		return inkform.Recognition{}, fmt.Errorf("recognize: %w", err)
	}
	return rec, nil
}
