// Package http is inkform's JSON API over net/http: routes, bearer-token
// authentication, RFC 9457 problem responses (error.go is the one place where
// inkform error codes become HTTP status codes), request logging and the
// embedded OpenAPI description.
//
// The package is named http after the wtf layout; it imports net/http under
// the same name, so inside it "http" means the standard library.
package http

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
	"github.com/inkform/inkform/throttle"
)

// DefaultTokenCacheTTL is how long a successful token lookup is reused when
// Server.TokenCacheTTL is zero.
const DefaultTokenCacheTTL = 30 * time.Second

// Server is the JSON API. Fill in the services and call Handler once; the
// transport (listeners, TLS, redirects) belongs to the caller.
type Server struct {
	// Orgs is not used by the JSON API yet; org administration is done
	// with the CLI. It is here for the UI and admin routes to come.
	Orgs       inkform.OrgService
	Tokens     inkform.TokenService
	Forms      inkform.FormService
	Capture    inkform.CaptureService
	Documents  inkform.DocumentService
	Quarantine inkform.QuarantineService
	// Jobs may be nil until the queue is wired in; the job routes then
	// answer 503.
	Jobs inkform.JobService
	// Verification is the workflow by which verifiers correct and approve
	// documents (verify.Service); nil makes those routes answer 503.
	Verification inkform.VerificationService
	// Entries holds documents' field histories for GET …/history; nil
	// lists none.
	Entries inkform.EntryStore
	// Purger deletes documents for good; nil makes DELETE
	// /api/v1/documents/{id} answer 503.
	Purger inkform.DocumentPurger
	// Feed lists forms' validated documents by a cursor that misses
	// nothing; nil makes GET /api/v1/forms/{id}/feed answer 503.
	Feed inkform.DocumentFeed
	// Audit records who read or changed what. Nil records nothing and
	// makes GET /api/v1/audit answer 503; cmd/inkform always sets it.
	Audit inkform.AuditLog
	// Blobs keeps backgrounds, document PDFs and the cutouts that Cutouts
	// draws and caches there; Renders records which PDF shows which state
	// of a document; Printer makes form PDFs. When one is nil, the routes
	// that need it answer 503.
	Blobs   inkform.BlobStore
	Renders inkform.RenderStore
	Printer inkform.FormPrinter
	Cutouts inkform.CutoutService
	// Subscriptions keeps forms' event subscriptions and their delivery logs; nil
	// makes the subscription routes (/api/v1/handlers) answer 503.
	Subscriptions inkform.SubscriptionStore
	// EmailEnabled says the operator configured an SMTP server, so e-mail
	// handlers can be made; ExportTargets names the export targets the
	// operator configured, which export subscriptions may name.
	EmailEnabled  bool
	ExportTargets []string
	// EmailDomains, when set, are the only recipient domains e-mail
	// handlers may name.
	EmailDomains []string

	// Logger receives one line per request and the details of internal
	// errors; nil means slog.Default().
	Logger *slog.Logger
	// Limits bounds request bodies and parsed ink; each zero field takes
	// its value from inkml.DefaultLimits().
	Limits inkml.Limits
	// Ready reports whether the node can serve (a database ping); nil means
	// always ready.
	Ready func(ctx context.Context) error
	// Version is reported by /healthz so a blue-green switch can check
	// which build answers.
	Version string
	// TokenCacheTTL is how long a token lookup is cached in process: zero
	// means DefaultTokenCacheTTL, a negative value disables the cache. A
	// revoked token stays usable on other nodes for at most this long,
	// and only while Notifier cannot reach them.
	TokenCacheTTL time.Duration
	// Notifier, when set, carries token revocations between nodes
	// (inkform.TopicTokens): every node drops the token from its cache
	// at once. Nil keeps the news on this node.
	Notifier inkform.Notifier
	// InkMemory bounds the memory that ink submissions being parsed may
	// hold at once, in bytes (zero: DefaultInkMemory); a submission over
	// it answers 503 with Retry-After.
	InkMemory int64
	// TrustedProxies are the load balancers whose X-Forwarded-For header
	// names the client (for throttling and logs); a request from any other
	// address is its own client.
	TrustedProxies []netip.Prefix
	// Metrics, when set, observes every request (see RequestMetrics).
	Metrics RequestMetrics
	// ExtraRoutes, when set, may register more handlers on the mux after
	// the API's own routes. They get request logging, request IDs and
	// problem responses for unknown routes, but no authentication: wrap
	// them with Server.Protect.
	ExtraRoutes func(mux *http.ServeMux)

	once      sync.Once
	tokens    *tokenCache
	inkBudget *byteBudget
	// authFailures counts bad tokens per client address.
	authFailures *throttle.Limiter
	draining     atomic.Bool
	// now is the clock; tests replace it.
	now func() time.Time
}

// RequestMetrics observes finished requests. route is the matched ServeMux
// pattern ("POST /api/v1/ink") or "unmatched", never a raw path, so label
// cardinality stays bounded. cmd/inkform adapts it to Prometheus; keeping
// the interface here keeps the metrics library out of this package.
type RequestMetrics interface {
	ObserveRequest(route string, status int, duration time.Duration, bytes int64)
}

// route is one API endpoint. The table returned by Server.routes is the
// single list of endpoints: Handler registers it and the OpenAPI test
// compares it with the spec.
type route struct {
	method string
	path   string
	// perm is what the caller's role must grant; "" marks a public route.
	perm    inkform.Permission
	handler func(w http.ResponseWriter, r *http.Request) error
}

// pattern returns the ServeMux pattern of the route.
func (rt route) pattern() string { return rt.method + " " + rt.path }

// routes lists every endpoint of the API.
func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", "", s.handleHealthz},
		{"GET", "/readyz", "", s.handleReadyz},
		{"GET", "/api/v1/openapi.json", "", s.handleOpenAPI},

		{"POST", "/api/v1/forms", inkform.PermFormsWrite, s.handleFormCreate},
		{"GET", "/api/v1/forms", inkform.PermFormsRead, s.handleFormList},
		{"GET", "/api/v1/forms/{id}", inkform.PermFormsRead, s.handleFormShow},
		{"PUT", "/api/v1/forms/{id}", inkform.PermFormsWrite, s.handleFormUpdate},
		{"GET", "/api/v1/forms/{id}/versions/{version}", inkform.PermFormsRead, s.handleFormVersionShow},
		{"POST", "/api/v1/forms/{id}/copies", inkform.PermFormsWrite, s.handleFormCopiesCreate},
		{"PUT", "/api/v1/forms/{id}/background", inkform.PermFormsWrite, s.handleFormBackgroundPut},
		{"GET", "/api/v1/forms/{id}/print.pdf", inkform.PermFormsRead, s.handleFormPrint},
		{"POST", "/api/v1/forms/{id}/submissions", inkform.PermDigitalSubmit, s.handleSubmissionCreate},

		{"POST", "/api/v1/ink", inkform.PermInkSubmit, s.handleInkSubmit},

		{"GET", "/api/v1/documents", inkform.PermDocumentsRead, s.handleDocumentList},
		{"GET", "/api/v1/forms/{id}/feed", inkform.PermDocumentsRead, s.handleFormFeed},
		{"GET", "/api/v1/documents/{id}", inkform.PermDocumentsRead, s.handleDocumentShow},
		{"GET", "/api/v1/documents/{id}/ink", inkform.PermDocumentsRead, s.handleDocumentInk},
		{"GET", "/api/v1/documents/{id}/history", inkform.PermDocumentsRead, s.handleDocumentHistory},
		{"GET", "/api/v1/documents/{id}/pdf", inkform.PermDocumentsRead, s.handleDocumentPDF},
		{"GET", "/api/v1/documents/{id}/fields/{name}/cutout.png", inkform.PermDocumentsRead, s.handleDocumentCutout("png")},
		{"GET", "/api/v1/documents/{id}/fields/{name}/cutout.svg", inkform.PermDocumentsRead, s.handleDocumentCutout("svg")},
		{"PATCH", "/api/v1/documents/{id}", inkform.PermDocumentsVerify, s.handleDocumentUpdate},
		{"POST", "/api/v1/documents/{id}/approve", inkform.PermDocumentsVerify, s.handleDocumentApprove},
		{"DELETE", "/api/v1/documents/{id}", inkform.PermDocumentsDelete, s.handleDocumentDelete},

		{"GET", "/api/v1/quarantine", inkform.PermQuarantine, s.handleQuarantineList},
		{"POST", "/api/v1/quarantine/{id}/reprocess", inkform.PermQuarantine, s.handleQuarantineReprocess},
		{"DELETE", "/api/v1/quarantine/{id}", inkform.PermQuarantine, s.handleQuarantineDelete},

		{"GET", "/api/v1/tokens", inkform.PermTokensManage, s.handleTokenList},
		{"POST", "/api/v1/tokens", inkform.PermTokensManage, s.handleTokenCreate},
		{"DELETE", "/api/v1/tokens/{id}", inkform.PermTokensManage, s.handleTokenDelete},

		{"GET", "/api/v1/jobs", inkform.PermJobsManage, s.handleJobList},
		{"POST", "/api/v1/jobs/{id}/retry", inkform.PermJobsManage, s.handleJobRetry},

		{"GET", "/api/v1/audit", inkform.PermAuditRead, s.handleAuditList},

		{"POST", "/api/v1/forms/{id}/handlers", inkform.PermSubscriptionsManage, s.handleSubscriptionCreate},
		{"GET", "/api/v1/forms/{id}/handlers", inkform.PermSubscriptionsManage, s.handleSubscriptionList},
		{"GET", "/api/v1/handlers/{id}", inkform.PermSubscriptionsManage, s.handleSubscriptionShow},
		{"PATCH", "/api/v1/handlers/{id}", inkform.PermSubscriptionsManage, s.handleSubscriptionUpdate},
		{"DELETE", "/api/v1/handlers/{id}", inkform.PermSubscriptionsManage, s.handleSubscriptionDelete},
		{"GET", "/api/v1/forms/{form}/handlers/{id}", inkform.PermSubscriptionsManage, s.handleSubscriptionShow},
		{"PATCH", "/api/v1/forms/{form}/handlers/{id}", inkform.PermSubscriptionsManage, s.handleSubscriptionUpdate},
		{"DELETE", "/api/v1/forms/{form}/handlers/{id}", inkform.PermSubscriptionsManage, s.handleSubscriptionDelete},
		{"GET", "/api/v1/handlers/{id}/deliveries", inkform.PermSubscriptionsManage, s.handleSubscriptionDeliveries},
		{"POST", "/api/v1/handlers/{id}/deliveries/{delivery}/redeliver", inkform.PermSubscriptionsManage, s.handleDeliveryRedeliver},
	}
}

// init fills in defaults once, so a Server literal needs only its services.
func (s *Server) init() {
	s.once.Do(func() {
		if s.Logger == nil {
			s.Logger = slog.Default()
		}
		// A zero count in inkml.Limits means "nothing allowed"; here a
		// zero field means "not configured", so it takes the default.
		s.Limits = s.Limits.Configured()
		if s.now == nil {
			s.now = time.Now
		}
		ttl := s.TokenCacheTTL
		if ttl == 0 {
			ttl = DefaultTokenCacheTTL
		}
		s.tokens = newTokenCache(ttl, tokenCacheSize, s.now)
		if s.Notifier != nil {
			// For the server's lifetime: a node has one Server.
			s.Notifier.Subscribe(inkform.TopicTokens, func(payload string) {
				if org, id, ok := inkform.ParseTokenNotice(payload); ok {
					s.tokens.forget(org, id)
				}
			})
		}
		if s.InkMemory <= 0 {
			s.InkMemory = DefaultInkMemory
		}
		s.inkBudget = &byteBudget{total: s.InkMemory}
		s.authFailures = throttle.New(authFailureBurst, authFailureEvery, 0, s.now)
	})
}

// Handler returns the API as an http.Handler: a ServeMux with method
// patterns, wrapped in request IDs, logging, metrics and panic recovery.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern(), s.endpoint(rt))
	}
	if s.ExtraRoutes != nil {
		s.ExtraRoutes(mux)
	}
	return s.observe(s.recoverPanics(s.readYourWrites(&router{mux: mux, srv: s})))
}

// Drain makes /readyz answer 503 from now on, so a load balancer stops
// sending new requests before the process shuts down (blue-green switch).
// Requests already routed here are still served.
func (s *Server) Drain() {
	s.draining.Store(true)
}

// Protect wraps h so that it runs only for a bearer token whose role grants
// perm, with the Principal in the request context. It is meant for handlers
// added through ExtraRoutes. An empty perm is a programming error (it would
// make the handler public), so Protect panics on it at startup.
func (s *Server) Protect(perm inkform.Permission, h http.Handler) http.Handler {
	if perm == "" {
		panic("http: Protect needs a permission")
	}
	s.init()
	return s.endpoint(route{perm: perm, handler: func(w http.ResponseWriter, r *http.Request) error {
		h.ServeHTTP(w, r)
		return nil
	}})
}

// endpoint turns a route into a handler: authentication and the permission
// check first, then the handler, whose error becomes a problem response.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.perm != "" {
			p, err := s.authorize(r, rt.perm)
			if err != nil {
				s.Error(w, r, err)
				return
			}
			r = r.WithContext(inkform.NewContextWithPrincipal(r.Context(), p))
		}
		if err := rt.handler(w, r); err != nil {
			s.Error(w, r, err)
		}
	})
}

// orgID returns the org of the authenticated caller. Handlers run only
// behind endpoint's authentication, so a missing principal is a bug.
func orgID(r *http.Request) (string, error) {
	p := inkform.PrincipalFromContext(r.Context())
	if p == nil || p.OrgID == "" {
		return "", inkform.Errorf(inkform.EUNAUTHORIZED, "no authenticated caller")
	}
	return p.OrgID, nil
}
