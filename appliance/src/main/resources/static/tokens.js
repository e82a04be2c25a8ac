// My tokens: create (the secret is shown once) and revoke, through /api/v1/me/tokens.
(function () {
  const form = document.getElementById('create-token');
  const rows = document.getElementById('token-rows');
  const error = document.getElementById('token-error');
  document.getElementById('api-base').textContent = location.origin + '/v1';

  function showError(text) { error.textContent = text; error.hidden = !text; }

  async function problem(response) {
    const body = await response.json().catch(() => ({}));
    return body.detail || ('The request failed (HTTP ' + response.status + ').');
  }

  function row(t) {
    const tr = document.createElement('tr');
    tr.dataset.id = t.id;
    for (const text of [t.name, null, t.createdAt, t.lastUsedAt || 'never']) {
      const td = document.createElement('td');
      if (text === null) { const c = document.createElement('code'); c.textContent = t.prefix + '…'; td.appendChild(c); }
      else td.textContent = text;
      tr.appendChild(td);
    }
    const td = document.createElement('td');
    const b = document.createElement('button');
    b.type = 'button'; b.className = 'revoke link'; b.textContent = 'Revoke';
    td.appendChild(b); tr.appendChild(td);
    return tr;
  }

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    showError('');
    const name = document.getElementById('token-name').value;
    const response = await fetch('/api/v1/me/tokens', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: name })
    });
    if (!response.ok) { showError(await problem(response)); return; }
    const created = await response.json();
    document.getElementById('new-token-value').textContent = created.token;
    document.getElementById('new-token').hidden = false;
    rows.prepend(row(created));
    form.reset();
  });

  rows.addEventListener('click', async function (e) {
    if (!e.target.classList.contains('revoke')) return;
    const tr = e.target.closest('tr');
    if (!confirm('Revoke this token? Scripts using it stop working at once.')) return;
    const response = await fetch('/api/v1/me/tokens/' + tr.dataset.id, { method: 'DELETE' });
    if (response.ok) tr.remove(); else showError(await problem(response));
  });
})();
