package vaulttest

import (
	"context"
	"errors"
	"testing"

	sessionvault "github.com/sessionvault/sessionvault/go"
)

// CheckSignOutEverywhere checks what every store promises once self and other have both
// signed in as user through the test app (whose /me prints the signed-in name, "ada",
// and whose /signout-others revokes the user's other sessions): the record from before
// sign-in (anonymous) is gone, the user lists both sessions, and signing the others out
// from self ends other's session and keeps self's.
func CheckSignOutEverywhere(t *testing.T, client *sessionvault.Client, self, other *Browser, user, anonymous string) {
	t.Helper()
	ctx := context.Background()
	if _, err := client.GetSession(ctx, anonymous); !errors.Is(err, sessionvault.ErrNotFound) {
		t.Fatalf("the pre-sign-in record survived: %v", err)
	}
	list, err := client.ListUserSessions(ctx, sessionvault.ByToken, user, 0, 0)
	if err != nil || list.Total != 2 {
		t.Fatalf("the user's sessions: %+v %v, want the two signed-in browsers", list, err)
	}
	if _, body := other.Get("/me"); body != "ada" {
		t.Fatalf("other browser before revoke: /me = %q", body)
	}
	if _, body := self.Get("/signout-others"); body != "1" {
		t.Fatalf("signout-others revoked %q sessions, want 1", body)
	}
	if _, body := other.Get("/me"); body != "anonymous" {
		t.Fatalf("other browser after sign-out everywhere: /me = %q, want anonymous", body)
	}
	if _, body := self.Get("/me"); body != "ada" {
		t.Fatalf("the browser that signed the others out: /me = %q, want ada", body)
	}
}
