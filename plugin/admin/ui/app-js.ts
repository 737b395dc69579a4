/**
 * Script of the admin app (embedded; plain ES5-style JS, no template literals inside). Every
 * value that came from a device (names, user agents, keys) is rendered with textContent, never
 * as HTML.
 */
export const APP_JS = String.raw`
(function () {
  'use strict';
  var csrf = null;
  var current = 'status';
  var users = null;
  var view = document.getElementById('view');
  var flash = document.getElementById('flash');
  var flashTimer = null;

  // ---- helpers ----
  function h(tag, props, children) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'text') el.textContent = String(value);
        else if (key === 'class') el.className = value;
        else if (key.indexOf('on') === 0) el.addEventListener(key.slice(2), value);
        else if (key === 'value') el.value = value;
        else if (key === 'checked') el.checked = !!value;
        else el.setAttribute(key, value === true ? '' : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return el;
  }

  function show(message, isError) {
    flash.textContent = message;
    flash.className = isError ? 'flash error' : 'flash';
    flash.hidden = false;
    if (flashTimer) clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { flash.hidden = true; }, isError ? 8000 : 3000);
  }

  function api(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (method !== 'GET') init.headers['X-Jellybridge-CSRF'] = csrf || '';
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      if (res.status === 401) { location.replace('/login'); throw new Error('logged out'); }
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = data && data.error;
          var message = err ? err.message : ('HTTP ' + res.status);
          if (err && err.issues) message += ' (' + err.issues.join('; ') + ')';
          throw new Error(message);
        }
        return data;
      });
    });
  }

  function act(promise, done) {
    return promise.then(function (data) {
      if (done) show(done);
      return refresh().then(function () { return data; });
    }, function (error) { show(error.message, true); });
  }

  function fmtTime(iso) {
    if (!iso) return '–';
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function fmtBytes(n) {
    if (typeof n !== 'number') return '–';
    var units = ['B', 'KiB', 'MiB', 'GiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i === 0 ? 0 : 1) + ' ' + units[i];
  }

  function badge(state) { return h('span', { class: 'badge state-' + state, text: state }); }

  function table(headers, rows) {
    return h('table', null, [
      h('thead', null, [h('tr', null, headers.map(function (t) { return h('th', { text: t }); }))]),
      h('tbody', null, rows)
    ]);
  }

  // The Jellyfin companion plugin card (issue #9), shown under the library source.
  function companionCard() {
    return api('GET', '/api/companion').then(function (c) {
      var children = [h('h2', { text: 'Jellyfin companion plugin' })];
      if (c.available === false) return h('section', { class: 'card', id: 'companion' }, children.concat([h('p', { class: 'muted', text: 'Not enabled in this sidecar.' })]));
      var state = c.plugin ? (c.plugin.installed ? c.plugin.state : 'not-installed') : (c.jellyfin ? 'unknown' : 'no-jellyfin');
      children.push(h('p', { id: 'companion-status' }, [badge(state), ' ', c.detail]));
      children.push(h('p', null, ['Plugin repository for Jellyfin (Dashboard → Plugins → Repositories): ', h('code', { id: 'companion-repo', text: c.repositoryUrl })]));
      var builds = (c.catalog.versions || []).map(function (v) {
        return v.version + ' for Jellyfin ' + v.targetAbi + ': ' + (!v.available ? (v.problem || 'unavailable') : v.assemblies.length ? 'ready' : 'no DLL built');
      });
      children.push(h('p', { class: 'muted', id: 'companion-catalog', text: 'Catalog: ' + (builds.length ? builds.join('; ') : (c.catalog.detail || 'empty')) }));
      if (c.devicesFromCompanion.length) children.push(h('p', { text: 'Devices set in the Jellyfin dashboard: ' + c.devicesFromCompanion.join(', ') + ' (applied at sidecar start; changes made here win).' }));
      if (c.issues.length) children.push(h('ul', { class: 'issues' }, c.issues.map(function (i) { return h('li', { text: i.field + ': ' + i.message }); })));
      if (c.jellyfin && !(c.plugin && c.plugin.installed && c.plugin.state === 'Active')) {
        children.push(h('div', { class: 'row' }, [h('button', { type: 'button', id: 'companion-install', text: 'Install in Jellyfin', onclick: function () {
          api('POST', '/api/companion/install').then(function (r) { show(r.message); refresh(); }, function (e) { show(e.message, true); });
        } })]));
      }
      return h('section', { class: 'card', id: 'companion' }, children);
    }, function (e) {
      return h('section', { class: 'card', id: 'companion' }, [h('h2', { text: 'Jellyfin companion plugin' }), h('p', { class: 'muted', text: e.message })]);
    });
  }

  function editing() {
    var el = document.activeElement;
    return el && view.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  // ---- views ----
  var views = {
    status: function () {
      return Promise.all([api('GET', '/api/adapters'), api('GET', '/api/health'), api('GET', '/api/library')]).then(function (r) {
        var adapters = r[0].adapters;
        var rows = adapters.map(function (a) {
          var health = a.health;
          var ports = health && health.ports ? health.ports : a.ports;
          return h('tr', { 'data-adapter-id': a.id }, [
            h('td', null, [h('strong', { text: a.displayName }), h('div', { class: 'muted', text: a.id + ' · ' + a.protocols.join(', ') })]),
            h('td', null, [health ? badge(health.state) : h('span', { class: 'muted', text: a.enabled ? 'not started' : 'off' })]),
            h('td', { text: Object.keys(ports || {}).map(function (k) { return k + ' ' + ports[k]; }).join(', ') || '–' }),
            h('td', null, [h('span', { text: health ? health.detail : '' })].concat((health && health.links ? health.links : []).map(function (link) {
              // Adapter links (e.g. the DVB-CSS companion page): only http(s) URLs are rendered.
              if (!/^https?:\/\//.test(link.url)) return h('span');
              return h('div', { class: 'adapter-link' }, [h('a', { href: link.url, target: '_blank', rel: 'noopener', text: link.label })].concat(
                link.qr && /^https?:\/\//.test(link.qr) ? [h('div', null, [h('img', { src: link.qr, width: '164', height: '164', alt: 'QR code: ' + link.label })])] : []));
            }))),
            h('td', { text: health && health.lastError ? (health.lastError.code + ': ' + health.lastError.message + ' (' + fmtTime(health.lastError.at) + ')') : '' }),
            h('td', { text: health ? Object.keys(health.counters).map(function (k) { return k + '=' + health.counters[k]; }).join(' ') : '' })
          ]);
        });
        var lib = r[2];
        return [
          h('section', { class: 'card' }, [h('h2', { text: 'Adapters' }), table(['Adapter', 'State', 'Ports', 'Detail', 'Last error', 'Counters'], rows)]),
          h('section', { class: 'card' }, [h('h2', { text: 'Library' }), h('p', null, [badge(lib.health.state), ' ', lib.kind + ': ' + lib.detail])]),
          h('section', { class: 'card' }, [h('h2', { text: 'Health report' }), h('pre', { text: JSON.stringify(r[1], null, 2) })])
        ];
      });
    },

    devices: function () {
      var usersPromise = users ? Promise.resolve(users) : api('GET', '/api/users').then(function (r) { users = r.users; return users; }, function () { users = []; return users; });
      return Promise.all([api('GET', '/api/devices'), usersPromise]).then(function (r) {
        var devices = r[0].devices.slice().sort(function (a, b) {
          var rank = { held: 0, approved: 1, refused: 2 };
          return rank[a.approval] - rank[b.approval] || a.name.localeCompare(b.name);
        });
        if (devices.length === 0) return [h('section', { class: 'card' }, [h('p', { class: 'muted', text: 'No devices yet. Devices appear here when they first contact an adapter, or when they are defined in config.json.' })])];
        return devices.map(deviceCard);
      });
    },

    streams: function () {
      return api('GET', '/api/transcodes').then(function (r) {
        var rows = r.transcodes.map(function (t) {
          var label = t.label || {};
          var p = t.progress;
          var bar = t.durationSeconds ? h('progress', { max: String(t.durationSeconds), value: String(Math.min(p.outSeconds, t.durationSeconds)) }) : null;
          return h('tr', { 'data-transcode-id': t.id }, [
            h('td', null, [h('strong', { text: label.title || label.item || t.id }), h('div', { class: 'muted', text: (label.adapter || '') + (label.device ? ' → ' + label.device : '') })]),
            h('td', { text: t.profile + (t.spooled ? ' (spooled)' : '') }),
            h('td', { text: fmtTime(t.startedAt) }),
            h('td', null, [bar, ' ', Math.round(p.outSeconds) + ' s' + (t.durationSeconds ? ' / ' + Math.round(t.durationSeconds) + ' s' : '')]),
            h('td', { text: fmtBytes(p.bytes) + ' · ' + (p.speed ? p.speed.toFixed(2) + '×' : '–') + ' · ' + (p.fps || 0) + ' fps' }),
            h('td', null, [h('button', { class: 'danger', 'data-action': 'stop', onclick: function () {
              act(api('POST', '/api/transcodes/' + encodeURIComponent(t.id) + '/stop'), 'Stopped.');
            }, text: 'Stop' })])
          ]);
        });
        return [h('section', { class: 'card' }, [h('h2', { text: 'Active streams and transcodes' }),
          rows.length ? table(['Item', 'Profile', 'Started', 'Progress', 'Output', ''], rows) : h('p', { class: 'muted', text: 'Nothing is streaming.' })])];
      });
    },

    recorders: function () {
      return api('GET', '/api/recorders').then(function (r) {
        if (!r.available) return [h('section', { class: 'card' }, [h('h2', { text: 'Camera recorders' }), h('p', { class: 'muted', text: 'The camera adapter is not running.' })])];
        var rows = r.recorders.map(function (rec) {
          return h('tr', { 'data-recorder-id': rec.id }, [
            h('td', { text: rec.name }), h('td', null, [badge(rec.state)]), h('td', { text: rec.detail || '' }),
            h('td', { text: rec.currentFile || '' }), h('td', { text: fmtBytes(rec.bytes) }),
            h('td', { text: rec.lastError ? rec.lastError.code + ': ' + rec.lastError.message : '' }),
            h('td', null, [h('button', { type: 'button', class: 'secondary', 'data-action': 'live', text: 'Live', title: 'Watch this camera now', onclick: function () { openLive(rec); } })])
          ]);
        });
        var libraryButton = h('button', { type: 'button', class: 'secondary', id: 'camera-library', text: 'Create library in Jellyfin',
          title: 'Add the camera folder to Jellyfin as a Home Videos library (nothing happens when one already shows it)', onclick: function () {
            libraryButton.disabled = true;
            api('POST', '/adapters/camera/library').then(function (res) {
              cameraLibraryResult = res.libraries.map(function (l) {
                return (l.created ? 'Created the Jellyfin library "' : 'Jellyfin already shows it as "') + l.name + '" (' + l.path + ')';
              }).join('; ');
              show(cameraLibraryResult);
              render();
            }, function (e) { libraryButton.disabled = false; show(e.message, true); });
          } });
        return [h('section', { class: 'card' }, [h('h2', { text: 'Camera recorders' }),
          rows.length ? table(['Camera', 'State', 'Detail', 'Segment', 'Size', 'Last error', ''], rows) : h('p', { class: 'muted', text: 'No cameras configured.' }),
          h('div', { class: 'row' }, [libraryButton, h('span', { id: 'camera-library-result', class: 'muted', text: cameraLibraryResult })])])];
      });
    },

    library: function () {
      return api('GET', '/api/library').then(function (lib) {
        // Filled in when /api/companion answers (it asks Jellyfin), so the view does not wait for it.
        var companionSlot = h('section', { class: 'card', id: 'companion' }, [h('h2', { text: 'Jellyfin companion plugin' }), h('p', { class: 'muted', text: 'Loading…' })]);
        companionCard().then(function (card) { if (companionSlot.parentNode) companionSlot.parentNode.replaceChild(card, companionSlot); });
        var kind = h('select', { id: 'library-kind' }, [
          h('option', { value: 'local', text: 'Local folder (no Jellyfin)' }), h('option', { value: 'jellyfin', text: 'Jellyfin server' })
        ]);
        kind.value = lib.kind;
        var path = h('input', { id: 'library-path', size: '50', value: lib.path || '' });
        var url = h('input', { id: 'jellyfin-url', size: '40', placeholder: 'http://jellyfin.lan:8096', value: lib.url || '' });
        var key = h('input', { id: 'jellyfin-key', type: 'password', size: '34', autocomplete: 'off', placeholder: lib.kind === 'jellyfin' ? '(unchanged)' : 'API key' });
        var result = h('span', { id: 'test-result', class: 'muted' });
        var localBox = h('fieldset', null, [h('legend', { text: 'Local folder' }), h('div', { class: 'row' }, [h('label', { for: 'library-path', text: 'Folder' }), path])]);
        var jfBox = h('fieldset', null, [h('legend', { text: 'Jellyfin' }),
          h('div', { class: 'row' }, [h('label', { for: 'jellyfin-url', text: 'URL' }), url]),
          h('div', { class: 'row' }, [h('label', { for: 'jellyfin-key', text: 'API key' }), key]),
          h('div', { class: 'row' }, [h('button', { type: 'button', class: 'secondary', id: 'test-connection', text: 'Test connection', onclick: function () {
            result.textContent = 'Testing…';
            api('POST', '/api/library/test', key.value ? { url: url.value, apiKey: key.value } : { url: url.value }).then(function (r) {
              result.textContent = (r.ok ? 'OK: ' : 'Failed: ') + r.detail;
              result.className = r.ok ? 'state-approved' : 'state-refused';
            }, function (e) { result.textContent = e.message; result.className = 'state-refused'; });
          } }), result])
        ]);
        function sync() { localBox.hidden = kind.value !== 'local'; jfBox.hidden = kind.value !== 'jellyfin'; }
        kind.addEventListener('change', sync);
        sync();
        return [
          h('section', { class: 'card' }, [h('h2', { text: 'Library source' }),
            h('p', null, [badge(lib.health.state), ' ', lib.kind + ': ' + lib.detail, lib.health.detail ? ' — ' + lib.health.detail : '']),
            h('div', { class: 'row' }, [h('button', { type: 'button', id: 'rescan', class: 'secondary', text: 'Rescan library', onclick: function () {
              act(api('POST', '/api/library/rescan'), 'Library rescanned.');
            } })])
          ]),
          h('section', { class: 'card' }, [h('h2', { text: 'Change source' }), h('div', { class: 'row' }, [kind]), localBox, jfBox,
            h('div', { class: 'row' }, [h('button', { type: 'button', id: 'apply-source', text: 'Apply', onclick: function () {
              var body = kind.value === 'local' ? { kind: 'local', path: path.value } : { kind: 'jellyfin', url: url.value };
              if (kind.value === 'jellyfin' && key.value) body.apiKey = key.value;
              act(api('PUT', '/api/library/source', body), 'Library source applied.');
            } })])
          ]),
          companionSlot
        ];
      });
    },

    logs: function () {
      var level = (document.getElementById('log-level') || {}).value || 'info';
      return api('GET', '/api/logs?limit=300&level=' + encodeURIComponent(level)).then(function (r) {
        var select = h('select', { id: 'log-level', onchange: function () { render(); } },
          ['debug', 'info', 'warn', 'error'].map(function (l) { return h('option', { value: l, text: l }); }));
        select.value = level;
        var rows = r.records.slice().reverse().map(function (rec) {
          var rest = {};
          Object.keys(rec).forEach(function (k) { if (k !== 'time' && k !== 'level' && k !== 'msg') rest[k] = rec[k]; });
          return h('tr', { class: 'log-' + rec.level }, [
            h('td', { text: fmtTime(rec.time) }), h('td', { text: rec.level }), h('td', { text: rec.msg }),
            h('td', null, [h('code', { text: Object.keys(rest).length ? JSON.stringify(rest) : '' })])
          ]);
        });
        return [h('section', { class: 'card' }, [h('h2', { text: 'Recent log lines' }), h('div', { class: 'row' }, [h('label', { for: 'log-level', text: 'Level' }), select]),
          rows.length ? table(['Time', 'Level', 'Message', 'Fields'], rows) : h('p', { class: 'muted', text: 'No log lines.' })])];
      });
    }
  };

  function deviceCard(d) {
    var base = '/api/devices/' + encodeURIComponent(d.id);
    var nameInput = h('input', { value: d.name, 'data-field': 'name', 'aria-label': 'Device name', size: '28' });
    var userSelect = h('select', { 'data-field': 'userId', 'aria-label': 'Library user', onchange: function () {
      act(api('PATCH', base, { userId: userSelect.value || null }), 'User changed.');
    } }, [h('option', { value: '', text: '(inherit: config or source default)' })].concat((users || []).map(function (u) {
      return h('option', { value: u.id, text: u.name + (u.isAdministrator ? ' (admin)' : '') });
    })));
    if (d.userId && !(users || []).some(function (u) { return u.id === d.userId; })) userSelect.appendChild(h('option', { value: d.userId, text: d.userId }));
    userSelect.value = d.userIdFrom === 'admin' ? (d.userId || '') : '';
    var facts = [['Id', d.id], ['Source', d.source + (d.ruleMissing ? ' (rule removed from config)' : '')], ['Found by', d.foundBy], ['Address', d.ip], ['TSN', d.tsn],
      ['User agent', d.userAgent], ['Key', d.key], ['Announced name', d.announcedName], ['First seen', d.firstSeen && fmtTime(d.firstSeen)],
      ['Last seen', d.lastSeen && fmtTime(d.lastSeen)], ['User', d.userId ? d.userId + ' (' + d.userIdFrom + ')' : '(source default)']];
    var dl = h('dl');
    facts.forEach(function (f) { if (f[1]) { dl.appendChild(h('dt', { text: f[0] })); dl.appendChild(h('dd', { text: f[1], 'data-fact': f[0] })); } });
    var enableOnApprove = d.foundBy ? [d.foundBy] : [];
    var adapterRows = d.adapters.map(function (a) {
      var toggle = h('input', { type: 'checkbox', checked: a.enabled, 'data-adapter': a.adapterId, 'aria-label': 'Enable ' + a.adapterId, onchange: function () {
        act(api('PUT', base + '/adapters/' + encodeURIComponent(a.adapterId), { enabled: toggle.checked }), a.adapterId + (toggle.checked ? ' enabled.' : ' disabled.'));
      } });
      var overrides = h('textarea', { 'data-overrides': a.adapterId, 'aria-label': a.adapterId + ' overrides (JSON)', spellcheck: 'false' });
      overrides.value = Object.keys(a.adminOverrides).length ? JSON.stringify(a.adminOverrides, null, 1) : '';
      return h('tr', { 'data-adapter-row': a.adapterId }, [
        h('td', null, [h('label', { class: 'switch' }, [toggle, a.adapterId])]),
        h('td', null, [h('span', { class: 'muted', text: 'from ' + a.enabledFrom }), a.enabledFrom === 'admin' ? h('button', { type: 'button', class: 'secondary', text: 'reset', title: 'Back to the config rule', onclick: function () {
          act(api('PUT', base + '/adapters/' + encodeURIComponent(a.adapterId), { enabled: null }), 'Reset to config.');
        } }) : null]),
        h('td', { text: a.lastSeen ? fmtTime(a.lastSeen) : '–' }),
        h('td', null, [h('code', { text: JSON.stringify(a.settings) })]),
        h('td', null, [overrides, h('button', { type: 'button', class: 'secondary', 'data-action': 'save-overrides', text: 'Save overrides', onclick: function () {
          var value = null;
          if (overrides.value.trim()) {
            try { value = JSON.parse(overrides.value); } catch (e) { show('Overrides for ' + a.adapterId + ' are not valid JSON: ' + e.message, true); return; }
          }
          act(api('PUT', base + '/adapters/' + encodeURIComponent(a.adapterId), { overrides: value }), 'Overrides saved.');
        } })])
      ]);
    });
    return h('section', { class: 'card device', 'data-device-id': d.id }, [
      h('header', null, [h('h3', { text: d.name }), badge(d.approval), h('span', { class: 'muted', text: d.approvalFrom === 'admin' ? 'by admin' : 'from ' + d.approvalFrom })]),
      dl,
      h('div', { class: 'row' }, [
        d.approval !== 'approved' ? h('button', { type: 'button', 'data-action': 'approve', title: enableOnApprove.length ? 'Approve and enable ' + enableOnApprove[0] : 'Approve', text: 'Approve', onclick: function () {
          act(api('POST', base + '/approve', { enable: enableOnApprove }), 'Approved.');
        } }) : null,
        d.approval !== 'refused' ? h('button', { type: 'button', class: 'danger', 'data-action': 'refuse', text: 'Refuse', onclick: function () {
          act(api('POST', base + '/refuse'), 'Refused.');
        } }) : null,
        d.approval !== 'held' ? h('button', { type: 'button', class: 'secondary', 'data-action': 'hold', text: 'Hold', onclick: function () {
          act(api('PATCH', base, { approval: 'held' }), 'Held.');
        } }) : null,
        nameInput,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'rename', text: 'Rename', onclick: function () {
          act(api('PATCH', base, { name: nameInput.value.trim() || null }), 'Renamed.');
        } }),
        userSelect,
        h('button', { type: 'button', class: 'danger', 'data-action': 'delete', text: d.source === 'config' ? 'Reset' : 'Delete', onclick: function () {
          if (!confirm(d.source === 'config' ? 'Forget admin changes for ' + d.name + '?' : 'Delete ' + d.name + '? It is recorded again when it next asks.')) return;
          act(api('DELETE', base), d.source === 'config' ? 'Reset to config.' : 'Deleted.');
        } })
      ]),
      table(['Adapter', 'Set by', 'Last asked', 'Effective settings', 'Admin overrides (JSON)'], adapterRows)
    ]);
  }

  // ---- camera live view (an overlay outside #view: the 3 s refresh must not end it) ----
  var cameraLibraryResult = '';
  var live = null;

  function closeLive() {
    if (!live) return;
    var l = live;
    live = null;
    l.controller.abort();
    l.video.pause();
    l.video.removeAttribute('src');
    l.video.load();
    if (l.objectUrl) URL.revokeObjectURL(l.objectUrl);
    if (l.box.parentNode) l.box.parentNode.removeChild(l.box);
  }

  function openLive(rec) {
    closeLive();
    var url = '/adapters/camera/live/' + encodeURIComponent(rec.id) + '.mp4';
    var video = h('video', { id: 'live-video', autoplay: true, playsinline: true, muted: true });
    video.muted = true;
    var status = h('p', { id: 'live-status', class: 'muted', text: 'Connecting to the camera…' });
    var box = h('div', { id: 'live', class: 'live', role: 'dialog', 'aria-label': 'Live view of ' + rec.name, 'data-camera-id': rec.id }, [
      h('div', { class: 'live-box' }, [
        h('header', null, [h('h2', { text: 'Live: ' + rec.name }), h('button', { type: 'button', id: 'live-close', class: 'secondary', text: 'Close', onclick: closeLive })]),
        video, status
      ])
    ]);
    document.body.appendChild(box);
    var l = { box: box, video: video, controller: new AbortController(), objectUrl: null };
    live = l;
    fetch(url, { credentials: 'same-origin', signal: l.controller.signal }).then(function (res) {
      if (res.status === 401) { location.replace('/login'); throw new Error('logged out'); }
      if (!res.ok) {
        return res.json().then(function (b) { throw new Error(b && b.error ? b.error.message : 'HTTP ' + res.status); },
          function () { throw new Error('HTTP ' + res.status); });
      }
      var codecs = res.headers.get('X-Jellybridge-Codecs');
      var type = 'video/mp4; codecs="' + codecs + '"';
      if (!codecs || !window.MediaSource || !MediaSource.isTypeSupported(type) || !res.body) {
        // Not H.264 or no MSE: let the browser read the stream itself (plays, with more delay).
        l.controller.abort();
        video.src = url;
        status.textContent = 'Live (progressive)';
        return;
      }
      return playMse(l, res.body.getReader(), type, status);
    }).catch(function (e) {
      if (live === l && e.name !== 'AbortError') status.textContent = 'Live view failed: ' + e.message;
    });
  }

  // Fragmented mp4 from the sidecar into Media Source Extensions, kept near the live edge.
  function playMse(l, reader, type, status) {
    var ms = new MediaSource();
    l.objectUrl = URL.createObjectURL(ms);
    l.video.src = l.objectUrl;
    return new Promise(function (resolve, reject) {
      ms.addEventListener('sourceopen', function () {
        var sb = ms.addSourceBuffer(type);
        var queue = [];
        function feed() {
          if (sb.updating || !queue.length || ms.readyState !== 'open') return;
          try { sb.appendBuffer(queue.shift()); } catch (e) { reject(e); }
        }
        sb.addEventListener('updateend', function () {
          var v = l.video;
          var b = sb.buffered;
          if (b.length) {
            var start = b.start(0);
            var end = b.end(b.length - 1);
            if (v.currentTime < start || end - v.currentTime > 3) v.currentTime = Math.max(start, end - 0.5);
            if (v.currentTime - start > 30 && !queue.length) { sb.remove(start, v.currentTime - 10); return; }
            if (v.paused) { var p = v.play(); if (p && p.catch) p.catch(function () {}); }
            status.textContent = 'Live';
          }
          feed();
        });
        (function pump() {
          reader.read().then(function (r) {
            if (r.done) { if (live === l) status.textContent = 'The camera stream ended.'; resolve(); return; }
            queue.push(r.value);
            feed();
            pump();
          }, reject);
        })();
      }, { once: true });
    });
  }

  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeLive(); });

  // ---- routing and refresh ----
  function render() {
    var name = current;
    return views[name]().then(function (nodes) {
      if (name !== current) return;
      view.textContent = '';
      nodes.forEach(function (n) { view.appendChild(n); });
      view.setAttribute('data-view', name);
    }, function (error) { show(error.message, true); });
  }

  function refresh() { return render(); }

  function route() {
    var name = (location.hash || '#status').slice(1);
    if (!views[name]) name = 'status';
    current = name;
    Array.prototype.forEach.call(document.querySelectorAll('#nav a'), function (a) {
      a.className = a.getAttribute('data-view') === name ? 'active' : '';
    });
    view.textContent = '';
    render();
  }

  document.getElementById('logout').addEventListener('click', function () {
    closeLive();
    api('POST', '/api/logout').then(function () { location.replace('/login'); }, function (e) { show(e.message, true); });
  });
  window.addEventListener('hashchange', route);
  setInterval(function () { if (!document.hidden && !editing() && current !== 'library') render(); }, 3000);

  api('GET', '/api/session').then(function (s) { csrf = s.csrfToken; route(); }, function (e) { show(e.message, true); });
})();
`;
