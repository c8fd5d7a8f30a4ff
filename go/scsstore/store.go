// Package scsstore is a session store for github.com/alexedwards/scs/v2 on a
// sessionvault vault. It implements scs.Store and scs.CtxStore.
//
// The session token scs puts in the cookie is the vault's session id; scs's encoded
// session travels base64-encoded under the key "scs" of the session data. Each commit
// sets the record's windows from scs's expiry, so the vault forgets the session when
// scs would. An unreachable vault is an error (scs answers 500), never an empty session.
package scsstore

import (
	"context"
	"encoding/base64"
	"errors"
	"time"

	sessionvault "github.com/sessionvault/sessionvault/go"
)

// Store keeps scs sessions in a vault.
type Store struct {
	client *sessionvault.Client
}

// New returns a store on the client.
//
// Example:
//
//	sm := scs.New()
//	sm.Store = scsstore.New(vault)
func New(client *sessionvault.Client) *Store { return &Store{client: client} }

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
	_, err := s.client.UpsertSession(ctx, token, map[string]any{"scs": base64.StdEncoding.EncodeToString(b)},
		sessionvault.Sliding(ttl), sessionvault.FinalAt(expiry))
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
