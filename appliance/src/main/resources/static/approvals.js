// Approval cards. On the chat page: every proposal (Shadow) and approval request (Supervised) of the open
// conversation appears as a card in the answer whose tool step asked for it, with the connector, tool, the full
// arguments, the expiry, Approve / Reject when this person may decide, and the result once it ran. The page is
// watched (MutationObserver) and /api/v1/me/approvals polled, so cards appear as the answer streams and follow
// decisions made elsewhere. Everything is rendered with textContent: arguments and results are data, never markup.
// Other pages (the approvals queue) use window.GatehouseApprovals.card to draw the same cards.
(function () {
  const STATUS = {
    PROPOSED: 'Proposed only — not run',
    PENDING: 'Waiting for approval',
    APPROVED: 'Approved — running…',
    EXECUTED: 'Approved and run',
    FAILED: 'Approved — it failed',
    REJECTED: 'Rejected — not run',
    EXPIRED: 'Expired — not run'
  };
  const WAITING_FOR = {
    REQUESTER: 'You decide whether it runs.',
    OTHER_PERSON: 'Someone other than the person who asked must approve it (four eyes).',
    ADMIN: 'An administrator must approve it.'
  };

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }
  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  }

  async function decide(view, action, comment) {
    const response = await fetch('/api/v1/approvals/' + encodeURIComponent(view.id) + '/' + action, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ argumentsSha256: view.argumentsSha256, comment: comment || null })
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || ('The decision failed (HTTP ' + response.status + ').'));
    }
    return response.json();
  }

  /** Fills (or refills) a card element for one approval view; onChange(view) gets the view after a decision. */
  function fill(card, view, options) {
    options = options || {};
    card.className = 'approval-card';
    card.dataset.approvalId = view.id;
    card.dataset.status = view.status;
    card.dataset.rendered = JSON.stringify([view.status, view.mayApprove, view.mayReject, view.outcome]);
    card.replaceChildren();

    const title = el('div', 'approval-title');
    title.append(el('strong', null, view.trustLevel === 'SHADOW' ? 'Proposed action' : 'Action needs approval'),
      el('span', 'approval-status', STATUS[view.status] || view.status));
    card.append(title);

    const facts = el('dl', 'approval-facts');
    function fact(name, value) { if (value) facts.append(el('dt', null, name), el('dd', null, value)); }
    fact('Connector', view.connector);
    fact('Tool', view.tool);
    if (options.showRequester) fact('Asked by', view.requester);
    fact('Asked at', when(view.createdAt));
    if (view.status === 'PENDING') fact('Expires', when(view.expiresAt));
    card.append(facts);

    card.append(el('div', 'approval-label muted', 'Arguments (exactly what runs):'));
    const args = el('pre', 'approval-args', view.argumentsPretty || view.arguments);
    card.append(args);
    card.append(el('div', 'approval-hash', 'SHA-256 ' + view.argumentsSha256));

    if (view.trustLevel === 'SHADOW') {
      card.append(el('div', 'approval-note', 'This action runs in shadow mode for you: it was recorded as a proposal and never runs.'));
    } else if (view.status === 'PENDING' && !view.mayApprove) {
      card.append(el('div', 'approval-note', WAITING_FOR[view.approver] || 'Waiting for a decision.'));
    }

    const error = el('p', 'error approval-error');
    error.setAttribute('role', 'alert');
    error.hidden = true;

    if (view.status === 'PENDING' && (view.mayApprove || view.mayReject)) {
      const actions = el('div', 'approval-actions');
      const comment = el('input', 'approval-comment');
      comment.type = 'text';
      comment.maxLength = 1000;
      comment.placeholder = 'Comment (optional)';
      comment.setAttribute('aria-label', 'Comment on the decision');
      actions.append(comment);
      const buttons = [];
      function button(action, label, cls) {
        const b = el('button', cls, label);
        b.type = 'button';
        b.addEventListener('click', async function () {
          buttons.forEach(x => { x.disabled = true; });
          b.textContent = action === 'approve' ? 'Running…' : 'Rejecting…';
          error.hidden = true;
          try {
            const decided = await decide(view, action, comment.value.trim());
            fill(card, decided, options);
            if (options.onChange) options.onChange(decided);
          } catch (e) {
            error.textContent = e.message;
            error.hidden = false;
            buttons.forEach(x => { x.disabled = false; });
            b.textContent = label;
            if (options.onChange) options.onChange(null);
          }
        });
        buttons.push(b);
        actions.append(b);
      }
      if (view.mayApprove) button('approve', 'Approve and run', 'approve');
      if (view.mayReject) button('reject', view.mayApprove ? 'Reject' : 'Withdraw', 'reject');
      card.append(actions);
    }
    card.append(error);

    if (view.decidedBy) {
      const verb = view.status === 'REJECTED' ? 'Rejected' : 'Approved';
      card.append(el('div', 'approval-note', verb + ' by ' + view.decidedBy + ' at ' + when(view.decidedAt)
        + (view.comment ? ' — “' + view.comment + '”' : '')));
    }
    if (view.outcome != null && view.status !== 'PENDING') {
      const result = el('div', 'approval-result');
      result.append(el('h4', null, view.outcomeError ? 'Result (failed)' : 'Result'), el('pre', 'approval-outcome', view.outcome));
      card.append(result);
    }
    return card;
  }

  function card(view, options) {
    return fill(document.createElement('section'), view, options);
  }

  window.GatehouseApprovals = { card: card, fill: fill, statusText: STATUS };

  // --- The chat page -----------------------------------------------------------------------------------------
  const composer = document.getElementById('composer');
  const messages = document.getElementById('messages');
  if (!composer || !messages) return;

  if (!document.querySelector('link[href="/static/approvals.css"]')) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '/static/approvals.css';
    document.head.appendChild(css);
  }

  const POLL_MS = 3000;
  let loading = false;
  let again = false;
  let timer = null;

  function conversationId() { return composer.dataset.conversationId || ''; }

  /** The tool step in the chat that asked for this call, so the card sits in that answer. */
  function stepFor(view) {
    for (const step of messages.querySelectorAll('details.tool-step')) {
      if (step.dataset.approvalId) continue;
      const code = step.querySelector('code');
      const summary = step.querySelector('summary');
      if (code && code.textContent === view.arguments && summary
          && summary.textContent.startsWith(view.connector + ' · ' + view.tool + ' ·')) {
        return step;
      }
    }
    return null;
  }

  function place(view) {
    const existing = messages.querySelector('.approval-card[data-approval-id="' + CSS.escape(view.id) + '"]');
    if (existing) {
      const rendered = JSON.stringify([view.status, view.mayApprove, view.mayReject, view.outcome]);
      // A card someone is typing a comment in, or deciding on, is left alone until they are done.
      if (existing.dataset.rendered !== rendered && !existing.contains(document.activeElement)) {
        fill(existing, view, { onChange: schedule });
      }
      return;
    }
    const c = card(view, { onChange: schedule });
    const step = stepFor(view);
    if (step) {
      step.dataset.approvalId = view.id;
      // Tool steps may sit in a folded "Sources" box; the card goes right after the box (after earlier cards), in view.
      let anchor = step.parentElement && step.parentElement.closest('details') || step;
      while (anchor.nextElementSibling && anchor.nextElementSibling.classList.contains('approval-card')) anchor = anchor.nextElementSibling;
      anchor.after(c);
    } else {
      messages.appendChild(c);
    }
  }

  async function refresh() {
    const id = conversationId();
    if (!id) return;
    if (loading) { again = true; return; }
    loading = true;
    try {
      const response = await fetch('/api/v1/me/approvals?conversation=' + encodeURIComponent(id), { headers: { Accept: 'application/json' } });
      if (response.ok) {
        const views = await response.json();
        (views || []).forEach(place);
      }
    } catch (e) {
      // The next poll tries again; the chat itself reports a lost connection.
    } finally {
      loading = false;
      if (again) { again = false; refresh(); }
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  // New tool steps (as the answer streams) and a new conversation's id trigger a look at once.
  new MutationObserver(function (records) {
    if (records.some(r => !(r.target.closest && r.target.closest('.approval-card')))) schedule();
  }).observe(messages, { childList: true, subtree: true });
  new MutationObserver(schedule).observe(composer, { attributes: true, attributeFilter: ['data-conversation-id'] });
  setInterval(function () { if (!document.hidden) refresh(); }, POLL_MS);
  refresh();
})();
