// Package gorillastore is a github.com/gorilla/sessions Store on a sessionvault vault.
//
// The cookie holds only the session id, signed (and optionally encrypted) with
// securecookie; the values live in the vault, gob-encoded under the key "gorilla" of
// the session data, so their Go types survive. The record's sliding window is the
// cookie's MaxAge (MaxAge 0, a browser-session cookie, writes a record without a
// window); MaxAge < 0 deletes the session in the vault (logout). An
// unreachable vault makes Get/Save return an error, never an empty session.
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
}

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
	var opts []sessionvault.WriteOption
	if session.Options.MaxAge > 0 {
		opts = append(opts, sessionvault.Sliding(time.Duration(session.Options.MaxAge)*time.Second))
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

func newID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
