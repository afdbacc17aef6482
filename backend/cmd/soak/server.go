package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// server runs the idcard binary as an operator would: one `idcard serve`
// process on a fixed 127.0.0.1 port at a time, restarted on the same data
// after each kill, and the one-shot commands with the same variables.
type server struct {
	bin  string   // the idcard binary
	env  []string // the process environment: the parent's without IDCARD_*, plus the store's
	addr string   // 127.0.0.1:port
	log  *os.File // every serve process appends its output here

	cmd    *exec.Cmd
	exited chan struct{}
}

// newServer prepares a server on a free 127.0.0.1 port; vars are the
// IDCARD_* variables of the store under test.
func newServer(bin, logPath string, vars map[string]string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "IDCARD_") {
			env = append(env, kv)
		}
	}
	vars["IDCARD_ADDR"] = addr
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return &server{bin: bin, env: env, addr: addr, log: f}, nil
}

// base is the server's URL.
func (s *server) base() string { return "http://" + s.addr }

// command runs a one-shot idcard command to its end and returns its
// standard output; its log goes to the server log.
func (s *server) command(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = s.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, s.log
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("idcard %s: %w", strings.Join(args, " "), err)
	}
	return out.String(), nil
}

// start starts `idcard serve` and waits until /readyz answers 200.
func (s *server) start(ctx context.Context, within time.Duration) error {
	fmt.Fprintf(s.log, "\n=== soak: starting idcard serve at %s\n", time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(s.bin, "serve")
	cmd.Env = s.env
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.cmd, s.exited = cmd, exited
	return s.waitReady(ctx, within)
}

// waitReady polls /readyz until it answers 200, the process ends or the
// time runs out.
func (s *server) waitReady(ctx context.Context, within time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("idcard serve ended while starting (see %s)", s.log.Name())
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if resp, err := client.Get(s.base() + "/readyz"); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("idcard serve not ready within %s (see %s)", within, s.log.Name())
}

// kill ends the server at once, as kill -9 does (SIGKILL on Unix), and
// waits until the process is gone.
func (s *server) kill() error {
	if s.cmd == nil {
		return nil
	}
	fmt.Fprintf(s.log, "\n=== soak: kill -9 at %s\n", time.Now().Format(time.RFC3339Nano))
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-s.exited
	s.cmd = nil
	return nil
}

// stop asks the server to shut down cleanly and kills it if it has not
// within the bound.
func (s *server) stop(within time.Duration) error {
	if s.cmd == nil {
		return nil
	}
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return s.kill()
	}
	select {
	case <-s.exited:
		s.cmd = nil
		return nil
	case <-time.After(within):
		return s.kill()
	}
}

// close stops the server and closes its log.
func (s *server) close() {
	_ = s.stop(30 * time.Second)
	_ = s.log.Close()
}

// idcardPackage is the import path of the binary under test.
const idcardPackage = "github.com/gzga/idcard/backend/cmd/idcard"

// buildIdcard builds the idcard binary into dir with the go command and
// returns its path.
func buildIdcard(ctx context.Context, goCmd, dir string) (string, error) {
	bin := filepath.Join(dir, "idcard")
	cmd := exec.CommandContext(ctx, goCmd, "build", "-o", bin, idcardPackage)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s (run the soak inside the repository): %w", idcardPackage, err)
	}
	return bin, nil
}
