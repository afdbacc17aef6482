package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// dispatchColumns are the columns of the downloaded dispatch list, with
// their widths in the XLSX sheet (in characters).
var dispatchColumns = []struct {
	Title string
	Width float64
}{
	{"序号", 6}, {"办件编号", 17}, {"持证人", 9}, {"办理类型", 11}, {"发出方式", 10},
	{"寄往派出所", 26}, {"派出所代码", 14}, {"EMS邮件号", 16}, {"收件人", 9},
	{"寄达区县", 12}, {"发出时间", 17}, {"当前状态", 10},
}

// dispatchRecord is one row of the downloaded list, as text.
func dispatchRecord(i int, r service.DispatchRow) []string {
	station, code := "", ""
	if r.Collection == string(domain.CollectionWindow) {
		station, code = r.StationName, r.StationCode
	}
	shipped := ""
	if !r.ShippedAt.IsZero() {
		shipped = r.ShippedAt.Format("2006-01-02 15:04")
	}
	return []string{strconv.Itoa(i + 1), r.No, r.Holder, r.KindLabel, r.CollectionLabel,
		station, code, r.TrackingNo, r.Recipient, r.CountyName, shipped, r.StatusLabel}
}

// dispatchDownload loads the list of the ?date= day for a download; a bad
// date or a denial shows the error page instead.
func (s *Server) dispatchDownload(c *gin.Context, format string) (service.Dispatch, bool) {
	a, me, ok := s.productionOperator(c)
	if !ok {
		return service.Dispatch{}, false
	}
	d, err := s.deps.Service.DispatchList(c.Request.Context(), a, c.Query("date"))
	if err == nil {
		err = s.deps.Service.AuditDispatchExport(c.Request.Context(), a, d, format)
	}
	if err != nil {
		s.pageError(c, me, err)
		return service.Dispatch{}, false
	}
	return d, true
}

// dispatchAttachment names a download, in Chinese for browsers that read RFC 6266's
// filename* and in ASCII for the rest.
func dispatchAttachment(c *gin.Context, ascii, chinese string) {
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(chinese)))
	c.Header("Cache-Control", "no-store")
}

// dispatchCSVSafe keeps a spreadsheet from reading a cell as a formula (CSV
// injection): text that starts like one gets a leading apostrophe.
func dispatchCSVSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r') {
		return "'" + v
	}
	return v
}

// dispatchCSV: GET /staff/dispatch.csv?date= — UTF-8 with a byte-order
// mark, so Excel opens the Chinese text correctly.
func (s *Server) dispatchCSV(c *gin.Context) {
	d, ok := s.dispatchDownload(c, "csv")
	if !ok {
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	head := make([]string, len(dispatchColumns))
	for i, col := range dispatchColumns {
		head[i] = col.Title
	}
	_ = w.Write(head)
	for i, r := range d.Rows {
		rec := dispatchRecord(i, r)
		for j := range rec {
			rec[j] = dispatchCSVSafe(rec[j])
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		s.pageError(c, nil, domain.Wrap(domain.CodeInternal, err))
		return
	}
	dispatchAttachment(c, "dispatch-"+d.Date+".csv", "发件清单-"+d.Date+".csv")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// dispatchSheet is the sheet name of the XLSX download.
const dispatchSheet = "发件清单"

// dispatchXLSX: GET /staff/dispatch.xlsx?date= — one sheet, a bold header
// row that stays in view, an auto-filter and sized columns.
func (s *Server) dispatchXLSX(c *gin.Context) {
	d, ok := s.dispatchDownload(c, "xlsx")
	if !ok {
		return
	}
	b, err := dispatchWorkbook(d)
	if err != nil {
		s.log.Error("dispatch xlsx", "error", err)
		s.pageError(c, nil, domain.Wrap(domain.CodeInternal, err))
		return
	}
	dispatchAttachment(c, "dispatch-"+d.Date+".xlsx", "发件清单-"+d.Date+".xlsx")
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// dispatchWorkbook builds the XLSX file of a dispatch list.
func dispatchWorkbook(d service.Dispatch) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := f.SetSheetName("Sheet1", dispatchSheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EFF9"}},
		Border: []excelize.Border{{Type: "bottom", Color: "1D4F91", Style: 1}}})
	if err != nil {
		return nil, err
	}
	head := make([]any, len(dispatchColumns))
	for i, col := range dispatchColumns {
		head[i] = col.Title
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(dispatchSheet, name, name, col.Width); err != nil {
			return nil, err
		}
	}
	if err := f.SetSheetRow(dispatchSheet, "A1", &head); err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(dispatchColumns))
	if err := f.SetCellStyle(dispatchSheet, "A1", last+"1", bold); err != nil {
		return nil, err
	}
	for i, r := range d.Rows {
		rec := dispatchRecord(i, r)
		row := make([]any, len(rec))
		row[0] = i + 1
		for j := 1; j < len(rec); j++ {
			row[j] = rec[j]
		}
		if err := f.SetSheetRow(dispatchSheet, "A"+strconv.Itoa(i+2), &row); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(dispatchSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if len(d.Rows) > 0 {
		if err := f.AutoFilter(dispatchSheet, fmt.Sprintf("A1:%s%d", last, len(d.Rows)+1), nil); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
