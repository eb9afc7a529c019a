package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
)

// newFlagSet returns a flag set whose usage names the command and its
// positional arguments.
func newFlagSet(name, positional string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: inkform %s [flags] %s\n\nFlags (each also INKFORM_<NAME>, flags win):\n", name, positional)
		fs.PrintDefaults()
	}
	return fs
}

// envName is the environment variable that sets a flag: --max-body → INKFORM_MAX_BODY.
func envName(flagName string) string {
	return "INKFORM_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseArgs parses flags that may stand before, between or after
// positional arguments (flag.Parse alone stops at the first positional),
// then fills every flag not given on the command line from its INKFORM_*
// variable. It returns the positional arguments and checks their count
// (want < 0: any number).
func parseArgs(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			positional = append(positional, rest[1:]...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", envName(f.Name), v, e)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if want >= 0 && len(positional) != want {
		fs.Usage()
		return nil, fmt.Errorf("%w: want %d argument(s), got %d", errUsage, want, len(positional))
	}
	return positional, nil
}

// prefixList is a flag of comma-separated addresses and CIDR ranges; a
// bare address stands for itself alone.
type prefixList []netip.Prefix

// String implements flag.Value.
func (l *prefixList) String() string {
	out := make([]string, len(*l))
	for i, p := range *l {
		out[i] = p.String()
	}
	return strings.Join(out, ",")
}

// Set implements flag.Value.
func (l *prefixList) Set(v string) error {
	*l = nil
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return fmt.Errorf("%q is neither an address nor a CIDR range", s)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		*l = append(*l, p.Masked())
	}
	return nil
}
