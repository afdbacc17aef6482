package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// exportColumns are the columns of the case-list export, in order.
var exportColumns = []string{"办件编号", "办理类型", "状态", "领证方式", "受理派出所", "派出所代码", "申请时间", "受理时间",
	"当前环节期限", "剩余工作日", "是否超期", "法定办结期限", "领证期限", "延长天数", "未通过原因",
	"收件人（脱敏）", "收件电话（脱敏）", "邮寄地址（脱敏）", "邮件号", "费用（元）"}

// caseExport: GET /staff/cases/export.csv|xlsx — the supervisor's filtered
// case list in full (at most service.ExportMaxRows rows), personal data
// masked, audited before the first row.
func (s *Server) caseExport(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, me, ok := s.staffPage(c)
		if !ok || !s.requireRole(c, a, me, domain.RoleSupervisor) {
			return
		}
		cq, err := caseQueryFrom(c, domain.CodeValidationFailed)
		cq.Cursor, cq.DueFirst = "", false
		if err != nil {
			s.pageError(c, me, err)
			return
		}
		exp, err := s.deps.Service.PrepareCaseExport(c.Request.Context(), a, cq, format)
		if err != nil {
			s.pageError(c, me, err)
			return
		}
		name := "办件清单-" + time.Now().In(calendar.Location()).Format("20060102-1504") + "." + format
		h := c.Writer.Header()
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cases.%s"; filename*=UTF-8''%s`, format, url.PathEscape(name)))
		h.Set("Cache-Control", "no-store")
		h.Set("X-Export-Total", strconv.FormatInt(exp.Total, 10))
		h.Set("X-Export-Rows", strconv.FormatInt(exp.Rows, 10))
		if format == "csv" {
			err = s.writeCSV(c, exp)
		} else {
			err = s.writeXLSX(c, exp, cq)
		}
		if err != nil {
			// The status is sent; the client sees a cut-off file.
			s.log.Error("case export", "format", format, "error", err)
		}
	}
}

// writeCSV streams the export as UTF-8 CSV with a byte-order mark, which
// Excel needs to read Chinese.
func (s *Server) writeCSV(c *gin.Context, exp *service.CaseExport) error {
	c.Writer.Header().Set("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	if _, err := c.Writer.WriteString("\ufeff"); err != nil {
		return err
	}
	w := csv.NewWriter(c.Writer)
	if err := w.Write(exportColumns); err != nil {
		return err
	}
	n := 0
	err := exp.Each(c.Request.Context(), func(v service.CaseView) error {
		row := exportRow(v)
		rec := make([]string, len(row))
		for i, cell := range row {
			rec[i] = csvCell(cell)
		}
		if n++; n%500 == 0 {
			w.Flush()
		}
		return w.Write(rec)
	})
	w.Flush()
	if err != nil {
		return err
	}
	return w.Error()
}

// csvCell writes a cell as text, and defuses text a spreadsheet would run
// as a formula (=, +, @, or - before a non-digit).
func csvCell(v any) string {
	s := fmt.Sprint(v)
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if len(s) == 1 || s[1] < '0' || s[1] > '9' {
			return "'" + s
		}
	}
	return s
}

// writeXLSX writes the export as a workbook: the list on its first sheet
// (streamed row by row), the filter and counts on a second.
func (s *Server) writeXLSX(c *gin.Context, exp *service.CaseExport, cq service.CaseQuery) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "办件清单"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1D4F91"}}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range []float64{18, 10, 12, 10, 26, 12, 17, 17, 17, 10, 8, 17, 17, 8, 24, 12, 14, 30, 15, 9} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(exportColumns))
	for i, h := range exportColumns {
		header[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	r := 2
	err = exp.Each(c.Request.Context(), func(v service.CaseView) error {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		r++
		return sw.SetRow(cell, exportRow(v))
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := exportNotes(f, exp, cq); err != nil {
		return err
	}
	c.Writer.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Status(http.StatusOK)
	return f.Write(c.Writer)
}

// exportNotes adds the sheet that says what the export holds.
func exportNotes(f *excelize.File, exp *service.CaseExport, cq service.CaseQuery) error {
	const sheet = "说明"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rows := [][]any{
		{"导出时间", time.Now().In(calendar.Location()).Format("2006-01-02 15:04:05")},
		{"符合条件的办件", exp.Total},
		{"本文件包含", exp.Rows},
		{"筛选条件", describeFilter(cq)},
		{"个人信息", "已脱敏；本次导出已记入审计日志"},
	}
	if exp.Truncated() {
		rows = append(rows, []any{"注意", fmt.Sprintf("超过单次导出上限%d条，仅包含最新的%d条，请缩小筛选范围", service.ExportMaxRows, exp.Rows)})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheet, "A", "B", 24)
}

// describeFilter says the filter in Chinese.
func describeFilter(cq service.CaseQuery) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+"："+v)
		}
	}
	if cq.Status != "" {
		add("状态", domain.Status(cq.Status).Label())
	}
	if cq.Kind != "" {
		add("办理类型", domain.Kind(cq.Kind).Label())
	}
	if cq.Collection != "" {
		add("领证方式", domain.Collection(cq.Collection).Label())
	}
	add("受理区县", cq.County)
	if cq.OfficeID != 0 {
		add("派出所编号", strconv.FormatInt(cq.OfficeID, 10))
	}
	add("办件编号", cq.No)
	if !cq.From.IsZero() {
		add("申请日期自", calendar.FormatDate(cq.From))
	}
	if !cq.To.IsZero() {
		add("申请日期至", calendar.FormatDate(cq.To.AddDate(0, 0, -1)))
	}
	if cq.Overdue {
		parts = append(parts, "仅超期")
	}
	if len(parts) == 0 {
		return "无（本辖区全部办件）"
	}
	return strings.Join(parts, "；")
}

// exportRow is one case as export cells: text, and numbers where a
// spreadsheet should count.
func exportRow(v service.CaseView) []any {
	when := func(s *string) string {
		if s == nil {
			return ""
		}
		return localTime(*s)
	}
	due := func(s *string, field string) string { // a provisional due time says so
		if t := when(s); t != "" && v.Provisional(field) {
			return t + "（暂定）"
		}
		return when(s)
	}
	overdue, left := "否", any("")
	if v.Overdue {
		overdue = "是"
	}
	if v.WorkingDaysLeft != nil {
		left = *v.WorkingDaysLeft
	}
	var recipient, phone, address string
	if v.Mail != nil {
		recipient, phone, address = v.Mail.Recipient, v.Mail.Phone, v.Mail.Address
	}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return []any{v.No, v.KindLabel, v.StatusLabel, v.CollectionLabel, v.Station.Name, v.Station.Code,
		localTime(v.SubmittedAt), when(v.AcceptedAt), due(v.StageDueAt, "stage_due_at"), left, overdue,
		due(&v.LegalDueAt, "legal_due_at"), due(v.PickupDueAt, "pickup_due_at"), v.ExtensionDays, str(v.RejectReason), recipient, phone, address, str(v.TrackingNo), v.FeeYuan}
}

// localTime turns an RFC 3339 time into "2006-01-02 15:04" in Shanghai.
func localTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(calendar.Location()).Format("2006-01-02 15:04")
}
