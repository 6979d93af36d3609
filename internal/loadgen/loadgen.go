// Package loadgen is a small closed-loop HTTP load generator for finsam's
// benchmarks: a number of simulated users, each with its own client (and so
// its own session cookie), request their next URL as soon as the previous
// answer is read, for a fixed time. It records every latency and reports
// percentiles, so that a benchmark can state "p99 under 50 concurrent
// users" on loopback beside a static handler measured the same way.
package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// User is one simulated user: its client and the URLs it requests in turn.
type User struct {
	Client *http.Client
	// Next returns the i-th request's URL for this user (a GET).
	Next func(i int) string
	// Request, when set instead of Next, returns the i-th request: for a
	// mix of kinds of request, each measured apart (RunMix).
	Request func(i int) Request
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
	P95       time.Duration
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

// Request is one request of a mix.
type Request struct {
	Kind   string // what the report counts it under
	Method string // GET when empty
	URL    string
	Header http.Header
	Body   []byte
}

// Limits bound a run: it stops after Duration of measuring (after Warm,
// whose requests are not counted) or after MaxRequests measured requests
// (0: no bound), whichever comes first.
type Limits struct {
	Warm, Duration time.Duration
	MaxRequests    int
}

// Run drives the users concurrently for d (after a warm-up of warm, whose
// requests are not counted) and returns the latencies' summary.
func Run(ctx context.Context, users []User, warm, d time.Duration) Result {
	return RunMix(ctx, users, Limits{Warm: warm, Duration: d}).Total
}

// Report is a mixed run's summary, in all and by kind of request.
type Report struct {
	Total  Result
	ByKind map[string]Result
}

type sample struct {
	kind string
	lat  time.Duration
	err  error
}

// RunMix drives the users concurrently within the limits and summarises
// the latencies in all and per kind of request. The throughput of a kind
// is its requests over the measured time.
func RunMix(ctx context.Context, users []User, lim Limits) Report {
	start := time.Now()
	measureFrom := start.Add(lim.Warm)
	stop := measureFrom.Add(lim.Duration)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var all []sample
	var measured atomic.Int64
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := make([]sample, 0, 4096)
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
				var req Request
				if u.Request != nil {
					req = u.Request(i)
				} else {
					req = Request{URL: u.Next(i)}
				}
				err := do(ctx, u.Client, req)
				el := time.Since(t0)
				if t0.Before(measureFrom) {
					continue
				}
				if ctx.Err() != nil && err != nil {
					break // stopped by the bound on requests, not an error
				}
				own = append(own, sample{req.Kind, el, err})
				if n := measured.Add(1); lim.MaxRequests > 0 && n >= int64(lim.MaxRequests) {
					cancel()
				}
			}
			mu.Lock()
			all = append(all, own...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := min(time.Since(measureFrom), lim.Duration)
	rep := Report{Total: summarise(all, el), ByKind: map[string]Result{}}
	kinds := map[string][]sample{}
	for _, s := range all {
		kinds[s.kind] = append(kinds[s.kind], s)
	}
	for k, ss := range kinds {
		rep.ByKind[k] = summarise(ss, el)
	}
	return rep
}

func summarise(ss []sample, d time.Duration) Result {
	res := Result{Duration: d, Requests: len(ss)}
	if len(ss) == 0 {
		return res
	}
	lat := make([]time.Duration, len(ss))
	for i, s := range ss {
		lat[i] = s.lat
		if s.err != nil {
			res.Errors++
			if res.FirstFail == "" {
				res.FirstFail = s.err.Error()
			}
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	res.P50, res.P90, res.P95, res.P99, res.Max = pct(0.50), pct(0.90), pct(0.95), pct(0.99), lat[len(lat)-1]
	return res
}

func do(ctx context.Context, c *http.Client, r Request) error {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.URL, body)
	if err != nil {
		return err
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	url := r.URL
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
		return fmt.Errorf("%s %s: %s", method, url, resp.Status)
	}
	return nil
}
