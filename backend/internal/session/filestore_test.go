package session

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFileStore keeps, finds, expires and deletes sessions as private
// files named by no token, and a store opened again on the folder (the
// next process) finds what the first kept.
func TestFileStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sessions")
	now := time.Now() // NewFileStore sweeps by the wall clock
	open := func() *FileStore {
		s, err := NewFileStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		s.now = func() time.Time { return now }
		return s
	}
	s := open()
	if err := s.Commit("tok-a", []byte("data-a"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit("tok-b", []byte("data-b"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if b, ok, err := s.Find("tok-a"); err != nil || !ok || string(b) != "data-a" {
		t.Fatalf("find tok-a: %q %v %v", b, ok, err)
	}
	if _, ok, err := s.Find("tok-x"); err != nil || ok {
		t.Fatalf("an unknown token was found: %v %v", ok, err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("session folder: %v %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("%d files for 2 sessions", len(entries))
	}
	for _, e := range entries {
		fi, _ := e.Info()
		if strings.Contains(e.Name(), "tok") || fi.Mode().Perm() != 0o600 {
			t.Errorf("session file %s %v: named by its token or not private", e.Name(), fi.Mode())
		}
	}

	// The next process.
	now = now.Add(2 * time.Minute)
	s = open()
	if b, ok, err := s.Find("tok-a"); err != nil || !ok || string(b) != "data-a" {
		t.Fatalf("after reopening, tok-a: %q %v %v", b, ok, err)
	}
	if _, ok, _ := s.Find("tok-b"); ok {
		t.Fatal("an expired session was found")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the expired session's file was kept: %d files", len(entries))
	}
	if err := s.Commit("tok-a", []byte("data-a2"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := s.Find("tok-a"); string(b) != "data-a2" {
		t.Fatalf("recommitted tok-a: %q", b)
	}
	if err := s.Delete("tok-a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("tok-a"); err != nil {
		t.Fatalf("deleting a deleted session: %v", err)
	}
	if _, ok, _ := s.Find("tok-a"); ok {
		t.Fatal("a deleted session was found")
	}
}

// TestOnDiskKeepsKindsApart: a staff token does not load as an applicant's.
func TestOnDiskKeepsKindsApart(t *testing.T) {
	m, err := OnDisk(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Staff.Store.Commit("tok", []byte("staff"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := m.Applicant.Store.Find("tok"); ok {
		t.Fatal("a staff session loaded as an applicant's")
	}
	if !m.Staff.Cookie.Secure || !m.Applicant.Cookie.Secure {
		t.Fatal("secure cookies were not kept")
	}
}
