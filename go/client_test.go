package sessionvault_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sessionvault "github.com/sessionvault/sessionvault/go"
	"github.com/sessionvault/sessionvault/go/internal/vaulttest"
)

var vault *vaulttest.Vault

func TestMain(m *testing.M) { vaulttest.Main(m, &vault) }

func newID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "sid-" + hex.EncodeToString(b)
}

func newClient(t *testing.T, opts ...sessionvault.Option) *sessionvault.Client {
	t.Helper()
	c, err := sessionvault.New(append([]sessionvault.Option{
		sessionvault.WithBaseURL(vault.URL), sessionvault.WithToken(vault.Token),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSessionRoundTripKeepsDataVersionAndWindow(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	id := newID(t)
	v1, err := c.UpsertSession(ctx, id, map[string]any{"user": "ada", "n": 1}, sessionvault.Sliding(time.Hour))
	if err != nil || v1 != 1 {
		t.Fatalf("upsert: version %d, %v", v1, err)
	}
	v2, err := c.UpsertSession(ctx, id, map[string]any{"user": "ada", "n": 2}, sessionvault.ExpectVersion(1))
	if err != nil || v2 != 2 {
		t.Fatalf("second upsert: version %d, %v", v2, err)
	}
	s, err := c.GetSession(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Data["user"] != "ada" || s.Data["n"] != float64(2) || s.Version != 2 {
		t.Fatalf("read back %+v", s)
	}
	if s.Expires == nil || time.Until(*s.Expires) < 59*time.Minute {
		t.Fatalf("expiry %v, want about an hour from now", s.Expires)
	}
	if _, err := c.UpsertSession(ctx, id, map[string]any{}, sessionvault.ExpectVersion(1)); !errors.Is(err, sessionvault.ErrConflict) {
		t.Fatalf("stale expectversion: %v, want ErrConflict", err)
	}
	if err := c.DeleteSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSession(ctx, id)
	var verr *sessionvault.Error
	if !errors.Is(err, sessionvault.ErrNotFound) || !errors.As(err, &verr) || verr.Status != 404 || verr.Retryable {
		t.Fatalf("after delete: %#v", err)
	}
}

func TestUsersLinkedSessionsListAndRevokeWithKeep(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	email := "go-" + newID(t) + "@example.org"
	token, err := c.CreateUser(ctx, map[string]any{"email": email, "name": "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.GetUser(ctx, sessionvault.ByEmail, email)
	if err != nil || u.Token != token || u.Profile["name"] != "Ada" {
		t.Fatalf("get user: %+v %v", u, err)
	}
	a, b := newID(t), newID(t)
	for _, id := range []string{a, b} {
		if _, err := c.UpsertSession(ctx, id, map[string]any{"id": id}, sessionvault.LinkUser(token)); err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.ListUserSessions(ctx, sessionvault.ByEmail, email, 0, 0)
	if err != nil || list.Total != 2 || len(list.Rows) != 2 || list.Rows[0].UserToken != token {
		t.Fatalf("list: %+v %v", list, err)
	}
	n, err := c.RevokeUserSessions(ctx, sessionvault.ByToken, token, a)
	if err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if _, err := c.GetSession(ctx, a); err != nil {
		t.Fatalf("kept session: %v", err)
	}
	if _, err := c.GetSession(ctx, b); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("revoked session: %v", err)
	}
	if err := c.UpdateUser(ctx, sessionvault.ByToken, token, map[string]any{"email": email, "name": "Grace"}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteUser(ctx, sessionvault.ByToken, token); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(ctx, sessionvault.ByEmail, email); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("deleted user: %v", err)
	}
}

func TestTokensKeepCardFormat(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	tok, err := c.CreateToken(ctx, sessionvault.TokenCreditCard, "4111111111111111", true)
	if err != nil || len(tok.Base) != 16 || !strings.HasSuffix(tok.Base, "1111") {
		t.Fatalf("create: %+v %v", tok, err)
	}
	record, kind, err := c.GetToken(ctx, tok.UUID)
	if err != nil || record != "4111111111111111" || kind != sessionvault.TokenCreditCard {
		t.Fatalf("get: %q %q %v", record, kind, err)
	}
	if err := c.DeleteToken(ctx, tok.UUID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.GetToken(ctx, tok.UUID); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("deleted token: %v", err)
	}
}

func TestBadInputIsAValidationErrorNamingNoSecret(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	_, err := c.UpsertSession(ctx, "short", map[string]any{"email": "ada@example.org"}) // id below the 8-char minimum
	if !errors.Is(err, sessionvault.ErrValidation) {
		t.Fatalf("got %v, want ErrValidation", err)
	}
	if strings.Contains(err.Error(), "ada@example.org") || strings.Contains(err.Error(), vault.Token) {
		t.Fatalf("error leaks a secret: %v", err)
	}
}

func TestErrorsNeverCarryTokenSessionIdOrURLUserinfo(t *testing.T) {
	ctx := context.Background()
	id := newID(t)
	wrong, err := sessionvault.New(sessionvault.WithBaseURL(vault.URL), sessionvault.WithToken("wrong-token-s3cr3t"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = wrong.GetSession(ctx, id)
	if !errors.Is(err, sessionvault.ErrAuth) {
		t.Fatalf("wrong token: %v", err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://user:p4ssw0rd@" + ln.Addr().String()
	_ = ln.Close()
	down, err := sessionvault.New(sessionvault.WithBaseURL(dead), sessionvault.WithToken("t0k3n-s3cr3t"),
		sessionvault.WithRetries(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, netErr := down.GetSession(ctx, id)
	var verr *sessionvault.Error
	if !errors.Is(netErr, sessionvault.ErrNetwork) || !errors.As(netErr, &verr) || !verr.Retryable || verr.Status != 0 {
		t.Fatalf("unreachable vault: %#v", netErr)
	}
	var opErr *net.OpError
	if !errors.As(netErr, &opErr) {
		t.Fatalf("the network cause is not reachable with errors.As: %v", netErr)
	}
	for _, e := range []error{err, netErr} {
		if e == nil {
			continue
		}
		for _, secret := range []string{id, "wrong-token-s3cr3t", "t0k3n-s3cr3t", "p4ssw0rd", vault.Token} {
			if strings.Contains(e.Error(), secret) {
				t.Fatalf("error %q contains a secret", e)
			}
		}
	}
}

func TestRetriesOnlyIdempotentCallsOn503(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"error","message":"busy"}`))
	}))
	defer srv.Close()
	c, err := sessionvault.New(sessionvault.WithBaseURL(srv.URL), sessionvault.WithToken("t"),
		sessionvault.WithRetries(2, time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.GetSession(ctx, "sid-12345678"); !errors.Is(err, sessionvault.ErrUnavailable) {
		t.Fatalf("get: %v", err)
	}
	if got := calls.Swap(0); got != 3 {
		t.Fatalf("GetSession attempts = %d, want 3", got)
	}
	if _, err := c.CreateUser(ctx, map[string]any{"name": "x"}); !errors.Is(err, sessionvault.ErrUnavailable) {
		t.Fatalf("create: %v", err)
	}
	if got := calls.Swap(0); got != 1 {
		t.Fatalf("CreateUser attempts = %d, want 1 (not idempotent)", got)
	}
	if _, err := c.UpsertSession(ctx, "sid-12345678", nil, sessionvault.ExpectVersion(3)); err == nil {
		t.Fatal("upsert succeeded against a busy vault")
	}
	if got := calls.Swap(0); got != 1 {
		t.Fatalf("UpsertSession with ExpectVersion attempts = %d, want 1", got)
	}
	patch := sessionvault.Patch{Set: map[string]any{"a": 1}}
	for _, step := range []struct {
		name string
		call func() error
		want int32
	}{
		{"PatchSession", func() error { _, err := c.PatchSession(ctx, "sid-12345678", patch); return err }, 3},
		{"PatchSession with ExpectVersion", func() error {
			_, err := c.PatchSession(ctx, "sid-12345678", patch, sessionvault.ExpectVersion(1))
			return err
		}, 1},
		{"CreateTokens unique", func() error {
			_, err := c.CreateTokens(ctx, []sessionvault.TokenRecord{{Type: sessionvault.TokenString, Record: "x"}}, true)
			return err
		}, 3},
		{"CreateTokens not unique", func() error {
			_, err := c.CreateTokens(ctx, []sessionvault.TokenRecord{{Type: sessionvault.TokenString, Record: "x"}}, false)
			return err
		}, 1},
	} {
		if err := step.call(); !errors.Is(err, sessionvault.ErrUnavailable) {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got := calls.Swap(0); got != step.want {
			t.Fatalf("%s attempts = %d, want %d", step.name, got, step.want)
		}
	}
}

func TestTimeoutIsRetryableAndMatchesDeadlineExceeded(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := sessionvault.New(sessionvault.WithBaseURL(srv.URL), sessionvault.WithToken("t"),
		sessionvault.WithTimeout(50*time.Millisecond), sessionvault.WithRetries(0, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.GetSession(context.Background(), "sid-12345678")
	if !errors.Is(err, sessionvault.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("timeout took %v", time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetSession(ctx, "sid-12345678"); !errors.Is(err, sessionvault.ErrCanceled) {
		t.Fatalf("canceled context: %v", err)
	}
}

func TestNewRejectsMissingOrInvalidOptions(t *testing.T) {
	cases := map[string][]sessionvault.Option{
		"no base URL":   {sessionvault.WithToken("t")},
		"ftp URL":       {sessionvault.WithBaseURL("ftp://x"), sessionvault.WithToken("t")},
		"no token":      {sessionvault.WithBaseURL("http://127.0.0.1:1")},
		"zero timeout":  {sessionvault.WithBaseURL("http://127.0.0.1:1"), sessionvault.WithToken("t"), sessionvault.WithTimeout(0)},
		"bad retry cap": {sessionvault.WithBaseURL("http://127.0.0.1:1"), sessionvault.WithToken("t"), sessionvault.WithRetries(1, time.Second, time.Millisecond)},
	}
	for name, opts := range cases {
		if _, err := sessionvault.New(opts...); !errors.Is(err, sessionvault.ErrValidation) {
			t.Errorf("%s: %v, want ErrValidation", name, err)
		}
	}
}

func TestTenantsDoNotSeeEachOther(t *testing.T) {
	ctx := context.Background()
	acme, globex := newClient(t, sessionvault.WithTenant("acme")), newClient(t, sessionvault.WithTenant("globex"))
	id := newID(t)
	if _, err := acme.UpsertSession(ctx, id, map[string]any{"t": "acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := globex.GetSession(ctx, id); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("other tenant read: %v", err)
	}
	if s, err := acme.GetSession(ctx, id); err != nil || s.Data["t"] != "acme" {
		t.Fatalf("own tenant read: %+v %v", s, err)
	}
}

func TestPatchSessionMergesKeysAndRefusesAMissingSessionUnlessCreate(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	id := newID(t)
	if _, err := c.PatchSession(ctx, id, sessionvault.Patch{Set: map[string]any{"a": 1}}); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("patch of a missing session: %v, want ErrNotFound", err)
	}
	v, err := c.PatchSession(ctx, id, sessionvault.Patch{Set: map[string]any{"a": 1, "flash": "hi"}}, sessionvault.CreateMissing(), sessionvault.Sliding(time.Hour))
	if err != nil || v != 1 {
		t.Fatalf("patch with create: version %d, %v", v, err)
	}
	v, err = c.PatchSession(ctx, id, sessionvault.Patch{Set: map[string]any{"b": "x"}, Unset: []string{"flash"}}, sessionvault.ExpectVersion(1))
	if err != nil || v != 2 {
		t.Fatalf("second patch: version %d, %v", v, err)
	}
	s, err := c.GetSession(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Data["a"] != float64(1) || s.Data["b"] != "x" || len(s.Data) != 2 {
		t.Fatalf("merged data %v, want a and b only", s.Data)
	}
	if _, err := c.PatchSession(ctx, id, sessionvault.Patch{Set: map[string]any{"c": 1}}, sessionvault.ExpectVersion(1)); !errors.Is(err, sessionvault.ErrConflict) {
		t.Fatalf("stale expectversion: %v, want ErrConflict", err)
	}
}

func TestTouchSessionExtendsTheWindowWithoutTheData(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	id := newID(t)
	if _, err := c.UpsertSession(ctx, id, map[string]any{"k": "v"}, sessionvault.Sliding(time.Minute)); err != nil {
		t.Fatal(err)
	}
	exp, err := c.TouchSession(ctx, id, 2*time.Hour)
	if err != nil || exp == nil || time.Until(*exp) < 119*time.Minute {
		t.Fatalf("touch: expiry %v, %v; want about two hours from now", exp, err)
	}
	s, err := c.GetSession(ctx, id)
	if err != nil || s.Data["k"] != "v" {
		t.Fatalf("after touch: %+v %v", s, err)
	}
	if _, err := c.TouchSession(ctx, newID(t), 0); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("touch of a missing session: %v, want ErrNotFound", err)
	}
}

func TestTokenBaseIsALookupKeyOnlyWithBaseLookup(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	hidden, err := c.CreateToken(ctx, sessionvault.TokenCreditCard, "4111111111111111", false)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, _, err := c.GetToken(ctx, hidden.Base); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("get by the base of a token without BaseLookup: %v, want ErrNotFound", err)
	}
	if err := c.DeleteToken(ctx, hidden.Base); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("delete by the base of a token without BaseLookup: %v, want ErrNotFound", err)
	}
	if record, _, err := c.GetToken(ctx, hidden.UUID); err != nil || record != "4111111111111111" {
		t.Fatalf("get by uuid: %q %v", record, err)
	}
	email := newID(t) + "@example.org"
	shown, err := c.CreateToken(ctx, sessionvault.TokenEmail, email, false, sessionvault.BaseLookup())
	if err != nil {
		t.Fatalf("create with BaseLookup: %v", err)
	}
	if record, kind, err := c.GetToken(ctx, shown.Base); err != nil || record != email || kind != sessionvault.TokenEmail {
		t.Fatalf("get by base with BaseLookup: %q %q %v", record, kind, err)
	}
	bulk, err := c.CreateTokens(ctx, []sessionvault.TokenRecord{{Type: sessionvault.TokenCreditCard, Record: "5500005555555559"}}, false, sessionvault.BaseLookup())
	if err != nil || len(bulk) != 1 {
		t.Fatalf("bulk create with BaseLookup: %+v %v", bulk, err)
	}
	if record, _, err := c.GetToken(ctx, bulk[0].Base); err != nil || record != "5500005555555559" {
		t.Fatalf("get bulk token by base: %q %v", record, err)
	}
	plain, err := c.CreateTokens(ctx, []sessionvault.TokenRecord{{Type: sessionvault.TokenCreditCard, Record: "5500005555555559"}}, false)
	if err != nil || len(plain) != 1 {
		t.Fatalf("bulk create: %+v %v", plain, err)
	}
	if _, _, err := c.GetToken(ctx, plain[0].Base); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("get by the base of a bulk token without BaseLookup: %v, want ErrNotFound", err)
	}
}

func TestCreateTokensKeepsOrderAndUniqueGivesEqualTokens(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	email := newID(t) + "@example.org"
	records := []sessionvault.TokenRecord{
		{Type: sessionvault.TokenCreditCard, Record: "4111111111111111"},
		{Type: sessionvault.TokenEmail, Record: email},
	}
	first, err := c.CreateTokens(ctx, records, true)
	if err != nil || len(first) != 2 {
		t.Fatalf("bulk create: %+v %v", first, err)
	}
	if first[0].Type != sessionvault.TokenCreditCard || !strings.HasSuffix(first[0].Base, "1111") || first[1].Type != sessionvault.TokenEmail {
		t.Fatalf("bulk create out of order: %+v", first)
	}
	again, err := c.CreateTokens(ctx, records, true)
	if err != nil || again[0].UUID != first[0].UUID || again[1].UUID != first[1].UUID {
		t.Fatalf("unique bulk create gave new tokens: %+v %v", again, err)
	}
	record, kind, err := c.GetToken(ctx, first[1].UUID)
	if err != nil || record != email || kind != sessionvault.TokenEmail {
		t.Fatalf("get: %q %q %v", record, kind, err)
	}
	if _, err := c.CreateTokens(ctx, []sessionvault.TokenRecord{{Type: sessionvault.TokenCreditCard, Record: "1234"}}, false); !errors.Is(err, sessionvault.ErrValidation) {
		t.Fatalf("bad card: %v, want ErrValidation", err)
	}
}

func TestUpdateUserIsAMergePatchWhereNilRemovesAField(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	email := "go-" + newID(t) + "@example.org"
	token, err := c.CreateUser(ctx, map[string]any{"email": email, "name": "Ada", "city": "London"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateUser(ctx, sessionvault.ByEmail, email, map[string]any{"name": "Grace", "city": nil}); err != nil {
		t.Fatal(err)
	}
	u, err := c.GetUser(ctx, sessionvault.ByToken, token)
	if err != nil {
		t.Fatal(err)
	}
	if _, has := u.Profile["city"]; has || u.Profile["name"] != "Grace" || u.Profile["email"] != email {
		t.Fatalf("merged profile %v: want name Grace, email kept, city gone", u.Profile)
	}
}
