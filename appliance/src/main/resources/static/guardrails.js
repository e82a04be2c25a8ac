// Guardrails admin page: everyone's and each role's output checks and lists, through /api/v1/admin/guardrails.
(function () {
  const form = document.getElementById('guardrail-form');
  if (!form) return;
  const error = document.getElementById('guardrail-error');
  const saved = document.getElementById('guardrail-saved');
  const scopeSelect = document.getElementById('scope');
  const checksBox = document.getElementById('checks');
  const LISTS = ['allowedLinkDomains', 'internalDomains', 'blockedIdentifiers', 'denyPatterns'];
  let overview = null;

  function showError(text) { error.textContent = text; error.hidden = !text; }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      const err = new Error(problem.detail || ('HTTP ' + response.status));
      err.field = problem.field;
      throw err;
    }
    return response.status === 204 ? null : response.json();
  }

  function lines(id) {
    return document.getElementById(id).value.split('\n').map(l => l.trim()).filter(l => l.length > 0);
  }

  function show(scope) {
    const view = overview.scopes.find(s => s.scope === scope) || overview.scopes[0];
    scopeSelect.value = view.scope;
    for (const check of overview.checks) {
      document.getElementById('check-' + check.key).value = view.checks[check.key];
    }
    for (const list of LISTS) {
      document.getElementById(list).value = (view[list] || []).join('\n');
    }
  }

  async function load(scope) {
    overview = await call('GET', '/api/v1/admin/guardrails');
    scopeSelect.replaceChildren();
    for (const s of overview.scopes) {
      const option = document.createElement('option');
      option.value = s.scope;
      option.textContent = s.name;
      scopeSelect.appendChild(option);
    }
    if (!checksBox.querySelector('select')) {
      for (const check of overview.checks) {
        const label = document.createElement('label');
        label.textContent = check.description + ' ';
        const select = document.createElement('select');
        select.id = 'check-' + check.key;
        select.name = check.key;
        for (const action of overview.actions) {
          const option = document.createElement('option');
          option.value = action;
          option.textContent = action.charAt(0) + action.slice(1).toLowerCase();
          select.appendChild(option);
        }
        label.appendChild(select);
        checksBox.appendChild(label);
      }
    }
    show(scope || 'everyone');
  }

  function markField(field) {
    form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
    if (!field) return;
    const name = field.replace(/\[\d+\]$/, '');
    const target = name.startsWith('checks.') ? document.getElementById('check-' + name.slice(7)) : document.getElementById(name);
    if (target) { target.setAttribute('aria-invalid', 'true'); target.focus(); }
  }

  function guarded(fn) {
    return e => {
      e.preventDefault(); showError(''); saved.hidden = true; markField(null);
      fn(e).catch(err => { showError(err.message); markField(err.field); });
    };
  }

  scopeSelect.addEventListener('change', () => { showError(''); saved.hidden = true; show(scopeSelect.value); });

  form.addEventListener('submit', guarded(async function () {
    const checks = {};
    for (const check of overview.checks) checks[check.key] = document.getElementById('check-' + check.key).value;
    const body = { checks: checks };
    for (const list of LISTS) body[list] = lines(list);
    const scope = scopeSelect.value;
    await call('PUT', '/api/v1/admin/guardrails/' + encodeURIComponent(scope), body);
    await load(scope);
    saved.hidden = false;
  }));

  document.getElementById('guardrail-reset').addEventListener('click', guarded(async function () {
    const scope = scopeSelect.value;
    await call('DELETE', '/api/v1/admin/guardrails/' + encodeURIComponent(scope));
    await load(scope);
    saved.hidden = false;
  }));

  load().catch(err => showError(err.message));
})();
