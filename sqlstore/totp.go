package sqlstore

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"

	"github.com/inkform/inkform"
)

var _ inkform.TOTPStore = (*DB)(nil)

// totpRowID is the associated data that binds a sealed TOTP secret to
// its row, so a secret copied to another user's row does not open.
func totpRowID(orgID, userID string) string { return "user_totp:" + orgID + ":" + userID }

// FindTOTP returns the user's second factor with its secret opened. It
// reads the primary: a code is checked against what was just stored.
func (db *DB) FindTOTP(ctx context.Context, orgID, userID string) (*inkform.TOTP, error) {
	t := &inkform.TOTP{OrgID: orgID, UserID: userID}
	var sealed string
	var created int64
	var confirmed sql.NullInt64
	err := db.primary().queryRow(ctx, `SELECT secret, created_at, confirmed_at, last_step,
		(SELECT COUNT(*) FROM user_recovery_codes c WHERE c.org_id = t.org_id AND c.user_id = t.user_id)
		FROM user_totp t WHERE t.org_id = ? AND t.user_id = ?`, orgID, userID).
		Scan(&sealed, &created, &confirmed, &t.LastStep, &t.RecoveryCodes)
	if err != nil {
		return nil, notFound(err, "second factor")
	}
	if t.Secret, err = db.openSecret(sealed, totpRowID(orgID, userID)); err != nil {
		return nil, fmt.Errorf("find second factor: %w", err)
	}
	t.CreatedAt = fromMicros(created)
	if confirmed.Valid {
		t.ConfirmedAt = fromMicros(confirmed.Int64)
	}
	return t, nil
}

// BeginTOTP stores a new unconfirmed secret, sealed. The user's row is
// locked first (SELECT … FOR UPDATE; SQLite has one writer anyway), so
// enrolments begun at once take turns, and the secret is replaced in
// place: a delete and an insert racing each other would fail on the
// primary key or leave a secret other than the one shown.
func (db *DB) BeginTOTP(ctx context.Context, orgID, userID, secret string) error {
	sealed, err := db.sealSecret(secret, totpRowID(orgID, userID))
	if err != nil {
		return fmt.Errorf("begin second factor: %w", err)
	}
	now := micros(db.now())
	return db.inWrite(ctx, func(tx querier) error {
		var id string
		err := tx.queryRow(ctx, "SELECT id FROM users WHERE org_id = ? AND id = ?"+db.d.forUpdate(), orgID, userID).Scan(&id)
		if err != nil {
			return notFound(err, "user")
		}
		res, err := tx.exec(ctx, `UPDATE user_totp SET secret = ?, created_at = ?, last_step = 0
			WHERE org_id = ? AND user_id = ? AND confirmed_at IS NULL`, sealed, now, orgID, userID)
		if err != nil {
			return fmt.Errorf("begin second factor: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("begin second factor: %w", err)
		} else if n > 0 {
			return nil
		}
		var confirmed int
		err = tx.queryRow(ctx, "SELECT COUNT(*) FROM user_totp WHERE org_id = ? AND user_id = ?", orgID, userID).Scan(&confirmed)
		if err != nil {
			return fmt.Errorf("begin second factor: %w", err)
		} else if confirmed > 0 {
			return inkform.Errorf(inkform.ECONFLICT, "the user has a second factor already")
		}
		_, err = tx.exec(ctx, `INSERT INTO user_totp (org_id, user_id, secret, created_at, confirmed_at, last_step)
			VALUES (?, ?, ?, ?, NULL, 0)`, orgID, userID, sealed, now)
		if err != nil {
			return fmt.Errorf("begin second factor: %w", err)
		}
		return nil
	})
}

// ConfirmTOTP enrols the user and stores the recovery codes' hashes in
// the same transaction, so there is never a second factor without them.
// The unconfirmed row is read first, locked (SQLite has one writer
// anyway), so that a BeginTOTP replacing the secret after the code was
// checked cannot slip between the comparison and the enrolment.
func (db *DB) ConfirmTOTP(ctx context.Context, orgID, userID, secret string, step int64, recoveryHashes []string) error {
	now := micros(db.now())
	return db.inWrite(ctx, func(tx querier) error {
		var sealed string
		var confirmed sql.NullInt64
		err := tx.queryRow(ctx, "SELECT secret, confirmed_at FROM user_totp WHERE org_id = ? AND user_id = ?"+db.d.forUpdate(),
			orgID, userID).Scan(&sealed, &confirmed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return inkform.Errorf(inkform.ENOTFOUND, "no second factor is being set up")
		case err != nil:
			return fmt.Errorf("confirm second factor: %w", err)
		case confirmed.Valid:
			return inkform.Errorf(inkform.ECONFLICT, "the user has a second factor already")
		}
		stored, err := db.openSecret(sealed, totpRowID(orgID, userID))
		if err != nil {
			return fmt.Errorf("confirm second factor: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(stored), []byte(secret)) != 1 {
			return inkform.Errorf(inkform.ECONFLICT, "the second factor being set up was replaced; start again")
		}
		_, err = tx.exec(ctx, `UPDATE user_totp SET confirmed_at = ?, last_step = ?
			WHERE org_id = ? AND user_id = ?`, now, step, orgID, userID)
		if err != nil {
			return fmt.Errorf("confirm second factor: %w", err)
		}
		if _, err := tx.exec(ctx, "DELETE FROM user_recovery_codes WHERE org_id = ? AND user_id = ?", orgID, userID); err != nil {
			return fmt.Errorf("confirm second factor: %w", err)
		}
		for _, h := range recoveryHashes {
			_, err := tx.exec(ctx, "INSERT INTO user_recovery_codes (org_id, user_id, hash, created_at) VALUES (?, ?, ?, ?)",
				orgID, userID, h, now)
			if err != nil {
				return fmt.Errorf("confirm second factor: %w", err)
			}
		}
		return nil
	})
}

// UseTOTPStep moves last_step forward only if it is behind step: one
// UPDATE decides, so two sign-ins racing with the same code cannot both
// win.
func (db *DB) UseTOTPStep(ctx context.Context, orgID, userID string, step int64) error {
	res, err := db.writer().exec(ctx, `UPDATE user_totp SET last_step = ?
		WHERE org_id = ? AND user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?`, step, orgID, userID, step)
	if err != nil {
		return fmt.Errorf("use second factor code: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("use second factor code: %w", err)
	} else if n == 1 {
		return nil
	}
	t, err := db.FindTOTP(ctx, orgID, userID)
	switch {
	case err != nil:
		return err
	case !t.Enrolled():
		return inkform.Errorf(inkform.ENOTFOUND, "second factor not found")
	}
	return inkform.Errorf(inkform.ECONFLICT, "this code was used already")
}

// UseRecoveryCode deletes the code's hash: deleting is what spends it.
func (db *DB) UseRecoveryCode(ctx context.Context, orgID, userID, hash string) error {
	return db.deleteOne(ctx, "use recovery code", "recovery code",
		"DELETE FROM user_recovery_codes WHERE org_id = ? AND user_id = ? AND hash = ?", orgID, userID, hash)
}

// DeleteTOTP removes a user's second factor and recovery codes.
func (db *DB) DeleteTOTP(ctx context.Context, orgID, userID string) error {
	return db.inWrite(ctx, func(tx querier) error {
		if _, err := tx.exec(ctx, "DELETE FROM user_recovery_codes WHERE org_id = ? AND user_id = ?", orgID, userID); err != nil {
			return fmt.Errorf("delete second factor: %w", err)
		}
		res, err := tx.exec(ctx, "DELETE FROM user_totp WHERE org_id = ? AND user_id = ?", orgID, userID)
		if err != nil {
			return fmt.Errorf("delete second factor: %w", err)
		}
		return oneRow(res, "delete second factor", "second factor")
	})
}

// deleteOne runs a DELETE that must remove a row; ENOTFOUND naming what
// when it removes none.
func (db *DB) deleteOne(ctx context.Context, op, what, query string, args ...any) error {
	res, err := db.writer().exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return oneRow(res, op, what)
}

// oneRow returns ENOTFOUND naming what when res affected no row.
func oneRow(res sql.Result, op, what string) error {
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	} else if n == 0 {
		return inkform.Errorf(inkform.ENOTFOUND, "%s not found", what)
	}
	return nil
}

// TOTPRequired reads the org's rule; an org without one does not require
// a second factor.
func (db *DB) TOTPRequired(ctx context.Context, orgID string) (bool, error) {
	var required int
	err := db.primary().queryRow(ctx, "SELECT required FROM org_totp_rules WHERE org_id = ?", orgID).Scan(&required)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("find second factor rule: %w", err)
	}
	return required != 0, nil
}

// SetTOTPRequired sets the org's rule in place: the org's row is locked
// first (SELECT … FOR UPDATE; SQLite has one writer anyway), so admins
// setting the rule at once take turns, then the rule is inserted when
// missing and updated. A delete followed by an insert failed on the
// primary key when two ran at once, and an unlocked upsert deadlocks on
// MariaDB.
func (db *DB) SetTOTPRequired(ctx context.Context, orgID string, required bool) error {
	flag := 0
	if required {
		flag = 1
	}
	now := micros(db.now())
	return db.inWrite(ctx, func(tx querier) error {
		var id string
		if err := tx.queryRow(ctx, "SELECT id FROM orgs WHERE id = ?"+db.d.forUpdate(), orgID).Scan(&id); err != nil {
			return notFound(err, "org")
		}
		_, err := tx.exec(ctx, db.d.insertIgnore("INSERT INTO org_totp_rules (org_id, required, updated_at) VALUES (?, ?, ?)"), orgID, flag, now)
		if err != nil {
			return fmt.Errorf("set second factor rule: %w", err)
		}
		if _, err := tx.exec(ctx, "UPDATE org_totp_rules SET required = ?, updated_at = ? WHERE org_id = ?", flag, now, orgID); err != nil {
			return fmt.Errorf("set second factor rule: %w", err)
		}
		return nil
	})
}
