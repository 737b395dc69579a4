/*
 * Companion page of the dvbcss adapter: a DVB-CSS companion in plain browser JavaScript (no
 * build step, no CDN). It
 *   1. follows CSS-CII on ws://<host>:<wsPort>/cii[/session/<id>] (what plays, status, tsUrl),
 *   2. syncs to the sidecar's wall clock over WebSocket (/wc, the 32-byte CSS-WC packet in
 *      binary frames; browsers cannot send UDP), keeping the candidate with the lowest
 *      dispersion as BBC's clients do,
 *   3. follows CSS-TS for the elapsed-time timeline at 1000 ticks/s (Jellyfin's position),
 * and draws the position every animation frame from the last control timestamp and the synced
 * wall clock, so it ticks smoothly between the (rare) control timestamps.
 */
(function () {
  'use strict';

  var SELECTOR = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000';
  var NOW_PLAYING_TYPE = 'urn:x-jellybridge:css:now-playing';
  var SESSION_TYPE = 'urn:x-jellybridge:css:session';
  /** performance.now() is coarsened to 0.1 ms without cross-origin isolation. */
  var LOCAL_PRECISION_MS = 0.1;
  /** The browser's clock frequency error we assume (ppm), as BBC's clients do. */
  var LOCAL_MFE_PPM = 500;

  var body = document.body;
  var wsPort = body.getAttribute('data-ws-port');
  var hostname = location.hostname;
  if (hostname.indexOf(':') >= 0 && hostname.charAt(0) !== '[') hostname = '[' + hostname + ']';
  var wsBase = 'ws://' + hostname + ':' + wsPort;

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    connection: $('connection'), select: $('session'), title: $('title'), series: $('series'), position: $('position'),
    duration: $('duration'), progress: $('progress'), state: $('state'), device: $('device'), wallclock: $('wallclock'), accuracy: $('accuracy'),
  };

  // ---- wall clock over WebSocket ----

  var wc = { ws: null, timer: null, pending: {}, best: null, exchanges: 0 };

  function wcDispersionAt(c, localMs) {
    return c.dispersionMs + ((c.mfePpm + LOCAL_MFE_PPM) / 1e6) * (localMs - c.t4);
  }

  function wcSend() {
    if (!wc.ws || wc.ws.readyState !== 1) return;
    var t1 = performance.now();
    var s = Math.floor(t1 / 1000);
    var ns = Math.min(999999999, Math.round((t1 - s * 1000) * 1e6));
    var buf = new ArrayBuffer(32);
    var v = new DataView(buf);
    v.setUint32(8, s);
    v.setUint32(12, ns);
    wc.pending[s + ':' + ns] = t1;
    wc.ws.send(buf);
  }

  function wcReceive(data) {
    var t4 = performance.now();
    if (!(data instanceof ArrayBuffer) || data.byteLength !== 32) return;
    var v = new DataView(data);
    var type = v.getUint8(1);
    if (v.getUint8(0) !== 0 || (type !== 1 && type !== 2 && type !== 3)) return;
    var key = v.getUint32(8) + ':' + v.getUint32(12);
    var t1 = wc.pending[key];
    if (t1 === undefined) return;
    if (type !== 2) delete wc.pending[key];
    var t2 = v.getUint32(16) * 1000 + v.getUint32(20) / 1e6;
    var t3 = v.getUint32(24) * 1000 + v.getUint32(28) / 1e6;
    var precisionMs = Math.pow(2, v.getInt8(2)) * 1000;
    var mfePpm = v.getUint32(4) / 256;
    var rtt = Math.max(0, t4 - t1 - (t3 - t2));
    var candidate = {
      offsetMs: (t2 + t3 - (t1 + t4)) / 2,
      t4: t4,
      mfePpm: mfePpm,
      // pydvbcss/BBC: precisions + half the round trip + frequency error over the exchange.
      dispersionMs: precisionMs + LOCAL_PRECISION_MS + rtt / 2 + (LOCAL_MFE_PPM / 1e6) * (t4 - t1) + (mfePpm / 1e6) * (t3 - t2),
    };
    wc.exchanges++;
    if (wc.best === null || wcDispersionAt(candidate, t4) < wcDispersionAt(wc.best, t4)) wc.best = candidate;
  }

  function wcStart() {
    var ws = new WebSocket(wsBase + '/wc');
    ws.binaryType = 'arraybuffer';
    wc.ws = ws;
    wc.pending = {};
    var sent = 0;
    ws.onopen = function () {
      // A quick burst first so the page is in sync within a second, then one request a second.
      var burst = function () {
        wcSend();
        sent++;
        wc.timer = setTimeout(burst, sent < 8 ? 100 : 1000);
      };
      burst();
    };
    ws.onmessage = function (e) { wcReceive(e.data); };
    ws.onclose = function () {
      clearTimeout(wc.timer);
      if (wc.ws === ws) setTimeout(wcStart, 2000);
    };
  }

  /** Server wall clock (ms) now, or null before the first exchange. */
  function wallNowMs(localMs) {
    return wc.best === null ? null : localMs + wc.best.offsetMs;
  }

  // ---- CII + TS ----

  var follow = { cii: null, ts: null, cii_state: {}, ct: null, generation: 0 };

  function followPath(sessionId) {
    return sessionId ? '/session/' + encodeURIComponent(sessionId) : '';
  }

  function connect(sessionId) {
    var generation = ++follow.generation;
    if (follow.cii) follow.cii.close();
    if (follow.ts) follow.ts.close();
    follow.cii = null;
    follow.ts = null;
    follow.cii_state = {};
    follow.ct = null;
    setConnection('connecting');
    var cii = new WebSocket(wsBase + '/cii' + followPath(sessionId));
    follow.cii = cii;
    cii.onmessage = function (e) {
      var message;
      try { message = JSON.parse(e.data); } catch (err) { return; }
      if (message === null || typeof message !== 'object') return;
      // CII rule: a present property (even null) replaces, an omitted one stays.
      for (var key in message) if (Object.prototype.hasOwnProperty.call(message, key)) follow.cii_state[key] = message[key];
      if (!follow.ts) openTs(sessionId, generation);
      setConnection('connected');
      showCii();
      render();
    };
    cii.onclose = function (e) {
      if (generation !== follow.generation) return;
      setConnection(e.code === 1008 ? 'refused' : 'closed');
      if (follow.ts) follow.ts.close();
      follow.ts = null;
      follow.ct = null;
      setTimeout(function () { if (generation === follow.generation) connect(sessionId); }, 2000);
    };
  }

  function openTs(sessionId, generation) {
    var tsUrl = follow.cii_state.tsUrl;
    var url = typeof tsUrl === 'string' && tsUrl.indexOf('ws://') === 0 ? tsUrl : wsBase + '/ts' + followPath(sessionId);
    var ts = new WebSocket(url);
    follow.ts = ts;
    ts.onopen = function () {
      ts.send(JSON.stringify({ contentIdStem: '', timelineSelector: SELECTOR }));
    };
    ts.onmessage = function (e) {
      if (generation !== follow.generation) return;
      var ct;
      try { ct = JSON.parse(e.data); } catch (err) { return; }
      if (ct === null || typeof ct !== 'object' || typeof ct.wallClockTime !== 'string') return;
      follow.ct = ct.contentTime === null
        ? { available: false }
        : { available: true, contentMs: Number(ct.contentTime), wallMs: Number(ct.wallClockTime) / 1e6, speed: ct.timelineSpeedMultiplier };
      render();
    };
  }

  function privateEntry(type) {
    var list = follow.cii_state['private'];
    if (!Array.isArray(list)) return null;
    for (var i = 0; i < list.length; i++) if (list[i] && list[i].type === type) return list[i];
    return null;
  }

  function setConnection(state) {
    ui.connection.textContent = state;
    ui.connection.setAttribute('data-state', state);
  }

  function showCii() {
    var playing = privateEntry(NOW_PLAYING_TYPE);
    var session = privateEntry(SESSION_TYPE);
    var hasContent = typeof follow.cii_state.contentId === 'string';
    ui.title.textContent = hasContent && playing ? playing.title : 'Nothing playing';
    ui.title.setAttribute('data-empty', hasContent ? 'false' : 'true');
    ui.series.textContent = hasContent && playing && playing.seriesName ? playing.seriesName : '';
    ui.duration.textContent = hasContent && playing && playing.durationSeconds ? '/ ' + formatTime(playing.durationSeconds * 1000, false) : '';
    ui.device.textContent = session ? 'on ' + session.deviceName + ' (' + session.client + (session.userName ? ', ' + session.userName : '') + ')' : '';
    var timelines = follow.cii_state.timelines;
    var accuracy = Array.isArray(timelines) && timelines[0] && timelines[0].timelineProperties ? timelines[0].timelineProperties.accuracy : undefined;
    if (typeof accuracy === 'number') {
      ui.accuracy.textContent = '±' + Math.round(accuracy * 1000) + ' ms declared by the server (Jellyfin report path)';
      ui.accuracy.setAttribute('data-accuracy-ms', String(accuracy * 1000));
    }
  }

  // ---- drawing ----

  function formatTime(ms, tenths) {
    var negative = ms < 0;
    var t = Math.abs(ms);
    var h = Math.floor(t / 3600000);
    var m = Math.floor((t % 3600000) / 60000);
    var s = Math.floor((t % 60000) / 1000);
    var text = (h > 0 ? h + ':' + (m < 10 ? '0' : '') : '') + m + ':' + (s < 10 ? '0' : '') + s;
    if (tenths) text += '.' + Math.floor((t % 1000) / 100);
    return (negative ? '-' : '') + text;
  }

  function render() {
    var localMs = performance.now();
    var wall = wallNowMs(localMs);
    var status = typeof follow.cii_state.presentationStatus === 'string' ? follow.cii_state.presentationStatus.split(' ')[0] : '';
    var hasContent = typeof follow.cii_state.contentId === 'string';
    var ct = follow.ct;
    var state;
    var positionMs = null;
    if (status === 'fault') state = 'fault';
    else if (!hasContent) state = status === 'transitioning' ? 'transitioning' : 'idle';
    else if (ct === null || !ct.available || wall === null) state = 'syncing';
    else {
      positionMs = ct.contentMs + (wall - ct.wallMs) * ct.speed;
      state = status === 'transitioning' ? 'transitioning' : ct.speed === 0 ? 'paused' : 'playing';
    }
    var labels = { fault: 'Session unavailable', idle: 'Nothing playing', transitioning: 'Changing…', syncing: 'Synchronising…', paused: 'Paused', playing: 'Playing' };
    if (state === 'playing' && ct.speed !== 1) labels.playing = 'Playing at ×' + ct.speed;
    ui.position.setAttribute('data-at-ms', localMs.toFixed(3));
    ui.state.textContent = labels[state];
    ui.state.setAttribute('data-state', state);
    if (positionMs === null) {
      ui.position.textContent = '–';
      ui.position.setAttribute('data-position-ms', '');
      ui.position.setAttribute('data-speed', '');
      ui.progress.style.width = '0';
    } else {
      ui.position.textContent = formatTime(positionMs, true);
      ui.position.setAttribute('data-position-ms', positionMs.toFixed(1));
      ui.position.setAttribute('data-speed', String(ct.speed));
      var playing = privateEntry(NOW_PLAYING_TYPE);
      var durationMs = playing && playing.durationSeconds ? playing.durationSeconds * 1000 : 0;
      ui.progress.style.width = durationMs > 0 ? Math.max(0, Math.min(100, (positionMs / durationMs) * 100)).toFixed(2) + '%' : '0';
    }
    if (wc.best !== null) {
      var dispersion = wcDispersionAt(wc.best, localMs);
      ui.wallclock.textContent = '±' + dispersion.toFixed(2) + ' ms (' + wc.exchanges + ' exchanges)';
      ui.wallclock.setAttribute('data-dispersion-ms', dispersion.toFixed(3));
    }
  }

  function frame() {
    render();
    requestAnimationFrame(frame);
  }

  // ---- session picker ----

  function loadSessions() {
    fetch('sessions.json', { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : { sessions: [] }; })
      .then(function (data) {
        var current = ui.select.value;
        while (ui.select.options.length > 1) ui.select.remove(1);
        var seen = false;
        (data.sessions || []).forEach(function (s) {
          var label = s.deviceName + ' · ' + s.client + (s.userName ? ' · ' + s.userName : '') + (s.nowPlaying ? ' — ' + s.nowPlaying.title : ' — idle');
          var option = new Option(label, s.id);
          ui.select.add(option);
          if (s.id === current) seen = true;
        });
        if (current && !seen) ui.select.add(new Option('session ' + current + ' (gone)', current));
        ui.select.value = current;
      })
      .catch(function () { /* the next refresh tries again */ });
  }

  ui.select.addEventListener('change', function () {
    var id = ui.select.value;
    var url = new URL(location.href);
    if (id) url.searchParams.set('session', id); else url.searchParams.delete('session');
    history.replaceState(null, '', url.toString());
    connect(id);
  });

  var initial = body.getAttribute('data-session') || '';
  if (initial) ui.select.add(new Option('session ' + initial, initial));
  ui.select.value = initial;
  loadSessions();
  setInterval(loadSessions, 5000);
  wcStart();
  connect(initial);
  requestAnimationFrame(frame);
  // rAF pauses in background tabs; keep the DOM roughly current anyway.
  setInterval(render, 500);
  // Lets a test (or an embedding page) ask for a frame now: dispatchEvent is synchronous.
  document.addEventListener('companion:render', render);
})();
