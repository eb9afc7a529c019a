package inkform

import "context"

// A job that is lost in a crash runs again: its lease runs out and another
// attempt starts (at-least-once). Everything the lost attempt wrote is then
// written again, so those writes need not wait for the disk before they
// return, as long as nothing written later can survive a crash that loses
// them. Databases that write their log in commit order give exactly that:
// a crash loses a suffix of the commits, never one from the middle, so if a
// job's writes are lost so is its completion, and a capture or a person's
// change committed after them at full durability makes them durable too.
//
// The job queue marks the context of every job it runs; a store may then
// commit the writes made in that context without waiting for the disk
// (SQLite's synchronous=NORMAL, PostgreSQL's synchronous_commit=off). A
// job whose effects cannot be redone (none does today) must not write in
// its job's context.

type redoableKey struct{}

// WithRedoableWrites returns a context whose writes are redone when a crash
// loses them: a store need not wait for the disk before it commits them.
func WithRedoableWrites(ctx context.Context) context.Context {
	return context.WithValue(ctx, redoableKey{}, true)
}

// RedoableWrites reports whether writes made in ctx are redone when a crash
// loses them (see WithRedoableWrites).
func RedoableWrites(ctx context.Context) bool {
	v, _ := ctx.Value(redoableKey{}).(bool)
	return v
}
