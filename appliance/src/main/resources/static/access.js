// Access admin page: sign-up settings, allowed domains, invites and roles, through /api/v1/admin/*.
(function () {
  const error = document.getElementById('access-error');
  function showError(text) { error.textContent = text; error.hidden = !text; }
  function cell(tr, text) { const td = document.createElement('td'); td.textContent = text == null ? '' : text; tr.appendChild(td); return td; }
  function button(text, cls) { const b = document.createElement('button'); b.type = 'button'; b.className = cls; b.textContent = text; return b; }
  function day(t) { return t ? t.replace('T', ' ').substring(0, 16) : ''; }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.status === 204 ? null : response.json();
  }
  function guarded(fn) { return e => { e.preventDefault(); showError(''); fn(e).catch(err => showError(err.message)); }; }

  async function loadSettings() {
    const s = await call('GET', '/api/v1/admin/access');
    document.getElementById('local-signup').checked = s.localSignup;
    document.getElementById('invite-only').checked = s.inviteOnly;
    const list = document.getElementById('domain-list');
    list.replaceChildren();
    for (const d of (s.allowedDomains || [])) { // the API leaves out empty lists
      const li = document.createElement('li'); li.dataset.domain = d; li.textContent = d + ' ';
      li.appendChild(button('Remove', 'link remove-domain'));
      list.appendChild(li);
    }
  }

  async function loadRoles() {
    const roles = await call('GET', '/api/v1/admin/roles');
    const rows = document.getElementById('role-rows'); rows.replaceChildren();
    const boxes = document.getElementById('invite-roles'); boxes.querySelectorAll('label').forEach(l => l.remove());
    for (const r of roles) {
      const tr = document.createElement('tr'); tr.dataset.id = r.id;
      cell(tr, r.name + (r.builtin ? ' (built-in)' : '')); cell(tr, r.description);
      const actions = cell(tr, ''); if (!r.builtin) actions.appendChild(button('Delete', 'link delete-role'));
      rows.appendChild(tr);
      const label = document.createElement('label'); label.className = 'inline-check';
      const input = document.createElement('input'); input.type = 'checkbox'; input.value = r.id;
      label.append(input, ' ' + r.name); boxes.appendChild(label);
    }
  }

  async function loadInvites() {
    const invites = await call('GET', '/api/v1/admin/invites');
    const rows = document.getElementById('invite-rows'); rows.replaceChildren();
    for (const i of invites) {
      const tr = document.createElement('tr'); tr.dataset.id = i.id;
      cell(tr, i.email); cell(tr, day(i.createdAt)); cell(tr, day(i.expiresAt)); cell(tr, i.usedAt ? day(i.usedAt) : 'not yet');
      const actions = cell(tr, ''); if (!i.usedAt) actions.appendChild(button('Withdraw', 'link withdraw'));
      rows.appendChild(tr);
    }
  }

  document.getElementById('settings-form').addEventListener('submit', guarded(async function () {
    await call('PUT', '/api/v1/admin/access', { localSignup: document.getElementById('local-signup').checked,
      inviteOnly: document.getElementById('invite-only').checked });
    document.getElementById('settings-saved').hidden = false;
  }));
  document.getElementById('domain-form').addEventListener('submit', guarded(async function () {
    await call('POST', '/api/v1/admin/access/domains', { domain: document.getElementById('domain').value });
    document.getElementById('domain').value = '';
    await loadSettings();
  }));
  document.getElementById('domain-list').addEventListener('click', guarded(async function (e) {
    if (!e.target.classList.contains('remove-domain')) return;
    await call('DELETE', '/api/v1/admin/access/domains/' + encodeURIComponent(e.target.closest('li').dataset.domain));
    await loadSettings();
  }));
  document.getElementById('invite-form').addEventListener('submit', guarded(async function () {
    const roleIds = Array.from(document.querySelectorAll('#invite-roles input:checked')).map(i => i.value);
    const created = await call('POST', '/api/v1/admin/invites', { email: document.getElementById('invite-email').value,
      roleIds: roleIds, validDays: Number(document.getElementById('invite-days').value) });
    document.getElementById('invite-link').textContent = created.link;
    document.getElementById('invite-link-box').hidden = false;
    document.getElementById('invite-email').value = '';
    await loadInvites();
  }));
  document.getElementById('invite-rows').addEventListener('click', guarded(async function (e) {
    if (!e.target.classList.contains('withdraw')) return;
    await call('DELETE', '/api/v1/admin/invites/' + e.target.closest('tr').dataset.id);
    await loadInvites();
  }));
  document.getElementById('role-rows').addEventListener('click', guarded(async function (e) {
    if (!e.target.classList.contains('delete-role')) return;
    if (!confirm('Delete this role? Users lose it at once.')) return;
    await call('DELETE', '/api/v1/admin/roles/' + e.target.closest('tr').dataset.id);
    await loadRoles();
  }));
  document.getElementById('role-form').addEventListener('submit', guarded(async function () {
    await call('POST', '/api/v1/admin/roles', { name: document.getElementById('role-name').value,
      description: document.getElementById('role-description').value });
    document.getElementById('role-name').value = ''; document.getElementById('role-description').value = '';
    await loadRoles();
  }));

  Promise.all([loadSettings(), loadRoles(), loadInvites()]).catch(err => showError('Could not load: ' + err.message));
})();
