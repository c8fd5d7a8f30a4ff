// Package vaulttest starts a real vault for tests and benchmarks: the server's own
// CLI (`node packages/server/bin/sessionvault.js start`), on a free port, with a
// fresh SQLite file, a random token and a random master key.
package vaulttest

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Vault is a running vault process.
type Vault struct {
	URL   string
	Token string

	cmd     *exec.Cmd
	dir     string
	mu      sync.Mutex
	logs    strings.Builder
	done    chan struct{}
	stopped bool
}

// Options tunes Start.
type Options struct {
	Token string // access token; random when empty
}

// RepoRoot is the repository's root folder (the one with pnpm-workspace.yaml).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "pnpm-workspace.yaml")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("vaulttest: no pnpm-workspace.yaml above the working directory")
		}
		dir = parent
	}
}

// nodeBinary is the project's pinned Node (node_modules/node/bin/node), else $SV_NODE,
// else node from PATH.
func nodeBinary(root string) string {
	if p := os.Getenv("SV_NODE"); p != "" {
		return p
	}
	pinned := filepath.Join(root, "node_modules", "node", "bin", "node")
	if _, err := os.Stat(pinned); err == nil {
		return pinned
	}
	return "node"
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Start launches a vault and waits until it listens (at most 30 s).
func Start(opts Options) (*Vault, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	cli := filepath.Join(root, "packages", "server", "bin", "sessionvault.js")
	if _, err := os.Stat(filepath.Join(root, "packages", "server", "dist", "cli.js")); err != nil {
		return nil, errors.New("vaulttest: the server is not built; run `node scripts/sv.mjs exec turbo run build --filter=@sessionvault/server`")
	}
	dir, err := os.MkdirTemp("", "sessionvault-go-test-")
	if err != nil {
		return nil, err
	}
	token := opts.Token
	if token == "" {
		token = random(24)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	cmd := exec.Command(nodeBinary(root), cli, "start", "--port", "0", "--host", "127.0.0.1")
	cmd.Env = append(os.Environ(),
		"SESSIONVAULT_STORAGE=sqlite",
		"SESSIONVAULT_SQLITE_PATH="+filepath.Join(dir, "vault.db"),
		"SESSIONVAULT_ACCESS_TOKENS=test:"+token,
		"SESSIONVAULT_MASTER_KEY="+base64.StdEncoding.EncodeToString(key),
		"SESSIONVAULT_HOST=127.0.0.1",
		"SESSIONVAULT_DURABILITY=process",
	)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	v := &Vault{Token: token, cmd: cmd, dir: dir, done: make(chan struct{})}
	cmd.Stderr = writerFunc(v.log)
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			v.log([]byte(line + "\n"))
			var entry struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "listening" && entry.URL != "" {
				select {
				case listening <- entry.URL:
				default:
				}
			}
		}
	}()
	go func() { _ = cmd.Wait(); close(v.done) }()
	select {
	case v.URL = <-listening:
		return v, nil
	case <-v.done:
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("vaulttest: the vault exited before listening:\n%s", v.Logs())
	case <-time.After(30 * time.Second):
		v.Stop()
		return nil, fmt.Errorf("vaulttest: the vault did not listen within 30 s:\n%s", v.Logs())
	}
}

type writerFunc func([]byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }

func (v *Vault) log(p []byte) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.logs.Len() < 1<<20 {
		v.logs.Write(p)
	}
}

// Logs returns what the vault printed so far.
func (v *Vault) Logs() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.logs.String()
}

// Stop sends SIGTERM, waits (SIGKILL after 10 s) and deletes the data folder. It is
// safe to call more than once.
func (v *Vault) Stop() {
	v.mu.Lock()
	if v.stopped {
		v.mu.Unlock()
		return
	}
	v.stopped = true
	v.mu.Unlock()
	_ = v.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-v.done:
	case <-time.After(10 * time.Second):
		_ = v.cmd.Process.Kill()
		<-v.done
	}
	_ = os.RemoveAll(v.dir)
}

// Main is a package's TestMain: it starts one vault for the package's tests, stores it in
// *vault, runs the tests, stops the vault and exits with the tests' code.
func Main(m *testing.M, vault **Vault) {
	v, err := Start(Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*vault = v
	code := m.Run()
	v.Stop()
	os.Exit(code)
}
