package web

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gzga/idcard/templates"
)

// TestEveryPageParsesAndIsUsed parses every staff template as start-up does
// and checks that the handlers render exactly the pages that exist: no
// handler names a missing page, no page is left without a handler.
func TestEveryPageParsesAndIsUsed(t *testing.T) {
	p, err := loadPages(templates.FS(), func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	parsed := p.Names()
	sort.Strings(parsed)

	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile(`"(staff/[a-z_/]+\.html)"`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ref.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	for _, name := range parsed {
		if !used[name] {
			t.Errorf("page %s is parsed but no handler renders it", name)
		}
		delete(used, name)
	}
	for name := range used {
		t.Errorf("a handler renders %s, which does not exist", name)
	}
	if len(parsed) < 15 {
		t.Fatalf("only %d pages parsed", len(parsed))
	}
}
