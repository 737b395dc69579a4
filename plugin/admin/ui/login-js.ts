import { MIN_PASSWORD } from '../credentials.js';

/** Script of the login and first-start pages (embedded; no template literals inside). */
export const LOGIN_JS = String.raw`
(function () {
  'use strict';
  var form = document.getElementById('auth-form');
  var message = document.getElementById('message');
  var submit = document.getElementById('submit');
  var mode = form.getAttribute('data-mode');

  function show(text) { message.textContent = text; }

  function request(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-Jellybridge-CSRF'] = '1';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: res.status, data: data, retryAfter: res.headers.get('Retry-After') };
      });
    });
  }

  request('GET', '/api/auth').then(function (r) {
    if (!r.data) return;
    if (r.data.authenticated) { location.replace('/'); return; }
    if (mode === 'login' && r.data.passwordFrom === 'unset') {
      if (r.data.setupAllowed) { location.replace('/setup'); return; }
      show('No admin password is set yet. Open this page on the machine running Jellybridge (http://127.0.0.1) to set one, or set JELLYBRIDGE_ADMIN_PASSWORD.');
    }
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var password = document.getElementById('password').value;
    if (mode === 'setup') {
      if (password.length < ${MIN_PASSWORD}) { show('Use at least ${MIN_PASSWORD} characters.'); return; }
      if (password !== document.getElementById('confirm').value) { show('The two passwords differ.'); return; }
    }
    if (!password) { show('Enter the password.'); return; }
    submit.disabled = true;
    show('');
    request('POST', mode === 'setup' ? '/api/setup' : '/api/login', { password: password }).then(function (r) {
      submit.disabled = false;
      if (r.status === 200) { location.replace('/'); return; }
      if (r.status === 401) show('Wrong password.');
      else if (r.status === 429) show('Too many attempts. Try again in ' + (r.retryAfter || 'a few') + ' seconds.');
      else show((r.data && r.data.error && r.data.error.message) || ('Failed (HTTP ' + r.status + ')'));
    }, function () {
      submit.disabled = false;
      show('The sidecar did not answer.');
    });
  });
})();
`;
