// Connectors page: list with state and tools, add from the kind's manifest form, restart, log, remove.
(function () {
  const $ = (id) => document.getElementById(id);
  const rows = $('connector-rows');
  const error = $('connector-error');
  const kindSelect = $('connector-kind');
  let kinds = {};

  function showError(text) { error.textContent = text; error.hidden = !text; }
  async function problem(response) {
    const body = await response.json().catch(() => ({}));
    return body.detail || ('The request failed (HTTP ' + response.status + ').');
  }
  function cell(tr, text) { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }

  function renderFields() {
    const container = $('connector-fields');
    container.replaceChildren();
    const manifest = kinds[kindSelect.value];
    if (!manifest) return;
    for (const field of manifest.config) {
      const label = document.createElement('label');
      label.textContent = (field.description || field.name) + (field.required ? ' *' : '') + ' ';
      const input = document.createElement('input');
      input.name = field.env;
      input.type = field.secret ? 'password' : 'text';
      input.autocomplete = 'off';
      input.required = field.required;
      if (field.defaultValue) input.placeholder = field.defaultValue;
      label.appendChild(input);
      container.appendChild(label);
    }
  }

  async function load() {
    const [k, list] = await Promise.all([
      fetch('/api/v1/admin/connector-kinds').then(r => r.json()),
      fetch('/api/v1/admin/connectors').then(r => r.json())
    ]);
    if (!kindSelect.options.length) {
      kinds = k;
      for (const id of Object.keys(kinds)) {
        const o = document.createElement('option'); o.value = id; o.textContent = id + ' — ' + kinds[id].description; kindSelect.appendChild(o);
      }
      renderFields();
    }
    rows.replaceChildren();
    for (const c of list) {
      const tr = document.createElement('tr');
      tr.dataset.id = c.id;
      cell(tr, c.name); cell(tr, c.kind);
      cell(tr, c.state + (c.lastError ? ' — ' + c.lastError : ''));
      const toolCell = cell(tr, '');
      for (const t of (c.tools || [])) { // the API leaves out empty lists
        const line = document.createElement('div'); line.dataset.tool = t.name;
        line.textContent = t.name + (t.offered ? ' (read)' : ' (action: needs a grant with a trust level)') + ' ';
        if (t.held) {
          const note = document.createElement('span'); note.className = 'error';
          note.textContent = 'held: its definition changed' + (t.pendingDescription ? ' to "' + t.pendingDescription + '"' : '') + ' ';
          const b = document.createElement('button'); b.type = 'button'; b.className = 'link approve-tool'; b.textContent = 'Approve new definition';
          line.append(note, b);
        }
        if (c.kind === 'mcp') {
          const select = document.createElement('select'); select.className = 'classify-tool';
          for (const [value, label] of [['', 'classify…'], ['READ', 'read'], ['ACTION', 'action']]) {
            const o = document.createElement('option'); o.value = value; o.textContent = label; select.appendChild(o);
          }
          line.appendChild(select);
        }
        toolCell.appendChild(line);
      }
      const actions = cell(tr, '');
      for (const [label, cls] of [['Restart', 'restart'], ['Log', 'log'], ['Remove', 'remove']]) {
        const b = document.createElement('button'); b.type = 'button'; b.className = 'link ' + cls; b.textContent = label;
        actions.appendChild(b); actions.appendChild(document.createTextNode(' '));
      }
      rows.appendChild(tr);
    }
  }

  kindSelect.addEventListener('change', renderFields);

  rows.addEventListener('change', async function (e) {
    if (!e.target.classList.contains('classify-tool') || !e.target.value) return;
    const response = await fetch('/api/v1/admin/connectors/' + e.target.closest('tr').dataset.id + '/tools/'
      + encodeURIComponent(e.target.closest('div').dataset.tool) + '/classification',
      { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ classification: e.target.value }) });
    if (!response.ok) { showError(await problem(response)); return; }
    await load();
  });

  $('connector-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    showError('');
    const config = {};
    for (const input of $('connector-fields').querySelectorAll('input')) if (input.value) config[input.name] = input.value;
    const response = await fetch('/api/v1/admin/connectors', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: $('connector-name').value, kind: kindSelect.value, description: $('connector-description').value, config: config,
        networks: $('connector-networks').value.split(',').map(s => s.trim()).filter(Boolean) })
    });
    if (!response.ok) { showError(await problem(response)); return; }
    this.reset(); renderFields();
    await load();
  });

  rows.addEventListener('click', async function (e) {
    const tr = e.target.closest('tr');
    if (!tr) return;
    const id = tr.dataset.id;
    let response;
    if (e.target.classList.contains('approve-tool')) {
      response = await fetch('/api/v1/admin/connectors/' + id + '/tools/' + encodeURIComponent(e.target.closest('div').dataset.tool) + '/approve', { method: 'POST' });
    } else if (e.target.classList.contains('restart')) response = await fetch('/api/v1/admin/connectors/' + id + '/restart', { method: 'POST' });
    else if (e.target.classList.contains('log')) {
      response = await fetch('/api/v1/admin/connectors/' + id + '/log');
      if (response.ok) { const log = $('connector-log'); log.textContent = (await response.json()).join('\n') || '(no output yet)'; log.hidden = false; return; }
    } else if (e.target.classList.contains('remove')) {
      if (!confirm('Remove this connector? It is stopped at once.')) return;
      response = await fetch('/api/v1/admin/connectors/' + id, { method: 'DELETE' });
    } else return;
    if (!response.ok) { showError(await problem(response)); return; }
    await load();
  });

  load().catch(() => showError('Could not load connectors. Reload the page.'));
})();
