package web_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

func TestZZScratch(t *testing.T) {
	_ = openapi3.NewLoader()
	_ = openapi3filter.ValidateResponse
	_ = gorillamux.NewRouter
}
