package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupMySQL is returned by BackupTo on MySQL, which is backed up with
// its own tools (docs/operations.md: binlog plus mariabackup or mysqldump).
var ErrBackupMySQL = errors.New("store: a MySQL database is backed up with its own tools (see docs/operations.md)")

// BackupTo writes a consistent copy of the embedded database to path, which
// must not exist, while the database keeps serving: SQLite's VACUUM INTO
// reads one snapshot inside a read transaction (writers in WAL mode go on)
// and writes it compacted. The copy is mode 0600 like the database itself.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrBackupMySQL
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup %s exists already", path)
	}
	if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return os.Chmod(path, 0o600)
}
