package web

import (
	"io/fs"
	"net/http"
	"path"
)

// noListing is the one way embedded files are served (/static/, /m/): a
// directory exists only when it holds an index.html, which is what it
// answers, so http.FileServer never lists one and a directory path without
// an index answers 404.
type noListing struct{ http.FileSystem }

// files returns fsys as served over HTTP, without directory listings.
func files(fsys fs.FS) http.FileSystem { return noListing{http.FS(fsys)} }

// Open opens name, refusing as not existing a directory with no index.html.
func (n noListing) Open(name string) (http.File, error) {
	f, err := n.FileSystem.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	if st.IsDir() {
		idx, err := n.FileSystem.Open(path.Join(name, "index.html"))
		if err != nil {
			_ = f.Close()
			return nil, fs.ErrNotExist
		}
		_ = idx.Close()
	}
	return f, nil
}
