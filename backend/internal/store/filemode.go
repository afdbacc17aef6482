package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// privateFileMode is the mode of the embedded database and its companion
// files: the owner's alone, like the generated keys.
const privateFileMode fs.FileMode = 0o600

// sqliteCompanions are the suffixes of the files SQLite keeps beside a
// database; it creates each with the mode of the database file.
var sqliteCompanions = []string{"-wal", "-shm", "-journal"}

// makePrivate creates the database file at path with mode 0600 when it does
// not exist, whatever the umask, and takes group and world access away from
// it and from its companion files when they do (a database made by an older
// version was 0644), so that SQLite, which copies the database file's mode,
// creates its write-ahead log 0600 as well.
func makePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateFileMode)
	if err != nil {
		return fmt.Errorf("IDCARD_DATA_DIR: cannot create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range append([]string{path}, companionsOf(path)...) {
		if err := os.Chmod(p, privateFileMode); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("IDCARD_DATA_DIR: cannot make %s private: %w", p, err)
		}
	}
	return nil
}

// companionsOf are the paths of path's companion files.
func companionsOf(path string) []string {
	out := make([]string, len(sqliteCompanions))
	for i, s := range sqliteCompanions {
		out[i] = path + s
	}
	return out
}
