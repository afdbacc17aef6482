package web

import (
	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseQueue is the work queue an action form takes a case out of: after
// the action the next case of that queue opens.
type caseQueue struct {
	Label      string // as the home page names the queue
	Status     domain.Status
	Collection domain.Collection // "" for both routes
}

// caseFormQueue is the queue of an action form of the case page (by its
// address: /staff/cases/:no/<form>); nil for a form that leaves the case in
// its queue or takes it out of none (extend, reopen).
func caseFormQueue(form string) *caseQueue {
	switch form {
	case "precheck":
		return &caseQueue{"待核验预受理", domain.StatusSubmitted, ""}
	case "review":
		return &caseQueue{"待审核签发", domain.StatusAccepted, ""}
	case "produce":
		return &caseQueue{"待制作", domain.StatusIssued, ""}
	case "ship":
		return &caseQueue{"待发出", domain.StatusProduced, ""}
	case "arrive":
		return &caseQueue{"待确认到证", domain.StatusShipped, domain.CollectionWindow}
	case "deliver":
		return &caseQueue{"邮寄在途（登记投递）", domain.StatusShipped, domain.CollectionMail}
	}
	return nil
}

// caseNext is where a finished action leads: the next case of the queue,
// with a sentence saying so, or the case itself when the queue is empty
// (or cannot be read: the action is done either way).
func (s *Server) caseNext(c *gin.Context, a service.Actor, form, no string) (path, say string) {
	q := caseFormQueue(form)
	if q == nil {
		return casePath(no), ""
	}
	next, err := s.deps.Service.QueueNext(c.Request.Context(), a, q.Status, string(q.Collection), no)
	switch {
	case err != nil:
		s.log.Warn("next case of the queue", "queue", q.Status, "error", err)
		return casePath(no), ""
	case next == "":
		return casePath(no), "“" + q.Label + "”中已没有其他办件。"
	}
	return casePath(next), "已打开“" + q.Label + "”的下一件：" + next + "。"
}
