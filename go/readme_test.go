package sessionvault_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// quickstart returns the Go block that follows <!-- quickstart:NAME --> in README.md.
func quickstart(t *testing.T, name string) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)<!-- quickstart:" + name + " -->\\s*```go\\n(.*?)```")
	m := re.FindSubmatch(readme)
	if m == nil {
		t.Fatalf("README.md has no quickstart:%s block", name)
	}
	return string(m[1])
}

// buildProgram writes a main package into a fresh module that requires this one
// through a replace directive and builds it.
func buildProgram(t *testing.T, code string) string {
	t.Helper()
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example\n\ngo 1.26\n\nrequire github.com/sessionvault/sessionvault/go v0.0.0\n\nreplace github.com/sessionvault/sessionvault/go => " + self + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"mod", "tidy"}, {"build", "-o", "app", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return filepath.Join(dir, "app")
}

// startServer builds and starts an app that listens on $ADDR and returns its address.
func startServer(t *testing.T, name, code string) string {
	t.Helper()
	bin := buildProgram(t, code)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "ADDR="+addr, "SESSIONVAULT_URL="+vault.URL, "SESSIONVAULT_TOKEN="+vault.Token)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	go func() { _, _ = io.Copy(io.Discard, bufio.NewReader(stderr)) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			_ = c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s quickstart did not listen", name)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return addr
}

// browserGet returns a GET function with a cookie jar of its own, like one browser.
func browserGet(t *testing.T, addr string) func(path string) string {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 5 * time.Second}
	return func(path string) string {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+addr+path, nil)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.TrimSpace(string(b))
	}
}

// checkProtocol drives a quickstart app the way every quickstart promises to behave.
func checkProtocol(t *testing.T, name, addr string) {
	t.Helper()
	get := browserGet(t, addr)
	for _, step := range []struct{ path, want string }{
		{"/me", "user="}, {"/login", "signed in"}, {"/me", "user=ada"}, {"/logout", "signed out"}, {"/me", "user="},
	} {
		if got := get(step.path); got != step.want {
			t.Fatalf("%s quickstart: GET %s = %q, want %q", name, step.path, got, step.want)
		}
	}
}

func runQuickstart(t *testing.T, name string) {
	checkProtocol(t, name, startServer(t, name, quickstart(t, name)))
}

func TestReadmeQuickstartScsRunsAsWritten(t *testing.T)     { runQuickstart(t, "scs") }
func TestReadmeQuickstartGorillaRunsAsWritten(t *testing.T) { runQuickstart(t, "gorilla") }
