package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseErrorPage says an error must replace the page: a denial, a case
// outside the jurisdiction or a failure shows no case data at all.
func caseErrorPage(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.CodeNotFound, domain.CodeForbidden, domain.CodeOutOfJurisdiction, domain.CodeUnauthenticated,
		domain.CodeInternal, domain.CodeUnavailable, domain.CodeRateLimited:
		return true
	}
	return false
}

// caseDue is a stage due time as the pages show it.
type caseDue struct {
	Date    string // 2026-03-05
	Text    string // 剩余2个工作日 / 今日到期 / 超期3个工作日
	Overdue bool
}

func caseDueOf(v service.CaseView) caseDue {
	if v.StageDueAt == nil || v.WorkingDaysLeft == nil {
		return caseDue{Date: "—"}
	}
	d := caseDue{Date: caseDate(*v.StageDueAt), Overdue: v.Overdue}
	switch left := *v.WorkingDaysLeft; {
	case left < 0:
		d.Text, d.Overdue = fmt.Sprintf("超期%d个工作日", -left), true
	case v.Overdue:
		d.Text = "已超期"
	case left == 0:
		d.Text = "今日到期"
	default:
		d.Text = fmt.Sprintf("剩余%d个工作日", left)
	}
	return d
}

// caseDate turns an RFC 3339 time into its Shanghai date.
func caseDate(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return calendar.FormatDate(t)
}

// caseDueDate is the Shanghai date of the case's due time field (an RFC
// 3339 time), with （暂定） when it is provisional, for a sentence.
func caseDueDate(v service.CaseView, field, due string) string {
	if v.Provisional(field) {
		return caseDate(due) + "（暂定）"
	}
	return caseDate(due)
}

// caseMinute turns an RFC 3339 time into "2006-01-02 15:04" in Shanghai.
func caseMinute(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(calendar.Location()).Format("2006-01-02 15:04")
}

// caseBadge is the CSS class of a status badge.
func caseBadge(status string) string {
	switch domain.Status(status) {
	case domain.StatusCollected, domain.StatusDelivered:
		return "badge good"
	case domain.StatusRejected:
		return "badge bad"
	case domain.StatusCancelled:
		return "badge final"
	case domain.StatusUncollected:
		return "badge warn"
	}
	return "badge"
}

// caseFormVersion reads the case version a form carried. Returns BAD_REQUEST
// when it is missing, so a form can never skip the stale check.
func caseFormVersion(c *gin.Context) (*int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(c.PostForm("version")))
	if err != nil || v <= 0 {
		return nil, domain.Errorf(domain.CodeBadRequest, "表单缺少办件版本，请刷新页面后重新操作")
	}
	return &v, nil
}

// casePath is the case page of a case number.
func casePath(no string) string { return "/staff/cases/" + url.PathEscape(no) }

// caseSafeBack keeps a redirect after a form on the page area it came from.
func caseSafeBack(back, fallback string) string {
	for _, p := range []string{"/staff/cases", "/staff/temporary-cards"} {
		if (back == p || strings.HasPrefix(back, p+"?") || strings.HasPrefix(back, p+"/")) && !strings.Contains(back, "\\") {
			return back
		}
	}
	return fallback
}
