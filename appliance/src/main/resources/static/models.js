// Models page: lists, adds, edits and deletes providers through /api/v1/admin/providers.
(function () {
  const rows = document.getElementById('provider-rows');
  const form = document.getElementById('provider-form');
  const error = document.getElementById('provider-error');
  const kind = document.getElementById('provider-kind');
  const $ = (id) => document.getElementById(id);
  let providers = [];

  function showError(text) { error.textContent = text; error.hidden = !text; }

  async function problem(response) {
    const body = await response.json().catch(() => ({}));
    return body.detail || ('The request failed (HTTP ' + response.status + ').');
  }

  function cell(tr, text) { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }

  function render() {
    rows.replaceChildren();
    for (const p of providers) {
      const tr = document.createElement('tr');
      tr.dataset.id = p.id;
      cell(tr, p.name); cell(tr, p.kind); cell(tr, p.baseUrl); cell(tr, p.hasApiKey ? 'set' : 'none');
      cell(tr, p.models.map(m => m.name + ' (' + (m.inputPricePerMtok ?? 0) + ' / ' + (m.outputPricePerMtok ?? 0) + ')').join(', '));
      const actions = cell(tr, '');
      for (const [label, cls] of [['Edit', 'edit'], ['Delete', 'delete']]) {
        const b = document.createElement('button'); b.type = 'button'; b.className = 'link ' + cls; b.textContent = label;
        actions.appendChild(b); actions.appendChild(document.createTextNode(' '));
      }
      rows.appendChild(tr);
    }
  }

  async function load() {
    const [kinds, list] = await Promise.all([
      fetch('/api/v1/admin/provider-kinds').then(r => r.json()),
      fetch('/api/v1/admin/providers').then(r => r.json())
    ]);
    if (!kind.options.length) {
      for (const k of kinds) { const o = document.createElement('option'); o.value = k.kind; o.textContent = k.displayName; o.dataset.example = k.exampleBaseUrl; kind.appendChild(o); }
    }
    providers = list;
    render();
  }

  function parseModels(text) {
    return text.split('\n').map(l => l.trim()).filter(Boolean).map(function (line) {
      const [name, input, output] = line.split(',').map(s => s.trim());
      return { name: name, inputPricePerMtok: input ? Number(input) : null, outputPricePerMtok: output ? Number(output) : null };
    });
  }

  function resetForm() {
    form.reset(); $('provider-id').value = ''; $('form-title').textContent = 'Add a provider'; $('provider-cancel').hidden = true;
  }

  kind.addEventListener('change', () => { $('provider-base-url').placeholder = kind.selectedOptions[0].dataset.example; });

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    showError('');
    const id = $('provider-id').value;
    const key = $('provider-api-key').value;
    const body = { name: $('provider-name').value, kind: kind.value, baseUrl: $('provider-base-url').value,
                   apiKey: id && !key ? null : key, models: parseModels($('provider-models').value) };
    const response = await fetch('/api/v1/admin/providers' + (id ? '/' + id : ''), {
      method: id ? 'PUT' : 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    });
    if (!response.ok) { showError(await problem(response)); return; }
    resetForm();
    await load();
  });

  $('provider-cancel').addEventListener('click', resetForm);

  rows.addEventListener('click', async function (e) {
    const tr = e.target.closest('tr');
    if (!tr) return;
    const p = providers.find(x => x.id === tr.dataset.id);
    if (e.target.classList.contains('edit')) {
      $('provider-id').value = p.id; $('provider-name').value = p.name; kind.value = p.kind; $('provider-base-url').value = p.baseUrl;
      $('provider-api-key').value = '';
      $('provider-models').value = p.models.map(m => [m.name, m.inputPricePerMtok, m.outputPricePerMtok].join(', ')).join('\n');
      $('form-title').textContent = 'Edit ' + p.name; $('provider-cancel').hidden = false;
    } else if (e.target.classList.contains('delete')) {
      if (!confirm('Delete provider ' + p.name + '? Its models disappear from the chat at once.')) return;
      const response = await fetch('/api/v1/admin/providers/' + p.id, { method: 'DELETE' });
      if (!response.ok) { showError(await problem(response)); return; }
      await load();
    }
  });

  load().catch(() => showError('Could not load providers. Reload the page.'));
})();
