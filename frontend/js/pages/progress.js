// 办件进度查询: a family member follows a case without signing in, with the
// case number, the holder's name and the last 6 characters of the ID
// number. The answer is status and dates only.

import { post } from '../api.js';
import { h, mount, formCell, pageHeader, setBusy, previewItem } from '../ui.js';
import { fmtDate, fmtDateTime } from '../format.js';

export async function render(ctx) {
  const { root } = ctx;
  const input = (id, attrs) => h('input', { id, 'data-test': id, class: 'weui-input', ...attrs });
  const no = input('progress-no', { type: 'text', maxlength: '14', placeholder: '如 GZ261201000123', autocapitalize: 'characters' });
  const name = input('progress-name', { type: 'text', maxlength: '32', placeholder: '持证人姓名' });
  const last6 = input('progress-last6', { type: 'text', maxlength: '6', placeholder: '身份证号码后6位' });
  const err = h('p', { class: 'form-error is-hidden', role: 'alert', id: 'progress-error', 'data-test': 'progress-error' });
  const out = h('div', { id: 'progress-result', 'data-test': 'progress-result' });
  const cell = formCell;
  const btn = h('button', { type: 'submit', class: 'weui-btn weui-btn_primary', id: 'btn-progress', 'data-test': 'progress-submit' }, '查询');
  const form = h('form', { novalidate: true, id: 'progress-form' },
    h('div', { class: 'weui-cells weui-cells_form' },
      cell('办件编号', 'progress-no', no), cell('姓名', 'progress-name', name), cell('身份证后6位', 'progress-last6', last6)),
    err, h('div', { class: 'weui-btn-area' }, btn));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.classList.add('is-hidden');
    out.replaceChildren();
    setBusy(btn, true, '正在查询');
    try {
      const p = await post('/progress', { case_no: no.value.trim().toUpperCase(), name: name.value.trim(), id_last6: last6.value.trim().toUpperCase() });
      mount(out, h('section', { class: 'weui-form-preview card' },
        h('div', { class: 'weui-form-preview__bd' },
          previewItem('办件编号', p.no),
          previewItem('办理类型', p.kind_label),
          previewItem('当前状态', p.status_label, { 'data-test': 'progress-status' }),
          previewItem('受理派出所', p.station.name),
          previewItem('提交时间', fmtDateTime(p.submitted_at)),
          p.stage_due_at ? previewItem('本阶段期限', `${fmtDateTime(p.stage_due_at)}前`) : null,
          previewItem('法定办结期限', `${fmtDate(p.legal_due_at)}前`),
          p.predicted_done_at ? previewItem('预计完成', `${fmtDate(p.predicted_done_at)}前`) : null)));
    } catch (e2) {
      err.textContent = e2.message;
      err.classList.remove('is-hidden');
    }
    setBusy(btn, false);
  });
  mount(root,
    pageHeader('办件进度查询', '#/login'),
    h('p', { class: 'hint' }, '无需登录，家人也可查询办理进度。仅显示办理状态和期限，不显示个人信息。'),
    form, out);
}
