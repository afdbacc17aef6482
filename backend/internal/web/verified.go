package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/signin"
)

// faceVerified is GET /m/verified, where Tencent Cloud FaceID's H5 face
// page returns with token=<BizToken> (RedirectUrl of DetectAuth, package
// faceid): it sends the browser 303 on to r, a hash route of the H5, with
// verify_result=faceid:<BizToken> added to the hash's query. Nothing else
// of the request is reflected; r must pass signin.H5ReturnURL.
func (s *Server) faceVerified(c *gin.Context) {
	q := c.Request.URL.Query()
	r, token := q.Get("r"), q.Get("token")
	if !signin.H5ReturnURL(r) || token == "" || len(token) > 128 {
		answerError(c.Writer, c.Request, http.StatusBadRequest, domain.CodeValidationFailed, "核身返回地址无效，请重新完成人脸核身")
		return
	}
	sep := "?"
	if strings.Contains(r, "?") {
		sep = "&"
	}
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusSeeOther, r+sep+"verify_result="+url.QueryEscape(signin.FaceIDPrefix+token))
}
