// 申请 step 2: the acceptance station (受理派出所 = 领证机关): prefecture →
// county → station, each by its name within the county chosen above (the
// filter also finds an address); the chosen one's address is on 确认申请,
// where the card is collected unless the applicant asks for it to be mailed.

import { h, mount, pageHeader, loadingBlock, emptyBlock, showError } from '../ui.js';
import { getDraft, saveDraft } from '../store.js';
import { cascade, stations, prefectureOf, withoutCounty } from '../divisions.js';
import { steps, missingStep } from '../steps.js';
import { revealNext } from '../mode.js';

export async function render(ctx) {
  const { root, me } = ctx;
  const draft = getDraft();
  if (!draft.kind) { ctx.go(missingStep(draft), { replace: true }); return; }

  // Default to the county of the ID number's area code (where the person was
  // registered), which is usually near home; the person may pick any station.
  const idArea = me.person && me.person.id_number_masked ? me.person.id_number_masked.slice(0, 6) : '';
  const county0 = (draft.stationCounty && draft.stationCounty.code) || idArea;
  let picked = draft.station || null;

  const list = h('div', { class: 'weui-cells weui-cells_radio station-list', id: 'station-list', role: 'radiogroup', 'aria-label': '派出所' });
  const nextBtn = h('button', { type: 'button', id: 'btn-station-next', 'data-test': 'station-next', class: 'weui-btn weui-btn_primary', disabled: !picked }, '下一步');
  const filter = h('input', { type: 'search', class: 'weui-input', id: 'station-filter', 'data-test': 'station-filter', placeholder: '按名称或地址筛选', 'aria-label': '按名称或地址筛选派出所' });
  const filterCell = h('div', { class: 'weui-cells station-filter is-hidden' },
    h('div', { class: 'weui-cell weui-cell_active' },
      h('div', { class: 'weui-cell__hd' }, h('i', { class: 'weui-icon-search', 'aria-hidden': 'true' })),
      h('div', { class: 'weui-cell__bd' }, filter)));
  let items = [];
  let countySel = null;

  const drawList = () => {
    const q = filter.value.trim();
    const shown = q ? items.filter((s) => s.name.includes(q) || (s.address || '').includes(q)) : items;
    if (!shown.length) {
      mount(list, h('div', { class: 'weui-cell' }, h('div', { class: 'weui-cell__bd muted' }, q ? '没有符合条件的派出所' : '该区（县）暂无可选派出所')));
      return;
    }
    mount(list, shown.map((s) => {
      const id = `station-${s.id}`;
      const radio = h('input', {
        type: 'radio', class: 'weui-check', name: 'station', id, value: String(s.id),
        'data-test': 'station-radio', checked: Boolean(picked && picked.id === s.id),
      });
      radio.addEventListener('change', () => {
        picked = s;
        nextBtn.disabled = false;
        saveDraft({ station: s, stationCounty: countySel });
        revealNext(nextBtn);
      });
      return h('label', { class: 'weui-cell weui-cell_active weui-check__label station', for: id, 'data-test': id, 'data-station-id': String(s.id) },
        h('div', { class: 'weui-cell__bd' },
          h('p', { class: 'station__name' }, withoutCounty(s.name, countySel), s.remote ? h('span', { class: 'tag tag_gray' }, '偏远地区') : null)),
        h('div', { class: 'weui-cell__ft' }, radio, h('span', { class: 'weui-icon-checked' })));
    }));
  };

  const onCounty = async (county) => {
    countySel = county;
    items = [];
    filter.value = '';
    if (!county) {
      filterCell.classList.add('is-hidden');
      mount(list, h('div', { class: 'weui-cell' }, h('div', { class: 'weui-cell__bd muted' }, '请选择市（州）和区（县）')));
      return;
    }
    mount(list, loadingBlock());
    try {
      const got = await stations(county.code);
      if (!ctx.alive() || countySel !== county) return;
      items = got;
      if (picked && !items.some((s) => s.id === picked.id)) {
        picked = null;
        nextBtn.disabled = true;
      }
      filterCell.classList.toggle('is-hidden', items.length < 8);
      drawList();
    } catch (e) {
      if (!ctx.alive()) return;
      mount(list, emptyBlock(e.message));
    }
  };
  filter.addEventListener('input', drawList);

  const cas = cascade('station', {
    prefecture: prefectureOf(county0),
    county: county0,
    onChange: onCounty,
    onError: (e) => showError(e),
  });

  nextBtn.addEventListener('click', () => {
    if (!picked) return;
    saveDraft({ station: picked, stationCounty: countySel });
    ctx.go(getDraft().needsPhoto ? '#/apply/photo' : '#/apply/confirm');
  });

  mount(root,
    pageHeader('选择派出所', '#/apply'),
    steps('station', draft.needsPhoto),
    h('p', { class: 'hint fine-print' }, '全省任一派出所均可。'),
    h('div', { class: 'weui-cells weui-cells_form' }, cas.el),
    h('div', { class: 'weui-cells__title' }, '派出所'),
    filterCell,
    list,
    h('div', { class: 'weui-btn-area sticky-actions' }, nextBtn));

  mount(list, h('div', { class: 'weui-cell' }, h('div', { class: 'weui-cell__bd muted' }, '请选择市（州）和区（县）')));
  await cas.ready;
}
