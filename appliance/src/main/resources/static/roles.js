// Roles page: edit what a role grants (models, tools with trust levels, prompt, budget) through
// /api/v1/admin/roles/{id}/grants. Tools come from the connectors' listed tools.
(function () {
  const error = document.getElementById('roles-error');
  const picker = document.getElementById('role-picker');
  const form = document.getElementById('grants-form');
  const rows = document.getElementById('tool-rows');
  let models = [];
  let connectors = [];

  function showError(text) { error.textContent = text; error.hidden = !text; }
  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error((problem.detail || ('HTTP ' + response.status)) + (problem.field ? ' (' + problem.field + ')' : ''));
    }
    return response.status === 204 ? null : response.json();
  }
  function el(tag, props) { const e = document.createElement(tag); Object.assign(e, props || {}); return e; }
  function option(value, text) { return el('option', { value: value, textContent: text }); }

  function grantSelect(read) {
    const select = el('select', { className: 'grant' });
    select.append(option('', 'not granted'));
    if (read) select.append(option('READ', 'read'));
    for (const level of ['SHADOW', 'SUPERVISED', 'AUDITED', 'BOUNDED']) select.append(option('ACTION:' + level, 'action: ' + level.toLowerCase()));
    return select;
  }

  function render(grants) {
    // The API leaves out empty lists and empty values.
    grants.models = grants.models || []; grants.tools = grants.tools || [];
    document.getElementById('role-title').textContent = grants.role;
    document.getElementById('all-models').checked = grants.models.includes('*');
    const boxes = document.getElementById('model-boxes'); boxes.replaceChildren();
    for (const m of models) {
      const label = el('label', { className: 'inline-check' });
      label.append(el('input', { type: 'checkbox', value: m, checked: grants.models.includes(m), className: 'model' }), ' ' + m);
      boxes.append(label);
    }
    document.getElementById('all-reads').checked = grants.tools.some(t => t.connector === '*' && t.tool === '*');
    rows.replaceChildren();
    for (const c of connectors) {
      const connectorReads = grants.tools.some(t => t.connector === c.name && t.tool === '*');
      for (const t of (c.tools || [])) {
        const tr = el('tr'); tr.dataset.connector = c.name; tr.dataset.tool = t.name;
        tr.append(el('td', { textContent: c.name }), el('td', { textContent: t.name + (t.held ? ' (held: definition changed)' : '') }),
          el('td', { textContent: t.offered ? 'read' : 'action' }));
        const select = grantSelect(t.offered);
        const grant = grants.tools.find(g => g.connector === c.name && g.tool === t.name);
        select.value = grant ? (grant.access === 'READ' ? 'READ' : 'ACTION:' + grant.trustLevel) : (t.offered && connectorReads ? 'READ' : '');
        const limits = el('td');
        limits.append(el('input', { type: 'number', min: 1, placeholder: 'calls/day', className: 'per-day', value: grant && grant.maxCallsPerDay ? grant.maxCallsPerDay : '' }),
          el('input', { placeholder: '{"amount": {"max": 500}}', className: 'arg-limits', value: grant && grant.argumentLimits ? JSON.stringify(grant.argumentLimits) : '' }));
        const approver = el('select', { className: 'approver' });
        approver.append(option('REQUESTER', 'the requester'), option('OTHER_PERSON', 'another person'), option('ADMIN', 'an admin'));
        approver.value = grant && grant.approver ? grant.approver : 'REQUESTER';
        const grantCell = el('td'); grantCell.append(select);
        const approverCell = el('td'); approverCell.append(approver);
        tr.append(grantCell, limits, approverCell);
        rows.append(tr);
      }
    }
    document.getElementById('system-prompt').value = grants.systemPrompt || '';
    document.getElementById('budget').value = grants.monthlyTokenBudget == null ? '' : grants.monthlyTokenBudget;
    form.hidden = false;
  }

  function collect() {
    const chosenModels = document.getElementById('all-models').checked ? ['*']
      : Array.from(document.querySelectorAll('#model-boxes input.model:checked')).map(i => i.value);
    const tools = [];
    if (document.getElementById('all-reads').checked) tools.push({ connector: '*', tool: '*', access: 'READ' });
    for (const tr of rows.querySelectorAll('tr')) {
      const value = tr.querySelector('select.grant').value;
      if (!value) continue;
      if (value === 'READ') {
        if (!document.getElementById('all-reads').checked) tools.push({ connector: tr.dataset.connector, tool: tr.dataset.tool, access: 'READ' });
        continue;
      }
      const level = value.split(':')[1];
      const grant = { connector: tr.dataset.connector, tool: tr.dataset.tool, access: 'ACTION', trustLevel: level };
      const perDay = tr.querySelector('input.per-day').value;
      const argLimits = tr.querySelector('input.arg-limits').value.trim();
      if (level === 'BOUNDED' || perDay) grant.maxCallsPerDay = perDay ? Number(perDay) : null;
      if (argLimits) grant.argumentLimits = JSON.parse(argLimits);
      if (level === 'SUPERVISED') grant.approver = tr.querySelector('select.approver').value;
      tools.push(grant);
    }
    const budget = document.getElementById('budget').value;
    return { models: chosenModels, tools: tools, systemPrompt: document.getElementById('system-prompt').value,
      monthlyTokenBudget: budget === '' ? null : Number(budget) };
  }

  async function load(roleId) {
    showError('');
    const grants = await call('GET', '/api/v1/admin/roles/' + roleId + '/grants');
    if (picker.value === roleId) render(grants); // a slower answer for a role no longer picked is dropped
  }

  picker.addEventListener('change', () => load(picker.value).catch(e => showError(e.message)));
  form.addEventListener('submit', async function (e) {
    e.preventDefault(); showError(''); document.getElementById('saved').hidden = true;
    try {
      render(await call('PUT', '/api/v1/admin/roles/' + picker.value + '/grants', collect()));
      document.getElementById('saved').hidden = false;
    } catch (err) { showError(err instanceof SyntaxError ? 'Argument limits must be JSON, e.g. {"amount": {"max": 500}}.' : err.message); }
  });

  Promise.all([call('GET', '/api/v1/admin/roles'), call('GET', '/api/v1/admin/providers'), call('GET', '/api/v1/admin/connectors')])
    .then(([roles, providers, list]) => {
      models = providers.flatMap(p => (p.models || []).map(m => m.name));
      connectors = list;
      for (const r of roles) picker.append(option(r.id, r.name));
      if (roles.length) return load(roles[0].id);
    }).catch(e => showError('Could not load: ' + e.message));
})();
