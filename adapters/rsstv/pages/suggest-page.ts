/**
 * The friend's suggestion page: an HTML shell (friend name and CSRF token escaped into it)
 * plus one static script. No inline script or style, so the page runs under a strict CSP; the
 * script builds every node with textContent, so guide titles and notes cannot inject markup.
 */
import { escapeHtml } from '../../../plugin/index.js';
import { EL_HELPER_JS } from './style.js';

export function suggestPageHtml(options: { readonly friendName: string; readonly csrfToken: string; readonly assetBase: string; readonly guideDays: number }): string {
  const name = escapeHtml(options.friendName);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="csrf-token" content="${escapeHtml(options.csrfToken)}">
<meta name="guide-days" content="${String(options.guideDays)}">
<title>Suggest a programme</title>
<link rel="stylesheet" href="${escapeHtml(options.assetBase)}/style.css">
<link rel="icon" href="${escapeHtml(options.assetBase)}/icon.svg">
</head>
<body>
<header><h1>Suggest a programme</h1><p>Hello <span id="friend-name">${name}</span>: pick something from the guide and it is sent to the DVR.</p></header>
<main>
<section>
<h2>Search the guide</h2>
<form id="search-form">
<label for="q">Title or channel</label>
<input id="q" name="q" type="search" maxlength="100" autocomplete="off" placeholder="e.g. Good Eats">
<div class="row">
<div><label for="channel">Channel</label><select id="channel" name="channel"><option value="">All channels</option></select></div>
<div><label for="day">When</label><select id="day" name="day"><option value="">Any time</option></select></div>
</div>
<button id="search" type="submit">Search</button>
</form>
</section>
<section>
<h2>Results</h2>
<div id="message" role="status" aria-live="polite"></div>
<ul id="results"></ul>
</section>
<section>
<h2>My suggestions</h2>
<ul id="mine"></ul>
</section>
</main>
<script src="${escapeHtml(options.assetBase)}/suggest.js"></script>
</body>
</html>
`;
}

/** The page's script (ES2017, no framework: old phone browsers run it). */
export const SUGGEST_JS = `(function () {
  'use strict';
  var base = location.pathname.replace(/\\/+$/, '');
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var days = Number(document.querySelector('meta[name="guide-days"]').getAttribute('content')) || 7;
  var results = document.getElementById('results');
  var mine = document.getElementById('mine');
  var message = document.getElementById('message');

${EL_HELPER_JS}  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }
  function when(iso) {
    var d = new Date(iso);
    return d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' }) + ' ' +
      d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  function api(path, options) {
    options = options || {};
    options.headers = options.headers || {};
    options.credentials = 'omit';
    return fetch(base + '/api/' + path, options).then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        return { status: res.status, body: body, retryAfter: res.headers.get('Retry-After') };
      });
    });
  }
  function errorText(r) {
    if (r.status === 429) return 'Too many suggestions. Try again in ' + (r.retryAfter || 'a few') + ' seconds.';
    if (r.status === 401 || r.status === 403) return 'This invite link is no longer valid.';
    return (r.body && r.body.error && r.body.error.message) || ('Something went wrong (' + r.status + ').');
  }

  function renderMine(list) {
    mine.textContent = '';
    if (!list.length) { mine.appendChild(el('li', 'meta', 'Nothing suggested yet.')); return; }
    list.forEach(function (s) {
      var li = el('li');
      li.setAttribute('data-suggestion-id', s.id);
      li.appendChild(el('div', 'title', s.title + (s.episodeTitle ? ' – ' + s.episodeTitle : '')));
      li.appendChild(el('div', 'meta', when(s.start) + ' · ' + s.channel));
      if (s.note) li.appendChild(el('div', 'meta note', '“' + s.note + '”'));
      var status = el('span', 'status ' + String(s.status).replace(/[^A-Za-z]/g, ''), s.statusText);
      status.setAttribute('data-status', s.status);
      li.appendChild(status);
      mine.appendChild(li);
    });
  }
  function loadMine() {
    return api('suggestions').then(function (r) {
      if (r.status === 200) renderMine(r.body.suggestions); else say(errorText(r), true);
    });
  }

  function suggestForm(li, program) {
    if (li.querySelector('form')) return;
    var form = el('form', 'suggest-form');
    var label = el('label', null, 'Note for the owner (optional)');
    var note = el('textarea', 'note');
    note.setAttribute('maxlength', '280');
    label.appendChild(note);
    var send = el('button', 'send', 'Send suggestion');
    send.type = 'submit';
    form.appendChild(label);
    form.appendChild(send);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      send.disabled = true;
      api('suggestions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ programId: program.id, note: note.value })
      }).then(function (r) {
        send.disabled = false;
        if (r.status === 201 || r.status === 200) {
          say(r.status === 201 ? 'Sent: ' + program.title : 'You already suggested ' + program.title, false);
          form.parentNode.removeChild(form);
          return loadMine();
        }
        say(errorText(r), true);
      }, function () { send.disabled = false; say('Network error.', true); });
    });
    li.appendChild(form);
    note.focus();
  }

  function renderResults(programs) {
    results.textContent = '';
    if (!programs.length) { results.appendChild(el('li', 'meta', 'Nothing found.')); return; }
    programs.forEach(function (p) {
      var li = el('li', 'program');
      li.setAttribute('data-program-id', p.id);
      li.appendChild(el('div', 'title', p.title + (p.episodeTitle ? ' – ' + p.episodeTitle : '')));
      li.appendChild(el('div', 'meta', when(p.start) + ' · ' + p.channel));
      if (p.overview) li.appendChild(el('div', 'meta', p.overview));
      var button = el('button', 'secondary suggest', 'Suggest…');
      button.type = 'button';
      button.addEventListener('click', function () { suggestForm(li, p); });
      li.appendChild(button);
      results.appendChild(li);
    });
  }

  function search(event) {
    if (event) event.preventDefault();
    var params = new URLSearchParams();
    var q = document.getElementById('q').value.trim();
    var channel = document.getElementById('channel').value;
    var day = document.getElementById('day').value;
    if (q) params.set('q', q);
    if (channel) params.set('channel', channel);
    if (day !== '') {
      var from = new Date(); from.setHours(0, 0, 0, 0); from.setDate(from.getDate() + Number(day));
      var to = new Date(from.getTime()); to.setDate(to.getDate() + 1);
      params.set('from', from.toISOString()); params.set('to', to.toISOString());
    }
    say('Searching…', false);
    return api('guide?' + params.toString()).then(function (r) {
      if (r.status !== 200) { say(errorText(r), true); return; }
      say(r.body.programs.length + ' programme(s)', false);
      renderResults(r.body.programs);
    }, function () { say('Network error.', true); });
  }

  function init() {
    var daySelect = document.getElementById('day');
    for (var i = 0; i < days; i++) {
      var d = new Date(); d.setDate(d.getDate() + i);
      var option = el('option', null, i === 0 ? 'Today' : i === 1 ? 'Tomorrow' : d.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'short' }));
      option.value = String(i);
      daySelect.appendChild(option);
    }
    document.getElementById('search-form').addEventListener('submit', search);
    api('channels').then(function (r) {
      if (r.status !== 200) { say(errorText(r), true); return; }
      var select = document.getElementById('channel');
      r.body.channels.forEach(function (c) {
        var option = el('option', null, (c.number ? c.number + ' ' : '') + c.name);
        option.value = c.id;
        select.appendChild(option);
      });
    });
    loadMine();
    search();
  }
  init();
})();
`;
