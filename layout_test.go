package inkform_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// allowedImports is the package map of docs/development.md as a rule: the
// packages of this module each package's non-test code may import. The
// root package holds the domain and imports none; each service package
// implements root interfaces with its own library and leans only on the
// leaves (ink, inkml, queue, throttle), never on a sibling service; only
// commands wire services together. A package missing here fails the test,
// so a new one gets its place in the map.
var allowedImports = map[string][]string{
	"":                            {},
	"backup":                      {""},
	"blob":                        {""},
	"cutout":                      {"", "ink"},
	"deliver":                     {""},
	"examples":                    {},
	"fake":                        {""},
	"http":                        {"", "ink", "inkml", "throttle"},
	"icr":                         {"", "icr/internal/charnet"},
	"icr/icrtrain":                {"", "icr", "icr/internal/charnet"},
	"icr/internal/charnet":        {""},
	"icr/internal/icrtest":        {""},
	"ink":                         {""},
	"inkformtest":                 {""},
	"internal/browsertest":        {},
	"oidc":                        {""},
	"oidc/oidctest":               {},
	"inkml":                       {""},
	"interpret":                   {"", "ink"},
	"passwd":                      {},
	"pdf":                         {"", "ink"},
	"pdf/pdftest":                 {},
	"pipeline":                    {"", "queue"},
	"queue":                       {""},
	"redis":                       {""},
	"sqlstore":                    {"", "ink"},
	"sqlstore/sqlstoretest":       {},
	"throttle":                    {},
	"twofactor":                   {},
	"ui":                          {"", "inkml", "passwd", "throttle", "twofactor"},
	"verify":                      {"", "ink"},
	"examples/internal/gensample": {"", "inkml"},
}

const module = "github.com/inkform/inkform"

// TestPackageLayout checks every package's imports against allowedImports
// and that the root package uses only the standard library.
func TestPackageLayout(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		pkg := rel(fields[0])
		if strings.HasPrefix(pkg, "cmd/") {
			continue // commands wire everything together
		}
		allowed, ok := allowedImports[pkg]
		if !ok {
			t.Errorf("package %q is not in the package map (allowedImports and docs/development.md)", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			switch {
			case strings.HasPrefix(imp, module+"/") || imp == module:
				if dep := rel(imp); !slices.Contains(allowed, dep) {
					t.Errorf("%q imports %q; the package map allows %q", pkg, dep, allowed)
				}
			case pkg == "" && strings.Contains(strings.SplitN(imp, "/", 2)[0], "."):
				t.Errorf("the root package imports %q; it may use only the standard library", imp)
			}
		}
	}
}

// rel returns a package's path inside the module, "" for the root.
func rel(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
}
