package gorillastore_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	sessionvault "github.com/sessionvault/sessionvault/go"
	"github.com/sessionvault/sessionvault/go/gorillastore"
	"github.com/sessionvault/sessionvault/go/internal/vaulttest"
)

var (
	_     sessions.Store = (*gorillastore.Store)(nil)
	vault *vaulttest.Vault
)

func TestMain(m *testing.M) { vaulttest.Main(m, &vault) }

type app struct {
	t       *testing.T
	srv     *httptest.Server
	browser *vaulttest.Browser
	client  *sessionvault.Client
	store   *gorillastore.Store
}

func newApp(t *testing.T, maxAge int) *app {
	t.Helper()
	client, err := sessionvault.New(sessionvault.WithBaseURL(vault.URL), sessionvault.WithToken(vault.Token),
		sessionvault.WithRetries(0, 0, 0), sessionvault.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	store := gorillastore.New(client, securecookie.GenerateRandomKey(32))
	store.Options.MaxAge = maxAge
	a := &app{t: t, client: client, store: store}
	load := func(w http.ResponseWriter, r *http.Request) *sessions.Session {
		s, err := store.Get(r, "app")
		if err != nil {
			http.Error(w, "session store unavailable", http.StatusInternalServerError)
			return nil
		}
		return s
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/visit", func(w http.ResponseWriter, r *http.Request) {
		if s := load(w, r); s != nil {
			n, _ := s.Values["visits"].(int)
			s.Values["visits"] = n + 1
			if err := s.Save(r, w); err != nil {
				http.Error(w, "save failed", http.StatusInternalServerError)
			}
		}
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		if s := load(w, r); s != nil {
			if err := store.Regenerate(r, s); err != nil {
				http.Error(w, "regenerate failed", http.StatusInternalServerError)
				return
			}
			s.Values["user"] = "ada"
			if err := s.Save(r, w); err != nil {
				http.Error(w, "save failed", http.StatusInternalServerError)
			}
		}
	})
	mux.HandleFunc("/signin", func(w http.ResponseWriter, r *http.Request) {
		if s := load(w, r); s != nil {
			if err := store.SignIn(r, s, r.URL.Query().Get("user")); err != nil {
				http.Error(w, "sign-in failed", http.StatusInternalServerError)
				return
			}
			s.Values["user"] = "ada"
			if err := s.Save(r, w); err != nil {
				http.Error(w, "save failed", http.StatusInternalServerError)
			}
		}
	})
	mux.HandleFunc("/signout-others", func(w http.ResponseWriter, r *http.Request) {
		if s := load(w, r); s != nil {
			user, _ := s.Values[gorillastore.UserTokenKey].(string)
			n, err := client.RevokeUserSessions(r.Context(), sessionvault.ByToken, user, s.ID)
			if err != nil {
				http.Error(w, "revoke failed", http.StatusInternalServerError)
				return
			}
			_, _ = io.WriteString(w, strconv.Itoa(n))
		}
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		if s := load(w, r); s != nil {
			user, _ := s.Values["user"].(string)
			if user == "" {
				user = "anonymous"
			}
			_, _ = io.WriteString(w, user)
		}
	})
	mux.HandleFunc("/id", func(w http.ResponseWriter, r *http.Request) {
		if s := load(w, r); s != nil {
			_, _ = io.WriteString(w, s.ID)
		}
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		if s := load(w, r); s != nil {
			s.Options.MaxAge = -1
			if err := s.Save(r, w); err != nil {
				http.Error(w, "logout failed", http.StatusInternalServerError)
			}
		}
	})
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	a.browser = vaulttest.NewBrowser(t, a.srv.URL)
	return a
}

func (a *app) get(path string) (int, string) {
	a.t.Helper()
	return a.browser.Get(path)
}

func (a *app) cookie() string { return a.browser.Cookie("app") }

func TestLoginRegeneratesTheIdAndDeletesTheOldRecord(t *testing.T) {
	a := newApp(t, 3600)
	a.get("/visit")
	a.get("/visit")
	_, before := a.get("/id")
	if _, err := a.client.GetSession(context.Background(), before); err != nil {
		t.Fatalf("the visit session is not in the vault: %v", err)
	}
	a.get("/login")
	_, after := a.get("/id")
	if after == "" || after == before {
		t.Fatal("login did not regenerate the session id")
	}
	if _, err := a.client.GetSession(context.Background(), before); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("the pre-login record survived: %v", err)
	}
	if _, body := a.get("/me"); body != "ada" {
		t.Fatalf("/me = %q", body)
	}
}

func TestValuesKeepTheirGoTypesAndTheWindowFollowsMaxAge(t *testing.T) {
	a := newApp(t, 600)
	a.get("/visit")
	a.get("/visit")
	_, id := a.get("/id")
	s, err := a.client.GetSession(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Expires == nil || time.Until(*s.Expires) > 602*time.Second || time.Until(*s.Expires) < 9*time.Minute {
		t.Fatalf("vault expiry %v, want about 10 minutes from now", s.Expires)
	}
	req := httptest.NewRequest(http.MethodGet, a.srv.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: "app", Value: a.cookie()})
	sess, err := a.store.New(req, "app")
	if err != nil || sess.IsNew || sess.Values["visits"] != 2 {
		t.Fatalf("loaded %+v (new %v), %v; want visits=int 2", sess.Values, sess.IsNew, err)
	}
}

func TestMaxAgeZeroIsABrowserSessionCookieWithABoundedVaultWindow(t *testing.T) {
	a := newApp(t, 0)
	a.store.BrowserSessionWindow = 20 * time.Minute
	req := httptest.NewRequest(http.MethodGet, a.srv.URL+"/", nil)
	sess, err := a.store.New(req, "app")
	if err != nil {
		t.Fatal(err)
	}
	sess.Values["n"] = 1
	rec := httptest.NewRecorder()
	if err := a.store.Save(req, rec, sess); err != nil {
		t.Fatal(err)
	}
	set := rec.Header().Get("Set-Cookie")
	if set == "" || strings.Contains(set, "Max-Age") || strings.Contains(set, "Expires") {
		t.Fatalf("Set-Cookie %q, want a browser-session cookie (no Max-Age, no Expires)", set)
	}
	s, err := a.client.GetSession(context.Background(), sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Expires == nil || time.Until(*s.Expires) > 20*time.Minute+2*time.Second || time.Until(*s.Expires) < 19*time.Minute {
		t.Fatalf("vault expiry %v, want the 20-minute browser-session window", s.Expires)
	}
	a.store.BrowserSessionWindow = 0
	if err := a.store.Save(req, httptest.NewRecorder(), sess); err != nil {
		t.Fatal(err)
	}
	if s, err = a.client.GetSession(context.Background(), sess.ID); err != nil || s.Expires == nil || time.Until(*s.Expires) < 23*time.Hour {
		t.Fatalf("a zero BrowserSessionWindow gave expiry %v (%v), want the 24h default", s, err)
	}
}

func TestSignInLinksTheSessionAndSignOutEverywhereEndsTheOtherBrowsers(t *testing.T) {
	ctx := context.Background()
	a := newApp(t, 3600)
	user, err := a.client.CreateUser(ctx, map[string]any{"login": "gorilla-" + strconv.FormatInt(time.Now().UnixNano(), 36)})
	if err != nil {
		t.Fatal(err)
	}
	other := vaulttest.NewBrowser(t, a.srv.URL)
	a.get("/visit")
	_, anonymous := a.get("/id")
	a.get("/signin?user=" + user)
	other.Get("/signin?user=" + user)
	if _, id := a.get("/id"); id == anonymous {
		t.Fatal("sign-in did not regenerate the session id")
	}
	vaulttest.CheckSignOutEverywhere(t, a.client, a.browser, other, user, anonymous)
}

func TestLogoutDeletesTheSessionInTheVault(t *testing.T) {
	a := newApp(t, 3600)
	a.get("/login")
	_, id := a.get("/id")
	a.get("/logout")
	if _, err := a.client.GetSession(context.Background(), id); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("after logout the vault still has the session: %v", err)
	}
	if _, body := a.get("/me"); body != "anonymous" {
		t.Fatalf("/me after logout = %q", body)
	}
}

func TestSessionRevokedInTheVaultIsRefusedOnTheNextRequest(t *testing.T) {
	a := newApp(t, 3600)
	a.get("/login")
	_, id := a.get("/id")
	if err := a.client.DeleteSession(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if _, body := a.get("/me"); body != "anonymous" {
		t.Fatalf("/me after revocation = %q", body)
	}
}

// Runs last: it stops the package's vault.
func TestVaultOutageIsA500NotAnEmptySession(t *testing.T) {
	a := newApp(t, 3600)
	a.get("/login")
	vault.Stop()
	if status, body := a.get("/me"); status != http.StatusInternalServerError || body == "anonymous" {
		t.Fatalf("/me during an outage = %d %q, want 500", status, body)
	}
}
