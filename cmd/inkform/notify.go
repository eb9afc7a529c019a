package main

import (
	"log/slog"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/redis"
	"github.com/inkform/inkform/sqlstore"
)

// openNotifier picks how this node hears of jobs and revoked tokens from
// other nodes: Redis pub/sub when --redis names a server (on any database),
// else PostgreSQL's LISTEN/NOTIFY on PostgreSQL, else nothing beyond this
// process, where the other nodes, if any, poll. prefix starts the Redis
// channels' names (tests use their own). Whichever it is, the
// database publishes every enqueue through it. closeFn is nil when there is
// nothing to close.
func openNotifier(redisURL, prefix string, db *sqlstore.DB, logger *slog.Logger) (n inkform.Notifier, closeFn func() error, err error) {
	switch {
	case redisURL != "":
		r, err := redis.Open(redisURL, prefix, logger)
		if err != nil {
			return nil, nil, err
		}
		db.SetNotifier(r)
		logger.Info("nodes wake each other through Redis")
		return r, r.Close, nil
	case db.Dialect() == "postgres":
		l, err := db.Listen(logger)
		if err != nil {
			return nil, nil, err
		}
		logger.Info("nodes wake each other through PostgreSQL LISTEN/NOTIFY")
		return l, l.Close, nil
	default:
		l := inkform.NewLocalNotifier()
		db.SetNotifier(l)
		return l, nil, nil
	}
}
