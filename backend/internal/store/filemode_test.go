package store_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
)

// TestEmbeddedDatabaseFilesArePrivate opens the embedded database in a new
// data folder and in one holding a world-readable database from before:
// the database file and its write-ahead log and shared-memory file are
// 0600 either way, whatever the umask let through.
func TestEmbeddedDatabaseFilesArePrivate(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, dir string) {
		t.Helper()
		db, err := store.Open(context.Background(), store.Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.SQL().Exec("CREATE TABLE IF NOT EXISTS t (x INTEGER)"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().Exec("INSERT INTO t VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"idcard.db", "idcard.db-wal", "idcard.db-shm"} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if m := fi.Mode().Perm(); m != 0o600 {
				t.Errorf("%s is %04o, want 0600", name, m)
			}
		}
	}
	t.Run("new", func(t *testing.T) { check(t, t.TempDir()) })
	t.Run("older world-readable", func(t *testing.T) {
		dir := t.TempDir()
		check(t, dir)
		for _, name := range []string{"idcard.db", "idcard.db-wal", "idcard.db-shm"} {
			p := filepath.Join(dir, name)
			if err := os.Chmod(p, 0o644); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		if fi, _ := os.Stat(filepath.Join(dir, "idcard.db")); fi.Mode().Perm() != fs.FileMode(0o644) {
			t.Fatal("could not make the database world-readable")
		}
		check(t, dir)
	})
}
