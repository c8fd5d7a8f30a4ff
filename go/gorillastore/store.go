// Package gorillastore is a github.com/gorilla/sessions Store on a sessionvault vault.
//
// The cookie holds only the session id, signed (and optionally encrypted) with
// securecookie; the values live in the vault (encrypted there like any session data),
// gob-encoded and base64'd under the key "gorilla" of the session data, because
// gorilla's Values is a map[interface{}]interface{} of arbitrary Go types that JSON
// cannot carry (register custom types with gob.Register, as with any gorilla store).
//
// The record's sliding window is the cookie's MaxAge. MaxAge 0 is a browser-session
// cookie (no Max-Age, gone when the browser closes) whose record still expires
// server-side: its sliding window is [Store.BrowserSessionWindow] (default 24h), so a
// stolen or forgotten cookie is not valid forever. MaxAge < 0 deletes the session in
// the vault (logout). An unreachable vault makes Get/Save return an error, never an
// empty session.
//
// [Store.SignIn] regenerates the id and links the session to a user's vault token, so
// ListUserSessions and RevokeUserSessions ("sign out everywhere") find it.
package gorillastore

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	sessionvault "github.com/sessionvault/sessionvault/go"
)

// Store keeps gorilla sessions in a vault.
type Store struct {
	client  *sessionvault.Client
	Codecs  []securecookie.Codec
	Options *sessions.Options // defaults for new sessions
	// BrowserSessionWindow is the vault's sliding window for a session whose cookie has
	// MaxAge 0 (a browser-session cookie); 0 or less means DefaultBrowserSessionWindow.
	BrowserSessionWindow time.Duration
}

// UserTokenKey is the key of session.Values that holds the linked user's vault token.
const UserTokenKey = "sessionvault.usertoken"

// DefaultBrowserSessionWindow is the default of [Store.BrowserSessionWindow].
const DefaultBrowserSessionWindow = 24 * time.Hour

// New returns a store; keyPairs are securecookie's hash (and block) keys for the
// cookie that carries the session id.
//
// Example:
//
//	store := gorillastore.New(vault, []byte(os.Getenv("SESSION_HASH_KEY")))
//	session, err := store.Get(r, "app")
func New(client *sessionvault.Client, keyPairs ...[]byte) *Store {
	return &Store{
		client:  client,
		Codecs:  securecookie.CodecsFromPairs(keyPairs...),
		Options: &sessions.Options{Path: "/", MaxAge: 86400 * 30, HttpOnly: true, SameSite: http.SameSiteLaxMode},

		BrowserSessionWindow: DefaultBrowserSessionWindow,
	}
}

// Get returns the session of this name from the request's registry (loaded once
// per request).
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or returns a new one when
// there is no valid cookie or the vault has no live session for it (expired or
// revoked). A vault failure is returned as the error.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	session := sessions.NewSession(s, name)
	opts := *s.Options
	session.Options = &opts
	session.IsNew = true
	cookie, err := r.Cookie(name)
	if err != nil {
		return session, nil
	}
	var id string
	if securecookie.DecodeMulti(name, cookie.Value, &id, s.Codecs...) != nil {
		return session, nil
	}
	stored, err := s.client.GetSession(r.Context(), id)
	if errors.Is(err, sessionvault.ErrNotFound) {
		return session, nil
	}
	if err != nil {
		return session, err
	}
	encoded, _ := stored.Data["gorilla"].(string)
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || gob.NewDecoder(bytes.NewReader(raw)).Decode(&session.Values) != nil {
		return session, nil
	}
	session.ID, session.IsNew = id, false
	return session, nil
}

// Save writes the session to the vault and its id to the cookie; MaxAge < 0 deletes
// it in the vault and expires the cookie.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, session *sessions.Session) error {
	if session.Options.MaxAge < 0 {
		if session.ID != "" {
			if err := s.client.DeleteSession(r.Context(), session.ID); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(session.Name(), "", session.Options))
		return nil
	}
	if session.ID == "" {
		session.ID = newID()
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(session.Values); err != nil {
		return err
	}
	data := map[string]any{"gorilla": base64.StdEncoding.EncodeToString(buf.Bytes())}
	window := time.Duration(session.Options.MaxAge) * time.Second
	if session.Options.MaxAge == 0 {
		window = s.BrowserSessionWindow
		if window <= 0 {
			window = DefaultBrowserSessionWindow
		}
	}
	opts := []sessionvault.WriteOption{sessionvault.Sliding(window)}
	if user, ok := session.Values[UserTokenKey].(string); ok && user != "" {
		opts = append(opts, sessionvault.LinkUser(user))
	}
	if _, err := s.client.UpsertSession(r.Context(), session.ID, data, opts...); err != nil {
		return err
	}
	encoded, err := securecookie.EncodeMulti(session.Name(), session.ID, s.Codecs...)
	if err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(session.Name(), encoded, session.Options))
	return nil
}

// Regenerate gives the session a new id (call it on login, before Save): the old
// record is deleted in the vault, so a fixated id is worthless.
func (s *Store) Regenerate(r *http.Request, session *sessions.Session) error {
	if session.ID != "" {
		if err := s.client.DeleteSession(r.Context(), session.ID); err != nil {
			return err
		}
	}
	session.ID = newID()
	return nil
}

// SignIn starts a signed-in session (call it on login, before Save): it regenerates the
// id like [Store.Regenerate] and links the session to the user whose vault token is
// userToken.
//
// Example:
//
//	session, _ := store.Get(r, "app")
//	if err := store.SignIn(r, session, userToken); err != nil { ... }
//	err := session.Save(r, w)
//	// later, "sign out everywhere else":
//	vault.RevokeUserSessions(ctx, sessionvault.ByToken, userToken, session.ID)
func (s *Store) SignIn(r *http.Request, session *sessions.Session, userToken string) error {
	if err := s.Regenerate(r, session); err != nil {
		return err
	}
	session.Values[UserTokenKey] = userToken
	return nil
}

func newID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
