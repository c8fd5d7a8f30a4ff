// Command bench measures the client's GetSession against raw net/http on the same
// vault (started from the server's CLI), at concurrency 1, in interleaved rounds, and
// prints the ratio of the medians (goal: <= 1.15x).
//
//	go run ./bench [-rounds 10] [-n 2000]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"time"

	sessionvault "github.com/sessionvault/sessionvault/go"
	"github.com/sessionvault/sessionvault/go/internal/vaulttest"
)

func main() {
	rounds := flag.Int("rounds", 10, "interleaved rounds per side")
	n := flag.Int("n", 2000, "calls per round")
	flag.Parse()
	if err := run(*rounds, *n); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(rounds, n int) error {
	v, err := vaulttest.Start(vaulttest.Options{})
	if err != nil {
		return err
	}
	defer v.Stop()
	ctx := context.Background()
	client, err := sessionvault.New(sessionvault.WithBaseURL(v.URL), sessionvault.WithToken(v.Token))
	if err != nil {
		return err
	}
	const id = "bench-session-0123456789"
	if _, err := client.UpsertSession(ctx, id, map[string]any{"user": "ada", "roles": []string{"admin"}, "n": 42}); err != nil {
		return err
	}
	raw := &http.Client{}
	body := []byte(`{"sessionuuid":"` + id + `"}`)
	rawGet := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.URL+"/v2/SessionGet", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Bunker-Token", v.Token)
		resp, err := raw.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("raw: status %d", resp.StatusCode)
		}
		var out struct {
			Sessiondata map[string]any `json:"sessiondata"`
		}
		return json.Unmarshal(b, &out)
	}
	clientGet := func() error { _, err := client.GetSession(ctx, id); return err }
	measure := func(f func() error) (time.Duration, error) {
		start := time.Now()
		for range n {
			if err := f(); err != nil {
				return 0, err
			}
		}
		return time.Since(start) / time.Duration(n), nil
	}
	for _, f := range []func() error{rawGet, clientGet} { // warm-up
		if _, err := measure(f); err != nil {
			return err
		}
	}
	var rawTimes, clientTimes []time.Duration
	for r := range rounds {
		order := []bool{r%2 == 0, r%2 != 0}
		for _, clientFirst := range order {
			f, dst := rawGet, &rawTimes
			if clientFirst {
				f, dst = clientGet, &clientTimes
			}
			d, err := measure(f)
			if err != nil {
				return err
			}
			*dst = append(*dst, d)
		}
	}
	median := func(ds []time.Duration) time.Duration { slices.Sort(ds); return ds[len(ds)/2] }
	mr, mc := median(rawTimes), median(clientTimes)
	fmt.Printf("go GetSession, concurrency 1, %d interleaved rounds x %d calls\n", rounds, n)
	fmt.Printf("  raw net/http      %8.1f µs/call\n", float64(mr.Nanoseconds())/1e3)
	fmt.Printf("  sessionvault      %8.1f µs/call\n", float64(mc.Nanoseconds())/1e3)
	fmt.Printf("  ratio client/raw  %.3fx (goal <= 1.15x)\n", float64(mc)/float64(mr))
	return nil
}
