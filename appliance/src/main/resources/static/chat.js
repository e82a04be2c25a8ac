// Chat page: sends the message and renders the answer as it streams (SSE over fetch, since EventSource
// cannot POST). Streamed text is inserted with textContent only, so model output can never become markup;
// at the end the bubble shows the server's rendering instead: Markdown to HTML, sanitized by the output
// guardrail (no raw HTML, no images, links only to allowed sites).
(function () {
  const form = document.getElementById('composer');
  if (!form) return;
  const messages = document.getElementById('messages');
  const input = document.getElementById('message');
  const modelSelect = document.getElementById('model');
  const send = document.getElementById('send');
  const list = document.getElementById('conversation-list');

  function bubble(role, text) {
    const div = document.createElement('div');
    div.className = 'message ' + role;
    const body = document.createElement('div');
    body.className = 'text';
    body.textContent = text;
    div.appendChild(body);
    messages.appendChild(div);
    messages.scrollTop = messages.scrollHeight;
    return div;
  }

  function addLine(div, cls, text) {
    const line = document.createElement('div');
    line.className = cls;
    line.textContent = text;
    div.appendChild(line);
  }

  // Evidence: one expandable "Sources: connector · tool" line per answer, the steps inside it.
  function sources(div) {
    let box = div.querySelector('details.sources');
    if (!box) {
      box = document.createElement('details');
      box.className = 'sources';
      box.appendChild(document.createElement('summary'));
      div.insertBefore(box, div.querySelector('.text'));
    }
    return box;
  }

  function toolStep(div, data) {
    const box = sources(div);
    const details = document.createElement('details');
    details.className = 'tool-step' + (data.error ? ' failed' : '');
    const summary = document.createElement('summary');
    summary.textContent = data.connector + ' · ' + data.tool + ' · ' + data.durationMillis + ' ms'
      + (data.rows != null ? ' · ' + data.rows + ' rows' : '') + (data.error ? ' · failed' : '');
    const args = document.createElement('code');
    args.textContent = data.arguments;
    details.appendChild(summary);
    details.appendChild(args);
    details.dataset.source = data.connector ? data.connector + ' · ' + data.tool : data.tool;
    box.appendChild(details);
    const used = Array.from(new Set(Array.from(box.querySelectorAll('details.tool-step')).map(d => d.dataset.source)));
    box.querySelector('summary').textContent = 'Sources: ' + used.join(', ');
  }

  function finalAnswer(div, body, data) {
    if (typeof data.html === 'string') {
      body.innerHTML = data.html; // sanitized on the server; see MarkdownRenderer
      body.classList.add('markdown');
    } else if (typeof data.text === 'string') {
      body.textContent = data.text;
    }
    if (data.notice) addLine(div, 'notice removal-notice', data.notice);
  }

  function rememberConversation(data) {
    if (form.dataset.conversationId) return;
    form.dataset.conversationId = data.conversationId;
    history.replaceState(null, '', '/c/' + data.conversationId);
    const li = document.createElement('li');
    li.className = 'active';
    const a = document.createElement('a');
    a.href = '/c/' + data.conversationId;
    a.textContent = data.title;
    li.appendChild(a);
    list.prepend(li);
  }

  async function readEvents(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        const data = [];
        for (const line of raw.split('\n')) {
          if (line.startsWith('event:')) name = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length) onEvent(name, JSON.parse(data.join('\n')));
      }
    }
  }

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    bubble('user', text);
    input.value = '';
    send.disabled = true;
    const answer = bubble('assistant streaming', '');
    const answerText = answer.querySelector('.text');
    try {
      const response = await fetch('/api/v1/chat/messages', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
        body: JSON.stringify({ conversationId: form.dataset.conversationId || null, model: modelSelect.value, message: text })
      });
      if (response.status === 401) { window.location = '/login?next=' + encodeURIComponent(location.pathname); return; }
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        answer.classList.add('error');
        addLine(answer, 'error-text', problem.detail || ('The request failed (HTTP ' + response.status + ').'));
        return;
      }
      await readEvents(response, function (name, data) {
        if (name === 'conversation') rememberConversation(data);
        else if (name === 'tool') toolStep(answer, data);
        else if (name === 'delta') { answerText.textContent += data.text; messages.scrollTop = messages.scrollHeight; }
        else if (name === 'done') { finalAnswer(answer, answerText, data); answer.classList.add('complete'); addLine(answer, 'meta', data.model + ' · ' + data.inputTokens + ' in / ' + data.outputTokens + ' out tokens'); }
        else if (name === 'error') { answer.classList.add('error'); addLine(answer, 'error-text', data.message); }
      });
    } catch (err) {
      answer.classList.add('error');
      addLine(answer, 'error-text', 'The connection to Gatehouse was lost. Your message was saved; reload to see it.');
    } finally {
      answer.classList.remove('streaming');
      send.disabled = false;
      input.focus();
    }
  });

  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
})();
