package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseForm runs one action form of the case page: the signed-in actor and
// the version the form carried go to run, whose answer is flashed on the
// page it redirects to — the next case of the queue the form (its address)
// took the case out of, or the case itself when there is none or the action
// did not go through. A denial or a case outside the jurisdiction shows the error
// page instead.
func (s *Server) caseForm(c *gin.Context, form string, run func(a service.Actor, no string, version *int) (string, error)) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	no := c.Param("no")
	version, err := caseFormVersion(c)
	var done string
	if err == nil {
		done, err = run(a, no, version)
	}
	to := casePath(no)
	switch {
	case err != nil && caseErrorPage(err):
		s.pageError(c, me, err)
		return
	case err != nil:
		s.flashError(c, domain.ErrorMessage(err))
	default:
		var next string
		to, next = s.caseNext(c, a, form, no)
		s.flash(c, "办件"+no+"："+done+next)
	}
	c.Redirect(http.StatusSeeOther, to)
}

// caseFormDecision reads approve/reject and the reason: a common reason, a
// typed one, or a common reason with typed details.
func caseFormDecision(c *gin.Context, version *int) (service.Decision, error) {
	d := service.Decision{Version: version}
	switch c.PostForm("decision") {
	case "approve":
		d.Approve = true
		return d, nil
	case "reject":
	default:
		return d, domain.Errorf(domain.CodeBadRequest, "请选择通过或不通过")
	}
	choice, text := strings.TrimSpace(c.PostForm("reason_choice")), strings.TrimSpace(c.PostForm("reason_text"))
	switch {
	case choice == "" || choice == "其他":
		d.Reason = text
	case text == "":
		d.Reason = choice
	default:
		d.Reason = choice + "：" + text
	}
	if d.Reason == "" {
		return d, domain.Errorf(domain.CodeReasonRequired, "不通过须说明原因：请选择常用原因，或选择“其他”并填写具体原因")
	}
	return d, nil
}

// casePrecheckSubmit: POST /staff/cases/:no/precheck.
func (s *Server) casePrecheckSubmit(c *gin.Context) {
	s.caseForm(c, "precheck", func(a service.Actor, no string, version *int) (string, error) {
		d, err := caseFormDecision(c, version)
		if err != nil {
			return "", err
		}
		if _, err := s.deps.Service.Precheck(c.Request.Context(), a, no, d); err != nil {
			return "", err
		}
		if d.Approve {
			return "核验通过，已受理，转户籍地县级公安机关审核签发。", nil
		}
		return "核验不通过，已退回申请人，原因：" + d.Reason, nil
	})
}

// caseReviewSubmit: POST /staff/cases/:no/review.
func (s *Server) caseReviewSubmit(c *gin.Context) {
	s.caseForm(c, "review", func(a service.Actor, no string, version *int) (string, error) {
		d, err := caseFormDecision(c, version)
		if err != nil {
			return "", err
		}
		if _, err := s.deps.Service.Review(c.Request.Context(), a, no, d); err != nil {
			return "", err
		}
		if d.Approve {
			return "审核签发完成，转省制证中心制作。", nil
		}
		return "审核不通过，已退回申请人，原因：" + d.Reason, nil
	})
}

// caseProduceSubmit: POST /staff/cases/:no/produce.
func (s *Server) caseProduceSubmit(c *gin.Context) {
	s.caseForm(c, "produce", func(a service.Actor, no string, version *int) (string, error) {
		if _, err := s.deps.Service.Produce(c.Request.Context(), a, no, version); err != nil {
			return "", err
		}
		return "已标记制作完成，待发出。", nil
	})
}

// caseShipSubmit: POST /staff/cases/:no/ship (tracking_no: required on the
// mail route, S10-checked whenever given).
func (s *Server) caseShipSubmit(c *gin.Context) {
	s.caseForm(c, "ship", func(a service.Actor, no string, version *int) (string, error) {
		v, err := s.deps.Service.Ship(c.Request.Context(), a, no, c.PostForm("tracking_no"), version)
		if err != nil {
			return "", err
		}
		if v.TrackingNo != nil {
			return "已发出，EMS运单号 " + *v.TrackingNo + "。", nil
		}
		return "已发出，寄往" + v.Station.Name + "。", nil
	})
}

// caseDeliverSubmit: POST /staff/cases/:no/deliver (signed_by).
func (s *Server) caseDeliverSubmit(c *gin.Context) {
	s.caseForm(c, "deliver", func(a service.Actor, no string, version *int) (string, error) {
		if _, err := s.deps.Service.Deliver(c.Request.Context(), a, no, c.PostForm("signed_by"), version); err != nil {
			return "", err
		}
		return "已记录投递签收，办件办结。", nil
	})
}

// caseArriveSubmit: POST /staff/cases/:no/arrive.
func (s *Server) caseArriveSubmit(c *gin.Context) {
	s.caseForm(c, "arrive", func(a service.Actor, no string, version *int) (string, error) {
		v, err := s.deps.Service.Arrive(c.Request.Context(), a, no, version)
		if err != nil {
			return "", err
		}
		msg := "已确认证件到站，已通知申请人领取。"
		if v.PickupDueAt != nil {
			msg += "领取期限至" + caseDueDate(v, "pickup_due_at", *v.PickupDueAt) + "。"
		}
		return msg, nil
	})
}

// caseExtendSubmit: POST /staff/cases/:no/extend (days, reason).
func (s *Server) caseExtendSubmit(c *gin.Context) {
	s.caseForm(c, "extend", func(a service.Actor, no string, version *int) (string, error) {
		days, err := strconv.Atoi(strings.TrimSpace(c.PostForm("days")))
		if err != nil {
			return "", domain.Errorf(domain.CodeValidationFailed, "请填写延长天数（1至30天）")
		}
		v, err := s.deps.Service.Extend(c.Request.Context(), a, no, days, c.PostForm("reason"), version)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("已延长%d天，法定期限延至%s。", days, caseDueDate(v, "legal_due_at", v.LegalDueAt)), nil
	})
}

// caseReopenSubmit: POST /staff/cases/:no/reopen (reason).
func (s *Server) caseReopenSubmit(c *gin.Context) {
	s.caseForm(c, "reopen", func(a service.Actor, no string, version *int) (string, error) {
		v, err := s.deps.Service.ReopenPickup(c.Request.Context(), a, no, c.PostForm("reason"), version)
		if err != nil {
			return "", err
		}
		msg := "已重新开放领取。"
		if v.PickupDueAt != nil {
			msg += "新的领取期限至" + caseDueDate(v, "pickup_due_at", *v.PickupDueAt) + "。"
		}
		return msg, nil
	})
}
