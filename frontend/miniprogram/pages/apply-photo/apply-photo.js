// 申请 step 4 (expiry renewal only): a new photo — chosen with wx.chooseMedia
// and uploaded (wx.uploadFile to /photos, judged by the server against GA 461,
// its refusal reason shown), or a photo studio's 相片回执号.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const session = require('../../utils/session.js');
const { steps, missingStep } = require('../../utils/steps.js');
const elder = require('../../utils/elder.js');

const MAX_BYTES = 2 << 20;
const RECEIPT_RE = /^[0-9A-Za-z]{8,20}$/;
const STATE_TEXT = { busy: '上传中…', ok: '已通过检测', bad: '未通过' };

Component({
  behaviors: [elder.behavior],
  data: {
    loading: true, error: '', steps: [], mode: 'upload', preview: '', state: '', stateText: '',
    uploadError: '', receipt: '', receiptError: '', ready: false,
  },
  methods: {
    onLoad() { this.load(); },
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        const me = await ui.requireMe({ bound: true, back: '/pages/apply-photo/apply-photo' });
        if (!me) return;
        const draft = session.getDraft();
        const miss = missingStep(draft);
        if (miss && miss !== '/pages/apply-photo/apply-photo') { wx.redirectTo({ url: miss }); return; }
        if (!draft.needsPhoto) { wx.redirectTo({ url: '/pages/apply-confirm/apply-confirm' }); return; }
        this.photo = draft.photo || {};
        const uploaded = this.photo.mode === 'upload' && this.photo.photo_id;
        this.setData({
          loading: false,
          steps: steps('photo', true),
          mode: this.photo.mode || 'upload',
          receipt: this.photo.receipt_no || '',
          preview: uploaded ? this.photo.preview || '' : '',
          state: uploaded ? 'ok' : '',
          stateText: uploaded ? STATE_TEXT.ok : '',
        });
        this.sync();
      } catch (e) {
        this.setData({ loading: false, error: e.message });
      }
    },
    sync() {
      const ready = this.data.mode === 'upload' ? Boolean(this.photo.photo_id) : RECEIPT_RE.test(this.data.receipt.trim());
      this.setData({ ready });
    },
    setMode(e) { this.setData({ mode: e.currentTarget.dataset.mode }); this.sync(); },
    setState(state, extra) { this.setData(Object.assign({ state, stateText: STATE_TEXT[state] || '' }, extra || {})); },
    choose() {
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sourceType: ['album', 'camera'],
        sizeType: ['original'],
        success: (res) => this.upload(res.tempFiles && res.tempFiles[0]),
        fail: () => {},
      });
    },
    async upload(file) {
      if (!file) return;
      if (file.size > MAX_BYTES) {
        this.setState('bad', { uploadError: `文件大小为${(file.size / 1048576).toFixed(1)}MB，超过2MB上限，请压缩后重新选择。` });
        return;
      }
      this.photo = { mode: 'upload' };
      session.saveDraft({ photo: null });
      this.setState('busy', { preview: file.tempFilePath, uploadError: '' });
      this.sync();
      try {
        const r = await api.upload('/photos', file.tempFilePath);
        this.photo = { mode: 'upload', photo_id: r.photo_id, preview: file.tempFilePath };
        session.saveDraft({ photo: this.photo });
        this.setState('ok');
        ui.toast('相片上传成功');
      } catch (e) {
        this.setState('bad', { uploadError: e.message });
        if (e.code !== 'PHOTO_INVALID' && e.status !== 413) ui.showError(e, '上传失败');
      }
      this.sync();
    },
    onReceipt(e) {
      const v = e.detail.value.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 20);
      this.setData({ receipt: v, receiptError: '' });
      this.sync();
      return v;
    },
    next() {
      if (this.data.mode === 'upload') {
        if (!this.photo.photo_id) { this.setData({ uploadError: '请先上传符合要求的相片' }); return; }
        session.saveDraft({ photo: { mode: 'upload', photo_id: this.photo.photo_id, preview: this.photo.preview || '' } });
      } else {
        const v = this.data.receipt.trim().toUpperCase();
        if (!RECEIPT_RE.test(v)) { this.setData({ receiptError: '相片回执号应为8至20位字母或数字' }); return; }
        session.saveDraft({ photo: { mode: 'receipt', receipt_no: v } });
      }
      wx.navigateTo({ url: '/pages/apply-confirm/apply-confirm' });
    },
  },
});
