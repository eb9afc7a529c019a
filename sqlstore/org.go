package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// Page addresses are allocated from each org's own pool. An org owns the
// shelf "patternSegment.N" (N = its sequence number, so no two orgs share a
// shelf) and hands out its pages in order: allocation number i is book
// i/pagesPerBook, page i%pagesPerBook. The counter orgs.next_page only grows,
// so a freed address is never handed out again by the pool.
const (
	patternSegment = 900
	pagesPerBook   = 1000
)

// maxOrgRaces bounds the retries of CreateOrg after lost races.
const maxOrgRaces = 20

// CreateOrg creates an org with the next free shelf as its pattern pool.
func (db *DB) CreateOrg(ctx context.Context, name string) (*inkform.Org, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, inkform.Errorf(inkform.EINVALID, "an org needs a name")
	}
	o := &inkform.Org{ID: inkform.NewID(), Name: name, CreatedAt: db.now()}
	// Two orgs created at once may pick the same shelf; the unique index
	// makes one of them fail, and it tries the next number. Each round of
	// racers has one winner, so a burst of n creations needs up to n
	// rounds: the losers wait a little, at random, to spread out.
	for attempt := 0; ; attempt++ {
		err := db.inWrite(ctx, func(tx querier) error {
			var taken int
			err := tx.queryRow(ctx, "SELECT COUNT(*) FROM orgs WHERE name = ?", name).Scan(&taken)
			if err != nil {
				return fmt.Errorf("create org: %w", err)
			} else if taken > 0 {
				return inkform.Errorf(inkform.ECONFLICT, "an org named %q exists", name)
			}
			var shelf int64
			if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(shelf), 0) + 1 FROM orgs").Scan(&shelf); err != nil {
				return fmt.Errorf("create org: %w", err)
			}
			o.PatternPool = fmt.Sprintf("%d.%d", patternSegment, shelf)
			_, err = tx.exec(ctx, `INSERT INTO orgs (id, name, shelf, pattern_pool, next_page, created_at)
				VALUES (?, ?, ?, ?, 0, ?)`, o.ID, o.Name, shelf, o.PatternPool, micros(o.CreatedAt))
			return err
		})
		switch {
		case err == nil:
			return o, nil
		case isUniqueViolation(err) && attempt < maxOrgRaces:
			// Lost a race for the name (checked again) or the shelf.
			select {
			case <-time.After(time.Duration(1+rand.IntN(min(1<<attempt, 32))) * time.Millisecond):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			continue
		case isUniqueViolation(err):
			return nil, inkform.Errorf(inkform.ECONFLICT, "an org named %q exists", name)
		}
		return nil, err
	}
}

// FindOrgByID returns the org with the ID.
func (db *DB) FindOrgByID(ctx context.Context, id string) (*inkform.Org, error) {
	return db.findOrg(ctx, "id", id)
}

// FindOrgByName returns the org with the name.
func (db *DB) FindOrgByName(ctx context.Context, name string) (*inkform.Org, error) {
	return db.findOrg(ctx, "name", name)
}

func (db *DB) findOrg(ctx context.Context, column, value string) (*inkform.Org, error) {
	var o inkform.Org
	var created int64
	err := db.reader(ctx).queryRow(ctx, "SELECT id, name, pattern_pool, created_at FROM orgs WHERE "+column+" = ?", value).
		Scan(&o.ID, &o.Name, &o.PatternPool, &created)
	if err != nil {
		return nil, notFound(err, "org")
	}
	o.CreatedAt = fromMicros(created)
	return &o, nil
}

// allocateAddresses takes n page addresses from the org's pool inside tx.
// The UPDATE locks the org row on PostgreSQL and MySQL, so concurrent
// allocations get disjoint ranges.
func (db *DB) allocateAddresses(ctx context.Context, tx querier, orgID string, n int) ([]string, error) {
	if n == 0 {
		return nil, nil
	}
	res, err := tx.exec(ctx, "UPDATE orgs SET next_page = next_page + ? WHERE id = ?", n, orgID)
	if err != nil {
		return nil, fmt.Errorf("allocate addresses: %w", err)
	}
	if k, err := res.RowsAffected(); err == nil && k == 0 {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "org not found")
	}
	var pool string
	var next int64
	err = tx.queryRow(ctx, "SELECT pattern_pool, next_page FROM orgs WHERE id = ?", orgID).Scan(&pool, &next)
	if err != nil {
		return nil, fmt.Errorf("allocate addresses: %w", err)
	}
	out := make([]string, n)
	for i := range out {
		k := next - int64(n) + int64(i)
		out[i] = pool + "." + strconv.FormatInt(k/pagesPerBook, 10) + "." + strconv.FormatInt(k%pagesPerBook, 10)
	}
	return out, nil
}

// checkPoolAddresses refuses addresses that lie in the org's own pool but
// have not been allocated yet: a template naming one would collide with a
// later allocation. Addresses allocated earlier (say, a form exported and
// created again) are fine.
func (db *DB) checkPoolAddresses(ctx context.Context, tx querier, orgID string, addrs []string) error {
	var pool string
	var next int64
	err := tx.queryRow(ctx, "SELECT pattern_pool, next_page FROM orgs WHERE id = ?", orgID).Scan(&pool, &next)
	if err != nil {
		return notFound(err, "org")
	}
	for _, a := range addrs {
		rest, ok := strings.CutPrefix(a, pool+".")
		if !ok {
			continue
		}
		book, page, _ := strings.Cut(rest, ".")
		b, _ := strconv.ParseInt(book, 10, 64)
		p, _ := strconv.ParseInt(page, 10, 64)
		if p >= pagesPerBook || b*pagesPerBook+p >= next {
			return inkform.Errorf(inkform.EUNPROCESSABLE,
				"page address %s lies in the org's pattern pool %s but was not allocated; leave the address empty to get one", a, pool)
		}
	}
	return nil
}
