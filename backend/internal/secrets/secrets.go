// Package secrets resolves the service's keys: from configuration in
// production, or generated once and kept in a 0600 file under the data
// folder in embedded mode, so a restart decrypts what it wrote before.
package secrets

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gzga/idcard/backend/internal/pii"
)

// Keys are the secrets the service needs.
type Keys struct {
	PII      []pii.Key // the first one encrypts
	IndexKey []byte    // HMAC key of the blind index
	TokenKey []byte    // HMAC key of pickup tokens
}

type fileForm struct {
	PIIKeys  string `json:"pii_keys"`
	IndexKey string `json:"index_key"`
	TokenKey string `json:"token_key"`
}

// FileName is the key file kept under the data folder when keys are not
// configured.
const FileName = "keys.json"

// Resolve returns the keys from the configured values, filling any that are
// empty from the key file in dataDir (created with fresh random keys the
// first time).
func Resolve(piiKeys, indexKey, tokenKey, dataDir string) (Keys, error) {
	f := fileForm{PIIKeys: piiKeys, IndexKey: indexKey, TokenKey: tokenKey}
	if f.PIIKeys == "" || f.IndexKey == "" || f.TokenKey == "" {
		stored, err := loadOrCreate(dataDir)
		if err != nil {
			return Keys{}, err
		}
		if f.PIIKeys == "" {
			f.PIIKeys = stored.PIIKeys
		}
		if f.IndexKey == "" {
			f.IndexKey = stored.IndexKey
		}
		if f.TokenKey == "" {
			f.TokenKey = stored.TokenKey
		}
	}
	var k Keys
	var err error
	if k.PII, err = ParsePIIKeys(f.PIIKeys); err != nil {
		return Keys{}, fmt.Errorf("IDCARD_PII_KEYS: %w", err)
	}
	if k.IndexKey, err = decode32(f.IndexKey); err != nil {
		return Keys{}, fmt.Errorf("IDCARD_INDEX_KEY: %w", err)
	}
	if k.TokenKey, err = decode32(f.TokenKey); err != nil {
		return Keys{}, fmt.Errorf("IDCARD_TOKEN_KEY: %w", err)
	}
	return k, nil
}

// ParsePIIKeys reads "id:base64,id:base64"; the first key encrypts.
func ParsePIIKeys(s string) ([]pii.Key, error) {
	var out []pii.Key
	for _, part := range strings.Split(s, ",") {
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || id == "" {
			return nil, errors.New(`want "keyid:base64key[,keyid:base64key...]"`)
		}
		secret, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(secret) != 32 {
			return nil, fmt.Errorf("key %s must be base64 of exactly 32 bytes", id)
		}
		out = append(out, pii.Key{ID: id, Secret: secret})
	}
	return out, nil
}

func decode32(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) < 32 {
		return nil, errors.New("must be base64 of at least 32 bytes")
	}
	return b, nil
}

func random32() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func loadOrCreate(dataDir string) (fileForm, error) {
	path := filepath.Join(dataDir, FileName)
	raw, err := os.ReadFile(path)
	if err == nil {
		var f fileForm
		if err := json.Unmarshal(raw, &f); err != nil {
			return f, fmt.Errorf("%s: %w", path, err)
		}
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fileForm{}, fmt.Errorf("IDCARD_DATA_DIR: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return fileForm{}, fmt.Errorf("IDCARD_DATA_DIR: %w", err)
	}
	f := fileForm{PIIKeys: "k1:" + random32(), IndexKey: random32(), TokenKey: random32()}
	raw, _ = json.MarshalIndent(f, "", "  ")
	// O_EXCL: two processes starting together never overwrite each other's keys.
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadOrCreate(dataDir)
	}
	if err != nil {
		return fileForm{}, fmt.Errorf("IDCARD_DATA_DIR: %w", err)
	}
	defer fh.Close()
	if _, err := fh.Write(raw); err != nil {
		return fileForm{}, err
	}
	return f, fh.Sync()
}
