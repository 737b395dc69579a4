#!/usr/bin/env node
/**
 * The composition root and CLI: `jellybridge [--config FILE]`.
 *
 * Without a config file it runs the embedded default: a local media folder under ./data (a demo
 * library is generated with ffmpeg on first run) and every adapter enabled for devices on this
 * machine (loopback). Config errors list every problem and exit with status 2.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterDescriptors } from '../adapters/index.js';
import { compose } from './compose.js';
import { loadConfigFile, validateConfig, type LoadedConfig } from './config/load.js';
import { LogSink } from './log/logger.js';
import { errorMessage, isSidecarError } from './util/errors.js';

const USAGE = `Usage: jellybridge [--config FILE]

  --config FILE   JSON configuration (also JELLYBRIDGE_CONFIG). Without one, the sidecar
                  serves a generated demo library from ./data/media to this machine only.
  --check         validate the configuration and exit
  --version       print the version
  --help          this text

Environment: JELLYFIN_URL, JELLYFIN_API_KEY (use Jellyfin as the library),
JELLYBRIDGE_ADMIN_PASSWORD (admin password; else set it once on the admin page).`;

/**
 * The embedded default: every adapter on for devices on this machine. Discovery stays on this
 * machine too (TiVo beacons to loopback, no mDNS multicast): a demo should not announce itself
 * to the LAN; a config file turns that on.
 */
function embeddedDefault(): unknown {
  const known = new Set(adapterDescriptors.map((d) => d.id));
  return {
    adapters: known.has('tivo') ? { tivo: { beacon: { targets: ['127.0.0.1'] }, mdns: { enabled: false } } } : {},
    devices: [
      {
        id: 'this-machine',
        name: 'This machine',
        match: { cidr: ['127.0.0.0/8', '::1/128'] },
        adapters: Object.fromEntries(adapterDescriptors.map((d) => [d.id, { enabled: true }])),
      },
    ],
  };
}

function packageVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'package.json'), join(here, '..', '..', 'package.json')]) {
    try {
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    } catch {
      // try the next location (source tree vs dist/)
    }
  }
  return '0.0.0';
}

function parseArgs(argv: readonly string[]): { config?: string; check: boolean; help: boolean; version: boolean; unknown: string[] } {
  const out: { config?: string; check: boolean; help: boolean; version: boolean; unknown: string[] } = { check: false, help: false, version: false, unknown: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--config' || arg === '-c') {
      const value = argv[++i];
      if (value === undefined) out.unknown.push(`${arg} needs a file`);
      else out.config = value;
    } else if (arg.startsWith('--config=')) out.config = arg.slice('--config='.length);
    else if (arg === '--check') out.check = true;
    else if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--version') out.version = true;
    else out.unknown.push(`unknown argument ${arg}`);
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const version = packageVersion();
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.version) {
    process.stdout.write(version + '\n');
    return 0;
  }
  if (args.unknown.length > 0) {
    process.stderr.write(`${args.unknown.join('\n')}\n\n${USAGE}\n`);
    return 2;
  }

  const configPath = args.config ?? process.env['JELLYBRIDGE_CONFIG'];
  let config: LoadedConfig;
  try {
    config = configPath ? loadConfigFile(configPath, adapterDescriptors) : validateConfig(embeddedDefault(), adapterDescriptors);
  } catch (error) {
    process.stderr.write(`jellybridge: ${errorMessage(error)}\n`);
    return 2;
  }
  if (args.check) {
    process.stdout.write(`configuration ok${configPath ? `: ${configPath}` : ' (embedded default)'}\n`);
    return 0;
  }

  const logs = new LogSink({ level: config.core.log.level, adapterLevels: config.core.log.adapters });
  const log = logs.logger();
  const composed = await compose({ config, descriptors: adapterDescriptors, logs, version });
  const { app } = composed;

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      log.warn('second signal: exiting now', { signal });
      process.exit(130);
    }
    stopping = true;
    log.info('stopping', { signal });
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error: errorMessage(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    await app.start();
  } catch (error) {
    log.error('start failed', { code: isSidecarError(error) ? error.code : undefined, error: errorMessage(error) });
    await app.stop().catch(() => undefined);
    return 1;
  }
  const adminHost = config.core.admin.bind === '0.0.0.0' || config.core.admin.bind === '::' ? '127.0.0.1' : config.core.admin.bind;
  const lines = [
    `Jellybridge ${version} is running (${composed.source.kind() === 'jellyfin' ? 'Jellyfin library' : `local folder ${config.core.local.path}`}).`,
    `  Admin UI:  http://${adminHost.includes(':') ? `[${adminHost}]` : adminHost}:${app.adminPort()}/${config.adminPassword ? '' : '  (first visit: set the admin password)'}`,
    `  Devices:   http://<this-host>:${app.devicePort()}/  (health: /health, adapters: /api/adapters)`,
    ...Object.entries(app.health().adapters).map(([id, h]) => `  ${id.padEnd(9)}  ${h.state}${h.ports ? `  ports ${JSON.stringify(h.ports)}` : ''}${h.state === 'failed' ? `  ${h.detail}` : ''}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`jellybridge: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
