package sqlstore

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
)

// MaxCopies bounds one CreateCopies call.
const MaxCopies = 10000

// CreateCopies allocates n printed copies of a unique-pattern form, each
// with one address per page from the org's pool.
func (db *DB) CreateCopies(ctx context.Context, orgID, formID string, n int) ([]*inkform.Copy, error) {
	if n < 1 || n > MaxCopies {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "the number of copies must be between 1 and %d, not %d", MaxCopies, n)
	}
	var out []*inkform.Copy
	err := db.inWrite(ctx, func(tx querier) error {
		f, err := db.findForm(ctx, tx, orgID, formID, 0, true)
		if err != nil {
			return err
		}
		if f.Pattern != inkform.PatternUnique {
			return inkform.Errorf(inkform.EUNPROCESSABLE, "form %s uses copied pattern: every printed copy carries the same addresses, so it has no copies", formID)
		}
		var first int
		if err := tx.queryRow(ctx, "SELECT next_copy FROM forms WHERE org_id = ? AND id = ?", orgID, formID).Scan(&first); err != nil {
			return fmt.Errorf("create copies: %w", err)
		}
		if _, err := tx.exec(ctx, "UPDATE forms SET next_copy = next_copy + ? WHERE org_id = ? AND id = ?", n, orgID, formID); err != nil {
			return fmt.Errorf("create copies: %w", err)
		}
		pages := len(f.Pages)
		addrs, err := db.allocateAddresses(ctx, tx, orgID, n*pages)
		if err != nil {
			return err
		}
		now := db.now()
		copyRows := make([][]any, 0, n)
		addrRows := make([][]any, 0, n*pages)
		out = make([]*inkform.Copy, n)
		for i := range out {
			c := &inkform.Copy{ID: inkform.NewID(), FormID: formID, Number: first + i + 1,
				Addresses: addrs[i*pages : (i+1)*pages], CreatedAt: now}
			out[i] = c
			copyRows = append(copyRows, []any{c.ID, orgID, formID, c.Number, micros(now)})
			for p, a := range c.Addresses {
				addrRows = append(addrRows, []any{orgID, a, formID, p + 1, c.ID})
			}
		}
		if err := db.insertRows(ctx, tx, "INSERT INTO copies (id, org_id, form_id, number, created_at) VALUES ", copyRows); err != nil {
			return fmt.Errorf("create copies: %w", err)
		}
		err = db.insertRows(ctx, tx, "INSERT INTO page_addresses (org_id, address, form_id, page, copy_id) VALUES ", addrRows)
		if isUniqueViolation(err) {
			return inkform.Errorf(inkform.ECONFLICT, "an allocated page address is already in use; try again")
		} else if err != nil {
			return fmt.Errorf("create copies: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
