package webtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
)

// Proxy is a fault-injection TCP proxy in front of one dependency (the
// database or Redis): Shopify's toxiproxy, run in this process as a
// library, listening on a free 127.0.0.1 port and forwarding to a loopback
// upstream only. Its faults are real on the wire: delayed bytes, a peer that
// stops answering, reset connections, a port that refuses.
type Proxy struct {
	t     testing.TB
	p     *toxiproxy.Proxy
	Addr  string // where the service dials instead of the upstream
	names []string
}

// NewProxy starts a proxy named name in front of upstream, a 127.0.0.1 or
// localhost address; it stops when t ends.
func NewProxy(t testing.TB, name, upstream string) *Proxy {
	t.Helper()
	if !strings.HasPrefix(upstream, "127.0.0.1:") && !strings.HasPrefix(upstream, "localhost:") {
		t.Fatalf("proxy %s: upstream %s is not on the loopback interface", name, upstream)
	}
	server := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	p := toxiproxy.NewProxy(server, name, "127.0.0.1:0", upstream)
	if err := p.Start(); err != nil {
		t.Fatalf("proxy %s: %v", name, err)
	}
	t.Cleanup(p.Stop)
	return &Proxy{t: t, p: p, Addr: p.Listen}
}

// toxic adds a toxic of kind with attributes in both directions.
func (p *Proxy) toxic(kind, attrs string) {
	p.t.Helper()
	for _, stream := range []string{"upstream", "downstream"} {
		name := kind + "_" + stream
		body := fmt.Sprintf(`{"name":%q,"type":%q,"stream":%q,"toxicity":1,"attributes":%s}`, name, kind, stream, attrs)
		if _, err := p.p.Toxics.AddToxicJson(strings.NewReader(body)); err != nil {
			p.t.Fatalf("proxy %s: add %s: %v", p.p.Name, name, err)
		}
		p.names = append(p.names, name)
	}
}

// Latency delays every byte both ways by ms milliseconds.
func (p *Proxy) Latency(ms int) { p.toxic("latency", fmt.Sprintf(`{"latency":%d}`, ms)) }

// Hang makes the peer stop answering: bytes go nowhere and connections stay
// open (a paused server).
func (p *Proxy) Hang() { p.toxic("timeout", `{"timeout":0}`) }

// Reset resets each connection (TCP RST) as soon as data passes.
func (p *Proxy) Reset() { p.toxic("reset_peer", `{"timeout":0}`) }

// Refuse closes the proxy's port and every connection through it, so dials
// are refused (a stopped server).
func (p *Proxy) Refuse() { p.p.Stop() }

// Heal takes every fault away: toxics removed (a hang's connections are
// closed with it) and the port listening again.
func (p *Proxy) Heal() {
	p.t.Helper()
	for _, name := range p.names {
		if err := p.p.Toxics.RemoveToxic(context.Background(), name); err != nil {
			p.t.Fatalf("proxy %s: remove %s: %v", p.p.Name, name, err)
		}
	}
	p.names = nil
	if !p.p.Enabled {
		p.p.Listen = p.Addr
		if err := p.p.Start(); err != nil {
			p.t.Fatalf("proxy %s: listen again on %s: %v", p.p.Name, p.Addr, err)
		}
	}
}
