// Package ui is inkform's web console: server-rendered pages for people
// (verifiers, admins) who sign in with the password `inkform user create`
// gave them. It is mounted beside the JSON API on the same listener
// (Server.Register on the API's mux) and uses the same root interfaces.
//
// Pages are html/template files and the CSS, JavaScript and icon are
// hand-written static files, all embedded, so the binary is the whole UI
// and there is no build step. Every response carries a Content-Security-
// Policy that allows scripts and styles from the server's own files only
// (no inline code), and every page works without JavaScript.
//
// Sign-in makes a server-side session (inkform.SessionStore; the cookie
// holds a random token, the database its SHA-256). Every state change
// carries a CSRF token: before sign-in a double-submit cookie whose form
// value is signed with Server.Key, after it a value derived from the
// session's token; Go's cross-origin protection (Sec-Fetch-Site, Origin)
// stands in front of both. See docs/ui.md.
package ui

import (
	"crypto/rand"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/throttle"
)

// Session lifetimes when Server leaves them zero: a session ends after an
// hour without a request or twelve hours after sign-in, whichever comes
// first — a verifier's working day, but not a forgotten browser's week.
const (
	DefaultIdleTimeout = time.Hour
	DefaultMaxAge      = 12 * time.Hour
)

// DefaultPasswordWorkers bounds the password checks running at once when
// Server.PasswordWorkers is zero. Each argon2id check holds 64 MiB and
// two cores for about a tenth of a second, so a burst of sign-ins waits
// rather than exhausting memory.
const DefaultPasswordWorkers = 4

// Server is the web console. Fill in the services and call Register once.
type Server struct {
	Users    inkform.UserService
	Orgs     inkform.OrgService
	Sessions inkform.SessionStore
	// Audit records sign-ins and sign-outs; nil records nothing.
	Audit inkform.AuditLog
	// The verification station's services (docs/ui.md): leases hand out
	// documents, the workflow corrects, approves and flags them, the
	// others show a document's page, history and cutouts. Nil Cutouts
	// shows the station without cutout images.
	Verification inkform.VerificationService
	Leases       inkform.LeaseStore
	Entries      inkform.EntryStore
	Documents    inkform.DocumentService
	Forms        inkform.FormService
	Cutouts      inkform.CutoutService
	// Blobs holds the forms' uploaded backgrounds, which the station
	// draws under the page; nil draws the layout alone.
	Blobs inkform.BlobStore
	// The documents, quarantine and dead-jobs pages (docs/ui.md) use
	// Documents and Forms too. Nil Purger hides deleting, nil Renders
	// the PDF, nil Quarantine or InkParser the quarantine, nil Jobs the
	// jobs page.
	Purger     inkform.DocumentPurger
	Renders    inkform.RenderStore
	Quarantine inkform.QuarantineService
	InkParser  inkform.InkParser
	Jobs       inkform.JobService
	Logger     *slog.Logger // nil: slog.Default()

	// Key signs the sign-in form's CSRF token. Every node behind one load
	// balancer needs the same key, or a form fetched from one node is
	// refused by another; cmd/inkform passes the store's secret key (the
	// UI derives its own from it, so the two uses never meet). Empty: a
	// random key per process, for tests and single nodes.
	Key []byte
	// SecureCookies marks cookies Secure and gives them the __Host- prefix;
	// set it when browsers reach the server over HTTPS, here or at a load
	// balancer. A request that arrives over TLS gets them anyway.
	SecureCookies bool
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client, for throttling sign-ins per address.
	TrustedProxies []netip.Prefix
	// IdleTimeout and MaxAge end sessions (zero: the defaults above).
	IdleTimeout time.Duration
	MaxAge      time.Duration
	// PasswordWorkers bounds concurrent password checks (zero: default).
	PasswordWorkers int
	// TOTP keeps second factors (docs/ui.md); nil offers none.
	TOTP inkform.TOTPStore
	// SSO offers sign-in through an identity provider; nil offers none.
	SSO *SSO

	// Capture takes the forms filled on tablets (/f/{form}), as the
	// API's digital submissions do; nil shows no tablet pages. Their
	// documents' PDFs come from Renders (above); nil offers none.
	Capture inkform.CaptureService

	// The forms pages (/forms) create, change, preview and print forms
	// through Forms and keep uploaded backgrounds in Blobs; Printer checks
	// backgrounds and prints blank copies (nil: no uploads, no printing).
	Printer inkform.FormPrinter
	// Subscriptions backs the handlers pages (/handlers): webhooks,
	// e-mail and exports, their delivery logs and redelivery; nil hides them.
	Subscriptions inkform.SubscriptionStore
	// SubscriptionOptions are what the operator configured for handlers
	// (SMTP, recipient domains, export targets), which the console holds
	// a handler to as the API does (inkform.CheckSubscription).
	SubscriptionOptions inkform.SubscriptionOptions
	// Tokens backs the API tokens page (/tokens); nil hides it. Notifier
	// tells every node of a revoked token (nil: this node's caches only
	// learn of it when they expire).
	Tokens   inkform.TokenService
	Notifier inkform.Notifier

	once      sync.Once
	pages     map[string]*template.Template
	static    *staticFiles
	csrfKey   []byte
	byAccount *throttle.Limiter // failed sign-ins per typed e-mail address
	byAddress *throttle.Limiter // failed sign-ins per client address
	checks    chan struct{}     // a slot per running password check
	dummy     dummyHash
	swept     atomic.Int64 // Unix seconds of the last sweep of expired sessions
	cop       *http.CrossOriginProtection
	auth      authState // second factors and single sign-on
	// now is the clock; tests replace it before Register.
	now func() time.Time
	// passwordParams hash the passwords the users pages make (nil:
	// passwd.DefaultParams); tests make them cheap.
	passwordParams *passwd.Params
}

// init fills in defaults and parses the embedded files once.
func (s *Server) init() {
	s.once.Do(func() {
		if s.Logger == nil {
			s.Logger = slog.Default()
		}
		if s.now == nil {
			s.now = time.Now
		}
		if s.IdleTimeout <= 0 {
			s.IdleTimeout = DefaultIdleTimeout
		}
		if s.MaxAge <= 0 {
			s.MaxAge = DefaultMaxAge
		}
		if s.PasswordWorkers <= 0 {
			s.PasswordWorkers = DefaultPasswordWorkers
		}
		key := s.Key
		if len(key) == 0 {
			key = make([]byte, 32)
			_, _ = rand.Read(key) // crypto/rand does not fail on supported platforms
		}
		s.csrfKey = deriveKey(key, "inkform ui sign-in csrf v1")
		s.byAccount = throttle.New(accountBurst, accountEvery, 0, s.now)
		s.byAddress = throttle.New(addressBurst, addressEvery, 0, s.now)
		s.checks = make(chan struct{}, s.PasswordWorkers)
		s.static = mustLoadStatic()
		s.pages = mustParsePages(s.static)
		s.cop = http.NewCrossOriginProtection()
		s.cop.SetDenyHandler(http.HandlerFunc(s.denyCrossOrigin))
	})
}

// route is one page or action of the console.
type route struct {
	pattern string
	handler http.Handler
}

// routes lists every route of the console; Register mounts them.
func (s *Server) routes() []route {
	return slices.Concat([]route{
		{"GET /{$}", s.signedIn("", s.handleHome)},
		{"GET /login", http.HandlerFunc(s.handleLoginShow)},
		{"POST /login", http.HandlerFunc(s.handleLoginSubmit)},
		{"POST /logout", s.signedIn("", s.handleLogout)},
		{"POST /logout/everywhere", s.signedIn("", s.handleLogoutEverywhere)},
		{"GET /verify", s.verifier(s.handleVerifyQueues)},
		{"POST /verify/forms/{form}/start", s.verifier(s.handleVerifyStart)},
		{"GET /verify/forms/{form}/group", s.verifier(s.handleVerifyGroup)},
		{"POST /verify/forms/{form}/group", s.station(s.handleVerifyGroupConfirm)},
		{"GET /verify/documents/{id}", s.verifier(s.handleVerifyDocument)},
		{"POST /verify/documents/{id}/approve", s.station(s.handleVerifyApprove)},
		{"POST /verify/documents/{id}/flag", s.station(s.handleVerifyFlag)},
		{"POST /verify/documents/{id}/lease", s.verifier(s.handleVerifyRenew)},
		{"POST /verify/documents/{id}/release", s.verifier(s.handleVerifyRelease)},
		{"GET /verify/documents/{id}/fields/{name}/cutout.png", s.verifier(s.handleVerifyCutout)},
		{"GET /verify/forms/{form}/versions/{version}/background.pdf", s.verifier(s.handleVerifyBackground)},
		{"GET /audit", s.signedIn(inkform.PermAuditRead, s.handleAudit)},
		{"GET /static/{name...}", http.HandlerFunc(s.handleStatic)},
	},
		s.authRoutes(),
		s.documentRoutes(),
		s.tabletRoutes(),
		s.formRoutes(),
		s.handlerRoutes(),
		s.accountRoutes(),
	)
}

// Register mounts the console on mux: the console at /, sign-in at /login,
// static files under /static/. Every route's path values are checked
// first (path_id.go). The JSON API keeps /api/, /healthz and
// /readyz, so the two share a mux without overlapping.
func (s *Server) Register(mux *http.ServeMux) {
	s.init()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.cop.Handler(s.withHeaders(s.checkPathIDs(rt.pattern, rt.handler))))
	}
}
