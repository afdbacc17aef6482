package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// outboxView is the admin's outbox page's data.
type outboxView struct {
	service.OutboxOverview
	Prev, Next string // links to the neighbouring pages of dead letters
	Back       string // this page, for the retry forms' way back
}

// outboxLink is the outbox page of channel's dead letters at page.
func outboxLink(channel string, page int) string {
	v := url.Values{}
	if channel != "" {
		v.Set("channel", channel)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/staff/admin/outbox"
	}
	return "/staff/admin/outbox?" + v.Encode()
}

// adminOutboxPage: GET /staff/admin/outbox?channel=&page= — the outbox's
// counts by state and channel, and its dead letters newest first, 50 a
// page, each with its attempts and a retry button.
func (s *Server) adminOutboxPage(c *gin.Context) {
	a, me, ok := s.adminPage(c)
	if !ok {
		return
	}
	page, _ := strconv.Atoi(c.Query("page"))
	ov, err := s.deps.Service.AdminOutbox(c.Request.Context(), a, c.Query("channel"), page)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	v := outboxView{OutboxOverview: ov, Back: outboxLink(ov.Channel, ov.Page)}
	if ov.Page > 1 {
		v.Prev = outboxLink(ov.Channel, ov.Page-1)
	}
	if ov.HasNext {
		v.Next = outboxLink(ov.Channel, ov.Page+1)
	}
	s.render(c, http.StatusOK, "staff/admin/outbox.html", pageData{Title: "消息投递", Me: me, Nav: "admin-outbox",
		Error: s.popError(c), Data: v})
}

// adminOutboxRetryOne: POST /staff/admin/outbox/:id/retry — one dead
// letter back for delivery now.
func (s *Server) adminOutboxRetryOne(c *gin.Context) {
	s.adminOutboxRetry(c, idParam(c), "")
}

// adminOutboxRetryChannel: POST /staff/admin/outbox/retry (channel=) —
// every dead letter of a channel back for delivery now.
func (s *Server) adminOutboxRetryChannel(c *gin.Context) {
	s.adminOutboxRetry(c, 0, c.PostForm("channel"))
}

func (s *Server) adminOutboxRetry(c *gin.Context, id int64, channel string) {
	a, _, ok := s.adminPage(c)
	if !ok {
		return
	}
	back := outboxBack(c)
	if id == 0 && c.Param("id") != "" {
		s.adminFail(c, back, domain.Errorf(domain.CodeNotFound, "消息不存在"))
		return
	}
	n, err := s.deps.Service.AdminRetryOutbox(c.Request.Context(), a, id, channel)
	if err != nil {
		s.adminFail(c, back, err)
		return
	}
	switch {
	case id > 0:
		s.flash(c, fmt.Sprintf("已将消息 %d 重新列入投递队列，将立即重新投递", id))
	case n == 0:
		s.flash(c, "该渠道没有投递失败的消息")
	default:
		s.flash(c, fmt.Sprintf("已将该渠道的 %d 条投递失败的消息重新列入投递队列", n))
	}
	c.Redirect(http.StatusSeeOther, back)
}

// outboxBack is the form's "back" field when it is the outbox page.
func outboxBack(c *gin.Context) string {
	b := c.PostForm("back")
	if u, err := url.Parse(b); err == nil && u.Path == "/staff/admin/outbox" && u.Host == "" && u.Scheme == "" {
		return u.RequestURI()
	}
	return "/staff/admin/outbox"
}
