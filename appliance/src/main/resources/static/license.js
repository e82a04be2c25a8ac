// License page: status, details, seats and the online check from GET /api/v1/admin/license; upload (PUT with the
// file's text as the body, unchanged: its signature is over those bytes) and "check now". Text is set with
// textContent only.
(function () {
  const API = '/api/v1/admin/license';
  const error = document.getElementById('lic-error');
  const notice = document.getElementById('lic-notice');
  const LABELS = { EVALUATION: 'Evaluation (no license installed)', VALID: 'Licensed', EXPIRING: 'Licensed, expiring soon',
    GRACE: 'Expired, in grace period', READ_ONLY: 'Read-only administration' };

  function showError(text) { error.textContent = text; error.hidden = !text; if (text) notice.hidden = true; }
  function showNotice(text) { notice.textContent = text; notice.hidden = !text; if (text) error.hidden = true; }
  function set(id, text) { document.getElementById(id).textContent = text == null || text === '' ? '—' : String(text); }
  function when(t) { return t ? t.replace('T', ' ').substring(0, 19) : null; }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body != null ? { 'Content-Type': 'application/json' } : {}, body: body });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.json();
  }

  function render(l) {
    document.getElementById('lic-status').dataset.state = l.status;
    set('lic-state', LABELS[l.status] || l.status);
    set('lic-message', [l.message, l.keyWarning].filter(Boolean).join(' '));
    set('lic-customer', l.customer);
    set('lic-id', l.licenseId);
    set('lic-dates', l.issuedAt ? l.issuedAt + ' to ' + l.expiresAt : null);
    set('lic-grace', l.graceEndsAt);
    set('lic-features', l.features.join(', '));
    set('lic-source', l.source === 'upload' ? 'Uploaded by ' + l.uploadedBy + ' at ' + when(l.uploadedAt)
      : l.source === 'file' ? 'License file on the server' : 'Nothing installed');
    set('lic-signed-by', l.signedBy === 'vendor' ? 'The vendor (a key shipped with the product)'
      : l.signedBy === 'configured-key' ? l.keyWarning : null);
    document.getElementById('lic-signed-by').classList.toggle('lic-warning', l.signedBy === 'configured-key');
    set('lic-appliance', l.applianceId);
    const bar = document.getElementById('lic-seats-bar');
    bar.max = l.seatsLicensed || Math.max(l.seatsInUse, 1);
    bar.value = l.seatsInUse;
    set('lic-seats', l.seatsLicensed == null ? l.seatsInUse + ' in use (no limit without a license)'
      : l.seatsInUse + ' of ' + l.seatsLicensed + ' seats in use');
    const c = l.onlineCheck;
    set('lic-check', !c.enabled ? 'Off (GATEHOUSE_LICENSE_CHECK_URL is not set): the license is checked offline only.'
      : c.revoked ? 'The license server revoked this license' + (c.revokedMessage ? ': ' + c.revokedMessage : '.')
      : 'Last answer: ' + (when(c.lastAnswerAt) || 'never') + (c.lastError ? '; last attempt at ' + when(c.lastCheckAt) + ' failed: ' + c.lastError : ''));
  }

  async function load() {
    try { render(await call('GET', API)); } catch (e) { showError(e.message); }
  }

  document.getElementById('lic-check-now').addEventListener('click', async () => {
    try { render(await call('POST', API + '/check')); showNotice('License re-read and checked.'); } catch (e) { showError(e.message); }
  });

  document.getElementById('lic-upload').addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = document.getElementById('lic-file').files[0];
    if (!file) { showError('Choose the license file first.'); return; }
    try {
      render(await call('PUT', API, await file.text()));
      showNotice('License uploaded.');
      event.target.reset();
    } catch (e) { showError(e.message); }
  });

  load();
})();
