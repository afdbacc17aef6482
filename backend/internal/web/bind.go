package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
)

// maxJSONBody bounds JSON request bodies.
const maxJSONBody = 64 << 10

// bindJSON is the one reader of JSON request bodies. It decodes the body
// into dst, refusing a body that is not declared JSON in UTF-8 with 415
// UNSUPPORTED_MEDIA_TYPE and unknown shapes with 400 BAD_REQUEST, each with
// a message that says what is wrong. An empty body decodes as {} when
// allowEmpty, whatever its Content-Type.
func bindJSON(c *gin.Context, dst any, allowEmpty bool) bool {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(c, domain.Errorf(domain.CodeTooLarge, "请求内容过大"))
		} else {
			writeError(c, domain.Errorf(domain.CodeBadRequest, "无法读取请求内容"))
		}
		return false
	}
	if len(body) == 0 && allowEmpty {
		return true
	}
	if !isJSON(c.GetHeader("Content-Type")) {
		writeError(c, domain.E(domain.CodeUnsupportedMediaType))
		return false
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		msg := "请求内容不是有效的JSON"
		if errors.As(err, &te) && te.Field != "" {
			msg = "字段 " + te.Field + " 的类型不正确"
		}
		writeError(c, domain.Errorf(domain.CodeBadRequest, "%s", msg))
		return false
	}
	return true
}

// isJSON reports whether a Content-Type names JSON: application/json, with
// no charset or the charset utf-8 (RFC 8259 knows no other).
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

// ok answers 200 with v.
func ok(c *gin.Context, v any) { c.JSON(http.StatusOK, v) }

// items wraps a list as {"items": [...]}.
func items[T any](list []T) gin.H {
	if list == nil {
		list = []T{}
	}
	return gin.H{"items": list}
}

// queryInt64 reads an optional integer query parameter.
func queryInt64(c *gin.Context, name string) (int64, bool) {
	v := c.Query(name)
	if v == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		writeError(c, domain.Errorf(domain.CodeBadRequest, "参数 %s 应为正整数", name))
		return 0, false
	}
	return n, true
}
