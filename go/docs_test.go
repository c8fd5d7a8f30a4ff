package sessionvault_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The Go page of the docs site: every ```go block with the flag `run` is a program that
// must exit 0 and print each `// => text` it announces, in order; every ```go block
// with the flag `server` is an app the quickstart protocol drives through cookie jars.
const docsPage = "../docs/languages/go.md"

type docsSample struct {
	line int
	flag string
	code string
}

func docsSamples(t *testing.T) []docsSample {
	t.Helper()
	text, err := os.ReadFile(docsPage)
	if err != nil {
		t.Fatal(err)
	}
	var out []docsSample
	lines := strings.Split(string(text), "\n")
	for i := 0; i < len(lines); i++ {
		flag, ok := strings.CutPrefix(lines[i], "```go")
		if !ok {
			continue
		}
		start := i + 1
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
		}
		out = append(out, docsSample{line: start, flag: strings.TrimSpace(flag), code: strings.Join(lines[start:i], "\n") + "\n"})
	}
	return out
}

var announced = regexp.MustCompile(`// => (.+)$`)

func TestDocsGoPageSamplesRunAgainstARealVault(t *testing.T) {
	samples := docsSamples(t)
	counts := map[string]int{}
	for _, s := range samples {
		counts[s.flag]++
	}
	if counts["run"] < 1 || counts["server"] < 2 || len(samples) != counts["run"]+counts["server"] {
		t.Fatalf("the page's Go blocks by flag: %v; want at least one `run`, two `server`, nothing else", counts)
	}
	for _, s := range samples {
		t.Run(s.flag+"-L"+strconv.Itoa(s.line), func(t *testing.T) {
			if s.flag == "server" {
				addr := startServer(t, "docs", s.code)
				checkProtocol(t, "docs", addr)
				checkSignOutEverywhere(t, addr)
				return
			}
			bin := buildProgram(t, s.code)
			cmd := exec.Command(bin)
			cmd.Dir = filepath.Dir(bin)
			cmd.Env = append(os.Environ(), "SESSIONVAULT_URL="+vault.URL, "SESSIONVAULT_TOKEN="+vault.Token)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s:%d: %v\n%s", docsPage, s.line, err, out)
			}
			from := 0
			for _, line := range strings.Split(s.code, "\n") {
				m := announced.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				at := strings.Index(string(out[from:]), m[1])
				if at < 0 {
					t.Fatalf("%s:%d: %q is not in the output (after what was already matched):\n%s", docsPage, s.line, m[1], out)
				}
				from += at + len(m[1])
			}
		})
	}
}

// checkSignOutEverywhere signs one user in from two browsers; signing the others out
// from the first ends the second's session and keeps the first's.
func checkSignOutEverywhere(t *testing.T, addr string) {
	t.Helper()
	laptop, phone := browserGet(t, addr), browserGet(t, addr)
	laptop("/login")
	phone("/login")
	if got := phone("/me"); got != "user=ada" {
		t.Fatalf("phone before sign-out everywhere: /me = %q", got)
	}
	if got := laptop("/signout-others"); !strings.HasPrefix(got, "revoked ") || got == "revoked 0" {
		t.Fatalf("/signout-others = %q, want at least the phone revoked", got)
	}
	if got := phone("/me"); got != "user=" {
		t.Fatalf("phone after sign-out everywhere: /me = %q, want user=", got)
	}
	if got := laptop("/me"); got != "user=ada" {
		t.Fatalf("laptop after signing the others out: /me = %q, want user=ada", got)
	}
}
