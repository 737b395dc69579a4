/**
 * The admin UI's HTML pages and the asset table. Assets are embedded as TypeScript string
 * modules so the UI works from source (tsx) and from dist/ alike, offline, with no build step.
 */
import { MIN_PASSWORD } from '../credentials.js';
import { APP_CSS } from './app-css.js';
import { APP_JS } from './app-js.js';
import { LOGIN_JS } from './login-js.js';

const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2b59c3"/><path d="M9 8h14v4H17v9a5 5 0 0 1-10 0h4a1 1 0 0 0 2 0V12H9z" fill="#fff"/></svg>';

export interface UiAsset {
  readonly type: string;
  readonly body: string;
}

/** Served without a session: the login/setup pages need them. */
export const UI_ASSETS: ReadonlyMap<string, UiAsset> = new Map([
  ['/assets/app.css', { type: 'text/css; charset=utf-8', body: APP_CSS }],
  ['/assets/app.js', { type: 'text/javascript; charset=utf-8', body: APP_JS }],
  ['/assets/login.js', { type: 'text/javascript; charset=utf-8', body: LOGIN_JS }],
  ['/assets/icon.svg', { type: 'image/svg+xml', body: ICON_SVG }],
]);

function page(title: string, bodyClass: string, main: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body class="${bodyClass}">
${main}
<script src="${script}"></script>
</body>
</html>
`;
}

export function loginPage(): string {
  return page(
    'Jellybridge admin – log in',
    'auth',
    `<main class="card narrow">
<h1>Jellybridge admin</h1>
<form id="auth-form" data-mode="login" novalidate>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
<button type="submit" id="submit">Log in</button>
<p id="message" class="message" role="alert"></p>
</form>
</main>`,
    '/assets/login.js',
  );
}

export function setupPage(): string {
  return page(
    'Jellybridge admin – first start',
    'auth',
    `<main class="card narrow">
<h1>Set the admin password</h1>
<p class="muted">First start: choose the password for this admin page (at least ${MIN_PASSWORD} characters). Only a hash is stored.</p>
<form id="auth-form" data-mode="setup" novalidate>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD}" required autofocus>
<label for="confirm">Repeat password</label>
<input type="password" id="confirm" name="confirm" autocomplete="new-password" minlength="${MIN_PASSWORD}" required>
<button type="submit" id="submit">Set password</button>
<p id="message" class="message" role="alert"></p>
</form>
</main>`,
    '/assets/login.js',
  );
}

export function appPage(): string {
  return page(
    'Jellybridge admin',
    'app',
    `<header class="top">
<h1>Jellybridge</h1>
<nav id="nav">
<a href="#status" data-view="status">Status</a>
<a href="#devices" data-view="devices">Devices</a>
<a href="#streams" data-view="streams">Streams</a>
<a href="#recorders" data-view="recorders">Recorders</a>
<a href="#library" data-view="library">Library</a>
<a href="#logs" data-view="logs">Logs</a>
</nav>
<button type="button" id="logout" class="secondary">Log out</button>
</header>
<p id="flash" class="flash" role="status" hidden></p>
<main id="view" aria-live="polite"></main>`,
    '/assets/app.js',
  );
}
