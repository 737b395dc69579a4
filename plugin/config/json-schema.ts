/**
 * The configuration as JSON Schema (core + every adapter's sections) and as a Markdown key
 * reference. tools/config-docs.ts writes both into docs/; a test fails when they are stale.
 */
import { z } from 'zod';
import type { ConfigSchema } from '../adapter.js';
import { coreConfigSchema } from './schema.js';

type Json = Record<string, unknown>;

export interface AdapterSchemas {
  readonly id: string;
  readonly displayName: string;
  readonly configSchema: ConfigSchema<unknown>;
  readonly deviceSchema: ConfigSchema<unknown>;
}

function toJson(schema: ConfigSchema<unknown>): Json {
  if (!(schema instanceof z.ZodType)) return {};
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function strip(schema: Json): Json {
  const { $schema: _s, ...rest } = schema;
  return rest;
}

/** The whole configuration file's JSON Schema. */
export function configJsonSchema(adapters: readonly AdapterSchemas[]): Json {
  const root = toJson(coreConfigSchema);
  const props = (root['properties'] ?? {}) as Record<string, Json>;
  props['adapters'] = {
    type: 'object',
    description: props['adapters']?.['description'],
    additionalProperties: false,
    properties: Object.fromEntries(adapters.map((a) => [a.id, { ...strip(toJson(a.configSchema)), description: `${a.displayName}: global settings.` }])),
  };
  const devices = props['devices'];
  const item = devices?.['items'] as Json | undefined;
  const itemProps = (item?.['properties'] ?? {}) as Record<string, Json>;
  itemProps['adapters'] = {
    type: 'object',
    description: itemProps['adapters']?.['description'],
    additionalProperties: false,
    properties: Object.fromEntries(
      adapters.map((a) => {
        const device = strip(toJson(a.deviceSchema));
        const deviceProps = (device['properties'] ?? {}) as Record<string, Json>;
        return [a.id, { ...device, properties: { enabled: { type: 'boolean', default: true, description: 'Enable this adapter for the device.' }, ...deviceProps }, description: `${a.displayName}: per-device settings.` }];
      }),
    ),
  };
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Jellybridge configuration', ...strip(root) };
}

function typeOf(node: Json): string {
  if (Array.isArray(node['enum'])) return (node['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' \\| ');
  if (Array.isArray(node['anyOf'])) return (node['anyOf'] as Json[]).map(typeOf).join(' or ');
  const type = node['type'];
  if (type === 'array') return `array of ${typeOf((node['items'] ?? {}) as Json)}`;
  if (typeof type === 'string') return type;
  return 'any';
}

function rows(node: Json, path: string, out: string[]): void {
  const props = node['properties'] as Record<string, Json> | undefined;
  if (path && !path.endsWith('[]')) {
    const def = node['default'];
    const description = (typeof node['description'] === 'string' ? node['description'] : '').replace(/\|/g, '\\|');
    out.push(`| \`${path}\` | ${typeOf(node)} | ${def === undefined ? '' : `\`${JSON.stringify(def)}\``} | ${description} |`);
  }
  if (props) for (const [key, child] of Object.entries(props)) rows(child, path ? `${path}.${key}` : key, out);
  const items = node['items'] as Json | undefined;
  if (items?.['properties']) rows({ ...items, description: undefined, default: undefined, type: undefined }, `${path}[]`, out);
}

/** A Markdown reference of every key (generated; edit the schemas' descriptions instead). */
export function configMarkdown(schema: Json): string {
  const out: string[] = [
    '# Configuration reference',
    '',
    'Generated from the schemas by `npm run config-docs`; do not edit by hand. The file is JSON,',
    'passed with `--config FILE` (or `JELLYBRIDGE_CONFIG`); unknown keys are errors, and every',
    'problem is listed before the sidecar exits with status 2. Secrets come from the environment:',
    '`JELLYFIN_URL`, `JELLYFIN_API_KEY`, `JELLYBRIDGE_ADMIN_PASSWORD`. A complete example is',
    '[`config.example.json`](../config.example.json).',
    '',
    '| key | type | default | meaning |',
    '|---|---|---|---|',
  ];
  rows(schema, '', out);
  return out.join('\n') + '\n';
}
