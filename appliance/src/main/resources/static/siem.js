// SIEM export page: the settings form and the delivery status, through /api/v1/admin/siem. The status is re-read
// every few seconds so the cursor, lag and last error follow what the shipper does.
(function () {
  const API = '/api/v1/admin/siem';
  const error = document.getElementById('siem-error');
  const transport = document.getElementById('transport');
  const saved = document.getElementById('siem-saved');
  const testResult = document.getElementById('test-result');
  let formLoaded = false;

  function showError(text) { error.textContent = text; error.hidden = !text; }
  function when(t) { return t ? t.replace('T', ' ').substring(0, 19) + ' UTC' : 'never'; }
  function text(id, value) { document.getElementById(id).textContent = value; }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.json();
  }

  function showTransport() {
    const http = transport.value === 'HTTP';
    document.getElementById('http-fields').hidden = !http;
    document.getElementById('syslog-fields').hidden = http;
  }

  function renderStatus(view) {
    const s = view.settings, st = view.status;
    const panel = document.getElementById('status-panel');
    const state = !s.enabled ? 'off' : st.failures > 0 ? 'failing' : 'ok';
    panel.dataset.state = state;
    text('status-title', state === 'off' ? 'Export is off'
      : state === 'failing' ? 'Delivery is failing: ' + st.failures + ' batch(es) in a row, retrying'
      : st.lag > 0 ? 'Exporting: catching up' : 'Exporting: up to date');
    text('status-cursor', st.cursor); text('status-newest', st.newestSeq); text('status-lag', st.lag);
    text('status-delivered', st.delivered); text('status-success', when(st.lastSuccessAt));
    text('status-node', st.shippingNode ? st.shippingNode + (st.shippingNode === st.thisNode ? ' (this node)' : '') : 'none');
    const lastError = document.getElementById('status-error');
    lastError.hidden = !st.lastError;
    lastError.textContent = st.lastError ? 'Last error (' + when(st.lastErrorAt) + '): ' + st.lastError : '';
  }

  function renderForm(s) {
    document.getElementById('enabled').checked = s.enabled;
    transport.value = s.transport;
    document.getElementById('url').value = s.url || '';
    document.getElementById('host').value = s.host || '';
    document.getElementById('port').value = s.port == null ? '' : s.port;
    document.getElementById('batch-size').value = s.batchSize;
    document.getElementById('authorization').value = '';
    document.getElementById('clear-authorization').checked = false;
    document.getElementById('clear-authorization-label').hidden = !s.authorizationSet;
    text('authorization-state', s.authorizationSet ? 'An Authorization value is stored; leave the field empty to keep it.'
      : 'No Authorization value is stored.');
    text('updated-by', s.updatedBy ? 'Last changed by ' + s.updatedBy + ' at ' + when(s.updatedAt) + '.' : '');
    showTransport();
  }

  async function load() {
    const view = await call('GET', API);
    renderStatus(view);
    if (!formLoaded) { renderForm(view.settings); formLoaded = true; }
  }

  document.getElementById('siem-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    showError(''); saved.hidden = true;
    const port = document.getElementById('port').value;
    const batch = document.getElementById('batch-size').value;
    try {
      const view = await call('PUT', API, {
        enabled: document.getElementById('enabled').checked,
        transport: transport.value,
        url: document.getElementById('url').value,
        authorization: document.getElementById('authorization').value,
        clearAuthorization: document.getElementById('clear-authorization').checked,
        host: document.getElementById('host').value,
        port: port === '' ? null : Number(port),
        batchSize: batch === '' ? null : Number(batch)
      });
      renderForm(view.settings); renderStatus(view);
      saved.hidden = false;
    } catch (err) {
      showError(err.message);
    }
  });

  document.getElementById('send-test').addEventListener('click', async function () {
    showError(''); testResult.hidden = true;
    try {
      const result = await call('POST', API + '/test');
      testResult.className = result.delivered ? 'ok' : 'failed';
      testResult.textContent = result.delivered
        ? 'Test event ' + result.seq + ' delivered to ' + result.destination + '.'
        : 'Test event ' + result.seq + ' not delivered: ' + result.error;
      testResult.hidden = false;
    } catch (err) {
      showError(err.message);
    }
  });

  transport.addEventListener('change', showTransport);
  load().catch(e => showError(e.message));
  setInterval(() => call('GET', API).then(renderStatus).catch(() => {}), 5000);
})();
