package ui

import "github.com/inkform/inkform"

// section is one part of the console on its home page. A role sees the
// sections its permissions reach and nothing of the others: a verifier
// never reads of tokens or subscriptions.
type section struct {
	Title string
	Path  string // "" while the console does not have the page yet
	API   string // where the JSON API offers it meanwhile
	About string
	Perm  inkform.Permission
}

// sections lists the console's parts, most used first. Each is keyed to
// the permission that sets a role apart (every role but the gateway reads
// forms and documents, so those are not).
var sections = []section{
	{Title: "Verification", Path: "/verify", Perm: inkform.PermDocumentsVerify,
		About: "Check and correct what the handwriting engine read, and approve documents."},
	{Title: "Documents", Path: "/documents", Perm: inkform.PermDocumentsRead,
		About: "Find documents by form, status, pen and date; read, replay, delete, and approve or delete many at once."},
	{Title: "Fill in a form", Path: "/f/", Perm: inkform.PermDigitalSubmit,
		About: "Fill in a form on this tablet or computer, signature included."},
	{Title: "Forms", Path: "/forms", Perm: inkform.PermFormsWrite,
		About: "Design forms, upload backgrounds and print copies."},
	{Title: "Handlers", Path: "/handlers", Perm: inkform.PermSubscriptionsManage,
		About: "Webhooks, e-mail and exports that receive approved documents, and their delivery logs."},
	{Title: "Quarantine", Path: "/quarantine", Perm: inkform.PermQuarantine,
		About: "Ink that matched no form, to assign to a form's page or delete."},
	{Title: "Jobs", Path: "/jobs", Perm: inkform.PermJobsManage,
		About: "Background work that failed for good, to retry."},
	{Title: "API tokens", Path: "/tokens", Perm: inkform.PermTokensManage,
		About: "Tokens for pen gateways and integrations."},
	{Title: "Users", Path: "/admin/users", Perm: inkform.PermUsersManage,
		About: "Who signs in to the console: add people, change roles, disable accounts, give new passwords."},
	{Title: "Audit log", Path: "/audit", Perm: inkform.PermAuditRead,
		About: "Who read or changed what, and when."},
}

// sectionsFor returns the sections a role may use.
func sectionsFor(role inkform.Role) []section {
	var out []section
	for _, sec := range sections {
		if role.Can(sec.Perm) {
			out = append(out, sec)
		}
	}
	return out
}
