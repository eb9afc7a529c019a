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
	// Wired reports whether the server has the services the section's
	// pages need (nil: it always has); the home page leaves out a
	// section without them, whose pages would only answer 503.
	Wired func(*Server) bool
}

// sections lists the console's parts, most used first. Each is keyed to
// the permission that sets a role apart (every role but the gateway reads
// forms and documents, so those are not).
var sections = []section{
	{Title: "Verification", Path: "/verify", Perm: inkform.PermDocumentsVerify, Wired: (*Server).hasStation,
		About: "Check and correct what the handwriting engine read, and approve documents."},
	{Title: "Documents", Path: "/documents", Perm: inkform.PermDocumentsRead, Wired: (*Server).hasDocuments,
		About: "Find documents by form, status, pen and date; read, replay, delete, and approve or delete many at once."},
	{Title: "Fill in a form", Path: "/f/", Perm: inkform.PermDigitalSubmit, Wired: (*Server).hasTablets,
		About: "Fill in a form on this tablet or computer, signature included."},
	{Title: "Forms", Path: "/forms", Perm: inkform.PermFormsWrite, Wired: (*Server).hasForms,
		About: "Design forms, upload backgrounds and print copies."},
	{Title: "Handlers", Path: "/handlers", Perm: inkform.PermSubscriptionsManage, Wired: (*Server).hasHandlers,
		About: "Webhooks, e-mail and exports that receive approved documents, and their delivery logs."},
	{Title: "Quarantine", Path: "/quarantine", Perm: inkform.PermQuarantine, Wired: (*Server).hasQuarantine,
		About: "Ink that matched no form, to assign to a form's page or delete."},
	{Title: "Jobs", Path: "/jobs", Perm: inkform.PermJobsManage, Wired: (*Server).hasJobs,
		About: "Background work that failed for good, to retry."},
	{Title: "API tokens", Path: "/tokens", Perm: inkform.PermTokensManage, Wired: (*Server).hasTokens,
		About: "Tokens for pen gateways and integrations."},
	{Title: "Users", Path: "/admin/users", Perm: inkform.PermUsersManage,
		About: "Who signs in to the console: add people, change roles, disable accounts, give new passwords."},
	{Title: "Audit log", Path: "/audit", Perm: inkform.PermAuditRead, Wired: (*Server).hasAudit,
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

// wired returns the sections whose services the server has.
func (s *Server) wired(secs []section) []section {
	var out []section
	for _, sec := range secs {
		if sec.Wired == nil || sec.Wired(s) {
			out = append(out, sec)
		}
	}
	return out
}

// The services each part of the console needs, which its pages' guards
// and the home page ask alike: a part without them is left off the home
// page, and its pages answer 503.

func (s *Server) hasStation() bool {
	return s.Verification != nil && s.Leases != nil && s.Entries != nil && s.Documents != nil && s.Forms != nil
}

func (s *Server) hasQuarantine() bool {
	return s.Quarantine != nil && s.InkParser != nil && s.Forms != nil
}

func (s *Server) hasTablets() bool   { return s.Capture != nil && s.Forms != nil && s.Documents != nil }
func (s *Server) hasDocuments() bool { return s.Documents != nil && s.Forms != nil }
func (s *Server) hasHandlers() bool  { return s.Subscriptions != nil && s.Forms != nil }
func (s *Server) hasForms() bool     { return s.Forms != nil }
func (s *Server) hasJobs() bool      { return s.Jobs != nil }
func (s *Server) hasTokens() bool    { return s.Tokens != nil }
func (s *Server) hasAudit() bool     { return s.Audit != nil }
