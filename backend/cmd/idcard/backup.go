package main

import (
	"archive/tar"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gzga/idcard/backend/internal/secrets"
)

// The members of a backup archive: the database snapshot and, when the keys
// were generated into the data folder, the key file without which the
// personal data in the snapshot cannot be read.
const (
	backupDB   = "idcard.db"
	backupKeys = secrets.FileName
)

// runBackup is `idcard backup --to FILE`: in embedded mode, a tar archive of
// a consistent online snapshot of the database (store.DB.BackupTo) and the
// key file, taken while the server keeps serving. A MySQL deployment is
// backed up with the database's own tools (docs/operations.md).
func runBackup(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("idcard backup", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	to := fs.String("to", "", "the backup file to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" || fs.NArg() != 0 {
		return errors.New("usage: idcard backup --to FILE")
	}
	a, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	tmp, err := os.MkdirTemp(filepath.Dir(*to), ".idcard-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, backupDB)
	if err := a.db.BackupTo(ctx, snap); err != nil {
		return err
	}
	files := []string{snap}
	if keys := filepath.Join(env.cfg.DataDir, backupKeys); fileExists(keys) {
		files = append(files, keys)
	}
	if err := writeTar(*to, files); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "backup written: %s\n", *to)
	return nil
}

// runRestore is `idcard restore --from FILE`: unpacks a backup into the
// data folder, which must be empty or missing, then opens it, brings its
// schema up to date and verifies the audit chain.
func runRestore(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("idcard restore", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	from := fs.String("from", "", "the backup file to restore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() != 0 {
		return errors.New("usage: idcard restore --from FILE")
	}
	if !env.cfg.Embedded() {
		return errors.New("restore: a MySQL database is restored with its own tools (see docs/operations.md)")
	}
	dir := env.cfg.DataDir
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("restore: the data folder %s is not empty", dir)
	} else if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if err := readTar(*from, dir); err != nil {
		return err
	}
	_, st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	if err := verifyChain(ctx, env, st, "after restore"); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "restored into %s\n", dir)
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// writeTar writes the files, by their base names, into a new archive at
// path (mode 0600: it holds personal data and keys).
func writeTar(path string, files []string) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(out)
	for _, f := range files {
		if err := addTar(tw, f); err != nil {
			out.Close()
			return err
		}
	}
	if err := tw.Close(); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func addTar(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: filepath.Base(path), Mode: 0o600, Size: st.Size(), ModTime: time.Now()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// readTar unpacks the known members of a backup into dir; any other member
// is refused, so an archive cannot write outside the folder.
func readTar(path, dir string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	tr := tar.NewReader(in)
	seen := false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("restore: %s is not a backup: %w", path, err)
		}
		if h.Name != backupDB && h.Name != backupKeys {
			return fmt.Errorf("restore: unexpected member %q in %s", h.Name, path)
		}
		seen = seen || h.Name == backupDB
		out, err := os.OpenFile(filepath.Join(dir, h.Name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, tr); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
	}
	if !seen {
		return fmt.Errorf("restore: %s holds no database", path)
	}
	return nil
}
