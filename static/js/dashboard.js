// The supervisor dashboard's trend chart. The page works without it: the
// same numbers are in the table beside the chart. Data comes from the JSON
// block #trend-data (the CSP allows only our own scripts, no inline code).
(function () {
  'use strict';
  var data = document.getElementById('trend-data');
  var box = document.getElementById('trend-chart');
  if (!data || !box || typeof window.echarts === 'undefined') {
    return;
  }
  var d;
  try {
    d = JSON.parse(data.textContent);
  } catch (e) {
    return;
  }
  if (!d || !d.days || !d.days.length) {
    return;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return '&#' + c.charCodeAt(0) + ';';
    });
  }
  box.hidden = false;
  var chart = window.echarts.init(box, null, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    color: ['#1d4f91', '#2e7d32', '#b26a00'],
    textStyle: { fontFamily: 'PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif' },
    legend: { top: 0, data: ['新申请', '办结', '其中发证'] },
    grid: { left: 44, right: 16, top: 36, bottom: 28 },
    // Plain-text tooltip: the default one writes style attributes, which
    // the CSP refuses.
    tooltip: {
      trigger: 'axis',
      formatter: function (items) {
        var lines = [esc(items.length ? items[0].axisValue : '')];
        items.forEach(function (it) {
          lines.push(esc(it.seriesName) + '：' + esc(it.value));
        });
        return lines.join('<br>');
      }
    },
    xAxis: { type: 'category', data: d.days, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '新申请', type: 'bar', data: d.submitted, barMaxWidth: 14 },
      { name: '办结', type: 'line', data: d.finished, symbolSize: 5 },
      { name: '其中发证', type: 'line', data: d.handed, symbolSize: 4, lineStyle: { type: 'dashed' } }
    ]
  });
  window.addEventListener('resize', function () {
    chart.resize();
  });
})();
