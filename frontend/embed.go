// Package frontend embeds the citizen H5 (static HTML and ES modules) so the
// binary serves it at /m/ with nothing beside it.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed *.html js css img
var files embed.FS

// FS returns the H5 files.
func FS() fs.FS { return files }
