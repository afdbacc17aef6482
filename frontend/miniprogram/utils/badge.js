// The unread count on the 消息 tab.

/** Shows n on the 消息 tab (index 2), or nothing for 0. */
function setUnread(n) {
  if (n > 0) wx.setTabBarBadge({ index: 2, text: n > 99 ? '99+' : String(n), fail: () => {} });
  else wx.removeTabBarBadge({ index: 2, fail: () => {} });
}

module.exports = { setUnread };
