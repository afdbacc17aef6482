package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// startProcess runs bin with args on a free loopback port, passed in the
// variable addrVar or, when that is empty, as the last argument, and waits
// until its /healthz answers. stop ends it (SIGTERM, then SIGKILL).
func startProcess(ctx context.Context, bin string, args, env []string, dir, addrVar string) (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	if addrVar != "" {
		env = append(env, addrVar+"="+addr)
	} else {
		args = append(args, addr)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, dir, os.Stderr, os.Stderr
	p, err := start(cmd)
	if err != nil {
		return "", nil, err
	}
	done := p.done
	stop := func() { p.stop(20 * time.Second) }
	base := "http://" + addr
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, stop, nil
			}
		}
		select {
		case <-done:
			return "", nil, fmt.Errorf("%s exited before answering", bin)
		case <-ctx.Done():
			stop()
			return "", nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("%s did not answer /healthz within 2 minutes", bin)
		}
	}
}

// child is a started process and the end of its Wait.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// start starts cmd and waits for it in the background.
func start(cmd *exec.Cmd) (*child, error) {
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(c.done) }()
	return c, nil
}

// signal asks the process to end (SIGTERM).
func (c *child) signal() { _ = c.cmd.Process.Signal(syscall.SIGTERM) }

// wait waits for the process to end, killing it after grace.
func (c *child) wait(grace time.Duration) {
	select {
	case <-c.done:
	case <-time.After(grace):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// stop is signal, then wait.
func (c *child) stop(grace time.Duration) {
	c.signal()
	c.wait(grace)
}
