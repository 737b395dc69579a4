import { EL_HELPER_JS } from './style.js';

/**
 * The owner's page (`/rsstv/owner/`): a static shell and script that call the owner API with
 * the owner token as a Bearer header (kept in sessionStorage, never in a URL or cookie, so the
 * API needs no CSRF token). Every value is rendered with textContent.
 */
export function ownerPageHtml(assetBase: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>RSSTV – owner</title>
<link rel="stylesheet" href="${assetBase}/style.css">
<link rel="icon" href="${assetBase}/icon.svg">
</head>
<body>
<header><h1>RSSTV – friends' suggestions</h1><p>Invites, suggestions, feeds and what the DVR made of them.</p></header>
<main>
<section id="login">
<h2>Owner token</h2>
<p class="meta">The token is in the file <code>adapters/rsstv/owner-token</code> under the data folder.</p>
<form id="login-form"><input id="token" type="password" autocomplete="off" placeholder="owner token"><button type="submit">Open</button></form>
</section>
<div id="app" class="hidden">
<div id="message" role="status" aria-live="polite"></div>
<section><h2>Your feed</h2><p class="meta">Give this URL to feed readers (TiVo RssReader, other DVRs). It is secret.</p><code id="feed-url"></code>
<button id="poll" class="secondary" type="button">Check feeds now</button></section>
<section><h2>Invites</h2>
<form id="invite-form" class="row"><input id="invite-name" maxlength="60" placeholder="Friend's name" required><input id="invite-days" type="number" min="0" max="3650" placeholder="Days valid (0 = forever)"><button type="submit">Create invite link</button></form>
<p id="invite-link" class="meta"></p>
<ul id="invites"></ul></section>
<section><h2>Suggestions</h2><ul id="suggestions"></ul></section>
<section><h2>Subscriptions</h2>
<form id="sub-form" class="row"><input id="sub-name" maxlength="100" placeholder="Name" required><input id="sub-url" type="url" placeholder="https://…/feed.xml" required><button type="submit">Subscribe</button></form>
<ul id="subscriptions"></ul></section>
<section><h2>Scheduling results</h2><ul id="items"></ul></section>
</div>
</main>
<script src="${assetBase}/owner.js"></script>
</body>
</html>
`;
}

export const OWNER_JS = `(function () {
  'use strict';
  var base = location.pathname.replace(/\\/+$/, '') + '/api/';
  var token = sessionStorage.getItem('rsstv-owner-token') || '';
  function $(id) { return document.getElementById(id); }
${EL_HELPER_JS}  function say(text, isError) { $('message').textContent = text; $('message').className = isError ? 'error' : ''; }
  function api(method, path, body) {
    var options = { method: method, headers: { Authorization: 'Bearer ' + token }, credentials: 'omit' };
    if (body !== undefined) { options.headers['Content-Type'] = 'application/json'; options.body = JSON.stringify(body); }
    return fetch(base + path, options).then(function (res) {
      return res.text().then(function (t) {
        var b = null; try { b = t ? JSON.parse(t) : null; } catch (e) { b = null; }
        if (res.status === 401) { $('login').className = ''; $('app').className = 'hidden'; }
        if (res.status >= 400) throw new Error((b && b.error && b.error.message) || ('HTTP ' + res.status));
        return b;
      });
    });
  }
  function button(text, action) {
    var b = el('button', 'secondary', text); b.type = 'button';
    b.addEventListener('click', function () { action().then(refresh, function (e) { say(e.message, true); }); });
    return b;
  }
  function when(ms) { return ms ? new Date(ms).toLocaleString() : ''; }
  function refresh() {
    return api('GET', 'overview').then(function (o) {
      $('login').className = 'hidden'; $('app').className = '';
      $('feed-url').textContent = o.feedUrl;
      var invites = $('invites'); invites.textContent = '';
      o.invites.forEach(function (i) {
        var li = el('li'); li.setAttribute('data-invite-id', i.id);
        li.appendChild(el('div', 'title', i.name));
        li.appendChild(el('div', 'meta', i.state + (i.expiresAt ? ' · expires ' + when(Date.parse(i.expiresAt)) : '')));
        if (i.friendFeedUrl) li.appendChild(el('code', null, i.friendFeedUrl));
        if (i.state === 'active') li.appendChild(button('Revoke', function () { return api('POST', 'invites/' + encodeURIComponent(i.id) + '/revoke'); }));
        invites.appendChild(li);
      });
      var sugg = $('suggestions'); sugg.textContent = '';
      o.suggestions.forEach(function (s) {
        var li = el('li'); li.setAttribute('data-suggestion-id', s.id);
        li.appendChild(el('div', 'title', s.title + (s.episodeTitle ? ' – ' + s.episodeTitle : '')));
        li.appendChild(el('div', 'meta', when(s.start) + ' · ' + s.channel + ' · from ' + s.friend));
        if (s.note) li.appendChild(el('div', 'meta', '“' + s.note + '”'));
        var st = el('span', 'status ' + String(s.status).replace(/[^A-Za-z]/g, ''), s.statusLine); st.setAttribute('data-status', s.status);
        li.appendChild(st);
        if (s.review === 'pending') {
          li.appendChild(button('Approve', function () { return api('POST', 'suggestions/' + encodeURIComponent(s.id) + '/approve'); }));
          li.appendChild(button('Decline', function () { return api('POST', 'suggestions/' + encodeURIComponent(s.id) + '/decline'); }));
        }
        sugg.appendChild(li);
      });
      var subs = $('subscriptions'); subs.textContent = '';
      o.subscriptions.forEach(function (s) {
        var li = el('li'); li.appendChild(el('div', 'title', s.name));
        li.appendChild(el('div', 'meta', (s.source === 'self' ? 'this DVR\\'s own feed' : s.url) + ' · ' + (s.lastResult || 'not polled yet')));
        if (s.source === 'owner') li.appendChild(button('Unsubscribe', function () { return api('DELETE', 'subscriptions/' + encodeURIComponent(s.id)); }));
        subs.appendChild(li);
      });
      var items = $('items'); items.textContent = '';
      o.items.forEach(function (i) {
        var li = el('li'); li.appendChild(el('div', 'title', i.title || i.guid));
        li.appendChild(el('div', 'meta', i.subscription + ' · ' + when(i.start) + ' · ' + i.channel));
        var st = el('span', 'status ' + String(i.status).replace(/[^A-Za-z]/g, ''), i.statusLine); st.setAttribute('data-status', i.status);
        li.appendChild(st);
        if (i.detail) li.appendChild(el('div', 'meta', i.detail));
        items.appendChild(li);
      });
    }, function (e) { say(e.message, true); });
  }
  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault(); token = $('token').value.trim(); sessionStorage.setItem('rsstv-owner-token', token); refresh();
  });
  $('invite-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var days = $('invite-days').value;
    api('POST', 'invites', { name: $('invite-name').value, expiresInDays: days === '' ? undefined : Number(days) }).then(function (r) {
      $('invite-link').textContent = 'Send this link to ' + r.invite.name + ' (shown once): ' + r.link;
      $('invite-name').value = ''; return refresh();
    }, function (err) { say(err.message, true); });
  });
  $('sub-form').addEventListener('submit', function (e) {
    e.preventDefault();
    api('POST', 'subscriptions', { name: $('sub-name').value, url: $('sub-url').value }).then(refresh, function (err) { say(err.message, true); });
  });
  $('poll').addEventListener('click', function () { api('POST', 'poll').then(function () { say('Feeds checked.', false); return refresh(); }, function (err) { say(err.message, true); }); });
  if (token) refresh();
})();
`;
