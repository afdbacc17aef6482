// 申请 step 4 (expiry renewal only): a new photo — an upload meeting GA 461
// (JPEG, 358×441 px, white background) or a studio's 相片回执号.

import { api } from '../api.js';
import { h, mount, pageHeader, showError, toast } from '../ui.js';
import { getDraft, saveDraft } from '../store.js';
import { steps, missingStep } from '../steps.js';

const MAX_BYTES = 2 << 20;
const RECEIPT_RE = /^[0-9A-Za-z]{8,20}$/;

const readDataURL = (file) => new Promise((resolve, reject) => {
  const r = new FileReader();
  r.onload = () => resolve(r.result);
  r.onerror = () => reject(r.error);
  r.readAsDataURL(file);
});

export async function render(ctx) {
  const { root } = ctx;
  const draft = getDraft();
  const miss = missingStep(draft);
  if (miss && miss !== '#/apply/photo') { ctx.go(miss, { replace: true }); return; }
  if (!draft.needsPhoto) { ctx.go('#/apply/confirm', { replace: true }); return; }

  let photo = draft.photo || {};
  let mode = photo.mode || 'upload';

  // ---- mode switch (upload | receipt) ----
  const tab = (value, label) => h('button', {
    type: 'button', role: 'tab', id: `photo-mode-${value}`, 'data-test': `photo-mode-${value}`,
    class: ['weui-navbar__item', mode === value ? 'weui-bar__item_on' : ''],
    'aria-selected': mode === value ? 'true' : 'false',
    onclick: () => { mode = value; sync(); },
  }, label);
  const tabs = [tab('upload', '上传相片'), tab('receipt', '填写相片回执号')];

  // ---- upload ----
  const fileInput = h('input', { type: 'file', accept: 'image/jpeg,.jpg,.jpeg', id: 'photo-file', 'data-test': 'photo-file', class: 'weui-uploader__input', 'aria-label': '选择相片文件' });
  const preview = h('img', { class: 'photo-preview__img is-hidden', id: 'photo-preview', 'data-test': 'photo-preview', alt: '相片预览' });
  const badge = h('span', { class: 'photo-preview__badge is-hidden', id: 'photo-status', 'data-test': 'photo-status' });
  const uploadErr = h('p', { class: 'form-error is-hidden', role: 'alert', id: 'photo-error', 'data-test': 'photo-error' });
  const uploadBox = h('div', { class: 'photo-upload' },
    h('div', { class: 'photo-preview' },
      h('div', { class: 'photo-preview__frame' },
        preview,
        h('span', { class: 'photo-preview__placeholder', id: 'photo-placeholder' }, '358×441', h('br'), '白底证件照')),
      badge),
    h('div', { class: 'photo-upload__side' },
      h('label', { class: 'weui-btn weui-btn_default weui-btn_mini photo-upload__pick', for: 'photo-file' }, '选择相片'),
      fileInput,
      h('ul', { class: 'photo-rules' },
        h('li', null, 'JPEG格式，358×441像素'),
        h('li', null, '白色背景，免冠正面'),
        h('li', null, '文件不超过2MB'),
        h('li', null, '建议使用照相馆按GA 461标准拍摄的电子相片'))));

  const setUploadState = (state, text) => {
    badge.textContent = text || '';
    badge.className = `photo-preview__badge is-${state}`;
    badge.classList.toggle('is-hidden', !text);
  };
  const setUploadErr = (msg) => { uploadErr.textContent = msg || ''; uploadErr.classList.toggle('is-hidden', !msg); };
  const showPreview = (src) => {
    if (!src) { preview.classList.add('is-hidden'); return; }
    preview.src = src;
    preview.classList.remove('is-hidden');
    root.querySelector('#photo-placeholder').classList.add('is-hidden');
  };

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    setUploadErr('');
    if (file.size > MAX_BYTES) {
      setUploadState('bad', '未通过');
      setUploadErr(`文件大小为${(file.size / 1048576).toFixed(1)}MB，超过2MB上限，请压缩后重新选择。`);
      fileInput.value = '';
      return;
    }
    let dataURL = '';
    try { dataURL = await readDataURL(file); } catch { /* the preview is optional */ }
    if (!ctx.alive()) return;
    showPreview(dataURL);
    setUploadState('busy', '上传中…');
    photo = { mode: 'upload' };
    saveDraft({ photo: null });
    sync();
    const form = new FormData();
    form.append('file', file, file.name || 'photo.jpg');
    try {
      const r = await api('POST', '/photos', { form, timeout: 60000 });
      if (!ctx.alive()) return;
      photo = { mode: 'upload', photo_id: r.photo_id, preview: dataURL };
      saveDraft({ photo });
      setUploadState('ok', '已通过检测');
      toast('相片上传成功');
    } catch (e) {
      if (!ctx.alive()) return;
      setUploadState('bad', '未通过');
      setUploadErr(e.message);
      if (e.code !== 'PHOTO_INVALID' && e.status !== 413) showError(e, '上传失败');
    } finally {
      fileInput.value = '';
      sync();
    }
  });

  // ---- receipt number ----
  const receipt = h('input', {
    id: 'photo-receipt', 'data-test': 'photo-receipt', class: 'weui-input', type: 'text', maxlength: '20',
    autocapitalize: 'characters', spellcheck: 'false', placeholder: '8至20位字母或数字', value: photo.receipt_no || '',
  });
  const receiptErr = h('p', { class: 'form-error is-hidden', role: 'alert', id: 'photo-receipt-error', 'data-test': 'photo-receipt-error' });
  receipt.addEventListener('input', () => {
    receipt.value = receipt.value.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 20);
    receiptErr.classList.add('is-hidden');
    sync();
  });
  const receiptBox = h('div', { class: 'photo-receipt' },
    h('div', { class: 'weui-cells weui-cells_form' },
      h('div', { class: 'weui-cell weui-cell_active' },
        h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'photo-receipt' }, '回执号')),
        h('div', { class: 'weui-cell__bd' }, receipt))),
    receiptErr,
    h('div', { class: 'weui-cells__tips tips-block' }, '在具备资质的照相馆拍摄身份证相片后，照相馆会提供相片回执号（数码相片回执）。'));

  const nextBtn = h('button', { type: 'button', id: 'btn-photo-next', 'data-test': 'photo-next', class: 'weui-btn weui-btn_primary' }, '下一步');
  nextBtn.addEventListener('click', () => {
    if (mode === 'upload') {
      if (!photo.photo_id) { setUploadErr('请先上传符合要求的相片'); return; }
      saveDraft({ photo: { mode: 'upload', photo_id: photo.photo_id, preview: photo.preview || null } });
    } else {
      const v = receipt.value.trim().toUpperCase();
      if (!RECEIPT_RE.test(v)) {
        receiptErr.textContent = '相片回执号应为8至20位字母或数字';
        receiptErr.classList.remove('is-hidden');
        receipt.focus();
        return;
      }
      saveDraft({ photo: { mode: 'receipt', receipt_no: v } });
    }
    ctx.go('#/apply/confirm');
  });

  function sync() {
    tabs.forEach((t) => {
      const on = t.id === `photo-mode-${mode}`;
      t.classList.toggle('weui-bar__item_on', on);
      t.setAttribute('aria-selected', on ? 'true' : 'false');
    });
    uploadBox.classList.toggle('is-hidden', mode !== 'upload');
    uploadErr.classList.toggle('is-gone', mode !== 'upload');
    receiptBox.classList.toggle('is-hidden', mode !== 'receipt');
    const ready = mode === 'upload' ? Boolean(photo.photo_id) : RECEIPT_RE.test(receipt.value.trim());
    nextBtn.classList.toggle('weui-btn_disabled', !ready);
    nextBtn.setAttribute('aria-disabled', ready ? 'false' : 'true');
  }

  mount(root,
    pageHeader('提供相片', '#/apply/station'),
    steps('photo', true),
    h('p', { class: 'hint' }, '到期换领需要使用新相片，请任选一种方式提供。'),
    h('div', { class: 'weui-navbar photo-tabs', role: 'tablist' }, tabs),
    h('div', { class: 'photo-body' }, uploadBox, uploadErr, receiptBox),
    h('div', { class: 'weui-btn-area' }, nextBtn));

  if (photo.mode === 'upload' && photo.photo_id) {
    showPreview(photo.preview || '');
    setUploadState('ok', '已通过检测');
  }
  sync();
}
