package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// runOrgUpdate changes an org's settings; for now whether its password
// users must have a second factor (docs/security.md).
func runOrgUpdate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var a adminFlags
	var requireTOTP bool
	fs := newFlagSet("org update", "NAME", stderr)
	a.store.register(fs)
	a.log.register(fs)
	fs.BoolVar(&requireTOTP, "require-totp", false, "require a second factor (authenticator app) of the org's password users; --require-totp=false lifts it")
	pos, err := parseArgs(fs, args, 1)
	if err != nil {
		return err
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "require-totp" })
	if !given {
		fs.Usage()
		return fmt.Errorf("%w: say what to change: --require-totp or --require-totp=false", errUsage)
	}
	db, err := a.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := findOrg(ctx, db, strings.TrimSpace(pos[0]))
	if err != nil {
		return err
	}
	if err := db.SetTOTPRequired(ctx, org.ID, requireTOTP); err != nil {
		return describe(err)
	}
	auditCLI(ctx, db, org.ID, inkform.AuditOrgRequireTOTP, "org", org.ID, "require totp "+strconv.FormatBool(requireTOTP), stderr)
	if requireTOTP {
		fmt.Fprintf(stderr, "org %q requires a second factor: password users without one set it up at their next sign-in\n", org.Name)
	} else {
		fmt.Fprintf(stderr, "org %q no longer requires a second factor\n", org.Name)
	}
	return nil
}
