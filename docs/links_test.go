// Package docs holds the project's own documentation. Its only Go file is
// this test, which keeps every Markdown file of the repository pointing at
// files that a fresh clone has.
package docs

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// skipDirs are folders whose Markdown is not ours or not tracked.
var skipDirs = map[string]bool{
	".git": true, "node_modules": true, "vendor": true, "data": true, "artifacts": true, "bin": true,
}

var (
	// inlineLink matches [text](target) and ![alt](target), with an
	// optional "title" after the target.
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	// refLink matches a reference definition: [name]: target
	refLink = regexp.MustCompile(`(?m)^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$`)
	// parentPath matches a relative path that climbs out of its folder,
	// written anywhere (a link, a code span, plain text).
	parentPath = regexp.MustCompile(`(?:^|[\s("'` + "`" + `])((?:\.\./)+[^\s)"'` + "`" + `]*)`)
	// codeSpan and fence find code, where link syntax is not a link.
	codeSpan = regexp.MustCompile("`[^`\n]*`")
	fence    = regexp.MustCompile("(?ms)^\\s*(```|~~~).*?^\\s*(```|~~~)[^\\n]*$")
)

// repoRoot is the folder holding go.mod, above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the docs package")
		}
		dir = parent
	}
}

// markdownFiles lists the repository's Markdown files, slash-separated and
// relative to the root.
func markdownFiles(t *testing.T, repo fs.FS) []string {
	t.Helper()
	var out []string
	err := fs.WalkDir(repo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.EqualFold(path.Ext(p), ".md") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// headingSlug is the anchor GitHub gives a heading: lower case, punctuation
// dropped, spaces turned into hyphens.
func headingSlug(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// anchors returns the heading anchors of a Markdown text.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(fence.ReplaceAllString(text, ""), "\n") {
		if h := strings.TrimLeft(line, "#"); h != line && strings.HasPrefix(h, " ") {
			out[headingSlug(h)] = true
		}
	}
	return out
}

// checkMarkdown returns the problems of one Markdown file: links to a path
// outside the repository or to a repository file that does not exist, and
// any relative path written in it that climbs out of the repository.
func checkMarkdown(repo fs.FS, file, text string) []string {
	var problems []string
	dir := path.Dir(file)
	outside := func(target string) bool {
		return path.Join(dir, target) == ".." || strings.HasPrefix(path.Join(dir, target), "../")
	}
	for _, m := range parentPath.FindAllStringSubmatch(text, -1) {
		if outside(m[1]) {
			problems = append(problems, file+": names "+m[1]+", outside the repository")
		}
	}
	prose := codeSpan.ReplaceAllString(fence.ReplaceAllString(text, ""), "")
	var targets []string
	for _, re := range []*regexp.Regexp{inlineLink, refLink} {
		for _, m := range re.FindAllStringSubmatch(prose, -1) {
			targets = append(targets, m[1])
		}
	}
	for _, target := range targets {
		if p := checkLink(repo, file, target); p != "" {
			problems = append(problems, file+": link "+target+": "+p)
		}
	}
	return problems
}

// checkLink checks one link target of file; "" means it is fine.
func checkLink(repo fs.FS, file, target string) string {
	if i := strings.Index(target, ":"); i > 0 && !strings.ContainsAny(target[:i], "/.#") {
		scheme := strings.ToLower(target[:i])
		if scheme == "http" || scheme == "https" || scheme == "mailto" {
			return "" // the web is not checked here
		}
		return "a " + scheme + ": link leaves the repository"
	}
	name, anchor, _ := strings.Cut(target, "#")
	p := file
	if name != "" {
		if strings.HasPrefix(name, "/") {
			p = path.Clean(strings.TrimPrefix(name, "/")) // repository-root relative on GitHub
		} else {
			p = path.Join(path.Dir(file), name)
		}
	}
	if p == ".." || strings.HasPrefix(p, "../") {
		return "outside the repository"
	}
	info, err := fs.Stat(repo, p)
	if err != nil {
		return "no such file in the repository"
	}
	if anchor != "" && !info.IsDir() && strings.EqualFold(path.Ext(p), ".md") {
		b, err := fs.ReadFile(repo, p)
		if err != nil {
			return err.Error()
		}
		if !anchors(string(b))[anchor] {
			return "no heading #" + anchor + " in " + p
		}
	}
	return ""
}

func TestMarkdownLinksStayInTheRepository(t *testing.T) {
	repo := os.DirFS(repoRoot(t))
	files := markdownFiles(t, repo)
	for _, want := range []string{"README.md", "docs/architecture.md", "docs/procedure.md", "docs/operations.md"} {
		found := false
		for _, f := range files {
			found = found || f == want
		}
		if !found {
			t.Errorf("%s is missing", want)
		}
	}
	for _, f := range files {
		b, err := fs.ReadFile(repo, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range checkMarkdown(repo, f, string(b)) {
			t.Error(p)
		}
	}
}

// TestMarkdownCheckCatchesBadLinks feeds the check the mistakes it exists
// for, so it cannot pass by reading nothing.
func TestMarkdownCheckCatchesBadLinks(t *testing.T) {
	repo := os.DirFS(repoRoot(t))
	cases := []struct {
		name, file, text string
		bad              bool
	}{
		{"sibling folder link", "README.md", "See [design](../notes/DESIGN.md).", true},
		{"sibling folder in code", "README.md", "See `../notes/API.md` for the API.", true},
		{"missing file", "README.md", "See [ops](docs/nothing-here.md).", true},
		{"missing file by reference", "README.md", "[ops]: docs/nothing-here.md", true},
		{"missing heading", "docs/procedure.md", "[x](operations.md#no-such-heading)", true},
		{"file scheme", "README.md", "[x](file:///etc/passwd)", true},
		{"existing file", "README.md", "[ops](docs/operations.md) and ![api](backend/internal/web/openapi.yaml)", false},
		{"existing heading", "docs/procedure.md", "[mig](operations.md#migrations) [self](#deadlines)", false},
		{"parent inside the repository", "docs/procedure.md", "[readme](../README.md)", false},
		{"web link", "README.md", "[gin](https://gin-gonic.com/)", false},
		{"link syntax in code", "README.md", "`[a](missing.md)` and\n```\n[b](missing.md)\n```", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := checkMarkdown(repo, c.file, c.text)
			if c.bad && len(got) == 0 {
				t.Errorf("%q passed the check", c.text)
			}
			if !c.bad && len(got) > 0 {
				t.Errorf("%q refused: %v", c.text, got)
			}
		})
	}
}
