package main

import (
	"fmt"

	"github.com/gzga/idcard/backend/internal/faceid"
	"github.com/gzga/idcard/backend/internal/signin"
)

// newFaceID is the H5's real-person provider in any browser (Tencent Cloud
// FaceID) when IDCARD_REALNAME_PROVIDER names faceid (config.Validate
// checked its settings), nil otherwise. FaceID returns the browser to
// IDCARD_PUBLIC_URL's /m/verified.
func newFaceID(env *cmdEnv, a *app) (signin.RealPersonProvider, error) {
	cfg := env.cfg
	if !cfg.RealName("faceid") {
		return nil, nil
	}
	p, err := faceid.New(faceid.Config{SecretID: cfg.FaceIDSecretID, SecretKey: cfg.FaceIDSecretKey, RuleID: cfg.FaceIDRuleID,
		Region: cfg.FaceIDRegion, Endpoint: cfg.FaceIDEndpoint, PublicURL: cfg.ListenURL(), Redis: a.redis.Client})
	if err != nil {
		return nil, fmt.Errorf("IDCARD_REALNAME_PROVIDER=faceid: %w", err)
	}
	return p, nil
}
