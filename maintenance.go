package inkform

// MaintenanceArgs asks for the server's periodic housekeeping: purging the
// documents whose form's retention has run out and pruning old webhook
// delivery records. It carries no arguments because each run looks at the
// state of the whole database; the job is enqueued with the empty org ID
// as a system job, on a schedule (queue.PeriodicJob), so a run must be
// harmless when it repeats or overlaps another.
type MaintenanceArgs struct{}

// Kind implements JobArgs.
func (MaintenanceArgs) Kind() string { return "maintenance" }

// DocumentRef names a document together with its org, for system jobs
// that work across orgs.
type DocumentRef struct {
	OrgID string
	ID    string
}
