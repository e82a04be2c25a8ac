// Budgets admin page: set a budget (a person, a role's default, everyone together; all models or one), request
// rates, and this month's usage against each person's limit. Everything goes through /api/v1/admin/budgets.
(function () {
  const API = '/api/v1/admin/budgets';
  const error = document.getElementById('budget-error');
  const saved = document.getElementById('budget-saved');
  const scope = document.getElementById('rule-scope');
  const tokensFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  const costFormat = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 4 });

  function showError(text) { error.textContent = text; error.hidden = !text; if (text) { saved.hidden = true; } }
  function showSaved(text) { saved.textContent = text; saved.hidden = !text; if (text) { error.hidden = true; } }
  function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text == null ? '' : text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  function tokens(n) { return n == null ? 'no limit' : tokensFormat.format(n); }
  function cost(n) { return n == null ? 'no limit' : costFormat.format(Number(n)); }
  function modelName(m) { return m === '*' ? 'All models' : m; }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.status === 204 ? null : response.json();
  }

  // used of limit, with a meter; the text turns red at or over the limit.
  function usedCell(tr, used, limit, format) {
    const td = cell(tr, format(used) + ' / ' + (limit == null ? 'no limit' : format(limit)));
    if (limit != null) {
      const meter = document.createElement('meter');
      meter.className = 'budget-meter'; meter.min = 0; meter.max = Math.max(Number(limit), 1e-9); meter.value = Math.min(Number(used), meter.max);
      td.appendChild(meter);
      if (Number(used) >= Number(limit)) { td.classList.add('budget-over'); }
    }
  }

  function fill(tbody, rows, render) {
    tbody.replaceChildren();
    for (const row of rows) { const tr = document.createElement('tr'); render(tr, row); tbody.appendChild(tr); }
  }

  function render(state) {
    document.getElementById('time-zone').textContent = state.timeZone;
    document.getElementById('month').textContent = state.month;
    document.getElementById('resets-on').textContent = state.resetsOn;

    const modelSelect = document.getElementById('rule-model');
    const chosenModel = modelSelect.value;
    modelSelect.replaceChildren(new Option('All models together', '*'));
    for (const m of state.models) { modelSelect.appendChild(new Option(m, m)); }
    modelSelect.value = state.models.includes(chosenModel) ? chosenModel : '*';

    const roleSelect = document.getElementById('rule-role');
    const chosenRole = roleSelect.value;
    roleSelect.replaceChildren();
    const seen = new Set();
    for (const r of state.roles) {
      if (!seen.has(r.roleId)) { seen.add(r.roleId); roleSelect.appendChild(new Option(r.role, r.roleId)); }
    }
    if (chosenRole) { roleSelect.value = chosenRole; }

    const users = document.getElementById('user-suggestions');
    users.replaceChildren();
    for (const u of state.usage) { const o = document.createElement('option'); o.value = u.email; users.appendChild(o); }

    document.getElementById('global-table').hidden = state.global.length === 0;
    document.getElementById('no-global').hidden = state.global.length !== 0;
    fill(document.getElementById('global-rows'), state.global, (tr, g) => {
      cell(tr, modelName(g.model)); usedCell(tr, g.usedTokens, g.monthlyTokens, tokens); usedCell(tr, g.usedCost, g.monthlyCost, cost);
    });
    fill(document.getElementById('role-rows'), state.roles, (tr, r) => {
      cell(tr, r.role); cell(tr, modelName(r.model)); cell(tr, tokens(r.monthlyTokens)); cell(tr, cost(r.monthlyCost));
    });
    document.getElementById('user-table').hidden = state.users.length === 0;
    document.getElementById('no-users').hidden = state.users.length !== 0;
    fill(document.getElementById('user-rows'), state.users, (tr, u) => {
      cell(tr, u.email); cell(tr, modelName(u.model)); cell(tr, u.monthlyTokens == null ? 'from roles' : tokens(u.monthlyTokens));
      cell(tr, u.monthlyCost == null ? 'from roles' : cost(u.monthlyCost));
    });
    const rates = state.rateLimits;
    document.getElementById('rate-default').textContent = rates.defaultPerMinute == null ? 'no limit' : rates.defaultPerMinute + ' a minute';
    document.getElementById('rate-table').hidden = rates.users.length === 0;
    fill(document.getElementById('rate-rows'), rates.users, (tr, u) => {
      cell(tr, u.email); cell(tr, u.requestsPerMinute === 0 ? 'no limit' : u.requestsPerMinute + ' a minute');
    });
    fill(document.getElementById('usage-rows'), state.usage, (tr, p) => {
      cell(tr, p.email);
      usedCell(tr, p.usedTokens, p.tokenLimit, tokens);
      usedCell(tr, p.usedCost, p.costLimit, cost);
    });
  }

  async function load() {
    try { render(await call('GET', API)); } catch (e) { showError(e.message); }
  }

  function numberOrNull(id) {
    const value = document.getElementById(id).value.trim();
    return value === '' ? null : Number(value);
  }

  function showScope() {
    document.getElementById('rule-email-label').hidden = scope.value !== 'USER';
    document.getElementById('rule-role-label').hidden = scope.value !== 'ROLE';
  }
  scope.addEventListener('change', showScope);
  showScope();

  document.getElementById('rule-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { scope: scope.value, model: document.getElementById('rule-model').value,
      monthlyTokens: numberOrNull('rule-tokens'), monthlyCost: numberOrNull('rule-cost'),
      email: scope.value === 'USER' ? document.getElementById('rule-email').value.trim() : null,
      role: scope.value === 'ROLE' ? document.getElementById('rule-role').value : null };
    try {
      const change = await call('PUT', API + '/rules', body);
      const who = change.scope === 'GLOBAL' ? 'everyone together' : (change.scope === 'ROLE' ? 'the role ' + change.role : change.email);
      showSaved('Saved the budget of ' + who + ' for ' + modelName(change.model).toLowerCase() + ': '
        + tokens(change.after.monthlyTokens) + ' tokens, ' + cost(change.after.monthlyCost) + ' cost a month.');
      await load();
    } catch (e) { showError(e.message); }
  });

  document.getElementById('rate-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = document.getElementById('rate-email').value.trim();
    try {
      const change = await call('PUT', API + '/rate-limits', { email: email === '' ? null : email, requestsPerMinute: numberOrNull('rate-value') });
      showSaved('Saved the request rate of ' + (change.email || 'everyone (default)') + ': '
        + (change.after == null ? (change.email ? 'follows the default' : 'no limit') : (change.after === 0 ? 'no limit' : change.after + ' a minute')) + '.');
      await load();
    } catch (e) { showError(e.message); }
  });

  load();
})();
