// Package conformance runs the shared wire cases (openapi/conformance/cases.json)
// through the Go client against a real vault.
package conformance_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	sessionvault "github.com/sessionvault/sessionvault/go"
	"github.com/sessionvault/sessionvault/go/internal/vaulttest"
	"github.com/sessionvault/sessionvault/go/vaultapi"
)

type caseFile struct {
	Version int `json:"version"`
	Vault   struct {
		Token   string   `json:"token"`
		Tenants []string `json:"tenants"`
	} `json:"vault"`
	Cases []struct {
		Name  string `json:"name"`
		Steps []step `json:"steps"`
	} `json:"cases"`
}

type step struct {
	Call    string            `json:"call"`
	Body    any               `json:"body"`
	RawBody *string           `json:"raw_body"`
	PadByte int               `json:"pad_bytes"`
	Auth    string            `json:"auth"`
	Tenant  string            `json:"tenant"`
	SleepMS int               `json:"sleep_ms"`
	Capture map[string]string `json:"capture"`
	Expect  *struct {
		Status int `json:"status"`
		Body   any `json:"body"`
	} `json:"expect"`
}

// casesPath is the shared file (and its schema); until they exist on this branch, the
// runner's own seed cases in the same format and a seed schema.
func casesPath(t *testing.T) (cases, schema string) {
	root, err := vaulttest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "openapi", "conformance")
	cases, schema = filepath.Join(dir, "cases.json"), filepath.Join(dir, "schema.json")
	if _, err := os.Stat(cases); err != nil {
		t.Logf("openapi/conformance/cases.json not found; running testdata/seed-cases.json")
		cases = filepath.Join("testdata", "seed-cases.json")
	}
	if _, err := os.Stat(schema); err != nil {
		t.Logf("openapi/conformance/schema.json not found; validating against testdata/seed-schema.json")
		schema = filepath.Join("testdata", "seed-schema.json")
	}
	return cases, schema
}

func validate(t *testing.T, cases, schema string) {
	t.Helper()
	abs, err := filepath.Abs(schema)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := jsonschema.NewCompiler().Compile(abs)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	f, err := os.Open(cases)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("the case file is not JSON: %v", err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("the case file fails its schema: %v", err)
	}
}

func TestConformance(t *testing.T) {
	path, schema := casesPath(t)
	validate(t, path, schema)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file caseFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&file); err != nil {
		t.Fatalf("the case file is not valid JSON of the agreed format: %v", err)
	}
	if file.Version != 1 || file.Vault.Token == "" || len(file.Cases) == 0 {
		t.Fatalf("the case file has no version 1, vault token or cases")
	}
	v, err := vaulttest.Start(vaulttest.Options{Token: file.Vault.Token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Stop)
	var passed, failed atomic.Int32
	t.Run("cases", func(t *testing.T) {
		for _, c := range file.Cases {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				if runCase(t, v, c.Steps) {
					passed.Add(1)
				} else {
					failed.Add(1)
				}
			})
		}
	})
	fmt.Printf("conformance: %d passed, %d failed\n", passed.Load(), failed.Load())
}

func fresh(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func freshUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

var placeholder = regexp.MustCompile(`^\{\{(uuid|email|str|var):([A-Za-z0-9_.-]+)\}\}$`)

type scope struct {
	bound map[string]any
	vars  map[string]any
}

func (s *scope) subst(v any) (any, error) {
	switch x := v.(type) {
	case string:
		m := placeholder.FindStringSubmatch(x)
		if m == nil {
			return x, nil
		}
		key := m[1] + ":" + m[2]
		if m[1] == "var" {
			val, ok := s.vars[m[2]]
			if !ok {
				return nil, fmt.Errorf("{{var:%s}} was never captured", m[2])
			}
			return val, nil
		}
		if val, ok := s.bound[key]; ok {
			return val, nil
		}
		var val string
		switch m[1] {
		case "uuid":
			val = freshUUID()
		case "email":
			val = "go-" + fresh(8) + "@example.org"
		default:
			val = fresh(8)
		}
		s.bound[key] = val
		return val, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := s.subst(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := s.subst(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

func runCase(t *testing.T, v *vaulttest.Vault, steps []step) bool {
	ctx := context.Background()
	sc := &scope{bound: map[string]any{}, vars: map[string]any{}}
	clients := map[string]*sessionvault.Client{}
	client := func(tenant string) *sessionvault.Client {
		if c, ok := clients[tenant]; ok {
			return c
		}
		c, err := sessionvault.New(sessionvault.WithBaseURL(v.URL), sessionvault.WithToken(v.Token),
			sessionvault.WithTenant(tenant), sessionvault.WithTimeout(10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		clients[tenant] = c
		return c
	}
	for i, st := range steps {
		if st.SleepMS > 0 {
			time.Sleep(time.Duration(st.SleepMS) * time.Millisecond)
			continue
		}
		var body []byte
		if st.RawBody != nil {
			body = []byte(*st.RawBody)
		} else {
			b, err := sc.subst(st.Body)
			if err != nil {
				t.Errorf("step %d: %v", i, err)
				return false
			}
			if st.PadByte > 0 {
				m, _ := b.(map[string]any)
				if m == nil {
					m = map[string]any{}
				}
				m["pad"] = strings.Repeat("a", st.PadByte)
				b = m
			}
			if body, err = json.Marshal(b); err != nil {
				t.Errorf("step %d: %v", i, err)
				return false
			}
		}
		var editors []vaultapi.RequestEditorFn
		switch st.Auth {
		case "none":
			editors = append(editors, func(_ context.Context, r *http.Request) error { r.Header.Del("X-Bunker-Token"); return nil })
		case "wrong":
			editors = append(editors, func(_ context.Context, r *http.Request) error {
				r.Header.Set("X-Bunker-Token", "wrong-"+fresh(8))
				return nil
			})
		}
		status, reply, err := client(st.Tenant).Call(ctx, st.Call, body, editors...)
		if err != nil {
			t.Errorf("step %d (%s): %v", i, st.Call, err)
			return false
		}
		var got any
		if len(reply) > 0 {
			dec := json.NewDecoder(strings.NewReader(string(reply)))
			dec.UseNumber()
			if err := dec.Decode(&got); err != nil {
				got = nil
			}
		}
		if st.Expect != nil {
			if st.Expect.Status != 0 && status != st.Expect.Status {
				t.Errorf("step %d (%s): status %d, want %d", i, st.Call, status, st.Expect.Status)
				return false
			}
			if st.Expect.Body != nil {
				want, err := sc.subst(st.Expect.Body)
				if err != nil {
					t.Errorf("step %d: %v", i, err)
					return false
				}
				if msg := match("", want, got, true); msg != "" {
					t.Errorf("step %d (%s): %s", i, st.Call, msg)
					return false
				}
			}
		}
		for name, ptr := range st.Capture {
			val, ok := pointer(got, ptr)
			if !ok {
				t.Errorf("step %d (%s): capture %s: %s is not in the reply", i, st.Call, name, ptr)
				return false
			}
			sc.vars[name] = val
		}
	}
	return true
}

func pointer(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := doc.(type) {
		case map[string]any:
			v, ok := x[tok]
			if !ok {
				return nil, false
			}
			doc = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			doc = x[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}

// match checks got against the matcher want; "" means it matches.
func match(path string, want, got any, present bool) string {
	if m, ok := want.(map[string]any); ok {
		if len(m) == 1 {
			for k, arg := range m {
				if strings.HasPrefix(k, "$") {
					return special(path, k, arg, got, present)
				}
			}
		}
		if !present {
			return path + ": missing"
		}
		obj, ok := got.(map[string]any)
		if !ok {
			return path + ": not an object"
		}
		for k, w := range m {
			g, has := obj[k]
			if msg := match(path+"/"+k, w, g, has); msg != "" {
				return msg
			}
		}
		return ""
	}
	if !present {
		return path + ": missing"
	}
	if arr, ok := want.([]any); ok {
		g, ok := got.([]any)
		if !ok || len(g) != len(arr) {
			return path + ": not an array of length " + strconv.Itoa(len(arr))
		}
		for i := range arr {
			if msg := match(path+"/"+strconv.Itoa(i), arr[i], g[i], true); msg != "" {
				return msg
			}
		}
		return ""
	}
	if wn, ok := num(want); ok {
		if gn, ok := num(got); ok && gn == wn {
			return ""
		}
		return fmt.Sprintf("%s: got %v, want %v", path, got, want)
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("%s: got %v, want %v", path, got, want)
	}
	return ""
}

func special(path, op string, arg, got any, present bool) string {
	if op == "$absent" {
		if present {
			return path + ": present, want absent"
		}
		return ""
	}
	if !present {
		return path + ": missing"
	}
	switch op {
	case "$any":
		return ""
	case "$type":
		if typeOf(got) == arg || (arg == "number" && typeOf(got) == "integer") {
			return ""
		}
		return fmt.Sprintf("%s: a %s, want a %v", path, typeOf(got), arg)
	case "$len":
		n, _ := num(arg)
		switch g := got.(type) {
		case []any:
			if float64(len(g)) == n {
				return ""
			}
		case string:
			if float64(len([]rune(g))) == n {
				return ""
			}
		}
		return fmt.Sprintf("%s: length is not %v", path, arg)
	case "$gte", "$lte":
		w, _ := num(arg)
		g, ok := num(got)
		if ok && ((op == "$gte" && g >= w) || (op == "$lte" && g <= w)) {
			return ""
		}
		return fmt.Sprintf("%s: %v is not %s %v", path, got, op, arg)
	case "$contains":
		if g, ok := got.([]any); ok {
			for i := range g {
				if match(path, arg, g[i], true) == "" {
					return ""
				}
			}
		}
		return path + ": no element matches"
	case "$unordered":
		ms, _ := arg.([]any)
		g, ok := got.([]any)
		if !ok || len(g) != len(ms) {
			return path + ": not an array of length " + strconv.Itoa(len(ms))
		}
		used := make([]bool, len(g))
		var assign func(i int) bool
		assign = func(i int) bool {
			if i == len(ms) {
				return true
			}
			for j := range g {
				if !used[j] && match(path, ms[i], g[j], true) == "" {
					used[j] = true
					if assign(i + 1) {
						return true
					}
					used[j] = false
				}
			}
			return false
		}
		if assign(0) {
			return ""
		}
		return path + ": no one-to-one match of the elements"
	}
	return path + ": unknown matcher " + op
}

func typeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	}
	return "unknown"
}
