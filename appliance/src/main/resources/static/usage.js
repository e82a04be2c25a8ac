// Usage dashboard: reads /api/v1/admin/usage (sums for the range) and /api/v1/admin/usage/calls (the calls, newest
// first), and draws the charts as SVG elements (no chart library, nothing inline: the CSP forbids it). Every read
// is an audited view on the server.
(function () {
  const API = '/api/v1/admin/usage';
  const SVG = 'http://www.w3.org/2000/svg';
  const PAGE_SIZE = 50;
  const form = document.getElementById('usage-filters');
  const error = document.getElementById('usage-error');
  let filters = {};
  let callsPage = 0;

  function showError(text) { error.textContent = text; error.hidden = !text; }
  function number(n) { return Number(n || 0).toLocaleString(); }
  function money(n) {
    const v = Number(n || 0);
    return v.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: v !== 0 && Math.abs(v) < 0.01 ? 6 : 2 });
  }
  function when(t) { return t ? t.replace('T', ' ').substring(0, 19) : ''; }
  function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text == null ? '' : text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  function svg(name, attrs, text) {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    if (text != null) el.textContent = text;
    return el;
  }
  function titled(el, text) { el.appendChild(svg('title', {}, text)); return el; }

  async function get(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.json();
  }

  function query(extra) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(Object.assign({}, filters, extra || {}))) {
      if (v !== '' && v != null) params.set(k, v);
    }
    return params.toString();
  }

  // Tokens by day: one stacked bar (input below, output above) per calendar day of the range.
  function drawDays(days) {
    const box = document.getElementById('chart-day');
    const width = 960, height = 220, left = 56, bottom = 24, top = 16;
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, preserveAspectRatio: 'xMidYMid meet' });
    const max = Math.max(1, ...days.map(d => d.totalTokens));
    const slot = (width - left - 8) / Math.max(1, days.length);
    const scale = (height - top - bottom) / max;
    chart.appendChild(svg('line', { class: 'axis', x1: left, y1: height - bottom, x2: width - 4, y2: height - bottom }));
    chart.appendChild(svg('text', { x: left - 6, y: top + 4, 'text-anchor': 'end' }, number(max)));
    chart.appendChild(svg('text', { x: left - 6, y: height - bottom, 'text-anchor': 'end' }, '0'));
    const labelEvery = Math.ceil(days.length / 16);
    days.forEach((d, i) => {
      const x = left + i * slot + slot * 0.15, w = Math.max(1, slot * 0.7);
      const hIn = d.inputTokens * scale, hOut = d.outputTokens * scale;
      const tip = d.day + ': ' + number(d.calls) + ' calls, ' + number(d.inputTokens) + ' in, ' + number(d.outputTokens) + ' out, cost ' + money(d.cost);
      const group = titled(svg('g', { 'data-day': d.day }), tip);
      group.appendChild(svg('rect', { class: 'bar-in', x: x, y: height - bottom - hIn, width: w, height: hIn }));
      group.appendChild(svg('rect', { class: 'bar-out', x: x, y: height - bottom - hIn - hOut, width: w, height: hOut }));
      chart.appendChild(group);
      if (i % labelEvery === 0) {
        chart.appendChild(svg('text', { x: x + w / 2, y: height - 8, 'text-anchor': 'middle' }, d.day.substring(5)));
      }
    });
    chart.appendChild(svg('rect', { class: 'legend-in', x: width - 190, y: 2, width: 10, height: 10 }));
    chart.appendChild(svg('text', { x: width - 176, y: 11 }, 'input'));
    chart.appendChild(svg('rect', { class: 'legend-out', x: width - 120, y: 2, width: 10, height: 10 }));
    chart.appendChild(svg('text', { x: width - 106, y: 11 }, 'output tokens'));
    box.replaceChildren(chart);
  }

  // Horizontal bars by cost (by tokens when nothing in the range has a price), the ten largest.
  function drawBars(id, rows, label) {
    const box = document.getElementById(id);
    const top = rows.slice(0, 10);
    if (top.length === 0) {
      box.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Nothing in this range.' }));
      return;
    }
    const byCost = top.some(r => Number(r.cost) > 0);
    const value = r => byCost ? Number(r.cost) : r.totalTokens;
    const width = 460, row = 24, labelWidth = 170;
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + (top.length * row + 4), preserveAspectRatio: 'xMinYMin meet' });
    const max = Math.max(...top.map(value)) || 1;
    top.forEach((r, i) => {
      const y = i * row + 2, w = (width - labelWidth - 90) * value(r) / max;
      const name = label(r);
      const group = titled(svg('g', {}), name + ': ' + number(r.calls) + ' calls, ' + number(r.totalTokens) + ' tokens, cost ' + money(r.cost));
      group.appendChild(svg('text', { class: 'label', x: labelWidth - 6, y: y + 15, 'text-anchor': 'end' },
        name.length > 26 ? name.substring(0, 25) + '…' : name));
      group.appendChild(svg('rect', { class: 'bar', x: labelWidth, y: y + 4, width: Math.max(1, w), height: row - 8 }));
      group.appendChild(svg('text', { x: labelWidth + Math.max(1, w) + 6, y: y + 15 }, byCost ? money(r.cost) : number(r.totalTokens)));
      chart.appendChild(group);
    });
    box.replaceChildren(chart);
  }

  function fillTable(id, rows, label) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren();
    for (const r of rows) {
      const tr = document.createElement('tr');
      cell(tr, label(r)); cell(tr, number(r.calls)); cell(tr, number(r.inputTokens)); cell(tr, number(r.outputTokens)); cell(tr, money(r.cost));
      body.appendChild(tr);
    }
  }

  async function loadSummary() {
    const s = await get(API + '?' + query());
    document.getElementById('total-calls').textContent = number(s.totals.calls);
    document.getElementById('total-input').textContent = number(s.totals.inputTokens);
    document.getElementById('total-output').textContent = number(s.totals.outputTokens);
    document.getElementById('total-cost').textContent = money(s.totals.cost);
    document.getElementById('total-failures').textContent = number(s.failures);
    drawDays(s.byDay);
    const user = r => r.email, role = r => r.role, model = r => r.model + ' (' + r.provider + ')';
    drawBars('chart-user', s.byUser, user); fillTable('table-user', s.byUser, user);
    drawBars('chart-role', s.byRole, role); fillTable('table-role', s.byRole, role);
    drawBars('chart-model', s.byModel, model); fillTable('table-model', s.byModel, model);
  }

  function fingerprint(tr, hex) {
    const td = cell(tr, '');
    if (hex) {
      const code = document.createElement('code');
      code.textContent = hex.substring(0, 12);
      code.title = hex;
      td.appendChild(code);
    }
  }

  async function loadCalls() {
    const page = await get(API + '/calls?' + query({ page: callsPage, size: PAGE_SIZE }));
    const rows = document.getElementById('calls-rows');
    rows.replaceChildren();
    document.getElementById('calls-table').hidden = page.total === 0;
    document.getElementById('no-calls').hidden = page.total !== 0;
    for (const c of page.items) {
      const tr = document.createElement('tr');
      tr.dataset.id = c.id;
      cell(tr, when(c.startedAt)); cell(tr, c.email); cell(tr, c.model); cell(tr, c.channel);
      for (const tokens of [c.inputTokens, c.outputTokens]) {
        const td = cell(tr, number(tokens) + (c.usageReported ? '' : ' ~'), 'num');
        if (!c.usageReported) td.title = 'Estimated: the provider reported no usage for this call.';
      }
      cell(tr, money(c.cost), 'num'); cell(tr, number(c.latencyMs) + ' ms', 'num');
      const outcome = cell(tr, c.outcome, 'outcome-' + c.outcome);
      if (c.error) outcome.title = c.error;
      fingerprint(tr, c.requestSha256); fingerprint(tr, c.outputSha256);
      rows.appendChild(tr);
    }
    const first = page.page * page.size + 1;
    document.getElementById('calls-position').textContent = page.total === 0 ? ''
      : first + '–' + (first + page.items.length - 1) + ' of ' + number(page.total);
    document.getElementById('calls-newer').hidden = page.page === 0;
    document.getElementById('calls-older').hidden = (page.page + 1) * page.size >= page.total;
  }

  async function refresh() {
    showError('');
    try {
      await Promise.all([loadSummary(), loadCalls()]);
    } catch (e) {
      showError(e.message);
    }
  }

  function readFilters() {
    filters = {
      from: document.getElementById('filter-from').value,
      to: document.getElementById('filter-to').value,
      user: document.getElementById('filter-user').value.trim(),
      model: document.getElementById('filter-model').value.trim(),
      outcome: document.getElementById('filter-outcome').value
    };
  }

  form.addEventListener('submit', e => { e.preventDefault(); readFilters(); callsPage = 0; refresh(); });
  document.getElementById('calls-newer').addEventListener('click', () => { callsPage--; loadCalls().catch(e => showError(e.message)); });
  document.getElementById('calls-older').addEventListener('click', () => { callsPage++; loadCalls().catch(e => showError(e.message)); });
  readFilters();
  refresh();
})();
