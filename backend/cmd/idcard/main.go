// Command idcard is the whole online ID card service in one binary:
//
//	idcard serve                      run the HTTP server and background jobs (default)
//	idcard migrate up|down|status     manage the database schema
//	idcard seed [--cases N]           load the reference and demo data
//	idcard deadline --from T --json   every due time for an event at T
//	idcard forecast-backtest          score the completion forecast
//	idcard calendar import FILE       load a year's working-day calendar
//	idcard audit-verify               check the audit log's hash chain
//	idcard pii rotate [--batch N]     re-encrypt personal data to the current key and suite
//	idcard backup --to FILE           online copy of the embedded database
//	idcard restore --from FILE        a backup into an empty data folder
//	idcard demo-persons --count N     free demo registry persons, for load tests
//
// Configuration comes from IDCARD_* environment variables (see README.md);
// every command works on both storage modes with the same variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/gzga/idcard/backend/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "idcard:", err)
		}
		os.Exit(1)
	}
}

// command is one subcommand: it gets its own flag set and the loaded config.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what every subcommand receives.
type cmdEnv struct {
	cfg    config.Config
	log    *slog.Logger
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "run the server (default)", runServe},
		{"migrate", "migrate up|down|status", runMigrate},
		{"seed", "load reference and demo data", runSeed},
		{"deadline", "print every due time for an event: --from T --json", runDeadline},
		{"forecast-backtest", "score the completion forecast against the stage deadlines: --days N", runForecastBacktest},
		{"calendar", "calendar import FILE: load a year's working days", runCalendar},
		{"audit-verify", "verify the audit log's hash chain", runAuditVerify},
		{"pii", "pii rotate [--batch N]: re-encrypt personal data to the current key and IDCARD_CRYPTO", runPII},
		{"backup", "backup --to FILE: a consistent copy of the embedded database", runBackup},
		{"restore", "restore --from FILE: a backup into an empty data folder", runRestore},
		{"demo-persons", "print N free demo registry persons as JSON lines: --count N", runDemoPersons},
		{"healthcheck", "ask the local server's /readyz (for containers)", runHealthcheck},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		fs := flag.NewFlagSet("idcard "+name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		sub := args
		// serve takes the shared flags; other commands parse their own.
		var cfgArgs []string
		if name == "serve" {
			cfgArgs, sub = args, nil
		}
		cfg, err := config.Load(getenv, fs, cfgArgs)
		if err != nil {
			return err
		}
		if name != "serve" {
			// A one-shot command is an operator's batch (a seed, a long
			// audit walk), not a request: no per-call database deadline.
			cfg.DBTimeout = 0
		}
		env := &cmdEnv{cfg: cfg, log: newLogger(cfg, stderr), stdout: stdout, stderr: stderr}
		return c.run(ctx, env, sub)
	}
	fmt.Fprintln(stderr, "usage: idcard <command> [flags]")
	for _, c := range commands() {
		fmt.Fprintf(stderr, "  %-12s %s\n", c.name, c.usage)
	}
	return fmt.Errorf("unknown command %q", name)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
