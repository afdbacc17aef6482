// 办件进度查询: a family member follows a case without signing in, with the
// case number, the holder's name and the last 6 characters of the ID
// number (POST /progress). The answer is status and dates only; on a wrong
// triple or too many tries the server's message is shown.

const api = require('../../utils/api.js');
const fmt = require('../../h5rules/format.js');
const elder = require('../../utils/elder.js');

/** The rows of the answer, as the H5's 办件进度查询 shows them. */
function rowsOf(p) {
  const rows = [
    { id: 'progress-no-v', k: '办件编号', v: p.no },
    { id: 'progress-kind', k: '办理类型', v: p.kind_label },
    { id: 'progress-status', k: '当前状态', v: p.status_label },
    { id: 'progress-station', k: '受理派出所', v: (p.station && p.station.name) || '' },
    { id: 'progress-submitted', k: '提交时间', v: fmt.fmtDateTime(p.submitted_at) },
  ];
  if (p.stage_due_at) rows.push({ id: 'progress-stage-due', k: '本阶段期限', v: `${fmt.fmtDateTime(p.stage_due_at)}前` });
  rows.push({ id: 'progress-legal-due', k: '法定办结期限', v: `${fmt.fmtDate(p.legal_due_at)}前` });
  if (p.predicted_done_at) rows.push({ id: 'progress-predicted', k: '预计完成', v: `${fmt.fmtDate(p.predicted_done_at)}前` });
  return rows;
}

Component({
  behaviors: [elder.behavior],
  data: { no: '', name: '', last6: '', busy: false, error: '', rows: [] },
  methods: {
    /** ?no= fills in a case number shared with the family. */
    onLoad(query) {
      if (query && query.no) this.setData({ no: decodeURIComponent(query.no) });
    },
    onNo(e) { this.setData({ no: e.detail.value, error: '' }); },
    onName(e) { this.setData({ name: e.detail.value, error: '' }); },
    onLast6(e) { this.setData({ last6: e.detail.value, error: '' }); },
    async submit() {
      if (this.data.busy) return;
      const body = { case_no: this.data.no.trim().toUpperCase(), name: this.data.name.trim(), id_last6: this.data.last6.trim().toUpperCase() };
      if (!body.case_no || !body.name || body.id_last6.length !== 6) {
        this.setData({ error: '请填写办件编号、姓名和身份证号码后6位', rows: [] });
        return;
      }
      this.setData({ busy: true, error: '', rows: [] });
      try {
        const p = await api.post('/progress', body, { anonymous: true, noRetry: true });
        this.setData({ busy: false, rows: rowsOf(p) });
      } catch (e) {
        this.setData({ busy: false, error: e.message });
      }
    },
  },
});
