// Approvals page: calls waiting for this person's decision (four eyes, or admin approval) as cards; for admins
// also the review list of Audited actions (mark reviewed) and recent decisions; for everyone else their own
// requests. Re-read every few seconds. Data is rendered with textContent only.
(function () {
  const page = document.getElementById('approvals-page');
  if (!page || !window.GatehouseApprovals) return;
  const adminView = page.dataset.adminView === 'true';
  const error = document.getElementById('approvals-error');
  const cards = window.GatehouseApprovals;

  function showError(text) { error.textContent = text; error.hidden = !text; }
  function when(iso) { return iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : ''; }
  function cell(tr, text, cls) {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    if (text != null) td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function preCell(tr, text) {
    const pre = document.createElement('pre');
    pre.className = 'approval-args';
    pre.textContent = text || '';
    cell(tr, null).appendChild(pre);
  }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: body ? { 'Content-Type': 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('HTTP ' + response.status));
    }
    return response.status === 204 ? null : response.json();
  }

  /** Cards decided on this page stay, with their result, though the queue no longer lists them. */
  const decidedHere = new Map();
  function changed(view) {
    if (view) decidedHere.set(view.id, view);
    load();
  }

  /** Redraws a list of cards; a card whose state did not change (or that someone is typing in) is left alone. */
  function renderCards(container, views, showRequester) {
    const keep = new Map();
    for (const c of container.querySelectorAll('.approval-card')) keep.set(c.dataset.approvalId, c);
    const listed = new Set(views.map(v => v.id));
    const all = views.concat([...decidedHere.values()].filter(v => container.id === 'to-decide' && !listed.has(v.id)));
    const next = [];
    for (const view of all) {
      const existing = keep.get(view.id);
      const signature = JSON.stringify([view.status, view.mayApprove, view.mayReject, view.outcome]);
      if (existing && (existing.dataset.rendered === signature || existing.contains(document.activeElement))) {
        next.push(existing);
        continue;
      }
      next.push(existing ? cards.fill(existing, view, { showRequester: showRequester, onChange: changed })
        : cards.card(view, { showRequester: showRequester, onChange: changed }));
    }
    if (next.length !== container.children.length || next.some((c, i) => container.children[i] !== c)) {
      container.replaceChildren(...next);
    }
  }

  let shownReviews = '';
  function renderReviews(reviews) {
    const rows = document.getElementById('review-rows');
    const signature = JSON.stringify(reviews);
    if (signature === shownReviews) return;
    shownReviews = signature;
    rows.replaceChildren();
    document.getElementById('reviews-table').hidden = reviews.length === 0;
    document.getElementById('no-reviews').hidden = reviews.length !== 0;
    for (const r of reviews) {
      const tr = document.createElement('tr');
      tr.dataset.reviewId = r.id;
      cell(tr, when(r.ranAt)); cell(tr, r.user); cell(tr, r.connector + ' · ' + r.tool);
      preCell(tr, r.argumentsPretty || r.arguments);
      preCell(tr, (r.outcomeError ? '[failed] ' : '') + r.outcome);
      const review = cell(tr, null);
      if (r.reviewedAt) {
        review.textContent = 'Reviewed by ' + r.reviewedBy + ' at ' + when(r.reviewedAt) + (r.note ? ': ' + r.note : '');
      } else {
        const note = document.createElement('input');
        note.type = 'text'; note.maxLength = 1000; note.placeholder = 'Note (optional)'; note.className = 'review-note';
        note.setAttribute('aria-label', 'Review note');
        const button = document.createElement('button');
        button.type = 'button'; button.className = 'mark-reviewed'; button.textContent = 'Mark reviewed';
        button.addEventListener('click', async function () {
          button.disabled = true;
          try {
            await call('POST', '/api/v1/admin/action-reviews/' + encodeURIComponent(r.id) + '/reviewed', { note: note.value.trim() || null });
            showError('');
            load();
          } catch (e) { showError(e.message); button.disabled = false; }
        });
        review.append(note, button);
      }
      rows.appendChild(tr);
    }
  }

  let shownRecent = '';
  function renderRecent(recent) {
    const rows = document.getElementById('recent-rows');
    const signature = JSON.stringify(recent.map(a => [a.id, a.status, a.outcome]));
    if (signature === shownRecent) return;
    shownRecent = signature;
    rows.replaceChildren();
    document.getElementById('recent-table').hidden = recent.length === 0;
    document.getElementById('no-recent').hidden = recent.length !== 0;
    for (const a of recent) {
      const tr = document.createElement('tr');
      cell(tr, when(a.createdAt)); cell(tr, a.requester); cell(tr, a.connector + ' · ' + a.tool);
      preCell(tr, a.argumentsPretty || a.arguments);
      cell(tr, (cards.statusText[a.status] || a.status) + (a.outcome ? ': ' + a.outcome : ''));
      cell(tr, a.decidedBy ? a.decidedBy + ' · ' + when(a.decidedAt) + (a.comment ? ' — ' + a.comment : '') : '');
      rows.appendChild(tr);
    }
  }

  let busy = false;
  async function load() {
    if (busy) return;
    busy = true;
    try {
      renderCards(document.getElementById('to-decide'), (await call('GET', '/api/v1/me/approvals/to-decide')) || [], true);
      if (adminView) {
        renderReviews((await call('GET', '/api/v1/admin/action-reviews')) || []);
        renderRecent(((await call('GET', '/api/v1/admin/approvals')) || {}).recent || []);
      } else {
        renderCards(document.getElementById('mine'), (await call('GET', '/api/v1/me/approvals')) || [], false);
      }
      showError('');
    } catch (e) {
      showError(e.message);
    } finally {
      busy = false;
    }
  }

  load();
  setInterval(function () {
    // Not while someone types a comment or a note: the redraw would take their text away.
    const typing = document.activeElement && document.activeElement.tagName === 'INPUT' && page.contains(document.activeElement);
    if (!document.hidden && !typing) load();
  }, 5000);
})();
