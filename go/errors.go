package sessionvault

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// Kind classifies an [Error]. Each kind has a sentinel error of the same name
// (ErrNotFound, ErrNetwork, ...) so callers match with errors.Is.
type Kind int

const (
	KindNetwork         Kind = iota + 1 // no reply: connection refused, reset, DNS
	KindTimeout                         // the per-attempt timeout or the caller's deadline passed
	KindCanceled                        // the caller's context was canceled
	KindAuth                            // 403: missing or wrong access token
	KindValidation                      // 400 (or an invalid option before any request)
	KindNotFound                        // 404: missing or expired record
	KindConflict                        // 409: a version or uniqueness check failed
	KindPayloadTooLarge                 // 413
	KindUnavailable                     // 429, 502, 503, 504: retryable overload
	KindServer                          // any other 5xx
	KindBadReply                        // a reply the contract does not allow
)

var kindNames = map[Kind]string{
	KindNetwork: "network", KindTimeout: "timeout", KindCanceled: "canceled", KindAuth: "auth",
	KindValidation: "validation", KindNotFound: "not found", KindConflict: "conflict",
	KindPayloadTooLarge: "payload too large", KindUnavailable: "unavailable", KindServer: "server",
	KindBadReply: "bad reply",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Sentinels for errors.Is; every *Error matches the one of its Kind.
var (
	ErrNetwork         = &kindError{KindNetwork}
	ErrTimeout         = &kindError{KindTimeout}
	ErrCanceled        = &kindError{KindCanceled}
	ErrAuth            = &kindError{KindAuth}
	ErrValidation      = &kindError{KindValidation}
	ErrNotFound        = &kindError{KindNotFound}
	ErrConflict        = &kindError{KindConflict}
	ErrPayloadTooLarge = &kindError{KindPayloadTooLarge}
	ErrUnavailable     = &kindError{KindUnavailable}
	ErrServer          = &kindError{KindServer}
	ErrBadReply        = &kindError{KindBadReply}
)

type kindError struct{ kind Kind }

func (e *kindError) Error() string { return "sessionvault: " + e.kind.String() }

// Error is the error of every failed call. Its message names the operation, the
// status and the vault's own message (which the vault promises never holds ids,
// tokens, data or PII); it never carries the access token, the session id, the
// request body or the base URL.
//
// Example:
//
//	_, err := vault.GetSession(ctx, id)
//	var verr *sessionvault.Error
//	if errors.As(err, &verr) && verr.Retryable {
//		// try again later
//	}
//	if errors.Is(err, sessionvault.ErrNotFound) {
//		// no such session
//	}
type Error struct {
	Op        string // the contract's operation id, e.g. "SessionGet"
	Status    int    // the HTTP status; 0 when no reply arrived
	Kind      Kind
	Message   string // the vault's message, or a description of the failure
	Retryable bool   // true for network failures, timeouts and 429/502/503/504
	cause     error
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("sessionvault: %s: %s: %s", e.Op, e.Kind, e.Message)
	}
	return fmt.Sprintf("sessionvault: %s: %d %s: %s", e.Op, e.Status, e.Kind, e.Message)
}

// Unwrap returns the cause (a net.Error, context.DeadlineExceeded, ...) when there is one.
func (e *Error) Unwrap() error { return e.cause }

// Is matches the sentinel of the error's Kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(*kindError)
	return ok && k.kind == e.Kind
}

func statusKind(status int) Kind {
	switch {
	case status == 400:
		return KindValidation
	case status == 401 || status == 403:
		return KindAuth
	case status == 404:
		return KindNotFound
	case status == 409:
		return KindConflict
	case status == 413:
		return KindPayloadTooLarge
	case retryableStatus(status):
		return KindUnavailable
	case status >= 500:
		return KindServer
	default:
		return KindBadReply
	}
}

func retryableStatus(status int) bool {
	return status == 429 || status == 502 || status == 503 || status == 504
}

// transportError turns a failure to get a reply into an *Error. net/http wraps its
// errors in *url.Error, whose text holds the full URL (and any userinfo in it), so
// only the inner error is kept.
func transportError(op string, ctx context.Context, err error) *Error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return &Error{Op: op, Kind: KindCanceled, Message: "the call was canceled", cause: context.Canceled}
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return &Error{Op: op, Kind: KindTimeout, Message: "no reply in time", Retryable: true, cause: context.DeadlineExceeded}
	default:
		return &Error{Op: op, Kind: KindNetwork, Message: err.Error(), Retryable: true, cause: err}
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
