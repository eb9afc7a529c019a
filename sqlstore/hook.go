package sqlstore

// SetEnqueueHook sets a function that is called with a job's queue after
// the transaction that enqueued the job has committed, so a worker in the
// same process can start on it at once instead of at its next poll. Other
// nodes find the job by polling.
func (db *DB) SetEnqueueHook(fn func(queue string)) {
	db.enqueued.Store(&fn)
}

// notifyEnqueued calls the enqueue hook, if one is set.
func (db *DB) notifyEnqueued(queue string) {
	if fn := db.enqueued.Load(); fn != nil && *fn != nil {
		(*fn)(queue)
	}
}
