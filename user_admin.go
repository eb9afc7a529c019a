package inkform

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
)

// UserUpdate is a change to a user: nil fields stay as they are.
type UserUpdate struct {
	Role         *Role
	Disabled     *bool
	PasswordHash *string
}

// ErrLastAdmin is UpdateUser's answer to a change that would leave an org
// without an enabled admin: nobody could then manage its users and tokens
// but the operator with the command line.
var ErrLastAdmin = Errorf(ECONFLICT, "the org must keep at least one enabled admin")

// User limits: an address as SMTP allows it, a name for people.
const (
	MaxUserEmailLength = 254
	MaxUserNameLength  = 200
)

// NormalizeUser trims a new user's address and name, lowers the address
// (sign-in ignores its case, and two spellings must not make two users)
// and checks them and the role; EINVALID with a Problem per field when
// something is wrong. The CLI and the console both call it before
// hashing the password and CreateUser.
func NormalizeUser(u *User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	var problems []Problem
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || a.Name != "" || len(u.Email) > MaxUserEmailLength {
		problems = append(problems, Problem{Path: "email", Message: fmt.Sprintf("must be an e-mail address such as ann@example.org, at most %d characters", MaxUserEmailLength)})
	}
	if len(u.Name) > MaxUserNameLength {
		problems = append(problems, Problem{Path: "name", Message: fmt.Sprintf("must be at most %d characters", MaxUserNameLength)})
	}
	if !u.Role.Valid() {
		problems = append(problems, Problem{Path: "role", Message: "must be one of " + roleNames()})
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.Path + " " + p.Message
		}
		e := Errorf(EINVALID, "the user cannot be created: %s", strings.Join(msgs, "; "))
		e.Problems = problems
		return e
	}
	return nil
}

// roleNames lists the roles for messages: "admin, designer, …".
func roleNames() string {
	var names []string
	for _, r := range Roles() {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

// RevokeToken deletes an org's token and tells every node to drop it from
// its token cache (n may be nil: a node alone, whose API subscribes to no
// notices, drops it by its cache's expiry). The API and the console both
// revoke through it, so a revoked token is refused at once wherever the
// notice reaches. A notice that cannot be sent is logged, not returned:
// the token is revoked all the same, and other nodes' caches expire.
func RevokeToken(ctx context.Context, tokens TokenService, n Notifier, logger *slog.Logger, orgID, id string) error {
	if err := tokens.DeleteToken(ctx, orgID, id); err != nil {
		return err
	}
	if n == nil {
		return nil
	}
	if err := n.Publish(ctx, TopicTokens, TokenNotice(orgID, id)); err != nil {
		logger.WarnContext(ctx, "tell other nodes of a revoked token", "token", id, "err", err)
	}
	return nil
}

// LeavesNoAdmin reports whether applying upd to u, in an org with admins
// enabled admins (u among them when u is one), leaves it with none.
func LeavesNoAdmin(u *User, upd UserUpdate, admins int) bool {
	if u.Role != RoleAdmin || u.Disabled {
		return false
	}
	demoted := upd.Role != nil && *upd.Role != RoleAdmin
	disabled := upd.Disabled != nil && *upd.Disabled
	return (demoted || disabled) && admins <= 1
}

// EndsSessions reports whether applying upd to a user ends the user's
// sessions: being disabled or given a new password does.
func EndsSessions(upd UserUpdate) bool {
	return upd.Disabled != nil && *upd.Disabled || upd.PasswordHash != nil
}
