package inkform

import (
	"context"
	"encoding/json"
	"time"
)

// Verification is the human step: a person looks at a document that needs
// verification, corrects what the engines misread and approves it. Work is
// handed out by leases so that two people never work on the same document,
// and fields a form marks DoubleEntry are typed twice, blind, by two
// people; a mismatch goes to a third, who decides.

// DefaultLeaseTTL is how long a lease lasts unless renewed. The station
// renews it while its page is open, so a closed laptop frees its document
// within this time.
const DefaultLeaseTTL = 2 * time.Minute

// MaxGroupSize bounds the documents of one group-verification screen.
const MaxGroupSize = 48

// VerificationQueue is what waits for people on one form.
type VerificationQueue struct {
	FormID   string `json:"form"`
	FormName string `json:"formName"`
	// Waiting counts documents that need verification, leased or not.
	Waiting int `json:"waiting"`
	// Oldest is when the oldest waiting document was received; zero when
	// none waits.
	Oldest time.Time `json:"oldest"`
	// Conflicts counts waiting documents whose double entries disagree
	// and wait for a third person.
	Conflicts int `json:"conflicts"`
}

// Lease is one person's hold on one document while they verify it.
type Lease struct {
	DocumentID string    `json:"document"`
	UserID     string    `json:"user"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// Entry is one person's blind typing of one double-entry field.
type Entry struct {
	DocumentID string    `json:"document"`
	Field      string    `json:"field"`
	UserID     string    `json:"user"`
	Value      any       `json:"value"`
	At         time.Time `json:"at"`
}

// FieldChange is one change of one field's value, for a document's
// history: who (a user or token ID, or the engine), when, from what, to
// what, and why.
type FieldChange struct {
	Field  string      `json:"field"`
	From   any         `json:"from"`
	To     any         `json:"to"`
	Source ValueSource `json:"source"`
	By     string      `json:"by"`
	Cause  string      `json:"cause"`
	At     time.Time   `json:"at"`
}

// LeaseStore hands out and keeps leases. Every method is scoped by org.
// Only documents that need verification are leased; a lease whose
// ExpiresAt has passed counts as none.
type LeaseStore interface {
	// LeaseNext leases to userID, until expiresAt, the oldest document of
	// the form that needs verification, that nobody else holds a live
	// lease on and that userID may work on: not one whose double entry
	// they already typed (a second entry needs a second person, a
	// conflict a third). A live lease userID already holds on the form
	// is renewed and returned first. ENOTFOUND when nothing waits for
	// this user.
	LeaseNext(ctx context.Context, orgID, formID, userID string, expiresAt time.Time) (*Lease, error)
	// LeaseGroup leases up to limit such documents at once, oldest first
	// (group verification); it may return none.
	LeaseGroup(ctx context.Context, orgID, formID, userID string, limit int, expiresAt time.Time) ([]Lease, error)
	// LeaseDocument leases one document by ID (a URL opened directly).
	// ECONFLICT naming no person when someone else holds a live lease,
	// EUNPROCESSABLE when it does not need verification, ENOTFOUND when
	// the org has no such document.
	LeaseDocument(ctx context.Context, orgID, docID, userID string, expiresAt time.Time) (*Lease, error)
	// RenewLease moves the expiry of userID's live lease; ECONFLICT when
	// the lease is gone (expired and taken, or released).
	RenewLease(ctx context.Context, orgID, docID, userID string, expiresAt time.Time) error
	// ReleaseLease ends userID's lease on a document; releasing a lease
	// that is gone is not an error.
	ReleaseLease(ctx context.Context, orgID, docID, userID string) error
	// ListVerificationQueues lists, for each form with waiting documents,
	// what waits, oldest first.
	ListVerificationQueues(ctx context.Context, orgID string) ([]VerificationQueue, error)
	// FlagDocument records in a document's status history that userID
	// flagged it (a change to the status it already has, caused by
	// "flagged by userID: reason") and ends userID's lease on it, in one
	// step; the document keeps waiting. ENOTFOUND when the org has no
	// such document.
	FlagDocument(ctx context.Context, orgID, docID, userID, reason string) error
}

// EntryStore keeps the blind entries of double-entry fields and the
// history of field values. Every method is scoped by org.
type EntryStore interface {
	// AddEntries stores userID's entries for a document; ECONFLICT when
	// userID already typed one of these fields on this document, and
	// then none is stored.
	AddEntries(ctx context.Context, orgID, docID, userID string, values map[string]any) error
	// ListEntries returns a document's entries, oldest first.
	ListEntries(ctx context.Context, orgID, docID string) ([]Entry, error)
	// ListFieldChanges returns a document's field history, oldest first.
	ListFieldChanges(ctx context.Context, orgID, docID string) ([]FieldChange, error)
}

// VerificationService is the verification workflow that the web UI and the
// JSON API share, so both apply the same rules. The actor is the user or
// token ID of the person acting, for leases, entries and history.
type VerificationService interface {
	// Correct sets field values typed by a person (raw JSON values, as
	// the API takes them). Each is checked against the field's type and
	// rules: EUNPROCESSABLE with a Problem per field when one breaks a
	// rule, and nothing is stored. Double-entry fields are not set but
	// stored as the actor's blind entry; once two people's entries agree
	// the value is set, when they differ the document waits for a third
	// person, whose value decides. ECONFLICT when another person holds
	// a live lease on the document.
	Correct(ctx context.Context, orgID, docID, actor string, raw map[string]json.RawMessage) (*Document, error)
	// Approve validates a document after checking every field as the API
	// does (EUNPROCESSABLE with a Problem per field), refused while a
	// double-entry field waits for its second entry or a decision.
	Approve(ctx context.Context, orgID, docID, actor string) (*Document, error)
	// Confirm is group verification: the person has seen field's value on
	// each listed document (corrected ones in raw) and confirms them all;
	// each document left with nothing doubtful is approved. It returns
	// the documents approved.
	Confirm(ctx context.Context, orgID, formID, field, actor string, docIDs []string, raw map[string]json.RawMessage) ([]string, error)
	// Flag sets a document aside for someone else: the reason goes into
	// its status history, the actor's lease ends and the document keeps
	// waiting. EINVALID without a reason; ECONFLICT when another person
	// holds a live lease on it.
	Flag(ctx context.Context, orgID, docID, actor, reason string) error
}

// Doubtful reports whether a person should look at a field's value: it
// breaks a rule, or an engine read it with less confidence than the form
// asks for. Values a person or a device set are never doubtful for their
// confidence.
func (t *FormTemplate) Doubtful(fv FieldValue) bool {
	if !fv.Valid {
		return true
	}
	switch fv.Source {
	case SourceVerifier, SourceDigital:
		return false
	}
	return fv.Confidence < t.ConfidenceThreshold
}

// EntryState is where the blind entries of one field stand.
type EntryState int

// Entry states, by the number of people who typed the field.
const (
	// EntriesPending: one person typed it; a second must.
	EntriesPending EntryState = iota
	// EntriesAgree: two people typed the same value, which stands.
	EntriesAgree
	// EntriesConflict: two people typed different values; a third
	// decides.
	EntriesConflict
	// EntriesDecided: a third person typed the value that stands.
	EntriesDecided
)

// Settled reports whether the field's value is known: agreed or decided.
func (s EntryState) Settled() bool { return s == EntriesAgree || s == EntriesDecided }

// FieldEntries is where one field's blind entries stand and, once settled,
// the value that stands.
type FieldEntries struct {
	State EntryState
	Value any
}

// EntryStates returns, for each field with entries (oldest first, as
// EntryStore.ListEntries lists them), where they stand. Two values agree
// when their JSON encodings are equal, so a number read back from a
// database agrees with the same number typed.
func EntryStates(entries []Entry) map[string]FieldEntries {
	byField := map[string][]Entry{}
	for _, e := range entries {
		byField[e.Field] = append(byField[e.Field], e)
	}
	out := make(map[string]FieldEntries, len(byField))
	for name, es := range byField {
		switch {
		case len(es) == 1:
			out[name] = FieldEntries{State: EntriesPending}
		case len(es) == 2 && SameValue(es[0].Value, es[1].Value):
			out[name] = FieldEntries{State: EntriesAgree, Value: es[1].Value}
		case len(es) == 2:
			out[name] = FieldEntries{State: EntriesConflict}
		default:
			out[name] = FieldEntries{State: EntriesDecided, Value: es[2].Value}
		}
	}
	return out
}

// SameValue reports whether two values encode to the same JSON.
func SameValue(a, b any) bool {
	x, errX := json.Marshal(a)
	y, errY := json.Marshal(b)
	return errX == nil && errY == nil && string(x) == string(y)
}
