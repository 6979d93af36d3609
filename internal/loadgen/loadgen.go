// Package loadgen is a small closed-loop HTTP load generator for finsam's
// benchmarks: a number of simulated users, each with its own client (and so
// its own session cookie), request their next URL as soon as the previous
// answer is read, for a fixed time. It records every latency and reports
// percentiles, so that a benchmark can state "p99 under 50 concurrent
// users" on loopback beside a static handler measured the same way.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// User is one simulated user: its client and the URLs it requests in turn.
type User struct {
	Client *http.Client
	// Next returns the i-th request's URL for this user.
	Next func(i int) string
	// Think is the mean pause between an answer and the next request
	// (a person reading the page); each pause is drawn uniformly from
	// 0.5–1.5 × Think. Zero means none: the user then saturates the
	// server, and latency becomes users / throughput.
	Think time.Duration
}

// Result summarises a run.
type Result struct {
	Requests  int
	Errors    int // transport errors and non-2xx answers
	Duration  time.Duration
	P50, P90  time.Duration
	P99, Max  time.Duration
	FirstFail string // the first error, for the report
}

// Throughput is requests per second.
func (r Result) Throughput() float64 { return float64(r.Requests) / r.Duration.Seconds() }

func (r Result) String() string {
	return fmt.Sprintf("%d requests in %v (%.0f/s), %d errors; p50 %v p90 %v p99 %v max %v",
		r.Requests, r.Duration.Round(time.Millisecond), r.Throughput(), r.Errors,
		r.P50.Round(10*time.Microsecond), r.P90.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
}

// Run drives the users concurrently for d (after a warm-up of warm, whose
// requests are not counted) and returns the latencies' summary.
func Run(ctx context.Context, users []User, warm, d time.Duration) Result {
	start := time.Now()
	measureFrom := start.Add(warm)
	stop := measureFrom.Add(d)
	var mu sync.Mutex
	var all []time.Duration
	var res Result
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			errs := 0
			first := ""
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
			for i := 0; ; i++ {
				if u.Think > 0 && i > 0 {
					pause := u.Think/2 + time.Duration(rng.Int64N(int64(u.Think)+1))
					select {
					case <-time.After(pause):
					case <-ctx.Done():
					}
				}
				t0 := time.Now()
				if !t0.Before(stop) || ctx.Err() != nil {
					break
				}
				err := get(ctx, u.Client, u.Next(i))
				el := time.Since(t0)
				if t0.Before(measureFrom) {
					continue
				}
				lat = append(lat, el)
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			all = append(all, lat...)
			res.Errors += errs
			if res.FirstFail == "" {
				res.FirstFail = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Duration = d
	res.Requests = len(all)
	if len(all) == 0 {
		return res
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	res.P50, res.P90, res.P99, res.Max = pct(0.50), pct(0.90), pct(0.99), all[len(all)-1]
	return res
}

func get(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}
