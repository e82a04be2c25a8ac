// Single sign-on page: identity providers and group -> role mappings through the admin API.
(function () {
  const $ = (id) => document.getElementById(id);
  const publicBase = $('sso-page').dataset.publicBase || '';
  const error = $('sso-error');
  const form = $('provider-form');
  const kind = $('provider-kind');
  let providers = [];

  function showError(text) { error.textContent = text; error.hidden = !text; }

  async function problem(response) {
    const body = await response.json().catch(() => ({}));
    return (body.detail || ('The request failed (HTTP ' + response.status + ').')) + (body.field ? ' (' + body.field + ')' : '');
  }

  function cell(tr, text) { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }

  function button(parent, label, cls) {
    const b = document.createElement('button'); b.type = 'button'; b.className = 'link ' + cls; b.textContent = label;
    parent.appendChild(b); parent.appendChild(document.createTextNode(' '));
  }

  function kindLabel(p) {
    if (p.kind === 'GOOGLE') return 'Google';
    if (p.kind === 'ENTRA') return 'Entra (' + p.entraTenant + ')';
    return 'OIDC (' + p.discoveryUrl.replace('/.well-known/openid-configuration', '') + ')';
  }

  function renderProviders() {
    const rows = $('provider-rows');
    rows.replaceChildren();
    for (const p of providers) {
      const tr = document.createElement('tr');
      tr.dataset.id = p.id;
      cell(tr, p.displayName + ' (' + p.slug + ')'); cell(tr, kindLabel(p));
      cell(tr, p.clientId + (p.hasClientSecret ? ' · secret set' : ' · no secret'));
      cell(tr, p.groupClaim || '—'); cell(tr, p.enabled ? 'enabled' : 'disabled');
      const uri = cell(tr, ''); const code = document.createElement('code'); code.textContent = p.redirectUri; uri.appendChild(code);
      const actions = cell(tr, '');
      button(actions, 'Edit', 'edit');
      button(actions, p.enabled ? 'Disable' : 'Enable', p.enabled ? 'disable' : 'enable');
      button(actions, 'Delete', 'delete');
      rows.appendChild(tr);
    }
  }

  function showKindFields() {
    $('discovery-label').hidden = kind.value !== 'OIDC';
    $('tenant-label').hidden = kind.value !== 'ENTRA';
  }

  function showRedirect() {
    $('redirect-preview').textContent = publicBase + '/sso/' + ($('provider-slug').value.trim().toLowerCase() || '<slug>') + '/callback';
  }

  function resetForm() {
    form.reset(); $('provider-id').value = ''; $('form-title').textContent = 'Add a provider'; $('provider-cancel').hidden = true;
    showKindFields(); showRedirect();
  }

  async function loadProviders() {
    providers = await fetch('/api/v1/admin/identity-providers').then(r => r.json());
    renderProviders();
  }

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    showError('');
    const id = $('provider-id').value;
    const body = {
      slug: $('provider-slug').value, displayName: $('provider-display-name').value, kind: kind.value,
      discoveryUrl: $('provider-discovery-url').value, entraTenant: $('provider-entra-tenant').value,
      clientId: $('provider-client-id').value, clientSecret: $('provider-client-secret').value || null,
      scopes: $('provider-scopes').value, groupClaim: $('provider-group-claim').value
    };
    const response = await fetch('/api/v1/admin/identity-providers' + (id ? '/' + id : ''), {
      method: id ? 'PUT' : 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    });
    if (!response.ok) { showError(await problem(response)); return; }
    resetForm();
    await loadProviders();
  });

  $('provider-rows').addEventListener('click', async function (e) {
    const tr = e.target.closest('tr');
    if (!tr || e.target.tagName !== 'BUTTON') return;
    const p = providers.find(x => x.id === tr.dataset.id);
    showError('');
    if (e.target.classList.contains('edit')) {
      $('provider-id').value = p.id; kind.value = p.kind; $('provider-slug').value = p.slug;
      $('provider-display-name').value = p.displayName; $('provider-discovery-url').value = p.kind === 'OIDC' ? p.discoveryUrl : '';
      $('provider-entra-tenant').value = p.entraTenant || ''; $('provider-client-id').value = p.clientId;
      $('provider-client-secret').value = ''; $('provider-scopes').value = p.scopes; $('provider-group-claim').value = p.groupClaim || '';
      $('form-title').textContent = 'Edit ' + p.displayName; $('provider-cancel').hidden = false;
      showKindFields(); showRedirect();
      return;
    }
    let response;
    if (e.target.classList.contains('delete')) {
      if (!confirm('Delete ' + p.displayName + '? Its sign-in button disappears; accounts stay but lose the link to it.')) return;
      response = await fetch('/api/v1/admin/identity-providers/' + p.id, { method: 'DELETE' });
    } else {
      response = await fetch('/api/v1/admin/identity-providers/' + p.id + '/' + (p.enabled ? 'disable' : 'enable'), { method: 'POST' });
    }
    if (!response.ok) { showError(await problem(response)); return; }
    await loadProviders();
  });

  async function loadMappings() {
    const [roles, mappings] = await Promise.all([
      fetch('/api/v1/admin/roles').then(r => r.json()),
      fetch('/api/v1/admin/group-mappings').then(r => r.json())
    ]);
    const select = $('mapping-role');
    if (!select.options.length) {
      for (const r of roles) { const o = document.createElement('option'); o.value = r.id; o.textContent = r.name; select.appendChild(o); }
    }
    const rows = $('mapping-rows');
    rows.replaceChildren();
    for (const m of mappings) {
      const tr = document.createElement('tr');
      tr.dataset.id = m.id;
      cell(tr, m.groupName); cell(tr, m.roleName);
      button(cell(tr, ''), 'Remove', 'remove');
      rows.appendChild(tr);
    }
  }

  $('mapping-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    showError('');
    const response = await fetch('/api/v1/admin/group-mappings', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ groupName: $('mapping-group').value, roleId: $('mapping-role').value })
    });
    if (!response.ok) { showError(await problem(response)); return; }
    $('mapping-group').value = '';
    await loadMappings();
  });

  $('mapping-rows').addEventListener('click', async function (e) {
    const tr = e.target.closest('tr');
    if (!tr || !e.target.classList.contains('remove')) return;
    const response = await fetch('/api/v1/admin/group-mappings/' + tr.dataset.id, { method: 'DELETE' });
    if (!response.ok) { showError(await problem(response)); return; }
    await loadMappings();
  });

  kind.addEventListener('change', showKindFields);
  $('provider-slug').addEventListener('input', showRedirect);
  $('provider-cancel').addEventListener('click', resetForm);
  resetForm();
  Promise.all([loadProviders(), loadMappings()]).catch(() => showError('Could not load the settings. Reload the page.'));
})();
