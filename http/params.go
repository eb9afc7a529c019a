package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// Page sizes of list routes: the stores' (inkform.DefaultListLimit and
// MaxListLimit), which a limit beyond is refused rather than cut.
const (
	DefaultPageLimit = inkform.DefaultListLimit
	MaxPageLimit     = inkform.MaxListLimit
)

// pathID returns the path parameter name when it has the shape of an
// inkform ID. A malformed ID cannot name anything, so it is a 404 without
// asking the store (and without a query that could only fail).
func pathID(r *http.Request, name string) (string, error) {
	id := r.PathValue(name)
	if !inkform.ValidID(id) {
		shown := id
		if len(shown) > 40 { // the caller sent it; a few characters identify it
			shown = shown[:40] + "…"
		}
		return "", inkform.Errorf(inkform.ENOTFOUND, "no %s has the ID %q", idNoun(r), shown)
	}
	return id, nil
}

// idNoun names what a path ID refers to in messages, from the route.
func idNoun(r *http.Request) string {
	switch p := r.Pattern; {
	case strings.Contains(p, "/handlers/{id}"):
		return "handler"
	case strings.Contains(p, "/forms/"):
		return "form"
	case strings.Contains(p, "/documents/"):
		return "document"
	case strings.Contains(p, "/quarantine/"):
		return "quarantined submission"
	case strings.Contains(p, "/tokens/"):
		return "token"
	}
	return "resource"
}

// pageLimit reads ?limit=, DefaultPageLimit when absent.
func pageLimit(q url.Values) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return DefaultPageLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxPageLimit {
		return 0, invalidParam("limit", "must be an integer from 1 to %d", MaxPageLimit)
	}
	return n, nil
}

// cursorID reads an ID-valued query parameter such as ?after= or ?form=.
func cursorID(q url.Values, name string) (string, error) {
	v := q.Get(name)
	if v != "" && !inkform.ValidID(v) {
		return "", invalidParam(name, "must be an ID as returned by the API")
	}
	return v, nil
}

// timeParam reads an RFC 3339 query parameter; the zero time when absent.
func timeParam(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, invalidParam(name, "must be an RFC 3339 time such as 2026-01-31T08:00:00Z")
	}
	return t, nil
}

// invalidParam is an EINVALID error naming one query parameter, both in
// the detail and as a problem, so clients can show it next to the input.
func invalidParam(name, format string, args ...any) error {
	e := inkform.Errorf(inkform.EINVALID, "query parameter "+name+": "+format, args...)
	e.Problems = []inkform.Problem{{Path: name, Message: inkform.Errorf("", format, args...).Message}}
	return e
}

// nextCursor trims a list fetched with limit+1 items to limit and returns
// the cursor of the next page: the last ID shown, or "" when the extra item
// was not there (the end). Stores that only take a cursor and a limit thus
// need no count query.
func nextCursor[T any](items []T, limit int, id func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, id(items[len(items)-1])
}

// listWindow reads the parameters every list takes: the time range since
// (inclusive) and until (exclusive), the cursor after and the page limit.
func listWindow(q url.Values) (since, until time.Time, after string, limit int, err error) {
	if since, err = timeParam(q, "since"); err != nil {
		return
	}
	if until, err = timeParam(q, "until"); err != nil {
		return
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		err = invalidParam("until", "must be later than since")
		return
	}
	if after, err = cursorID(q, "after"); err != nil {
		return
	}
	limit, err = pageLimit(q)
	return
}
