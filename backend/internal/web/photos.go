package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// photoUpload: POST /api/v1/photos, multipart field "file". The content is
// judged by decoding it; the file name and declared type are ignored.
func (s *Server) photoUpload(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, service.MaxPhotoBytes+64<<10)
	f, _, err := c.Request.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(c, domain.Errorf(domain.CodeTooLarge, "相片文件不能超过2MB"))
			return
		}
		writeError(c, domain.Errorf(domain.CodeBadRequest, "请以 multipart/form-data 上传，字段名为 file"))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, service.MaxPhotoBytes+1))
	if err != nil {
		writeError(c, domain.Errorf(domain.CodeBadRequest, "无法读取上传的文件"))
		return
	}
	id, err := s.deps.Service.UploadPhoto(c.Request.Context(), a, data)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"photo_id": id})
}
