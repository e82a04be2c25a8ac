// My sessions: list (through /api/v1/me/sessions) and end a session.
(function () {
  const rows = document.getElementById('session-rows');
  const error = document.getElementById('session-error');
  function showError(text) { error.textContent = text; error.hidden = !text; }
  function cell(tr, text) { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }

  async function load() {
    const list = await fetch('/api/v1/me/sessions').then(r => r.json());
    rows.replaceChildren();
    for (const s of list) {
      const tr = document.createElement('tr');
      tr.dataset.id = s.id;
      cell(tr, (s.userAgent || 'unknown device') + (s.current ? ' (this browser)' : ''));
      cell(tr, s.ip || ''); cell(tr, s.createdAt); cell(tr, s.lastSeenAt);
      const actions = cell(tr, '');
      if (!s.current) {
        const b = document.createElement('button'); b.type = 'button'; b.className = 'link end'; b.textContent = 'End session';
        actions.appendChild(b);
      }
      rows.appendChild(tr);
    }
  }

  rows.addEventListener('click', async function (e) {
    if (!e.target.classList.contains('end')) return;
    const response = await fetch('/api/v1/me/sessions/' + e.target.closest('tr').dataset.id, { method: 'DELETE' });
    if (!response.ok) { showError('Could not end the session (HTTP ' + response.status + ').'); return; }
    await load();
  });

  load().catch(() => showError('Could not load your sessions. Reload the page.'));
})();
