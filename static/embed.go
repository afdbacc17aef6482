// Package static embeds the staff pages' CSS and JavaScript and the files
// copied from npm packages into vendor/ by `make assets`. A build without
// vendor/ still succeeds; the pages then lack those files.
package static

import (
	"embed"
	"io/fs"
)

//go:embed *
var files embed.FS

// FS returns the static assets.
func FS() fs.FS { return files }
