// Command inkform is the inkform server and its administration tool.
//
// Usage: inkform <command> [flags] [args]; `inkform help` lists commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// command is one subcommand. Its run function parses its own flags, so that
// `inkform help NAME` is `NAME -h`.
type command struct {
	name    string // one or two words, e.g. "org create"
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the API server (and workers) on embedded defaults or external engines", runServe},
		{"worker", "run background workers only, with /metrics, /healthz and /readyz on an admin port", runWorker},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"cluster settings", "show the settings every node must share, and whether this node's match", runClusterSettings},
		{"cluster reset-settings", "record this node's shared settings (object store, secret key) as the cluster's", runClusterReset},
		{"backup", "write an archive of the system (database, objects, manifest): inkform backup --to DIR|s3://bucket/prefix", runBackup},
		{"restore", "fill an empty system from an archive, on any engine: inkform restore --from DIR|s3://bucket/prefix", runRestore},
		{"org create", "create an organization: inkform org create NAME", runOrgCreate},
		{"org update", "change an organization: inkform org update NAME --require-totp", runOrgUpdate},
		{"token create", "create an API token and print it: inkform token create --org NAME --role ROLE", runTokenCreate},
		{"user create", "create a web UI user (password read from stdin)", runUserCreate},
		{"recognize", "read handwriting in InkML files: inkform recognize --charset digits FILE...", adaptRecognize},
		{"version", "print the version", runVersion},
	}
}

// adaptRecognize gives the recognize command the common signature.
func adaptRecognize(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	return runRecognize(ctx, args, stdout, stderr)
}

// errUsage marks an error whose message is the whole story (usage was
// printed already); run exits 2 for it.
var errUsage = errors.New("usage")

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		printHelp(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	help := args[0] == "help"
	if help {
		if len(args) == 1 {
			printHelp(stdout)
			return 0
		}
		args = append(args[1:], "-h")
	}
	cmd, rest, ok := findCommand(args)
	if !ok {
		// "org" alone names a group of commands ("org create"): list them.
		if group := commandGroup(args[0]); len(group) > 0 {
			w, code := stderr, 2
			if help {
				w, code = stdout, 0
			}
			fmt.Fprintf(w, "inkform %s needs a subcommand:\n", args[0])
			for _, c := range group {
				fmt.Fprintf(w, "  %-*s %s\n", nameWidth, c.name, c.summary)
			}
			return code
		}
		fmt.Fprintf(stderr, "inkform: unknown command %q; run 'inkform help'\n", strings.Join(args[:min(2, len(args))], " "))
		return 2
	}
	err := cmd.run(ctx, rest, stdin, stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "inkform %s: %v\n", cmd.name, err)
		return 2
	}
	fmt.Fprintf(stderr, "inkform %s: %v\n", cmd.name, err)
	return 1
}

func findCommand(args []string) (command, []string, bool) {
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], true
		}
	}
	return command{}, nil, false
}

// commandGroup returns the commands whose name has more than one word
// and starts with word.
func commandGroup(word string) []command {
	var out []command
	for _, c := range commands() {
		if first, _, ok := strings.Cut(c.name, " "); ok && first == word {
			out = append(out, c)
		}
	}
	return out
}

// nameWidth is the column of command names in help, wide enough for the
// longest ("cluster reset-settings").
const nameWidth = 22

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "inkform %s — a server for digital pen & paper forms\n\nUsage: inkform <command> [flags] [args]\n\nCommands:\n", build())
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s %s\n", nameWidth, c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-*s %s\n", nameWidth, "help COMMAND", "show a command's flags")
	fmt.Fprintf(w, "\nEvery flag can also be set as an environment variable INKFORM_<FLAG> (e.g. --max-body → INKFORM_MAX_BODY); flags win.\nSee docs/configuration.md.\n")
}
