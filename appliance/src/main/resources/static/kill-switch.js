// Kill-switch admin page: the global switch, one switch per model/connector/tool/role/person, the engaged list
// and the history. Everything goes through /api/v1/admin/kill-switch; the page re-reads the state every few
// seconds so a switch pulled by another admin (or on another node) shows up here too.
(function () {
  const API = '/api/v1/admin/kill-switch';
  const PAGE_SIZE = 20;
  const SCOPE_NAMES = { GLOBAL: 'Everything', MODEL: 'Model', CONNECTOR: 'Connector', TOOL: 'Tool', ROLE: 'Role', USER: 'Person' };
  const PLACEHOLDERS = { MODEL: 'model name, e.g. gpt-4o', CONNECTOR: 'connector name, e.g. demo',
    TOOL: 'connector__tool, e.g. demo__run_query', ROLE: 'role name', USER: 'email address' };
  const error = document.getElementById('ks-error');
  const panel = document.getElementById('global-panel');
  const scopeSelect = document.getElementById('switch-scope');
  const target = document.getElementById('switch-target');
  const suggestions = document.getElementById('switch-suggestions');
  let globalEngaged = false;
  let historyPage = 0;
  const known = { MODEL: [], CONNECTOR: [], TOOL: [], ROLE: [], USER: [] };

  function showError(text) { error.textContent = text; error.hidden = !text; }
  function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text == null ? '' : text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  function when(t) { return t ? t.replace('T', ' ').substring(0, 19) : ''; }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.status === 204 ? null : response.json();
  }

  function renderGlobal(global) {
    globalEngaged = global.engaged;
    panel.dataset.engaged = String(global.engaged);
    document.getElementById('global-state').textContent = global.engaged ? 'All AI assistance is switched off' : 'AI assistance is on';
    document.getElementById('global-detail').textContent = global.engaged
      ? 'By ' + global.changedBy + ' at ' + when(global.changedAt) + ': ' + (global.reason || '') : '';
    document.getElementById('global-reason-label').hidden = global.engaged;
    document.getElementById('global-button').textContent = global.engaged ? 'Switch everything back on' : 'Switch everything off';
  }

  function renderEngaged(switches) {
    const rows = document.getElementById('engaged-rows');
    rows.replaceChildren();
    document.getElementById('engaged-table').hidden = switches.length === 0;
    document.getElementById('none-engaged').hidden = switches.length !== 0;
    for (const s of switches) {
      const tr = document.createElement('tr');
      cell(tr, SCOPE_NAMES[s.scope]); cell(tr, s.label); cell(tr, s.reason); cell(tr, s.changedBy); cell(tr, when(s.changedAt));
      const release = document.createElement('button');
      release.type = 'button'; release.className = 'link'; release.textContent = 'Switch back on';
      release.addEventListener('click', () => change('release', { scope: s.scope, target: s.target },
        'Switch ' + SCOPE_NAMES[s.scope].toLowerCase() + ' ' + s.label + ' back on?'));
      cell(tr, '').appendChild(release);
      rows.appendChild(tr);
    }
  }

  async function loadState() {
    const state = await call('GET', API);
    // Empty lists and strings are left out of the JSON.
    renderGlobal(state.global);
    renderEngaged(state.switches || []);
  }

  async function loadHistory() {
    const page = await call('GET', API + '/history?page=' + historyPage + '&size=' + PAGE_SIZE);
    const rows = document.getElementById('history-rows');
    rows.replaceChildren();
    document.getElementById('history-table').hidden = page.total === 0;
    document.getElementById('no-history').hidden = page.total !== 0;
    const items = page.items || [];
    for (const h of items) {
      const tr = document.createElement('tr');
      cell(tr, when(h.at));
      cell(tr, h.action === 'ENGAGE' ? 'Switched off' : 'Switched on', h.action === 'ENGAGE' ? 'ks-engage' : '');
      cell(tr, SCOPE_NAMES[h.scope]); cell(tr, h.label); cell(tr, h.reason); cell(tr, h.actor);
      rows.appendChild(tr);
    }
    const first = page.page * page.size + 1;
    document.getElementById('history-position').textContent = page.total === 0 ? ''
      : first + '–' + (first + items.length - 1) + ' of ' + page.total;
    document.getElementById('history-newer').hidden = page.page === 0;
    document.getElementById('history-older').hidden = (page.page + 1) * page.size >= page.total;
  }

  async function refresh() {
    try {
      await Promise.all([loadState(), loadHistory()]);
    } catch (e) {
      showError(e.message);
    }
  }

  async function change(action, body, question) {
    if (question && !window.confirm(question)) return false;
    showError('');
    try {
      await call('POST', API + '/' + action, body);
      historyPage = 0;
      await refresh();
      return true;
    } catch (e) {
      showError(e.message);
      return false;
    }
  }

  // Suggestions for the "Which" field; each list is best effort (an empty list only means no suggestions).
  async function loadSuggestions() {
    const [providers, connectors, roles] = await Promise.all([
      call('GET', '/api/v1/admin/providers').catch(() => []),
      call('GET', '/api/v1/admin/connectors').catch(() => []),
      call('GET', '/api/v1/admin/roles').catch(() => [])]);
    known.MODEL = providers.flatMap(p => (p.models || []).map(m => m.name));
    known.CONNECTOR = connectors.map(c => c.name);
    known.TOOL = connectors.flatMap(c => (c.tools || []).map(t => c.name + '__' + t.name));
    known.ROLE = roles.map(r => r.name);
    showSuggestions();
  }

  function showSuggestions() {
    const scope = scopeSelect.value;
    target.placeholder = PLACEHOLDERS[scope];
    suggestions.replaceChildren(...known[scope].map(v => { const o = document.createElement('option'); o.value = v; return o; }));
  }

  document.getElementById('global-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    if (globalEngaged) {
      await change('release', { scope: 'GLOBAL' }, 'Switch AI assistance back on for everyone?');
      return;
    }
    const reason = document.getElementById('global-reason');
    if (!reason.value.trim()) { showError('Give a reason before switching everything off.'); reason.focus(); return; }
    if (await change('engage', { scope: 'GLOBAL', reason: reason.value }, 'Switch off all AI assistance for everyone, now?')) {
      reason.value = '';
    }
  });

  document.getElementById('switch-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    const reason = document.getElementById('switch-reason');
    if (await change('engage', { scope: scopeSelect.value, target: target.value, reason: reason.value }, null)) {
      target.value = ''; reason.value = '';
    }
  });

  scopeSelect.addEventListener('change', showSuggestions);
  document.getElementById('history-newer').addEventListener('click', () => { historyPage = Math.max(0, historyPage - 1); loadHistory().catch(e => showError(e.message)); });
  document.getElementById('history-older').addEventListener('click', () => { historyPage += 1; loadHistory().catch(e => showError(e.message)); });

  showSuggestions();
  refresh();
  loadSuggestions();
  setInterval(() => loadState().catch(() => {}), 5000);
})();
