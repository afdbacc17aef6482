// Package migrations holds the versioned SQL schema of both dialects, embedded
// so the binary migrates a database without any file beside it.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed mysql/*.sql sqlite/*.sql
var files embed.FS

// ForDialect returns the migration files of one dialect ("mysql" or "sqlite").
func ForDialect(dialect string) (fs.FS, error) {
	return fs.Sub(files, dialect)
}
