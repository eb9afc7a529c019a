// Package backup writes and reads inkform archives: the database as a
// portable export (one JSON-lines file per table, typed values), every
// object of the blob store, the secret key only when asked for (sealed
// with a passphrase), and a manifest with versions, counts, sizes and
// SHA-256 checksums. An archive lives in any inkform.BlobStore, so a
// directory and an S3 prefix are the same to it, and it reads and writes
// databases only through inkform.DatabaseExporter and DatabaseImporter, so
// an archive of one engine restores into any other.
package backup

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/inkform/inkform"
)

// Names of an archive's files, as keys of the store that holds it.
const (
	ManifestKey  = "manifest.json"
	KeysKey      = "keys.enc"
	tablesPrefix = "db/"
	objectPrefix = "objects/"
)

// Format and FormatVersion identify the archive layout this package writes.
// A reader refuses other versions rather than guess.
const (
	Format        = "inkform-backup"
	FormatVersion = 1
)

// Limits of what a restore reads: the manifest and each row are parsed in
// memory.
const (
	MaxManifestBytes = 256 << 20
	MaxRowBytes      = 64 << 20
	MaxTables        = 200
	MaxColumns       = 200
)

// Manifest describes an archive. It is written last, so an archive without
// one is incomplete.
type Manifest struct {
	Format         string    `json:"format"`
	FormatVersion  int       `json:"formatVersion"`
	InkformVersion string    `json:"inkformVersion"`
	SchemaVersion  int64     `json:"schemaVersion"`
	SourceEngine   string    `json:"sourceEngine"`
	CreatedAt      time.Time `json:"createdAt"`
	Tables         []Table   `json:"tables"`
	Objects        []Object  `json:"objects"`
	// Keys is the sealed secret key, present only in an archive made
	// with keys.
	Keys *Keys `json:"keys,omitempty"`
}

// File is one file of an archive with its size and SHA-256 (hex).
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Table is one exported table: its columns, its row count and its file.
type Table struct {
	inkform.BackupTable
	Rows int64 `json:"rows"`
	// LeftOut counts rows of the snapshot that name an object deleted
	// before the backup could copy it (see inkform.BackupTable.BlobKey).
	LeftOut int64 `json:"leftOut,omitempty"`
	File    File  `json:"file"`
}

// Object is one object of the blob store.
type Object struct {
	Key         string `json:"key"`
	ContentType string `json:"contentType,omitempty"`
	File        File   `json:"file"`
}

// Keys describes the sealed secret key: how the passphrase becomes a key
// (argon2id with these parameters) and the file holding the sealed bytes.
type Keys struct {
	KDF       string `json:"kdf"`
	Salt      string `json:"salt"` // hex
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memoryKiB"`
	Threads   uint8  `json:"threads"`
	Cipher    string `json:"cipher"`
	File      File   `json:"file"`
}

func tableKey(name string) string { return tablesPrefix + name + ".jsonl" }

// ParseManifest reads and checks a manifest of at most MaxManifestBytes.
// Everything a restore later trusts — names that reach SQL, keys that
// reach the blob store, sizes and checksums — is checked here.
func ParseManifest(r io.Reader) (*Manifest, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if len(data) > MaxManifestBytes {
		return nil, damaged("the manifest is larger than %d bytes", MaxManifestBytes)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, damaged("the manifest is not valid JSON: %v", err)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// damaged is the error of an archive that cannot be trusted.
func damaged(format string, args ...any) error {
	return inkform.Errorf(inkform.EINVALID, "damaged archive: "+format, args...)
}

func (m *Manifest) validate() error {
	switch {
	case m.Format != Format:
		return damaged("the manifest's format is %q, not %q", m.Format, Format)
	case m.FormatVersion != FormatVersion:
		return damaged("archive format version %d; this inkform reads version %d", m.FormatVersion, FormatVersion)
	case m.SchemaVersion < 1:
		return damaged("the manifest has no schema version")
	case !slices.Contains([]string{"sqlite", "postgres", "mysql"}, m.SourceEngine):
		return damaged("unknown source engine %q", m.SourceEngine)
	case len(m.Tables) == 0 || len(m.Tables) > MaxTables:
		return damaged("the manifest lists %d tables", len(m.Tables))
	}
	seen := map[string]bool{}
	for _, t := range m.Tables {
		if err := validTable(t); err != nil {
			return err
		}
		if seen[t.Name] {
			return damaged("table %s is listed twice", t.Name)
		}
		seen[t.Name] = true
	}
	var prev string
	for i, o := range m.Objects {
		if err := inkform.ValidateBlobKey(o.Key); err != nil {
			return damaged("object %d: %v", i, err)
		}
		if i > 0 && o.Key <= prev {
			return damaged("objects are not in key order at %q", o.Key)
		}
		prev = o.Key
		if err := inkform.ValidateBlobContentType(o.ContentType); err != nil {
			return damaged("object %s: %v", o.Key, err)
		}
		if err := validFile(o.File, objectPrefix+o.Key); err != nil {
			return err
		}
	}
	if k := m.Keys; k != nil {
		if err := k.validate(); err != nil {
			return err
		}
	}
	return nil
}

func validTable(t Table) error {
	if !inkform.ValidBackupName(t.Name) {
		return damaged("a table is named %q", t.Name)
	}
	if len(t.Columns) == 0 || len(t.Columns) > MaxColumns {
		return damaged("table %s has %d columns", t.Name, len(t.Columns))
	}
	names := map[string]bool{}
	for _, c := range t.Columns {
		if !inkform.ValidBackupName(c.Name) || names[c.Name] {
			return damaged("table %s has a bad or repeated column %q", t.Name, c.Name)
		}
		names[c.Name] = true
		if c.Type != inkform.ColumnInt && c.Type != inkform.ColumnText && c.Type != inkform.ColumnBytes {
			return damaged("column %s.%s has unknown type %q", t.Name, c.Name, c.Type)
		}
	}
	if t.BlobKey != "" && !names[t.BlobKey] {
		return damaged("table %s names an object column %q it lacks", t.Name, t.BlobKey)
	}
	if t.Rows < 0 || t.LeftOut < 0 {
		return damaged("table %s has a negative row count", t.Name)
	}
	return validFile(t.File, tableKey(t.Name))
}

func validFile(f File, path string) error {
	if f.Path != path {
		return damaged("file %q where the manifest expects %q", f.Path, path)
	}
	if f.Size < 0 {
		return damaged("%s has a negative size", f.Path)
	}
	if b, err := hex.DecodeString(f.SHA256); err != nil || len(b) != 32 {
		return damaged("%s has no valid SHA-256", f.Path)
	}
	return nil
}
