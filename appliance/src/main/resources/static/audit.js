// Audit trail page: search with filters and keyset paging (Older follows nextBefore, Newer goes back through the
// pages already seen), export links that carry the applied filters, and the chain's verification status.
(function () {
  const API = '/api/v1/admin/audit';
  const PAGE_SIZE = 50;
  const FIELDS = ['actor', 'action', 'connector', 'outcome', 'from', 'to'];
  const zone = document.getElementById('audit-page').dataset.zone || 'UTC';
  const error = document.getElementById('audit-error');
  const timeFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit' });
  let applied = {};          // the filters of the rows shown
  let before = null;         // the page shown: rows with seq < before (null: the newest)
  let newer = [];            // the "before" of each page seen on the way here, to go back
  let shownFirst = 0;

  function showError(text) { error.textContent = text; error.hidden = !text; }
  function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text == null ? '' : text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  function when(t) { return t ? timeFormat.format(new Date(t)) : ''; }

  async function call(method, url) {
    const response = await fetch(url, { method: method, headers: { 'Accept': 'application/json' } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.json();
  }

  function query(filters, extra) {
    const params = new URLSearchParams();
    for (const f of FIELDS) if (filters[f]) params.set(f, filters[f]);
    for (const [k, v] of Object.entries(extra || {})) if (v != null) params.set(k, v);
    return params.toString();
  }

  // Details are JSON text as stored; shown on one line, keys as written.
  function compact(details) {
    try { return JSON.stringify(JSON.parse(details)); } catch (e) { return details; }
  }

  function target(row) {
    if (!row.targetType && !row.targetId) return '';
    return (row.targetType || '') + (row.targetId ? ' ' + row.targetId : '');
  }

  async function load() {
    showError('');
    const page = await call('GET', API + '?' + query(applied, { before: before, limit: PAGE_SIZE }));
    const rows = document.getElementById('rows');
    rows.replaceChildren();
    for (const r of page.items) {
      const tr = document.createElement('tr');
      cell(tr, r.seq); cell(tr, when(r.occurredAt)); cell(tr, r.actorEmail || (r.actorId ? r.actorId : 'portal'));
      cell(tr, r.action);
      cell(tr, r.outcome.charAt(0) + r.outcome.substring(1).toLowerCase(),
        r.outcome === 'DENIED' ? 'audit-denied' : r.outcome === 'FAILURE' ? 'audit-failure' : '');
      cell(tr, target(r)); cell(tr, r.connector);
      const from = cell(tr, r.ip);
      if (r.userAgent) from.title = r.userAgent + (r.requestId ? ' · request ' + r.requestId : '');
      cell(tr, compact(r.details), 'audit-details');
      rows.appendChild(tr);
    }
    document.getElementById('rows-table').hidden = page.items.length === 0;
    document.getElementById('no-rows').hidden = page.items.length !== 0;
    shownFirst = newer.length * PAGE_SIZE + 1;
    document.getElementById('page-position').textContent = page.items.length === 0 ? ''
      : 'Rows ' + shownFirst + '–' + (shownFirst + page.items.length - 1) + ' (newest first)';
    document.getElementById('page-newer').hidden = newer.length === 0;
    const older = document.getElementById('page-older');
    older.hidden = page.nextBefore == null;
    older.dataset.before = page.nextBefore == null ? '' : String(page.nextBefore);
  }

  function readForm() {
    const filters = {};
    for (const f of FIELDS) filters[f] = document.getElementById('f-' + f).value.trim();
    return filters;
  }

  function exportLinks() {
    for (const format of ['csv', 'jsonl']) {
      document.getElementById('export-' + format).href = API + '/export?' + query(applied, { format: format });
    }
  }

  async function search() {
    const filters = readForm();
    try {
      applied = filters; before = null; newer = [];
      await load();
      exportLinks();
    } catch (e) {
      showError(e.message);
    }
  }

  function renderChain(status) {
    const box = document.getElementById('chain');
    const problem = document.getElementById('chain-problem');
    if (!status) {
      box.dataset.state = 'unknown';
      document.getElementById('chain-state').textContent = 'The chain has not been verified yet';
      document.getElementById('chain-detail').textContent = '';
      problem.hidden = true;
      return;
    }
    box.dataset.state = status.intact ? 'intact' : 'broken';
    document.getElementById('chain-state').textContent = status.intact ? 'The chain is intact'
      : 'The chain is broken at row ' + status.firstBrokenSeq;
    document.getElementById('chain-detail').textContent = status.rowsChecked + ' rows checked'
      + (status.intact ? ', up to row ' + status.lastSeq : ' before it') + ' · verified ' + when(status.checkedAt)
      + (status.checkedBy ? ' by ' + status.checkedBy : '');
    problem.textContent = status.problem || '';
    problem.hidden = status.intact;
  }

  async function loadChain() {
    try { renderChain(await call('GET', API + '/verify')); } catch (e) { showError(e.message); }
  }

  document.getElementById('verify-now').addEventListener('click', async function () {
    const button = this;
    button.disabled = true; button.textContent = 'Verifying…'; showError('');
    try {
      renderChain(await call('POST', API + '/verify'));
      if (!before) await load(); // the verification is itself a new row
    } catch (e) {
      showError(e.message);
    } finally {
      button.disabled = false; button.textContent = 'Verify now';
    }
  });

  document.getElementById('audit-filters').addEventListener('submit', function (e) { e.preventDefault(); search(); });
  document.getElementById('f-clear').addEventListener('click', function () {
    for (const f of FIELDS) document.getElementById('f-' + f).value = '';
    search();
  });
  document.getElementById('page-older').addEventListener('click', function () {
    newer.push(before);
    before = Number(this.dataset.before);
    load().catch(e => showError(e.message));
  });
  document.getElementById('page-newer').addEventListener('click', function () {
    before = newer.pop();
    load().catch(e => showError(e.message));
  });

  search();
  loadChain();
})();
