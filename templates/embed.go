// Package templates embeds the staff pages' html/template files, parsed once
// at start-up so a broken template stops the service before it serves.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed *
var files embed.FS

// FS returns the template files.
func FS() fs.FS { return files }
