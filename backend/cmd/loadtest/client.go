package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// client is the load client: one keep-alive pool for every path.
type client struct{ h *http.Client }

func newClient(conns int) *client {
	t := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &client{h: &http.Client{Transport: t, Timeout: 30 * time.Second}}
}

// request is one call of a path.
type request struct {
	method, url, token string
	body               any
}

// do sends r and decodes a JSON answer into out (nil: drain it); an
// answer other than want is an error.
func (c *client) do(ctx context.Context, r request, want int, out any) error {
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := c.h.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s %s: %d %s", r.method, r.url, resp.StatusCode, b)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// result is what driving one path measured.
type result struct {
	n        int64
	errs     int64
	firstErr error
	took     time.Duration
	lat      []time.Duration // sorted
}

func (r result) rate() float64 { return float64(r.n) / r.took.Seconds() }

// quantile is the q-quantile of the latencies.
func (r result) quantile(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[min(len(r.lat)-1, int(q*float64(len(r.lat))))]
}

// drive runs next() with conns workers for d (or, when count > 0, until
// count calls are done), each call expecting want.
func (c *client) drive(ctx context.Context, conns int, d time.Duration, count int64, want int, next func(i int64) request) result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var seq, errs atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				i := seq.Add(1)
				if (count > 0 && i > count) || (count == 0 && time.Now().After(end)) {
					break
				}
				t := time.Now()
				if err := c.do(ctx, next(i), want, nil); err != nil {
					if errs.Add(1) == 1 {
						mu.Lock()
						firstErr = err
						mu.Unlock()
					}
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	return result{n: int64(len(lat)), errs: errs.Load(), firstErr: firstErr, took: time.Since(start), lat: lat}
}
