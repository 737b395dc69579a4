/** The admin UI stylesheet (embedded; see pages.ts). */
export const APP_CSS = String.raw`
:root { --bg: #f4f5f7; --card: #fff; --ink: #1d2430; --muted: #667085; --line: #d9dde3; --accent: #2b59c3; --ok: #137333; --warn: #b06000; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--ink); }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 17px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 0; }
a { color: var(--accent); }
button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
button:disabled { opacity: .5; cursor: default; }
input, select, textarea { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: inherit; }
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; width: 100%; min-height: 52px; }
.muted { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px; margin: 0 0 14px; }
.narrow { max-width: 380px; margin: 12vh auto; }
.auth form { display: grid; gap: 8px; margin-top: 14px; }
.message { min-height: 1.4em; color: var(--bad); margin: 0; }
header.top { display: flex; align-items: center; gap: 18px; padding: 10px 20px; background: var(--card); border-bottom: 1px solid var(--line); }
header.top nav { display: flex; gap: 4px; flex: 1; flex-wrap: wrap; }
header.top nav a { padding: 6px 10px; border-radius: 6px; text-decoration: none; color: var(--ink); }
header.top nav a.active { background: var(--accent); color: #fff; }
main#view { padding: 18px 20px; max-width: 1200px; }
.flash { margin: 10px 20px 0; padding: 8px 12px; border-radius: 6px; background: #e8f0fe; }
.flash.error { background: #fce8e6; color: var(--bad); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.state-approved, .state-ready, .state-allowed { color: var(--ok); }
.state-held, .state-starting, .state-degraded { color: var(--warn); }
.state-refused, .state-failed, .state-stopped { color: var(--bad); }
.device header { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin-bottom: 8px; }
.device dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
.device dt { color: var(--muted); }
.device dd { margin: 0; word-break: break-all; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
.switch { display: inline-flex; gap: 6px; align-items: center; }
progress { width: 160px; }
pre { background: #f7f8fa; border: 1px solid var(--line); padding: 10px; border-radius: 6px; overflow: auto; font-size: 12px; }
.log-debug { color: var(--muted); }
.log-warn { color: var(--warn); }
.log-error { color: var(--bad); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.live { position: fixed; inset: 0; z-index: 10; display: flex; align-items: center; justify-content: center; background: rgba(0, 0, 0, .6); }
.live-box { background: var(--card); border-radius: 10px; padding: 14px; max-width: 94vw; }
.live-box header { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 8px; }
.live-box h2 { margin: 0; }
.live video { display: block; min-width: 320px; max-width: 90vw; max-height: 76vh; background: #000; }
`;
