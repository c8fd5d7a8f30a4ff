package scsstore_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	sessionvault "github.com/sessionvault/sessionvault/go"
	"github.com/sessionvault/sessionvault/go/internal/vaulttest"
	"github.com/sessionvault/sessionvault/go/scsstore"
)

var (
	_     scs.Store    = (*scsstore.Store)(nil)
	_     scs.CtxStore = (*scsstore.Store)(nil)
	vault *vaulttest.Vault
)

func TestMain(m *testing.M) { vaulttest.Main(m, &vault) }

type app struct {
	t       *testing.T
	srv     *httptest.Server
	browser *vaulttest.Browser
	client  *sessionvault.Client
}

func newApp(t *testing.T, lifetime time.Duration) *app {
	t.Helper()
	client, err := sessionvault.New(sessionvault.WithBaseURL(vault.URL), sessionvault.WithToken(vault.Token),
		sessionvault.WithRetries(0, 0, 0), sessionvault.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	sm := scs.New()
	sm.Store = scsstore.New(client)
	sm.Lifetime = lifetime
	mux := http.NewServeMux()
	mux.HandleFunc("/visit", func(w http.ResponseWriter, r *http.Request) {
		sm.Put(r.Context(), "visits", sm.GetInt(r.Context(), "visits")+1)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		if err := sm.RenewToken(r.Context()); err != nil {
			http.Error(w, "renew failed", http.StatusInternalServerError)
			return
		}
		sm.Put(r.Context(), "user", "ada")
	})
	mux.HandleFunc("/signin", func(w http.ResponseWriter, r *http.Request) {
		if err := scsstore.SignIn(r.Context(), sm, r.URL.Query().Get("user")); err != nil {
			http.Error(w, "sign-in failed", http.StatusInternalServerError)
			return
		}
		sm.Put(r.Context(), "user", "ada")
	})
	mux.HandleFunc("/signout-others", func(w http.ResponseWriter, r *http.Request) {
		user := sm.GetString(r.Context(), scsstore.UserTokenKey)
		n, err := client.RevokeUserSessions(r.Context(), sessionvault.ByToken, user, sm.Token(r.Context()))
		if err != nil {
			http.Error(w, "revoke failed", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, strconv.Itoa(n))
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		user := sm.GetString(r.Context(), "user")
		if user == "" {
			user = "anonymous"
		}
		_, _ = io.WriteString(w, user)
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		if err := sm.Destroy(r.Context()); err != nil {
			http.Error(w, "logout failed", http.StatusInternalServerError)
		}
	})
	srv := httptest.NewServer(sm.LoadAndSave(mux))
	t.Cleanup(srv.Close)
	return &app{t: t, srv: srv, browser: vaulttest.NewBrowser(t, srv.URL), client: client}
}

func (a *app) get(path string) (int, string) {
	a.t.Helper()
	return a.browser.Get(path)
}

func (a *app) token() string { return a.browser.Cookie("session") }

func TestLoginRenewsTheTokenAndDeletesTheOldRecord(t *testing.T) {
	a := newApp(t, time.Hour)
	a.get("/visit")
	before := a.token()
	if _, err := a.client.GetSession(context.Background(), before); err != nil {
		t.Fatalf("the visit session is not in the vault: %v", err)
	}
	a.get("/login")
	after := a.token()
	if after == "" || after == before {
		t.Fatal("login did not renew the session token")
	}
	if _, err := a.client.GetSession(context.Background(), before); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("the pre-login record survived: %v", err)
	}
	if _, body := a.get("/me"); body != "ada" {
		t.Fatalf("/me = %q", body)
	}
}

func TestVaultWindowFollowsTheSessionLifetime(t *testing.T) {
	a := newApp(t, 10*time.Minute)
	a.get("/login")
	s, err := a.client.GetSession(context.Background(), a.token())
	if err != nil {
		t.Fatal(err)
	}
	if s.Expires == nil || time.Until(*s.Expires) > 10*time.Minute+2*time.Second || time.Until(*s.Expires) < 9*time.Minute {
		t.Fatalf("vault expiry %v, want about 10 minutes from now", s.Expires)
	}
}

func TestLogoutDeletesTheSessionInTheVault(t *testing.T) {
	a := newApp(t, time.Hour)
	a.get("/login")
	token := a.token()
	a.get("/logout")
	if _, err := a.client.GetSession(context.Background(), token); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("after logout the vault still has the session: %v", err)
	}
	if _, body := a.get("/me"); body != "anonymous" {
		t.Fatalf("/me after logout = %q", body)
	}
}

func TestSessionRevokedInTheVaultIsRefusedOnTheNextRequest(t *testing.T) {
	a := newApp(t, time.Hour)
	a.get("/login")
	if err := a.client.DeleteSession(context.Background(), a.token()); err != nil {
		t.Fatal(err)
	}
	if _, body := a.get("/me"); body != "anonymous" {
		t.Fatalf("/me after revocation = %q", body)
	}
}

func TestSignInLinksTheSessionAndSignOutEverywhereEndsTheOtherBrowsers(t *testing.T) {
	ctx := context.Background()
	a := newApp(t, time.Hour)
	user, err := a.client.CreateUser(ctx, map[string]any{"login": "scs-" + strconv.FormatInt(time.Now().UnixNano(), 36)})
	if err != nil {
		t.Fatal(err)
	}
	other := vaulttest.NewBrowser(t, a.srv.URL)
	a.get("/visit")
	anonymous := a.token()
	a.get("/signin?user=" + user)
	other.Get("/signin?user=" + user)
	if a.token() == anonymous {
		t.Fatal("sign-in did not renew the session token")
	}
	vaulttest.CheckSignOutEverywhere(t, a.client, a.browser, other, user, anonymous)
}

// Runs last: it stops the package's vault.
func TestVaultOutageIsA500NotAnEmptySession(t *testing.T) {
	a := newApp(t, time.Hour)
	a.get("/login")
	vault.Stop()
	if status, body := a.get("/me"); status != http.StatusInternalServerError || body == "anonymous" {
		t.Fatalf("/me during an outage = %d %q, want 500", status, body)
	}
}
