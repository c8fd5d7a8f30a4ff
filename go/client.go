// Package sessionvault is the Go client of a sessionvault vault (or a Databunker Pro
// server speaking the same v2 API): sessions, PII profiles and tokens over HTTP.
//
// The calls are generated from the project's one OpenAPI contract (package vaultapi);
// this package adds what a caller needs on top: context on every call, functional
// options, per-attempt timeouts, retries for calls that are safe to repeat, and
// typed errors (see [Error]) that never carry a secret. Session stores for
// alexedwards/scs and gorilla/sessions live in the scsstore and gorillastore packages.
package sessionvault

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sessionvault/sessionvault/go/vaultapi"
)

const (
	defaultTimeout  = 10 * time.Second
	defaultRetries  = 2
	defaultMinDelay = 50 * time.Millisecond
	defaultMaxDelay = time.Second
	maxReplyBytes   = 16 << 20
)

// Client calls one vault. It is safe for concurrent use; create one per vault and
// reuse it.
type Client struct {
	raw      *vaultapi.Client
	token    string
	tenant   string
	timeout  time.Duration
	retries  int
	minDelay time.Duration
	maxDelay time.Duration
}

type config struct {
	baseURL    string
	token      string
	tenant     string
	timeout    time.Duration
	httpClient *http.Client
	retries    int
	minDelay   time.Duration
	maxDelay   time.Duration
}

// Option configures [New].
type Option func(*config)

// WithBaseURL sets the vault's URL, e.g. "http://127.0.0.1:3000". Required.
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithToken sets the access token sent as X-Bunker-Token. Required.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithTenant sends X-Bunker-Tenant on every call.
func WithTenant(tenant string) Option { return func(c *config) { c.tenant = tenant } }

// WithTimeout bounds each attempt of a call (default 10s). The caller's context
// bounds the call as a whole, retries included.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithHTTPClient sets the http.Client (default: a client of its own with the
// default transport that never follows redirects, so the token goes nowhere else).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithRetries sets how often a call that is safe to repeat is tried again after a
// network failure, a timeout or a 429/502/503/504 (default 2; 0 turns retries off).
// Waits are "full jitter" exponential backoff between minDelay and maxDelay, or the
// vault's Retry-After when it sends one (capped at maxDelay).
func WithRetries(n int, minDelay, maxDelay time.Duration) Option {
	return func(c *config) { c.retries, c.minDelay, c.maxDelay = n, minDelay, maxDelay }
}

// New returns a client. It fails with an error matching [ErrValidation] when an
// option is missing or invalid; it sends nothing.
//
// Example:
//
//	vault, err := sessionvault.New(
//		sessionvault.WithBaseURL("http://127.0.0.1:3000"),
//		sessionvault.WithToken(os.Getenv("SESSIONVAULT_TOKEN")),
//		sessionvault.WithTimeout(2*time.Second),
//	)
func New(opts ...Option) (*Client, error) {
	cfg := config{timeout: defaultTimeout, retries: defaultRetries, minDelay: defaultMinDelay, maxDelay: defaultMaxDelay}
	for _, opt := range opts {
		opt(&cfg)
	}
	invalid := func(msg string) error { return &Error{Op: "New", Kind: KindValidation, Message: msg} }
	if !strings.HasPrefix(cfg.baseURL, "http://") && !strings.HasPrefix(cfg.baseURL, "https://") {
		return nil, invalid("the base URL must be an http:// or https:// URL")
	}
	if cfg.token == "" {
		return nil, invalid("the access token must not be empty")
	}
	if cfg.timeout <= 0 {
		return nil, invalid("the timeout must be positive")
	}
	if cfg.retries < 0 || cfg.minDelay < 0 || cfg.maxDelay < cfg.minDelay {
		return nil, invalid("retries must be >= 0 and 0 <= minDelay <= maxDelay")
	}
	hc := cfg.httpClient
	if hc == nil {
		hc = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	raw, err := vaultapi.NewClient(strings.TrimRight(cfg.baseURL, "/"), vaultapi.WithHTTPClient(hc))
	if err != nil {
		return nil, invalid("the base URL is not a valid URL")
	}
	c := &Client{
		raw: raw, token: cfg.token, tenant: cfg.tenant, timeout: cfg.timeout,
		retries: cfg.retries, minDelay: cfg.minDelay, maxDelay: cfg.maxDelay,
	}
	raw.RequestEditors = append(raw.RequestEditors, c.authorize)
	return c, nil
}

func (c *Client) authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("X-Bunker-Token", c.token)
	if c.tenant != "" {
		req.Header.Set("X-Bunker-Tenant", c.tenant)
	}
	req.Header.Set("Accept", "application/json")
	return nil
}

// Raw returns the generated client, with this client's token and tenant headers
// applied to every request, for operations or fields the facade does not cover.
func (c *Client) Raw() *vaultapi.Client { return c.raw }

type httpResponse = http.Response

// sender issues one attempt of an operation through the generated client.
type sender func(ctx context.Context) (*http.Response, error)

// call runs an operation with the per-attempt timeout and, when idempotent, the
// retry policy, and decodes a 200 reply into out. A non-200 reply becomes an *Error.
func (c *Client) call(ctx context.Context, op string, idempotent bool, send sender, out any) error {
	for attempt := 0; ; attempt++ {
		err, retryAfter := c.attempt(ctx, op, send, out)
		if err == nil {
			return nil
		}
		if !idempotent || !err.Retryable || attempt >= c.retries || ctx.Err() != nil {
			return err
		}
		wait := c.backoff(attempt, retryAfter)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return transportError(op, ctx, ctx.Err())
		case <-timer.C:
		}
	}
}

func (c *Client) attempt(ctx context.Context, op string, send sender, out any) (*Error, string) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := send(actx)
	if err != nil {
		return transportError(op, ctx, err), ""
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	if err != nil {
		return transportError(op, ctx, err), ""
	}
	if resp.StatusCode != http.StatusOK {
		var reply vaultapi.ErrorResponse
		msg := "the vault answered without a message"
		if json.Unmarshal(body, &reply) == nil && reply.Message != "" {
			msg = reply.Message
		}
		kind := statusKind(resp.StatusCode)
		return &Error{Op: op, Status: resp.StatusCode, Kind: kind, Message: msg, Retryable: kind == KindUnavailable},
			resp.Header.Get("Retry-After")
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return &Error{Op: op, Status: resp.StatusCode, Kind: KindBadReply, Message: "the reply is not the JSON the contract describes"}, ""
		}
	}
	return nil, ""
}

func (c *Client) backoff(attempt int, retryAfter string) time.Duration {
	if secs, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && secs >= 0 {
		return min(time.Duration(secs)*time.Second, c.maxDelay)
	}
	ceiling := min(c.maxDelay, c.minDelay<<min(attempt, 30))
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling)
}

// Call sends one operation by its contract name (e.g. "SessionGet") with a JSON
// body through the generated client (a name outside the contract as a plain
// POST /v2/<name> with the same headers), with this client's headers, timeout and no
// retries, and returns the status and the reply body as is. It exists for
// conformance runs and tools; applications use the typed methods.
func (c *Client) Call(ctx context.Context, operation string, body []byte, editors ...vaultapi.RequestEditorFn) (int, []byte, error) {
	send, ok := c.byName(operation, body, editors)
	if !ok {
		return 0, nil, &Error{Op: operation, Kind: KindValidation, Message: "the contract has no POST operation of that name"}
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := send(actx)
	if err != nil {
		return 0, nil, transportError(operation, ctx, err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	if err != nil {
		return 0, nil, transportError(operation, ctx, err)
	}
	return resp.StatusCode, reply, nil
}

func (c *Client) byName(op string, body []byte, eds []vaultapi.RequestEditorFn) (sender, bool) {
	type withBody func(context.Context, string, io.Reader, ...vaultapi.RequestEditorFn) (*http.Response, error)
	ops := map[string]withBody{
		"SessionUpsert": c.raw.SessionUpsertWithBody, "SessionGet": c.raw.SessionGetWithBody,
		"SessionDelete": c.raw.SessionDeleteWithBody, "SessionListUserSessions": c.raw.SessionListUserSessionsWithBody,
		"SessionTouch": c.raw.SessionTouchWithBody, "SessionPatch": c.raw.SessionPatchWithBody,
		"SessionRevokeUser": c.raw.SessionRevokeUserWithBody, "UserCreate": c.raw.UserCreateWithBody,
		"UserGet": c.raw.UserGetWithBody, "UserUpdate": c.raw.UserUpdateWithBody, "UserDelete": c.raw.UserDeleteWithBody,
		"TokenCreate": c.raw.TokenCreateWithBody, "TokenGet": c.raw.TokenGetWithBody,
		"TokenDelete": c.raw.TokenDeleteWithBody, "TokenCreateBulk": c.raw.TokenCreateBulkWithBody,
	}
	fn, ok := ops[op]
	if !ok {
		// A name the contract does not define still goes out as POST /v2/<name> (the
		// vault answers 404), so conformance runs can check that; only a plain name
		// is allowed as the path segment.
		if !plainName(op) {
			return nil, false
		}
		fn = func(ctx context.Context, contentType string, r io.Reader, extra ...vaultapi.RequestEditorFn) (*http.Response, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.raw.Server+"/v2/"+op, r)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", contentType)
			for _, ed := range append(append([]vaultapi.RequestEditorFn{}, c.raw.RequestEditors...), extra...) {
				if err := ed(ctx, req); err != nil {
					return nil, err
				}
			}
			return c.raw.Client.Do(req)
		}
	}
	return func(ctx context.Context) (*http.Response, error) {
		return fn(ctx, "application/json", bytes.NewReader(body), eds...)
	}, true
}

func plainName(op string) bool {
	if op == "" || len(op) > 64 {
		return false
	}
	for _, r := range op {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
