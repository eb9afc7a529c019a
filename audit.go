package inkform

import (
	"context"
	"time"
)

// Audit actions. An action names what was done, "<object kind>.<verb>"; the
// list grows with the API, so stores keep it as free text.
const (
	AuditDocumentRead    = "document.read"
	AuditDocumentUpdate  = "document.update"
	AuditDocumentApprove = "document.approve"
	AuditDocumentPurge   = "document.purge"
	AuditDocumentExport  = "document.export"
	AuditTokenCreate     = "token.create"
	AuditTokenDelete     = "token.delete"
	AuditUserCreate      = "user.create"
	// Admins' changes to a user in the console: a new role (the detail
	// names it), disabling (which ends the user's sessions), enabling,
	// and a new password the admin hands over (also ending sessions).
	AuditUserRole          = "user.role"
	AuditUserDisable       = "user.disable"
	AuditUserEnable        = "user.enable"
	AuditUserPasswordReset = "user.password_reset"
	// Sign-ins to the web UI: AuditUserSignInFail is a wrong password for
	// an existing user (an unknown address has no org to record it in).
	AuditUserSignIn         = "user.sign_in"
	AuditUserSignInFail     = "user.sign_in_fail"
	AuditUserSignOut        = "user.sign_out"
	AuditFormCreate         = "form.create"
	AuditFormUpdate         = "form.update"
	AuditSubscriptionCreate = "handler.create"
	AuditSubscriptionDelete = "handler.delete"
	AuditSubscriptionUpdate = "handler.update"
	// AuditSubscriptionRedeliver records a request to send a logged message
	// again; AuditDocumentDeliver records each delivery of a document's
	// event that a subscription's endpoint accepted.
	AuditSubscriptionRedeliver = "handler.redeliver"
	AuditDocumentDeliver       = "document.deliver"
)

// Audit limits: an event is a short note, so a caller that passes a long
// text (or, by mistake, a value) is cut short rather than stored whole.
const (
	MaxAuditDetailLength = 200
	MaxAuditActionLength = 64
)

// AuditObject names what an audit event is about, e.g. {"document", id}.
type AuditObject struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// AuditEvent is one entry of an org's append-only audit log. It records who
// did what to which object and when; it never holds ink, field values or
// secrets, so the log may be kept longer than the documents it names (a
// purged document leaves only its ID behind).
type AuditEvent struct {
	ID    string    `json:"id"`
	OrgID string    `json:"-"`
	At    time.Time `json:"at"`
	// Actor is the token or user ID ("token <id>", "user <id>" or
	// "system"), never a secret.
	Actor  string      `json:"actor"`
	Action string      `json:"action"`
	Object AuditObject `json:"object"`
	// Detail is a short note such as the names of changed fields; never
	// their values.
	Detail string `json:"detail,omitempty"`
}

// Validate returns EINVALID unless the event can be recorded, and cuts a
// long Detail to MaxAuditDetailLength bytes.
func (e *AuditEvent) Validate() error {
	if e.Action == "" || len(e.Action) > MaxAuditActionLength {
		return Errorf(EINVALID, "audit action must have 1 to %d bytes", MaxAuditActionLength)
	}
	if e.Actor == "" {
		return Errorf(EINVALID, "audit event needs an actor")
	}
	if e.Object.Kind == "" || e.Object.ID == "" {
		return Errorf(EINVALID, "audit event needs an object kind and ID")
	}
	if len(e.Detail) > MaxAuditDetailLength {
		e.Detail = truncateUTF8(e.Detail, MaxAuditDetailLength)
	}
	return nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// AuditFilter selects audit events. Zero values select all.
type AuditFilter struct {
	Action     string
	ObjectKind string
	ObjectID   string
	Actor      string
	Since      time.Time // at or after
	Until      time.Time // before
	After      string    // cursor: events with IDs after this one
	Limit      int
}

// AuditLog is an org's append-only record of reads and changes. It has no
// method to change or delete an event. Every method is scoped by org.
type AuditLog interface {
	// RecordAudit appends events in one transaction (all or none),
	// filling in each one's ID and, when zero, At.
	RecordAudit(ctx context.Context, orgID string, events ...*AuditEvent) error
	// ListAudit lists events oldest first and returns the cursor of the
	// next page ("" at the end).
	ListAudit(ctx context.Context, orgID string, filter AuditFilter) ([]*AuditEvent, string, error)
}
