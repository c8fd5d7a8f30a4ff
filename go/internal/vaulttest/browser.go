package vaulttest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
)

// Browser is an HTTP client with a cookie jar, pointed at one test server: what the store
// tests drive their apps with.
type Browser struct {
	t    *testing.T
	base string
	http *http.Client
}

// NewBrowser returns a Browser for the server at base (e.g. an httptest.Server's URL).
func NewBrowser(t *testing.T, base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: t, base: base, http: &http.Client{Jar: jar}}
}

// Get requests path with the jar's cookies and returns the status and body.
func (b *Browser) Get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.http.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Cookie is the value of the named cookie the jar holds for the server, or "".
func (b *Browser) Cookie(name string) string {
	u, _ := url.Parse(b.base)
	for _, c := range b.http.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
