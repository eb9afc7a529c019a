package sqlstore

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
)

// ListUsers lists an org's users, oldest first.
func (db *DB) ListUsers(ctx context.Context, orgID string) ([]*inkform.User, error) {
	rows, err := db.reader(ctx).query(ctx, "SELECT "+userColumns+" FROM users WHERE org_id = ? ORDER BY created_at, id", orgID)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []*inkform.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// UpdateUser changes a user's role, disabled state or password in one
// transaction. Disabling a user or setting a new password ends the user's
// sessions in the same transaction, so no session outlives the change.
// The org's enabled admins are locked first, so two admins demoting each
// other at once cannot both succeed and leave the org without one.
func (db *DB) UpdateUser(ctx context.Context, orgID, id string, upd inkform.UserUpdate) (*inkform.User, error) {
	if upd.Role != nil && !upd.Role.Valid() {
		return nil, inkform.Errorf(inkform.EINVALID, "unknown role %q", *upd.Role)
	}
	if upd.PasswordHash != nil && *upd.PasswordHash == "" {
		return nil, inkform.Errorf(inkform.EINVALID, "a user needs a password")
	}
	var u *inkform.User
	err := db.inWrite(ctx, func(tx querier) error {
		admins, err := lockAdmins(ctx, db, tx, orgID)
		if err != nil {
			return err
		}
		if u, err = scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE org_id = ? AND id = ?"+db.d.forUpdate(), orgID, id)); err != nil {
			return notFound(err, "user")
		}
		if inkform.LeavesNoAdmin(u, upd, admins) {
			return inkform.ErrLastAdmin
		}
		ended := inkform.EndsSessions(upd)
		if upd.Role != nil {
			u.Role = *upd.Role
		}
		if upd.PasswordHash != nil {
			u.PasswordHash = *upd.PasswordHash
		}
		if _, err := tx.exec(ctx, "UPDATE users SET role = ?, password_hash = ? WHERE org_id = ? AND id = ?",
			string(u.Role), u.PasswordHash, orgID, id); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		// A disabled user keeps the time it was first disabled.
		if upd.Disabled != nil && *upd.Disabled != u.Disabled {
			u.Disabled = *upd.Disabled
			disabledAt := int64(0)
			if u.Disabled {
				disabledAt = micros(db.now())
			}
			if _, err := tx.exec(ctx, "UPDATE users SET disabled_at = ? WHERE org_id = ? AND id = ?", disabledAt, orgID, id); err != nil {
				return fmt.Errorf("update user: %w", err)
			}
		}
		if ended {
			if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE org_id = ? AND user_id = ?", orgID, id); err != nil {
				return fmt.Errorf("end user's sessions: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// lockAdmins locks and counts the org's enabled admins.
func lockAdmins(ctx context.Context, db *DB, tx querier, orgID string) (int, error) {
	rows, err := tx.query(ctx, "SELECT id FROM users WHERE org_id = ? AND role = ? AND disabled_at = 0"+db.d.forUpdate(),
		orgID, string(inkform.RoleAdmin))
	if err != nil {
		return 0, fmt.Errorf("lock admins: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("lock admins: %w", err)
	}
	return n, nil
}
