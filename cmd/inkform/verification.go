package main

import (
	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/verify"
)

// verification is the verification workflow over the store, with the
// lease and entry stores it works through. The JSON API and the web
// station are given the same three, so both apply the same rules to the
// same leases: ui.Server takes them as its Verification, Leases and
// Entries fields.
type verification struct {
	Service inkform.VerificationService
	Leases  inkform.LeaseStore
	Entries inkform.EntryStore
}

// newVerification wires the verification workflow to the store.
func newVerification(db *sqlstore.DB) verification {
	return verification{
		Service: &verify.Service{Forms: db, Documents: db, Updater: db, Leases: db, Entries: db},
		Leases:  db,
		Entries: db,
	}
}
