package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/sqlstore"
)

// adminFlags are the flags every administration command takes.
type adminFlags struct {
	store storeConfig
	log   logConfig
}

func runMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var a adminFlags
	fs := newFlagSet("migrate", "", stderr)
	a.store.register(fs)
	a.log.register(fs)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	a.store.Migrate = true
	db, err := a.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stderr, "migrations applied (%s)\n", db.Dialect())
	return nil
}

func runOrgCreate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var a adminFlags
	fs := newFlagSet("org create", "NAME", stderr)
	a.store.register(fs)
	a.log.register(fs)
	pos, err := parseArgs(fs, args, 1)
	if err != nil {
		return err
	}
	db, err := a.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.CreateOrg(ctx, strings.TrimSpace(pos[0]))
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stderr, "created org %q (%s), pattern pool %s\n", org.Name, org.ID, org.PatternPool)
	return nil
}

func runTokenCreate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var a adminFlags
	var orgName, role, name string
	fs := newFlagSet("token create", "", stderr)
	a.store.register(fs)
	a.log.register(fs)
	fs.StringVar(&orgName, "org", "", "the org's name (required)")
	fs.StringVar(&role, "role", "", "admin, designer, verifier, integrator or gateway (required)")
	fs.StringVar(&name, "name", "", "a name to tell the token apart (default: the role and date)")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if orgName == "" || !inkform.Role(role).Valid() {
		fs.Usage()
		return fmt.Errorf("%w: --org and --role (admin, designer, verifier, integrator, gateway) are required", errUsage)
	}
	db, err := a.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := findOrg(ctx, db, orgName)
	if err != nil {
		return err
	}
	tok, secret, err := db.CreateToken(ctx, org.ID, inkform.Role(role), name)
	if err != nil {
		return describe(err)
	}
	auditCLI(ctx, db, org.ID, inkform.AuditTokenCreate, "token", tok.ID, "role "+string(tok.Role), stderr)
	// stdout carries the secret alone, so scripts can capture it.
	fmt.Fprintln(stdout, secret)
	fmt.Fprintf(stderr, "created %s token %s for org %q; it is shown only this once\n", tok.Role, tok.ID, org.Name)
	return nil
}

func runUserCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var a adminFlags
	var orgName, role, email, name string
	fs := newFlagSet("user create", "", stderr)
	a.store.register(fs)
	a.log.register(fs)
	fs.StringVar(&orgName, "org", "", "the org's name (required)")
	fs.StringVar(&email, "email", "", "the user's e-mail address, used to sign in (required)")
	fs.StringVar(&name, "name", "", "the user's display name")
	fs.StringVar(&role, "role", "verifier", "admin, designer, verifier, integrator or gateway")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if orgName == "" || email == "" || !inkform.Role(role).Valid() {
		fs.Usage()
		return fmt.Errorf("%w: --org, --email and a valid --role are required", errUsage)
	}
	// The password comes from stdin so it never shows in process lists or
	// shell history.
	password, err := bufio.NewReader(io.LimitReader(stdin, passwd.MaxLength+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")
	hash, err := passwd.Hash(password, passwd.DefaultParams)
	if err != nil {
		return err
	}
	db, err := a.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := findOrg(ctx, db, orgName)
	if err != nil {
		return err
	}
	u := &inkform.User{OrgID: org.ID, Email: email, Name: name, Role: inkform.Role(role), PasswordHash: hash}
	if err := inkform.NormalizeUser(u); err != nil {
		return describe(err)
	}
	if err := db.CreateUser(ctx, u); err != nil {
		return describe(err)
	}
	auditCLI(ctx, db, org.ID, inkform.AuditUserCreate, "user", u.ID, "role "+string(u.Role), stderr)
	fmt.Fprintln(stdout, u.ID)
	fmt.Fprintf(stderr, "created %s user %s in org %q\n", u.Role, u.Email, org.Name)
	return nil
}

func (a *adminFlags) openStore(ctx context.Context, stderr io.Writer) (*sqlstore.DB, error) {
	logger, err := a.log.logger(stderr)
	if err != nil {
		return nil, err
	}
	return a.store.open(ctx, logger)
}

// findOrg finds an org by name, with an error that names it.
func findOrg(ctx context.Context, db *sqlstore.DB, name string) (*inkform.Org, error) {
	org, err := db.FindOrgByName(ctx, name)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, fmt.Errorf("no org is named %q (create it with: inkform org create %q)", name, name)
	} else if err != nil {
		return nil, err
	}
	return org, nil
}

// describe turns a domain error into the message a CLI user should see.
func describe(err error) error {
	if inkform.ErrorCode(err) == inkform.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s", inkform.ErrorMessage(err))
}

// auditCLI records a change made with the CLI, with actor "cli": whoever
// runs it on the host is the operator. The change is made already, so a
// failure to record it is reported, not returned.
func auditCLI(ctx context.Context, db inkform.AuditLog, orgID, action, kind, id, detail string, stderr io.Writer) {
	err := db.RecordAudit(ctx, orgID, &inkform.AuditEvent{Actor: "cli", Action: action,
		Object: inkform.AuditObject{Kind: kind, ID: id}, Detail: detail})
	if err != nil {
		fmt.Fprintf(stderr, "warning: the audit log did not take the %s: %v\n", action, err)
	}
}
