package ui

import (
	"net/http"
	"regexp"
)

// Path values (the {id}, {form}, {doc}, {version} … of a route's pattern)
// reach the stores as they are typed, so Register checks every one
// before any handler runs: a value outside its wildcard's alphabet, or
// longer than maxPathValue, answers 404 at once. IDs are UUIDs, numbers
// (jobs, deliveries, versions) or names (fields: letters, digits and
// underscores), so the rule refuses nothing that names something, and a
// route added later is held to it without doing anything.
const maxPathValue = 64

var (
	// pathWildcard finds a pattern's wildcards: {name}, {name...}, {$}.
	pathWildcard = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)
	// pathID is the alphabet of every wildcard but those in pathNames.
	pathID = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	// pathNames are wildcards that name fields, whose names may hold
	// underscores (inkform's field names: [A-Za-z][A-Za-z0-9_]*).
	pathNames = map[string]*regexp.Regexp{"name": regexp.MustCompile(`^[A-Za-z0-9_-]+$`)}
)

// pathWildcards returns the names of the pattern's single-segment
// wildcards; a {rest...} wildcard (static files' paths) is left to its
// handler, which must check it itself.
func pathWildcards(pattern string) []string {
	var names []string
	for _, m := range pathWildcard.FindAllStringSubmatch(pattern, -1) {
		if m[2] == "" {
			names = append(names, m[1])
		}
	}
	return names
}

// validPathValue reports whether value may be the path value of the
// wildcard name.
func validPathValue(name, value string) bool {
	re := pathNames[name]
	if re == nil {
		re = pathID
	}
	return len(value) <= maxPathValue && re.MatchString(value)
}

// checkPathIDs answers 404 for a request whose path values pattern's
// wildcards refuse, and passes the others to next.
func (s *Server) checkPathIDs(pattern string, next http.Handler) http.Handler {
	names := pathWildcards(pattern)
	if len(names) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, name := range names {
			if !validPathValue(name, r.PathValue(name)) {
				s.problem(w, r, nil, http.StatusNotFound, pathRefused)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// pathRefused is the answer to a path value no route could find.
const pathRefused = "There is no such page. Check the address."
