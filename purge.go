package inkform

import (
	"context"
	"fmt"
)

// DocumentPurger removes documents for good.
type DocumentPurger interface {
	// PurgeDocument deletes, in one transaction, a document with its ink,
	// status history, render record and pending jobs, and records a
	// document.purge audit event naming actor. Objects in the blob store
	// are the caller's to delete, with PurgeDocumentBlobs. ENOTFOUND when
	// the org has no such document.
	PurgeDocument(ctx context.Context, orgID, id, actor string) error
}

// PurgeDocumentBlobs deletes every object under the document's blob prefix
// (PDFs, cutouts, cached files) and returns how many there were. Call it
// after PurgeDocument: with the rows gone nothing makes new objects, and
// since Delete of a missing object succeeds, calling it again finishes a
// purge that failed half-way.
//
// The prefix holds orgID, so a caller can only ever delete its own org's
// objects, whatever id it passes.
func PurgeDocumentBlobs(ctx context.Context, store BlobStore, orgID, id string) (int, error) {
	// Keys are collected first: deleting while a store lists could make
	// some stores skip keys.
	var keys []string
	err := store.List(ctx, DocumentBlobPrefix(orgID, id), func(b BlobInfo) error {
		keys = append(keys, b.Key)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("list objects of document %s: %w", id, err)
	}
	for _, k := range keys {
		if err := store.Delete(ctx, k); err != nil {
			return 0, fmt.Errorf("delete objects of document %s: %w", id, err)
		}
	}
	return len(keys), nil
}
