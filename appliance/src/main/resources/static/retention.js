// Retention page: the periods, "Run purge now", "Archive audit rows now", recent runs and archives, legal holds,
// and one person's chat data (export, delete). Everything goes through /api/v1/admin/retention,
// /api/v1/admin/legal-holds and /api/v1/admin/users/{id}/chat-*; text is inserted with textContent only.
(function () {
  const API = '/api/v1/admin/retention';
  const HOLDS = '/api/v1/admin/legal-holds';
  const error = document.getElementById('rt-error');
  const notice = document.getElementById('rt-notice');
  const holdScope = document.getElementById('hold-scope');

  function showError(text) { error.textContent = text; error.hidden = !text; if (text) notice.hidden = true; }
  function showNotice(text) { notice.textContent = text; notice.hidden = !text; if (text) error.hidden = true; }
  function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text == null ? '' : String(text); if (cls) td.className = cls; tr.appendChild(td); return td; }
  function when(t) { return t ? t.replace('T', ' ').substring(0, 19) : ''; }
  function days(input) { const v = input.value.trim(); return v === '' ? null : Number(v); }
  function setDays(input, value) { input.value = value == null ? '' : String(value); }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.status === 204 ? null : response.json();
  }

  function renderSettings(s) {
    setDays(document.getElementById('chat-days'), s.chatDays);
    setDays(document.getElementById('model-call-days'), s.modelCallDays);
    setDays(document.getElementById('audit-days'), s.auditDays);
    document.getElementById('periods-changed').textContent = s.updatedBy ? 'Last changed by ' + s.updatedBy + ' at ' + when(s.updatedAt) : '';
    document.getElementById('time-zone').textContent = s.timeZone;
  }

  function renderRuns(runs) {
    const rows = document.getElementById('runs-rows');
    rows.replaceChildren();
    document.getElementById('runs-table').hidden = runs.length === 0;
    document.getElementById('no-runs').hidden = runs.length !== 0;
    for (const r of runs) {
      const tr = document.createElement('tr');
      cell(tr, when(r.startedAt));
      cell(tr, r.trigger === 'NIGHTLY' ? 'Nightly (' + r.night + ')' : r.actorEmail);
      cell(tr, r.conversations); cell(tr, r.messages); cell(tr, r.modelCalls);
      cell(tr, r.error ? 'Stopped: ' + r.error : (r.finishedAt ? 'Done' : 'Running'), r.error ? 'rt-failed' : '');
      rows.appendChild(tr);
    }
  }

  function renderArchives(archives, dir) {
    document.getElementById('archive-dir').textContent = dir;
    const rows = document.getElementById('archives-rows');
    rows.replaceChildren();
    document.getElementById('archives-table').hidden = archives.length === 0;
    document.getElementById('no-archives').hidden = archives.length !== 0;
    for (const a of archives) {
      const tr = document.createElement('tr');
      cell(tr, when(a.archivedAt)); cell(tr, a.rows); cell(tr, a.lastSeq); cell(tr, a.fileName); cell(tr, a.sha256, 'rt-hash');
      rows.appendChild(tr);
    }
  }

  function holdRow(h, released) {
    const tr = document.createElement('tr');
    cell(tr, h.scope === 'USER' ? 'All chat data' : 'Conversation');
    cell(tr, h.userEmail || h.userId);
    cell(tr, h.conversationId || '');
    cell(tr, h.reason);
    if (released) {
      cell(tr, h.releasedBy); cell(tr, when(h.releasedAt)); cell(tr, h.releaseReason);
      return tr;
    }
    cell(tr, h.placedBy); cell(tr, when(h.placedAt));
    const form = document.createElement('form');
    form.className = 'rt-release';
    const reason = document.createElement('input');
    reason.placeholder = 'why release'; reason.maxLength = 500; reason.required = true;
    reason.setAttribute('aria-label', 'Reason for releasing the hold');
    const button = document.createElement('button');
    button.type = 'submit'; button.className = 'link'; button.textContent = 'Release';
    form.append(reason, button);
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      try {
        await call('POST', HOLDS + '/' + h.id + '/release', { reason: reason.value });
        showNotice('Hold released: what it covered is purged again when it is past its period.');
        await loadHolds();
      } catch (err) { showError(err.message); }
    });
    cell(tr, '').appendChild(form);
    return tr;
  }

  async function loadHolds() {
    const holds = await call('GET', HOLDS);
    const rows = document.getElementById('holds-rows');
    rows.replaceChildren(...holds.active.map(h => holdRow(h, false)));
    document.getElementById('holds-table').hidden = holds.active.length === 0;
    document.getElementById('no-holds').hidden = holds.active.length !== 0;
    document.getElementById('released-rows').replaceChildren(...holds.released.map(h => holdRow(h, true)));
    document.getElementById('released-holds').hidden = holds.released.length === 0;
  }

  async function loadState() {
    const state = await call('GET', API);
    renderSettings(state.settings);
    document.getElementById('next-run').textContent = when(state.nextRunAt);
    renderRuns(state.runs);
    renderArchives(state.archives, state.archiveDirectory);
  }

  async function refresh() {
    try {
      await Promise.all([loadState(), loadHolds()]);
    } catch (e) {
      showError(e.message);
    }
  }

  /** A person by email or id, through the user directory; the API itself takes ids. */
  async function person(text) {
    const key = text.trim();
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key)) return { id: key, email: key };
    const users = await call('GET', '/api/v1/admin/users?q=' + encodeURIComponent(key));
    const match = users.find(u => (u.email || '').toLowerCase() === key.toLowerCase());
    if (!match) throw new Error('There is no user ' + key + '.');
    return match;
  }

  document.getElementById('periods-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    try {
      const saved = await call('PUT', API, { chatDays: days(document.getElementById('chat-days')),
        modelCallDays: days(document.getElementById('model-call-days')), auditDays: days(document.getElementById('audit-days')) });
      renderSettings(saved);
      showNotice('Retention periods saved.');
    } catch (err) { showError(err.message); }
  });

  document.getElementById('purge-now').addEventListener('click', async function () {
    if (!window.confirm('Delete everything past its retention period now (legal holds are respected)?')) return;
    try {
      const r = await call('POST', API + '/purge');
      showNotice('Purge done: ' + r.conversations + ' conversations, ' + r.messages + ' messages and ' + r.modelCalls
        + ' model-call records deleted.');
      await loadState();
    } catch (err) { showError(err.message); }
  });

  document.getElementById('archive-now').addEventListener('click', async function () {
    if (!window.confirm('Move audit rows older than the audit retention to an archive file now?')) return;
    try {
      const a = await call('POST', API + '/archive');
      showNotice(a.rows === 0 ? 'No audit rows are old enough to archive.'
        : a.rows + ' audit rows archived to ' + a.file + ' (SHA-256 ' + a.sha256 + ').');
      await loadState();
    } catch (err) { showError(err.message); }
  });

  holdScope.addEventListener('change', function () {
    const conversation = holdScope.value === 'CONVERSATION';
    document.getElementById('hold-user-label').hidden = conversation;
    document.getElementById('hold-conversation-label').hidden = !conversation;
  });

  document.getElementById('hold-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    const reason = document.getElementById('hold-reason');
    try {
      await call('POST', HOLDS, { scope: holdScope.value, user: document.getElementById('hold-user').value,
        conversationId: document.getElementById('hold-conversation').value, reason: reason.value });
      reason.value = '';
      showNotice('Legal hold placed.');
      await loadHolds();
    } catch (err) { showError(err.message); }
  });

  document.getElementById('person-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    try {
      const p = await person(document.getElementById('person').value);
      // A plain navigation: the server answers with an attachment, so the browser downloads it.
      const link = document.createElement('a');
      link.href = '/api/v1/admin/users/' + encodeURIComponent(p.id) + '/chat-export';
      link.download = '';
      document.body.appendChild(link);
      link.click();
      link.remove();
      showNotice('Export of ' + p.email + ' started.');
    } catch (err) { showError(err.message); }
  });

  document.getElementById('person-delete').addEventListener('click', async function () {
    try {
      const p = await person(document.getElementById('person').value);
      if (!window.confirm('Delete all conversations of ' + p.email + '? This cannot be undone.')) return;
      const d = await call('DELETE', '/api/v1/admin/users/' + encodeURIComponent(p.id) + '/chat-data');
      showNotice('Deleted ' + d.conversationsDeleted + ' conversations and ' + d.messagesDeleted + ' messages of ' + d.email + '.');
    } catch (err) { showError(err.message); }
  });

  refresh();
})();
