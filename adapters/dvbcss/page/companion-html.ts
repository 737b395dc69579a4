/**
 * HTML of the companion page ("sync phone to Jellyfin playback"): a shell whose script
 * (static/companion.js) does CSS-CII, wall clock over WebSocket and CSS-TS from the browser.
 * Pure: data in, strings out. Everything the page needs is served by the adapter (no CDN), so
 * it works on a LAN without internet.
 */
import { escapeHtml } from '../../../plugin/index.js';

export interface CompanionPageOptions {
  /** Port of the adapter's WebSocket listener (CII, TS, WC); the host is the one the page was loaded from. */
  readonly wsPort: number;
  /** The link an admin hands to phones (shown with its QR code). */
  readonly companionUrl: string;
  /** Session preselected by `?session=`; empty for "most recently active". */
  readonly sessionId: string;
  readonly serverName: string;
}

export function companionPage(options: CompanionPageOptions): string {
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sync to Jellyfin playback — ${e(options.serverName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="companion.css">
</head>
<body data-ws-port="${options.wsPort}" data-session="${e(options.sessionId)}" data-companion-url="${e(options.companionUrl)}">
<main>
<header><h1>Now playing</h1><span id="connection" class="badge" data-state="connecting">connecting</span></header>
<label class="picker">Follow <select id="session"><option value="">most recently active session</option></select></label>
<section class="now" aria-live="polite">
<p id="series" class="series"></p>
<h2 id="title" data-empty="true">Nothing playing</h2>
<p class="clock"><span id="position" data-position-ms="" data-speed="">–</span><span id="duration"></span></p>
<div class="bar"><div id="progress"></div></div>
<p id="state" class="state" data-state="idle">Nothing playing</p>
<p id="device" class="device"></p>
</section>
<section class="sync">
<h3>Sync</h3>
<dl>
<dt>Wall clock</dt><dd id="wallclock" data-dispersion-ms="">not synchronised</dd>
<dt>Timeline</dt><dd id="accuracy" data-accuracy-ms="">–</dd>
</dl>
</section>
<section class="share">
<h3>Open on a phone</h3>
<img src="qr.svg" width="164" height="164" alt="QR code of the companion page link">
<p><a id="link" href="${e(options.companionUrl)}">${e(options.companionUrl)}</a></p>
</section>
</main>
<script src="companion.js"></script>
</body>
</html>
`;
}
