package inkform

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Names of the settings that every node sharing a database must share. They
// are what a refused node's message and /readyz name, so they are written
// for operators.
const (
	// SettingBlobStore is the object store's ID (BlobStoreIdentifier):
	// nodes that each keep objects in a folder of their own have different
	// IDs, and one node's PDFs would be missing on the others.
	SettingBlobStore = "blob_store"
	// SettingSecretKey is the fingerprint (SecretKeyFingerprint) of the key
	// that encrypts stored secrets: a node with another key cannot read
	// the webhook keys the others stored.
	SettingSecretKey = "secret_key"
	// SettingSchemaVersion is the newest schema version of any node that
	// joined, raised by each newer node. A node older than it may still
	// join as long as it knows SettingSchemaFloor.
	SettingSchemaVersion = "schema_version"
	// SettingSchemaFloor is the oldest schema version a node's binary must
	// know to run on the database. Migrations set it, never nodes: a
	// migration that drops or renames what older binaries use raises it.
	SettingSchemaFloor = "schema_floor"
)

// ClusterSetting is one setting all nodes must share, as a node offers it
// or as the database has it recorded.
type ClusterSetting struct {
	Name string
	// Value is what nodes compare: an ID or a fingerprint, never a secret.
	Value string
	// Detail says, for people, where the value comes from ("the folder
	// /srv/inkform/blobs", "--secret-key or INKFORM_SECRET_KEY").
	Detail string
	// Ordered, on a node's setting, makes the record keep the greatest
	// value (as strings: versions are zero-padded) any node offered
	// instead of the first; a node's lower value is no mismatch by itself.
	Ordered bool
	// Hint, on a node's setting, says what to do when it differs. It is
	// not recorded.
	Hint string
	// Node and At, on a recorded setting, say which node recorded the
	// value and when (zero for a value a migration wrote).
	Node string
	At   time.Time
}

// ClusterRegistry keeps, in the database every node shares, the settings
// the nodes must agree on: the first node to start records its values and
// every later node compares its own with them (JoinCluster).
type ClusterRegistry interface {
	// RecordClusterSettings records, in one transaction, each setting
	// that has no value yet, with node as its recorder, and raises each
	// Ordered setting whose value sorts after the recorded one; any other
	// recorded value stays, so of nodes starting at once one wins and all
	// see its values. It returns every recorded setting (also those of
	// names not given), sorted by name.
	RecordClusterSettings(ctx context.Context, node string, settings []ClusterSetting) ([]ClusterSetting, error)
	// ClusterSettings returns every recorded setting, sorted by name.
	ClusterSettings(ctx context.Context) ([]ClusterSetting, error)
	// ResetClusterSettings records the settings' values, replacing what
	// was recorded: the way to change a shared setting on purpose.
	ResetClusterSettings(ctx context.Context, node string, settings []ClusterSetting) error
	// SchemaVersion returns the newest migration applied to the database.
	SchemaVersion(ctx context.Context) (int64, error)
}

// BlobStoreIdentifier is a BlobStore that can tell itself apart from other
// stores, so that nodes can check that they share one.
type BlobStoreIdentifier interface {
	// BlobStoreID returns an ID kept in the store itself, made on first
	// use, and a description of the store for people. Every node that
	// reaches the same objects gets the same ID.
	BlobStoreID(ctx context.Context) (id, description string, err error)
}

// SecretKeyFingerprint returns what nodes compare instead of the secret key
// itself: the first 16 hex digits of HMAC-SHA256(key, "inkform key
// fingerprint"). It tells keys apart without helping anyone guess one.
func SecretKeyFingerprint(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("inkform key fingerprint"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// FormatSchemaVersion writes a schema version as migrations name it
// ("00011"), so that recorded versions sort as strings.
func FormatSchemaVersion(v int64) string { return fmt.Sprintf("%05d", v) }

// ClusterNode is what a node brings to the cluster check.
type ClusterNode struct {
	// Name says which node recorded a value ("worker on host-b").
	Name string
	// Settings must equal the recorded ones: the object store's ID and
	// the secret key's fingerprint.
	Settings []ClusterSetting
	// Schema is the newest schema version the node's binary knows.
	Schema int64
}

// JoinCluster checks a node against the settings recorded in the database,
// recording its own where none are yet (the first node's win), and returns
// a *ClusterMismatchError naming every setting in which the node differs.
// It is safe to call again while the node runs: a check of settings that
// were changed under it.
func JoinCluster(ctx context.Context, reg ClusterRegistry, node ClusterNode) error {
	applied, err := reg.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("join cluster: %w", err)
	}
	// The registry's own table may be missing from an older schema, so
	// this comes first.
	if applied < node.Schema {
		return &ClusterMismatchError{Mismatches: []ClusterMismatch{{
			Name: SettingSchemaVersion,
			Message: fmt.Sprintf("the database's schema is version %d, older than this binary's %d: migrate the database first (inkform migrate, or start a node with --migrate)",
				applied, node.Schema),
		}}}
	}
	offer := append(slices.Clone(node.Settings), ClusterSetting{
		Name: SettingSchemaVersion, Value: FormatSchemaVersion(node.Schema),
		Detail: "the newest schema version of a node's binary", Ordered: true,
	})
	recorded, err := reg.RecordClusterSettings(ctx, node.Name, offer)
	if err != nil {
		return fmt.Errorf("join cluster: %w", err)
	}
	return CheckClusterSettings(node, recorded)
}

// CheckClusterSettings compares a node's settings with the recorded ones
// and returns a *ClusterMismatchError naming each that differs, or nil. A
// setting with no recorded value is not compared, and an Ordered one never
// differs by itself; the node's schema must reach the recorded floor.
func CheckClusterSettings(node ClusterNode, recorded []ClusterSetting) error {
	byName := make(map[string]ClusterSetting, len(recorded))
	for _, r := range recorded {
		byName[r.Name] = r
	}
	var out []ClusterMismatch
	for _, s := range node.Settings {
		r, ok := byName[s.Name]
		if !ok || s.Ordered || r.Value == s.Value {
			continue
		}
		msg := fmt.Sprintf("this node has %s (%s); the cluster has %s (%s, %s)",
			s.Value, s.Detail, r.Value, r.Detail, recordedBy(r))
		if s.Hint != "" {
			msg += ". " + s.Hint
		}
		out = append(out, ClusterMismatch{Name: s.Name, Message: msg})
	}
	if floor, ok := byName[SettingSchemaFloor]; ok {
		v, err := strconv.ParseInt(floor.Value, 10, 64)
		if err != nil {
			out = append(out, ClusterMismatch{Name: SettingSchemaFloor,
				Message: fmt.Sprintf("the recorded value %q is not a schema version", floor.Value)})
		} else if node.Schema < v {
			out = append(out, ClusterMismatch{Name: SettingSchemaVersion,
				Message: fmt.Sprintf("this binary knows schema version %d, but the database's schema needs binaries that know version %d or later: upgrade this node",
					node.Schema, v)})
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &ClusterMismatchError{Mismatches: out}
}

// recordedBy says who recorded a setting and when, for messages.
func recordedBy(r ClusterSetting) string {
	switch {
	case r.Node == "":
		return "recorded by a migration"
	case r.At.IsZero():
		return "recorded by " + r.Node
	}
	return fmt.Sprintf("recorded by %s at %s", r.Node, r.At.UTC().Format(time.RFC3339))
}

// ClusterMismatch is one setting in which a node differs from its cluster.
type ClusterMismatch struct {
	Name    string // a Setting… constant
	Message string // the values, where they come from, and what to do
}

// ClusterMismatchError is the refusal of a node whose settings differ from
// the cluster's. Its text holds the values and where they come from, for
// the node's log and exit message; it unwraps to an EUNAVAILABLE *Error
// that names only the settings, safe for /readyz to show anyone.
type ClusterMismatchError struct {
	Mismatches []ClusterMismatch
}

// Error implements the error interface: one line per setting.
func (e *ClusterMismatchError) Error() string {
	s := "this node's settings differ from the cluster's (recorded in the database):"
	for _, m := range e.Mismatches {
		s += "\n  " + m.Name + ": " + m.Message
	}
	return s
}

// Names returns the names of the settings that differ.
func (e *ClusterMismatchError) Names() []string {
	out := make([]string, len(e.Mismatches))
	for i, m := range e.Mismatches {
		out[i] = m.Name
	}
	return out
}

// Unwrap gives the error a code and a message without values: a load
// balancer's probe may come from anywhere.
func (e *ClusterMismatchError) Unwrap() error {
	return Errorf(EUNAVAILABLE, "this node's settings differ from the cluster's: %s (the node's log says how)",
		strings.Join(e.Names(), ", "))
}
