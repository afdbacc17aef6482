package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// Common reasons offered when a pre-check or a review refuses a case.
var (
	casePrecheckReasons = []string{"相片不符合要求", "申请信息与户籍信息不一致", "证件签发已超过2年需现场办理", "其他"}
	caseReviewReasons   = []string{"相片不符合要求", "申请信息与户籍信息不一致", "证件签发已超过2年需现场办理",
		"存在冒领、骗领风险，需本人到派出所现场核验", "其他"}
)

// decisionForm is a pre-check or review: approve, or reject with a reason.
type decisionForm struct {
	Path, Action, Approve, Reject string
	Version                       int
	Reasons                       []string
}

// caseDetailData is what the case page template gets.
type caseDetailData struct {
	service.CasePageView
	Badge       string
	Due         caseDue
	Submitted   string
	Accepted    string
	Legal       string
	PickupDue   string
	Predicted   string // the forecast's date the card is ready, if it is on its way
	AppPhotoURL string
	RegPhotoURL string
	Decisions   []decisionForm
	Path        string
	SexLabel    string
	NextStep    string
}

// caseNextStep says who acts next on a case in a status, for a page that
// offers the actor no form.
func caseNextStep(status, collection string) string {
	switch domain.Status(status) {
	case domain.StatusSubmitted:
		return "等待受理派出所核验预受理（3个工作日内）。"
	case domain.StatusAccepted:
		return "等待户籍地县级公安机关审核签发（3个工作日内）。"
	case domain.StatusIssued:
		return "等待省制证中心制作（3个工作日内）。"
	case domain.StatusProduced:
		return "等待省制证中心发出证件。"
	case domain.StatusShipped:
		if collection == string(domain.CollectionMail) {
			return "证件已交EMS寄递，等待投递签收。"
		}
		return "证件在途，等待受理派出所确认到证。"
	case domain.StatusReadyForPickup:
		return "等待申请人凭领证二维码到受理派出所领取。"
	case domain.StatusUncollected:
		return "逾期未领取，可由辖区监督人员重新开放领取。"
	}
	return "办件已办结。"
}

// caseDetailPage: GET /staff/cases/:no — the case page, registry record
// masked.
func (s *Server) caseDetailPage(c *gin.Context) { s.caseDetail(c, false) }

// caseFullSubmit: POST /staff/cases/:no/full — the same page with the full
// ID number and address, for this view only; the service audits it. It is a
// POST so that a link, a reload or the history never shows it again unasked.
func (s *Server) caseFullSubmit(c *gin.Context) { s.caseDetail(c, true) }

func (s *Server) caseDetail(c *gin.Context, full bool) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	msg := s.popError(c)
	no := c.Param("no")
	v, err := s.deps.Service.StaffCasePage(c.Request.Context(), a, no, full)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	d := caseDetailData{CasePageView: v, Badge: caseBadge(v.Case.Status), Due: caseDueOf(v.Case),
		Submitted: caseMinute(v.Case.SubmittedAt), Legal: caseDate(v.Case.LegalDueAt), Path: casePath(v.Case.No),
		NextStep: caseNextStep(v.Case.Status, v.Case.Collection)}
	if p := v.Case.PredictedDoneAt; p != nil && v.Case.Status != string(domain.StatusReadyForPickup) && v.Case.Status != string(domain.StatusUncollected) {
		d.Predicted = caseDate(*p)
	}
	switch v.Person.Sex {
	case "male":
		d.SexLabel = "男"
	case "female":
		d.SexLabel = "女"
	default:
		d.SexLabel = v.Person.Sex
	}
	if v.Actions.Precheck {
		d.Decisions = append(d.Decisions, decisionForm{Path: d.Path, Action: "precheck", Version: v.Case.Version,
			Approve: "核验通过，予以受理", Reject: "核验不通过", Reasons: casePrecheckReasons})
	}
	if v.Actions.Review {
		d.Decisions = append(d.Decisions, decisionForm{Path: d.Path, Action: "review", Version: v.Case.Version,
			Approve: "审核通过，签发", Reject: "审核不通过", Reasons: caseReviewReasons})
	}
	if v.Case.AcceptedAt != nil {
		d.Accepted = caseMinute(*v.Case.AcceptedAt)
	}
	if v.Case.PickupDueAt != nil {
		d.PickupDue = caseDate(*v.Case.PickupDueAt)
	}
	if v.Application.PhotoID != nil {
		d.AppPhotoURL = casePhotoURL(*v.Application.PhotoID, v.Case.No)
	}
	if v.Person.PhotoID != nil {
		d.RegPhotoURL = casePhotoURL(*v.Person.PhotoID, v.Case.No)
	}
	s.render(c, http.StatusOK, "staff/cases/detail.html", pageData{Title: "办件 " + v.Case.No, Me: me, Nav: "cases",
		Error: msg, Data: d})
}

func casePhotoURL(id int64, caseNo string) string {
	return fmt.Sprintf("/staff/photos/%d?case=%s", id, caseNo)
}
