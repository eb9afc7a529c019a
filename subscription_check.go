package inkform

import (
	"slices"
	"strings"
)

// SubscriptionOptions are what a server's operator configured for
// subscriptions: whether e-mail can be sent, to which recipient domains
// (empty: any), and the export targets' names.
type SubscriptionOptions struct {
	EmailEnabled  bool
	EmailDomains  []string
	ExportTargets []string
}

// CheckSubscription returns EUNPROCESSABLE naming what is wrong with h,
// with a Problem on the request member it is about: its own rules
// (Validate), conditions on fields the form lacks, and types or targets
// the server's options do not offer. The JSON API and the console check
// every subscription they store with it.
func CheckSubscription(h *Subscription, form *Form, opts SubscriptionOptions) error {
	var msg string
	if err := h.Validate(); err != nil {
		msg = ErrorMessage(err)
	} else if h.Type == SubscriptionEmail && !opts.EmailEnabled {
		msg = "handler type email: this server has no SMTP server configured (--smtp-url)"
	} else if err := CheckEmailDomains(h.To, opts.EmailDomains); h.Type == SubscriptionEmail && err != nil {
		msg = ErrorMessage(err)
	} else if h.Type == SubscriptionExport && !slices.Contains(opts.ExportTargets, h.Target) {
		msg = "export target " + h.Target + " is not configured on this server"
		if len(opts.ExportTargets) > 0 {
			msg += "; configured: " + strings.Join(opts.ExportTargets, ", ")
		}
	} else {
		for _, c := range h.Conditions {
			if form.Field(c.Field) == nil {
				msg = "condition on " + c.Field + ": the form has no such field"
				break
			}
		}
	}
	if msg == "" {
		return nil
	}
	e := Errorf(EUNPROCESSABLE, "the handler cannot be stored: %s", msg)
	e.Problems = []Problem{{Path: subscriptionProblemPath(msg), Message: msg}}
	return e
}

// subscriptionProblemPath names the request member a message of checkSubscription
// is about.
func subscriptionProblemPath(msg string) string {
	for _, p := range []struct{ prefix, path string }{
		{"handler type", "type"}, {"handler url", "url"}, {"handler setting", "type"},
		{"condition", "conditions"}, {"a condition", "conditions"}, {"e-mail recipient", "to"}, {"an e-mail handler needs", "to"},
		{"e-mail subject", "subject"}, {"e-mail body", "body"}, {"export target", "target"},
		{"export format", "format"}, {"export path", "path"},
	} {
		if strings.HasPrefix(msg, p.prefix) {
			return p.path
		}
	}
	return "events"
}
