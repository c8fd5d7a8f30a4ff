package sessionvault

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/sessionvault/sessionvault/go/vaultapi"
)

// Session is a stored session as read back from the vault.
type Session struct {
	Data      map[string]any
	Version   int        // grows by one on every write
	Created   time.Time  // first write
	LastUsed  time.Time  // last read or write
	Expires   *time.Time // nil when the session has no window
	UserToken string     // the linked user's token, "" when unlinked
}

// SessionRow is one of a user's sessions in a [SessionList].
type SessionRow struct {
	ID string
	Session
}

// SessionList is a page of a user's live sessions, most recently used first.
type SessionList struct {
	Rows  []SessionRow
	Total int // all live sessions of the user, before offset and limit
}

// Mode names the kind of identity a user is looked up by.
type Mode = vaultapi.Mode

// The identities a user can be found by.
const (
	ByToken  Mode = vaultapi.ModeToken
	ByLogin  Mode = vaultapi.ModeLogin
	ByEmail  Mode = vaultapi.ModeEmail
	ByPhone  Mode = vaultapi.ModePhone
	ByCustom Mode = vaultapi.ModeCustom
)

// WriteOption tunes a session, user or token write.
type WriteOption func(*writeOptions)

type writeOptions struct {
	sliding       *string
	final         *vaultapi.FinalTime
	userToken     *string
	expectVersion *int
	create        bool
	baseLookup    bool
}

// Sliding sets the sliding window: the record expires d after its last read or
// write. d is rounded up to whole seconds.
func Sliding(d time.Duration) WriteOption {
	return func(o *writeOptions) { s := durationString(d); o.sliding = &s }
}

// FinalAfter sets an absolute window of d from the first write; it never extends.
func FinalAfter(d time.Duration) WriteOption {
	return func(o *writeOptions) {
		var f vaultapi.FinalTime
		_ = f.FromDuration(durationString(d))
		o.final = &f
	}
}

// FinalAt sets the moment the record expires, whatever its use.
func FinalAt(t time.Time) WriteOption {
	return func(o *writeOptions) {
		var f vaultapi.FinalTime
		secs := t.Unix()
		if t.Nanosecond() > 0 {
			secs++
		}
		_ = f.FromFinalTime1(int(max(secs, 1)))
		o.final = &f
	}
}

// LinkUser links the session to the user with this vault token, so
// ListUserSessions and RevokeUserSessions find it. "" removes the link.
func LinkUser(token string) WriteOption { return func(o *writeOptions) { o.userToken = &token } }

// ExpectVersion writes only when the stored version equals v (0: must not exist);
// otherwise the call fails with [ErrConflict]. Such a write is never retried.
func ExpectVersion(v int) WriteOption { return func(o *writeOptions) { o.expectVersion = &v } }

// CreateMissing makes [Client.PatchSession] create a missing session instead of
// failing with [ErrNotFound].
func CreateMissing() WriteOption { return func(o *writeOptions) { o.create = true } }

// BaseLookup makes [Client.CreateToken] and [Client.CreateTokens] also accept the
// returned token base as a key for [Client.GetToken] and [Client.DeleteToken]. Off by
// default: a base is guessable (a 12-digit card's has about 23 random bits), so anyone
// holding the vault's access token could enumerate bases and read the values behind
// them. Without it a base finds nothing, exactly like an unknown token ([ErrNotFound]).
func BaseLookup() WriteOption { return func(o *writeOptions) { o.baseLookup = true } }

func durationString(d time.Duration) string {
	secs := int64((d + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(secs, 1), 10) + "s"
}

func collect(opts []WriteOption) writeOptions {
	var o writeOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

func userTokenField(tok *string) (*vaultapi.SessionUpsertRequest_Usertoken, error) {
	if tok == nil {
		return nil, nil
	}
	var u vaultapi.SessionUpsertRequest_Usertoken
	// The union's JSON is the token string itself (a UUID or ""); the vault checks it.
	raw, err := json.Marshal(*tok)
	if err != nil {
		return nil, err
	}
	if err := u.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	return &u, nil
}

// UpsertSession creates or replaces the session with this id and returns its new
// version. Retried on transient failures unless [ExpectVersion] is given.
//
// Example:
//
//	version, err := vault.UpsertSession(ctx, id, map[string]any{"user": "ada"}, sessionvault.Sliding(30*time.Minute))
func (c *Client) UpsertSession(ctx context.Context, id string, data map[string]any, opts ...WriteOption) (int, error) {
	o := collect(opts)
	if data == nil {
		data = map[string]any{}
	}
	ut, err := userTokenField(o.userToken)
	if err != nil {
		return 0, &Error{Op: "SessionUpsert", Kind: KindValidation, Message: "the user token is not a JSON string"}
	}
	body := vaultapi.SessionUpsertRequest{
		Sessionuuid: id, Sessiondata: data, Slidingtime: o.sliding, Finaltime: o.final,
		Usertoken: ut, Expectversion: o.expectVersion,
	}
	var reply vaultapi.SessionWriteResponse
	err = c.call(ctx, "SessionUpsert", o.expectVersion == nil, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.SessionUpsert(ctx, body)
	}, &reply)
	return versionOf(reply.Version), err
}

// Patch is a change to a session's top-level keys: Set replaces (or adds) those keys,
// Unset removes them; every other key keeps its stored value.
type Patch struct {
	Set   map[string]any
	Unset []string
}

// PatchSession merges a [Patch] into a session in one atomic step in the vault (a
// sessionvault extension), so concurrent patches of different keys never lose a change,
// and returns the new version. A missing session is an error matching [ErrNotFound]
// unless [CreateMissing] is given. Retried on transient failures unless
// [ExpectVersion] is given.
//
// Example:
//
//	version, err := vault.PatchSession(ctx, id, sessionvault.Patch{Set: map[string]any{"cart": 3}, Unset: []string{"flash"}})
func (c *Client) PatchSession(ctx context.Context, id string, patch Patch, opts ...WriteOption) (int, error) {
	o := collect(opts)
	body := vaultapi.SessionPatchRequest{
		Sessionuuid: id, Slidingtime: o.sliding, Finaltime: o.final, Expectversion: o.expectVersion,
	}
	if patch.Set != nil {
		set := vaultapi.SessionData(patch.Set)
		body.Set = &set
	}
	if patch.Unset != nil {
		body.Unset = &patch.Unset
	}
	if o.create {
		body.Create = &o.create
	}
	if o.userToken != nil {
		var u vaultapi.SessionPatchRequest_Usertoken
		raw, err := json.Marshal(*o.userToken)
		if err != nil || u.UnmarshalJSON(raw) != nil {
			return 0, &Error{Op: "SessionPatch", Kind: KindValidation, Message: "the user token is not a JSON string"}
		}
		body.Usertoken = &u
	}
	var reply vaultapi.SessionWriteResponse
	err := c.call(ctx, "SessionPatch", o.expectVersion == nil, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.SessionPatch(ctx, body)
	}, &reply)
	return versionOf(reply.Version), err
}

// GetSession reads a session (and slides its window). A missing or expired session
// is an error matching [ErrNotFound].
//
// Example:
//
//	s, err := vault.GetSession(ctx, id)
//	if errors.Is(err, sessionvault.ErrNotFound) {
//		// start a new session
//	}
func (c *Client) GetSession(ctx context.Context, id string) (*Session, error) {
	body := vaultapi.SessionRefRequest{Sessionuuid: id}
	var reply vaultapi.SessionGetResponse
	err := c.call(ctx, "SessionGet", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.SessionGet(ctx, body)
	}, &reply)
	if err != nil {
		return nil, err
	}
	return &Session{
		Data: orEmpty(reply.Sessiondata), Version: reply.Version,
		Created: millis(reply.Created), LastUsed: millis(reply.Lastused),
		Expires: millisPtr(reply.Expires), UserToken: deref(reply.Usertoken),
	}, nil
}

// DeleteSession deletes a session; deleting a missing one succeeds.
func (c *Client) DeleteSession(ctx context.Context, id string) error {
	body := vaultapi.SessionRefRequest{Sessionuuid: id}
	return c.call(ctx, "SessionDelete", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.SessionDelete(ctx, body)
	}, nil)
}

// TouchSession extends a session's sliding window without sending its data (a
// sessionvault extension); sliding > 0 also makes that the session's window from now
// on. It returns the new expiry (nil when the session has no window).
func (c *Client) TouchSession(ctx context.Context, id string, sliding time.Duration) (*time.Time, error) {
	body := vaultapi.SessionTouchRequest{Sessionuuid: id}
	if sliding > 0 {
		s := durationString(sliding)
		body.Slidingtime = &s
	}
	var reply vaultapi.SessionTouchResponse
	err := c.call(ctx, "SessionTouch", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.SessionTouch(ctx, body)
	}, &reply)
	if err != nil {
		return nil, err
	}
	return millisPtr(reply.Expires), nil
}

// ListUserSessions lists a user's live sessions, most recently used first, found by
// any of the user's identities. limit 0 means the vault's default (100).
func (c *Client) ListUserSessions(ctx context.Context, mode Mode, identity string, offset, limit int) (*SessionList, error) {
	body := vaultapi.SessionListUserSessionsRequest{Mode: mode, Identity: identity}
	if offset > 0 {
		body.Offset = &offset
	}
	if limit > 0 {
		body.Limit = &limit
	}
	var reply vaultapi.SessionListUserSessionsResponse
	err := c.call(ctx, "SessionListUserSessions", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.SessionListUserSessions(ctx, body)
	}, &reply)
	if err != nil {
		return nil, err
	}
	list := &SessionList{Rows: make([]SessionRow, 0, len(reply.Rows)), Total: len(reply.Rows)}
	if reply.Total != nil {
		list.Total = *reply.Total
	}
	for _, r := range reply.Rows {
		list.Rows = append(list.Rows, SessionRow{ID: r.Sessionuuid, Session: Session{
			Data: orEmpty(r.Sessiondata), Version: r.Version, Created: millis(r.Created),
			LastUsed: millis(r.Lastused), Expires: millisPtr(r.Expires), UserToken: deref(r.Usertoken),
		}})
	}
	return list, nil
}

// RevokeUserSessions deletes every session of a user ("sign out everywhere"),
// except the ids in keep, and returns how many it deleted.
func (c *Client) RevokeUserSessions(ctx context.Context, mode Mode, identity string, keep ...string) (int, error) {
	body := vaultapi.SessionRevokeUserRequest{Mode: mode, Identity: identity}
	if len(keep) > 0 {
		body.Keep = &keep
	}
	var reply vaultapi.SessionRevokeUserResponse
	err := c.call(ctx, "SessionRevokeUser", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.SessionRevokeUser(ctx, body)
	}, &reply)
	return reply.Deleted, err
}

func versionOf(v *int) int {
	if v == nil {
		return 0
	}
	return *v
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func millis(ms int) time.Time { return time.UnixMilli(int64(ms)) }

func millisPtr(ms *int) *time.Time {
	if ms == nil {
		return nil
	}
	t := millis(*ms)
	return &t
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
