package session

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// FileStore is the scs session store of embedded mode: one file per
// session in a folder of the data directory, so sessions outlive a restart
// (or a kill) of the process, which the in-process Redis would forget. A
// file is named by the SHA-256 of its token (the folder lists no token),
// holds the expiry and the session data, is written whole under a
// temporary name and renamed (a reader never sees half of one), and is
// private to the owner (0600). Expired files are removed when read, at
// start and every sweepEvery commits. It is safe for concurrent use, also
// by several processes on one folder.
type FileStore struct {
	dir     string
	now     func() time.Time
	commits atomic.Int64
}

// sweepEvery is how many commits pass between two sweeps of expired files.
const sweepEvery = 512

// tmpPrefix starts the names of files being written.
const tmpPrefix = ".tmp-"

// NewFileStore opens the session folder dir, creating it (0700) when it
// does not exist, and removes the sessions that expired.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("IDCARD_DATA_DIR: cannot create the session folder %s: %w", dir, err)
	}
	s := &FileStore{dir: dir, now: time.Now}
	s.sweep()
	return s, nil
}

// path is the file of token.
func (s *FileStore) path(token string) string {
	sum := sha256.Sum256([]byte(token))
	return filepath.Join(s.dir, hex.EncodeToString(sum[:]))
}

// Find returns the data of the session token, found false when there is
// none or it expired.
func (s *FileStore) Find(token string) ([]byte, bool, error) {
	p := s.path(token)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	data, expiry, ok := decode(b)
	if !ok || !s.now().Before(expiry) {
		_ = os.Remove(p)
		return nil, false, nil
	}
	return data, true, nil
}

// Commit keeps the session token with data until expiry.
func (s *FileStore) Commit(token string, data []byte, expiry time.Time) error {
	f, err := os.CreateTemp(s.dir, tmpPrefix+"*") // 0600
	if err != nil {
		return err
	}
	var head [8]byte
	binary.BigEndian.PutUint64(head[:], uint64(expiry.UnixNano()))
	_, err = f.Write(append(head[:], data...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), s.path(token))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	if s.commits.Add(1)%sweepEvery == 0 {
		s.sweep()
	}
	return nil
}

// Delete removes the session token; a session that is not there is no
// error.
func (s *FileStore) Delete(token string) error {
	err := os.Remove(s.path(token))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// sweep removes expired sessions and files a write left behind more than a
// minute ago. Errors are ignored: a file that cannot go now goes later.
func (s *FileStore) sweep() {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	now := s.now()
	for _, e := range entries {
		p := filepath.Join(s.dir, e.Name())
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > time.Minute {
				_ = os.Remove(p)
			}
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if _, expiry, ok := decode(b); !ok || !now.Before(expiry) {
			_ = os.Remove(p)
		}
	}
}

// decode splits a session file into its data and expiry.
func decode(b []byte) ([]byte, time.Time, bool) {
	if len(b) < 8 {
		return nil, time.Time{}, false
	}
	return b[8:], time.Unix(0, int64(binary.BigEndian.Uint64(b[:8]))), true
}
