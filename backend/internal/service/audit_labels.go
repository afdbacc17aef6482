package service

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
)

// This file is the one table of how the audit log reads in Chinese: the
// names of the audited actions and object types, and the labels and values
// of the details each action records.

// AuditAction names one audited action.
type AuditAction struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// auditActionTable is every action the service audits, with its Chinese
// name; the case actions (case.<action>) follow from domain.Action.Label.
func auditActionTable() []AuditAction {
	return []AuditAction{
		{"auth.staff_login", "工作人员登录"}, {"auth.sign_in", "申领人登录"}, {"identity.bind", "实名绑定"}, {"ward.bind", "添加被监护人"},
		{"case.view", "查看办件"}, {"person.view_full", "查看完整个人信息"}, {"case.recompute_due", "重新计算期限"},
		{"card.restore", "恢复旧证效力"}, {"payment.paid", "支付费用"}, {"payment.notify", "支付通知"}, {"cases.export", "导出办件清单"}, {"dispatch.export", "导出发件清单"},
		{"pickup.verify", "核验领证二维码"}, {"pickup.lookup", "按编号查询领证"}, {"pickup.handover_by_lookup", "按编号查询后发证"},
		{"temporary_card.request", "申请临时身份证"}, {"temporary_card.issue", "签发临时身份证"},
		{"staff.create", "新建账号"}, {"staff.update", "修改账号岗位"}, {"staff.disable", "停用账号"},
		{"staff.enable", "启用账号"}, {"staff.reset_password", "重置密码"},
		{"office.update", "修改机构信息"}, {"calendar.import", "导入工作日历"}, {"outbox.retry", "重新投递消息"},
		{"audit.verify", "校验日志链"}, {"seed.cases", "生成演示办件"},
		{"audit.export", "导出审计日志"}, {"staff.otp_enrol", "绑定身份验证器"}, {"staff.password_change", "修改本人密码"},
		{"pii.rotate", "个人信息重新加密"}, {"retention.erase", "到期删除个人信息"},
	}
}

// AuditActions are the actions the audit log holds, for the search form,
// with their Chinese names; "case." and "staff." search a whole group.
func AuditActions() []AuditAction {
	out := []AuditAction{{"case.", "办件的全部操作"}, {"staff.", "账号管理的全部操作"}}
	out = append(out, auditActionTable()...)
	for _, act := range domain.AllActions() {
		out = append(out, AuditAction{"case." + string(act), act.Label()})
	}
	return out
}

// AuditActionLabel is the Chinese name of an audited action; an action the
// table does not know reads 其他操作 with its code.
func AuditActionLabel(code string) string {
	for _, a := range AuditActions() {
		if a.Code == code && !strings.HasSuffix(code, ".") {
			return a.Label
		}
	}
	return "其他操作（" + code + "）"
}

// AuditObjectTypes are the object types of audit entries with their names.
func AuditObjectTypes() []AuditAction {
	return []AuditAction{{"case", "办件"}, {"cases", "办件清单"}, {"person", "户籍人员"}, {"staff", "工作人员账号"}, {"office", "机构"},
		{"calendar", "工作日历"}, {"applicant", "申领人账号"}, {"audit_log", "审计日志"}, {"pii", "个人信息"}}
}

// AuditObjectLabel is the Chinese name of an object type ("" for none).
func AuditObjectLabel(code string) string {
	for _, o := range AuditObjectTypes() {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// auditDetailLabel is the label of a detail key; an unknown key shows as
// it is.
func auditDetailLabel(key string, v any) string {
	_, isMap := v.(map[string]any)
	s, _ := v.(string)
	status := domain.Status(s).Valid()
	switch key {
	case "from":
		switch {
		case isMap:
			return "修改前"
		case status:
			return "原状态"
		}
		return "起"
	case "to":
		if status {
			return "新状态"
		}
		return "止"
	}
	labels := map[string]string{
		"amount_fen": "金额（分）", "out_trade_no": "支付订单号", "provider": "支付渠道",
		"reason": "原因", "days": "天数", "days_off": "休息日天数", "days_worked": "工作日天数", "phone": "电话",
		"hours": "办公时间", "remote": "边远地区", "ids": "消息编号", "count": "条数", "channel": "投递渠道",
		"role": "岗位", "office": "所属机构", "scope": "管辖区划", "person_id": "人员编号", "real_person": "实人认证方式",
		"voided_at": "旧证作废时间", "tracking_no": "EMS运单号", "kind": "办理类型", "station_id": "受理派出所编号",
		"fields": "查看的信息", "checked": "已校验记录数", "intact": "日志链完整", "seq": "断裂序号", "format": "文件格式",
		"rows": "导出行数", "masked": "已脱敏", "filter": "筛选条件", "total": "符合条件的办件数", "token": "领证二维码",
		"via": "核验方式", "face_match": "人证比对一致", "version": "办件版本", "card_no": "临时身份证号码",
		"method": "登录方式", "status": "办件状态", "collection": "领证方式", "county": "区县", "office_id": "派出所编号",
		"overdue": "只看超期", "q": "办件编号", "stage_due_at": "本阶段期限", "legal_due_at": "法定期限",
		"pickup_due_at": "领取期限", "old_card_returned": "旧证已收回", "name": "姓名", "username": "用户名",
		"cases": "办件数", "password": "密码", "active": "账号启用",
		"station_from": "原领证派出所编号", "station_to": "新领证派出所编号", "collection_from": "原领证方式",
		"collection_to": "新领证方式", "mail": "邮寄地址", "relation": "监护关系", "ward": "被监护人绑定编号",
	}
	if l, ok := labels[key]; ok {
		return l
	}
	return key
}

// auditDetailValue is a detail value in words, by its key.
func auditDetailValue(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return "无"
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = auditDetailValue(key, e)
		}
		return strings.Join(parts, "、")
	case map[string]any:
		parts := []string{}
		for _, it := range auditDetailItems(x) {
			parts = append(parts, it.Label+"："+it.Value)
		}
		return strings.Join(parts, "；")
	case string:
		return auditDetailString(key, x)
	}
	return ""
}

// auditDetailString names a coded string value.
func auditDetailString(key, s string) string {
	if s == "" {
		return "（空）"
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.In(calendar.Location()).Format("2006-01-02 15:04")
	}
	switch key {
	case "from", "to", "status":
		if st := domain.Status(s); st.Valid() {
			return st.Label()
		}
	case "role":
		if r := domain.Role(s); r.Label() != "" {
			return r.Label()
		}
	case "kind":
		if k := domain.Kind(s); k.Valid() {
			return k.Label()
		}
	case "collection":
		if c := domain.Collection(s); c.Valid() {
			return c.Label()
		}
	case "channel":
		if l, err := knownChannel(s, false); err == nil {
			return l
		}
	case "format":
		return strings.ToUpper(s)
	case "fields":
		switch s {
		case "id_number":
			return "公民身份号码"
		case "address":
			return "住址"
		}
	}
	words := map[string]string{
		"token:verified": "已核验", "token:none": "未使用（按编号查询）", "via:lookup": "按办件编号与身份号码后几位查询",
		"method:phone": "手机验证码", "method:wechat": "微信", "method:sms": "短信验证码",
		"password:generated": "系统生成", "password:set": "管理员设定",
		"reason:station": "不是本派出所受理的办件", "reason:id_tail": "身份号码后几位不符", "reason:status": "办件不在待领取状态",
	}
	if w, ok := words[key+":"+s]; ok {
		return w
	}
	return s
}

// AuditDetailItem is one labelled detail of an audit entry.
type AuditDetailItem struct {
	Label, Value string
}

// AuditDetails reads the JSON details of an audit entry as labelled
// Chinese text, in a stable order; details that are not a JSON object are
// shown as one item.
func AuditDetails(raw string) []AuditDetailItem {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "{}" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return []AuditDetailItem{{Label: "说明", Value: raw}}
	}
	return auditDetailItems(m)
}

// auditDetailItems labels a detail object: the transition's from and to
// first, then by key.
func auditDetailItems(m map[string]any) []AuditDetailItem {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		switch k {
		case "from":
			return 0
		case "to":
			return 1
		}
		return 2
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	out := make([]AuditDetailItem, 0, len(keys))
	for _, k := range keys {
		out = append(out, AuditDetailItem{Label: auditDetailLabel(k, m[k]), Value: auditDetailValue(k, m[k])})
	}
	return out
}
