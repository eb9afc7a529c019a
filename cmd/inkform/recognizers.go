package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
	"github.com/inkform/inkform/pipeline"
)

// recognizerConfig names the remote handwriting engines forms may choose.
type recognizerConfig struct {
	Remotes string
	Timeout time.Duration
	Token   string
}

func (c *recognizerConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Remotes, "remote-recognizers", "", "remote handwriting engines forms may name: name=URL,name=URL (docs/recognition.md)")
	fs.DurationVar(&c.Timeout, "remote-recognizer-timeout", icr.DefaultRemoteTimeout, "longest wait for a remote engine before the built-in engine reads the field")
	fs.StringVar(&c.Token, "remote-recognizer-token", "", "bearer token sent to remote engines (prefer the environment variable)")
}

// newRecognizers loads the built-in engine and the configured remotes.
func newRecognizers(c recognizerConfig, logger *slog.Logger) (*pipeline.Recognizers, error) {
	engine, err := icr.New()
	if err != nil {
		return nil, fmt.Errorf("load handwriting model: %w", err)
	}
	r := &pipeline.Recognizers{Builtin: engine, Named: map[string]inkform.Recognizer{}, Logger: logger}
	for _, entry := range strings.Split(c.Remotes, ",") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		name, rawURL, ok := strings.Cut(entry, "=")
		u, err := url.Parse(rawURL)
		if !ok || name == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--remote-recognizers: %q is not name=http(s)://host/path", entry)
		}
		r.Named[name] = &icr.Remote{URL: rawURL, Timeout: c.Timeout, Token: c.Token, Fallback: engine}
	}
	return r, nil
}
