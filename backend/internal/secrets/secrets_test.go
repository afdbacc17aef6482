package secrets

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestResolveCreatesAndKeepsKeys(t *testing.T) {
	dir := t.TempDir()
	first, err := Resolve("", "", "", dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	second, err := Resolve("", "", "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatal("keys changed across restarts")
	}
}

func TestResolveRejectsBadKeys(t *testing.T) {
	if _, err := Resolve("k1:short", "", "", t.TempDir()); err == nil {
		t.Fatal("a short PII key was accepted")
	}
	if _, err := ParsePIIKeys("nocolon"); err == nil {
		t.Fatal("a key without id was accepted")
	}
}
