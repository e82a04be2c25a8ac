// Users admin page: the approval queue (approve with roles, reject) and the user directory (roles,
// disable/enable, end sessions, reset MFA). Everything goes through /api/v1/admin/users.
(function () {
  const error = document.getElementById('users-error');
  const pendingRows = document.getElementById('pending-rows');
  const userRows = document.getElementById('user-rows');
  let roles = [];
  let me = null; // the admin looking at the page: no disabling or MFA reset of oneself (the server refuses it too)

  function showError(text) { error.textContent = text; error.hidden = !text; }
  function cell(tr, text) { const td = document.createElement('td'); td.textContent = text == null ? '' : text; tr.appendChild(td); return td; }
  function button(text, cls) { const b = document.createElement('button'); b.type = 'button'; b.className = cls; b.textContent = text; return b; }
  function day(t) { return t ? t.replace('T', ' ').substring(0, 16) : ''; }
  function signsInWith(u) { return [u.hasPassword ? 'password' : null, u.providers].filter(Boolean).join(', '); }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.status === 204 ? null : response.json();
  }

  function roleBoxes(selectedNames) {
    const box = document.createElement('span');
    box.className = 'role-boxes';
    for (const r of roles) {
      const label = document.createElement('label'); label.className = 'inline-check';
      const input = document.createElement('input'); input.type = 'checkbox'; input.value = r.id;
      input.checked = selectedNames.includes(r.name);
      label.append(input, ' ' + r.name);
      box.appendChild(label);
    }
    return box;
  }
  function chosen(tr) { return Array.from(tr.querySelectorAll('.role-boxes input:checked')).map(i => i.value); }

  async function loadPending() {
    const list = await call('GET', '/api/v1/admin/users?status=pending');
    pendingRows.replaceChildren();
    document.getElementById('pending-table').hidden = list.length === 0;
    document.getElementById('no-pending').hidden = list.length !== 0;
    document.getElementById('pending-count').textContent = list.length ? '(' + list.length + ')' : '';
    for (const u of list) {
      const tr = document.createElement('tr'); tr.dataset.id = u.id;
      cell(tr, u.email); cell(tr, u.displayName); cell(tr, day(u.createdAt)); cell(tr, signsInWith(u));
      cell(tr, '').appendChild(roleBoxes((u.roles || '').split(', ')));
      const actions = cell(tr, '');
      actions.append(button('Approve', 'approve'), ' ', button('Reject', 'link reject'));
      pendingRows.appendChild(tr);
    }
  }

  async function loadUsers() {
    const q = document.getElementById('user-query').value;
    const status = document.getElementById('user-status').value;
    const list = await call('GET', '/api/v1/admin/users?q=' + encodeURIComponent(q) + '&status=' + encodeURIComponent(status));
    userRows.replaceChildren();
    for (const u of list) {
      const tr = document.createElement('tr'); tr.dataset.id = u.id;
      cell(tr, u.email + (u.displayName ? ' (' + u.displayName + ')' : ''));
      cell(tr, u.status.toLowerCase());
      const rolesCell = cell(tr, u.roles || '—'); rolesCell.className = 'roles';
      cell(tr, signsInWith(u)); cell(tr, u.mfaEnabled ? 'on' : 'off'); cell(tr, day(u.lastLoginAt)); cell(tr, u.sessions);
      const actions = cell(tr, '');
      const self = me && u.id === me.id;
      if (u.status === 'ACTIVE') actions.append(button('Roles', 'link edit-roles'));
      if (u.status === 'ACTIVE' && !self) actions.append(' ', button('Disable', 'link disable'));
      if (u.status === 'DISABLED' || u.status === 'REJECTED') actions.append(button('Enable', 'link enable'));
      if (u.sessions > 0) actions.append(' ', button('End sessions', 'link end-sessions'));
      if (u.mfaEnabled && !self) actions.append(' ', button('Reset MFA', 'link reset-mfa'));
      userRows.appendChild(tr);
    }
  }

  async function refresh() { showError(''); await Promise.all([loadPending(), loadUsers()]); }

  pendingRows.addEventListener('click', async function (e) {
    const tr = e.target.closest('tr'); if (!tr) return;
    try {
      if (e.target.classList.contains('approve')) await call('POST', '/api/v1/admin/users/' + tr.dataset.id + '/approve', { roleIds: chosen(tr) });
      else if (e.target.classList.contains('reject')) {
        if (!confirm('Reject this sign-up? The person is signed out and cannot get in.')) return;
        await call('POST', '/api/v1/admin/users/' + tr.dataset.id + '/reject');
      } else return;
      await refresh();
    } catch (err) { showError(err.message); }
  });

  userRows.addEventListener('click', async function (e) {
    const tr = e.target.closest('tr'); if (!tr) return;
    const id = tr.dataset.id;
    try {
      if (e.target.classList.contains('edit-roles')) {
        const rolesCell = tr.querySelector('.roles');
        const current = rolesCell.textContent.split(', ');
        rolesCell.replaceChildren(roleBoxes(current), button('Save', 'save-roles'));
        return;
      }
      if (e.target.classList.contains('save-roles')) await call('PUT', '/api/v1/admin/users/' + id + '/roles', { roleIds: chosen(tr) });
      else if (e.target.classList.contains('disable')) {
        if (!confirm('Disable this user? Their sessions and API tokens stop working at once.')) return;
        await call('POST', '/api/v1/admin/users/' + id + '/disable');
      } else if (e.target.classList.contains('enable')) await call('POST', '/api/v1/admin/users/' + id + '/enable');
      else if (e.target.classList.contains('end-sessions')) await call('DELETE', '/api/v1/admin/users/' + id + '/sessions');
      else if (e.target.classList.contains('reset-mfa')) {
        if (!confirm('Reset this user\'s two-factor authentication? They must set it up again.')) return;
        await call('DELETE', '/api/v1/admin/users/' + id + '/mfa');
      } else return;
      await refresh();
    } catch (err) { showError(err.message); }
  });

  document.getElementById('user-search').addEventListener('submit', function (e) {
    e.preventDefault(); loadUsers().catch(err => showError(err.message));
  });

  Promise.all([call('GET', '/api/v1/admin/roles'), call('GET', '/api/v1/me')])
    .then(([list, self]) => { roles = list; me = self; return refresh(); })
    .catch(err => showError('Could not load users: ' + err.message));
})();
