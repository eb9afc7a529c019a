package sqlstore

import (
	"strings"

	"github.com/inkform/inkform"
)

// backupTable is a table as backups see it: the portable description plus
// what only this package knows (its primary key for a stable row order,
// and whether the engine numbers its id itself).
type backupTable struct {
	inkform.BackupTable
	order  string // ORDER BY of an export
	serial bool   // id is an identity / auto-increment column
}

// col spells a column list compactly: "name:type" with type i (int), t
// (text) or b (bytes), and a trailing ? for a nullable column.
func cols(spec string) []inkform.BackupColumn {
	var out []inkform.BackupColumn
	for _, f := range strings.Fields(spec) {
		name, typ, _ := strings.Cut(f, ":")
		c := inkform.BackupColumn{Name: name}
		if strings.HasSuffix(typ, "?") {
			c.Null, typ = true, strings.TrimSuffix(typ, "?")
		}
		switch typ {
		case "i":
			c.Type = inkform.ColumnInt
		case "b":
			c.Type = inkform.ColumnBytes
		default:
			c.Type = inkform.ColumnText
		}
		out = append(out, c)
	}
	return out
}

func table(name, order, spec string) backupTable {
	return backupTable{BackupTable: inkform.BackupTable{Name: name, Columns: cols(spec)}, order: order}
}

// backupTables lists every table a backup holds, at the newest schema, in
// the order a restore loads them (a row's org, form and document come
// before it). The export checks each list against the database's own
// columns, so a migration that adds a column without adding it here fails
// every backup instead of losing the column silently.
//
// cluster_settings is left out on purpose: it describes the deployment
// (object store, secret key), and the restored system records its own.
func backupTables() []backupTable {
	renders := table("document_renders", "org_id, document_id",
		"org_id:t document_id:t source_updated_at:i blob_key:t sha256:t size:i created_at:i")
	renders.BlobKey = "blob_key"
	serial := func(t backupTable) backupTable { t.serial = true; return t }
	return []backupTable{
		table("orgs", "id", "id:t name:t shelf:i pattern_pool:t next_page:i created_at:i"),
		table("tokens", "id", "id:t org_id:t name:t role:t hash:t hint:t created_at:i expires_at:i"),
		table("users", "id", "id:t org_id:t email:t name:t role:t password_hash:t created_at:i disabled_at:i"),
		table("sessions", "id", "id:t org_id:t user_id:t hash:t created_at:i last_seen_at:i idle_expires_at:i expires_at:i"),
		table("user_totp", "org_id, user_id", "org_id:t user_id:t secret:t created_at:i confirmed_at:i? last_step:i"),
		table("user_recovery_codes", "org_id, user_id, hash", "org_id:t user_id:t hash:t created_at:i"),
		table("org_totp_rules", "org_id", "org_id:t required:i updated_at:i"),
		table("forms", "id", "id:t org_id:t pattern:t version:i next_copy:i created_at:i updated_at:i retention_after:t? retention_days:i?"),
		table("form_versions", "form_id, version", "form_id:t version:i template:t created_at:i"),
		table("form_feeds", "form_id", "form_id:t seq:i"),
		table("copies", "id", "id:t org_id:t form_id:t number:i created_at:i"),
		table("page_addresses", "org_id, address", "org_id:t address:t form_id:t page:i copy_id:t?"),
		table("documents", "id", "id:t org_id:t form_id:t form_version:i copy_id:t? status:t pen_id:t pages:t fields:t created_at:i updated_at:i validated_at:i? feed_seq:i? exported_at:i?"),
		table("ink", "id", "id:t org_id:t document_id:t submission_id:t received_at:i points:i data:b"),
		serial(table("status_changes", "id", "id:i document_id:t org_id:t from_status:t to_status:t cause:t changed_at:i")),
		table("submissions", "org_id, submission_id", "org_id:t submission_id:t result:t created_at:i fingerprint:t?"),
		table("quarantine", "id", "id:t org_id:t pen_id:t submission_id:t addresses:t reason:t content_type:t body:b received_at:i"),
		renders,
		table("audit_events", "id", "id:t org_id:t created_at:i actor:t action:t object_kind:t object_id:t detail:t"),
		table("handlers", "id", "id:t org_id:t form_id:t type:t url:t events:t secret:t created_at:i settings:t updated_at:i"),
		serial(table("handler_deliveries", "id", "id:i org_id:t handler_id:t message_id:t event:t document_id:t event_at:i attempt:i status_code:i latency_ms:i error_message:t attempted_at:i")),
		serial(table("jobs", "id", "id:i org_id:t queue:t kind:t args:t state:t priority:i attempt:i max_attempts:i run_at:i unique_key:t? last_error:t leased_by:t? lease_expires_at:i? created_at:i finished_at:i? document_id:t? reaps:i limit_key:t?")),
	}
}

// findBackupTable returns the table named name, or false.
func findBackupTable(name string) (backupTable, bool) {
	for _, t := range backupTables() {
		if t.Name == name {
			return t, true
		}
	}
	return backupTable{}, false
}
