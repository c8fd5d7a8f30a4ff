// Package scsstore is a session store for github.com/alexedwards/scs/v2 on a
// sessionvault vault. It implements scs.Store and scs.CtxStore.
//
// The session token scs puts in the cookie is the vault's session id; scs's encoded
// session (scs's own codec output, gob by default, so Go types survive) travels
// base64-encoded under the key "scs" of the session data; the vault encrypts it like
// any other data, and a JSON encoding is not possible without losing scs's typed
// values. Each commit sets the record's windows from scs's expiry, so the vault
// forgets the session when scs would. An unreachable vault is an error (scs answers
// 500), never an empty session.
//
// [SignIn] renews the token and links the session to a user's vault token, so
// ListUserSessions and RevokeUserSessions ("sign out everywhere") find it.
package scsstore

import (
	"context"
	"encoding/base64"
	"errors"
	"time"

	"github.com/alexedwards/scs/v2"
	sessionvault "github.com/sessionvault/sessionvault/go"
)

// Store keeps scs sessions in a vault.
type Store struct {
	client *sessionvault.Client
	// Codec decodes a committed session to find its linked user (see [SignIn]); it
	// must be the session manager's Codec (default scs.GobCodec).
	Codec scs.Codec
}

// UserTokenKey is the scs key that holds the linked user's vault token.
const UserTokenKey = "sessionvault.usertoken"

// SignIn starts a signed-in session: it renews the session token (the old record is
// deleted, so a fixated token is worthless) and links the session to the user whose
// vault token is userToken. Call it in the login handler, inside sm.LoadAndSave.
//
// Example:
//
//	userToken, _ := vault.CreateUser(ctx, map[string]any{"email": email})
//	if err := scsstore.SignIn(r.Context(), sm, userToken); err != nil {
//		http.Error(w, "sign-in failed", http.StatusInternalServerError)
//		return
//	}
//	// later, "sign out everywhere else":
//	vault.RevokeUserSessions(ctx, sessionvault.ByToken, userToken, sm.Token(ctx))
func SignIn(ctx context.Context, sm *scs.SessionManager, userToken string) error {
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	sm.Put(ctx, UserTokenKey, userToken)
	return nil
}

// New returns a store on the client.
//
// Example:
//
//	sm := scs.New()
//	sm.Store = scsstore.New(vault)
func New(client *sessionvault.Client) *Store { return &Store{client: client, Codec: scs.GobCodec{}} }

// FindCtx returns the encoded session, or found=false when the vault has no live
// session with that token (missing, expired or revoked).
func (s *Store) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	sess, err := s.client.GetSession(ctx, token)
	if errors.Is(err, sessionvault.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	encoded, ok := sess.Data["scs"].(string)
	if !ok {
		return nil, false, nil
	}
	b, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, false, nil
	}
	return b, true, nil
}

// CommitCtx writes the session; it expires at expiry (slid by use up to that moment).
func (s *Store) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	ttl := time.Until(expiry)
	if ttl <= 0 {
		return s.client.DeleteSession(ctx, token)
	}
	opts := []sessionvault.WriteOption{sessionvault.Sliding(ttl), sessionvault.FinalAt(expiry)}
	if _, values, err := s.Codec.Decode(b); err == nil {
		if user, ok := values[UserTokenKey].(string); ok && user != "" {
			opts = append(opts, sessionvault.LinkUser(user))
		}
	}
	_, err := s.client.UpsertSession(ctx, token, map[string]any{"scs": base64.StdEncoding.EncodeToString(b)}, opts...)
	return err
}

// DeleteCtx deletes the session in the vault (scs Destroy, RenewToken).
func (s *Store) DeleteCtx(ctx context.Context, token string) error {
	return s.client.DeleteSession(ctx, token)
}

// Find is FindCtx without a context, for scs.Store.
func (s *Store) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context, for scs.Store.
func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context, for scs.Store.
func (s *Store) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
