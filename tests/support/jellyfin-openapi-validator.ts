/**
 * Validates Jellyfin response bodies against the saved OpenAPI specs (10.11.11 and 12.0.0,
 * copied into tests/fixtures/jellyfin/). Used by the stand-in's unit test and by integration
 * tests against live responses (protocols/jellyfin.md §5).
 *
 * Normalisations, each because the spec and real Jellyfin disagree with plain JSON Schema:
 * - `nullable: true` (OpenAPI 3.0) → `anyOf: [node, {type: 'null'}]`; Ajv rejects `nullable`
 *   next to `allOf: [$ref]` without a `type`.
 * - `format: uuid` accepts Jellyfin's dashless "N" form (`0f8e…`), which it emits for every id.
 * - `BasePluginConfiguration` is an open object: real plugin configurations extend it.
 * - `GET /System/Configuration/{key}` is declared as binary; `livetv` is checked as LiveTvOptions.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { fixturePath } from './paths.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const SPEC_FILES = {
  '10.11.11': 'jellyfin-openapi.json',
  '12.0.0': 'jellyfin-openapi-12.0.0.json',
} as const;
export type SpecVersion = keyof typeof SPEC_FILES;

const SPEC_ID = 'jellyfin-spec';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Operation {
  readonly responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
  readonly parameters?: readonly { readonly name: string; readonly in: string; readonly schema?: Json }[];
  readonly requestBody?: { content?: Record<string, { schema?: Json }> };
}
interface Spec {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas: Record<string, Json> };
}

function normalise(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable') continue;
    out[k] = k === 'properties' || k === 'schemas' ? mapValues(v, normalise) : normalise(v);
  }
  if (node['nullable'] === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

function mapValues(v: Json, fn: (j: Json) => Json): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) out[k] = fn(x);
  return out;
}

function retarget(node: Json): Json {
  if (Array.isArray(node)) return node.map(retarget);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : retarget(v);
  }
  return out;
}

export interface ValidationResult {
  readonly ok: boolean;
  /** Ajv errors, one per line, with instance paths. */
  readonly errors: string;
}

export class JellyfinSpecValidator {
  private readonly ajv: Ajv;
  private readonly spec: Spec;
  private readonly cache = new Map<string, ValidateFunction | null>();
  private readonly templates: { readonly template: string; readonly regex: RegExp; readonly params: number }[];

  constructor(readonly version: SpecVersion) {
    this.spec = JSON.parse(readFileSync(fixturePath('jellyfin', SPEC_FILES[version]), 'utf8')) as Spec;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('uuid', /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i);
    this.ajv.addFormat('text', true);
    const schemas = normalise(this.spec.components.schemas) as Record<string, Json>;
    schemas['BasePluginConfiguration'] = { type: 'object' };
    this.ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
    this.templates = Object.keys(this.spec.paths)
      .map((template) => ({
        template,
        regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i'),
        params: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params);
  }

  /** The spec's path template for a concrete path (literal segments win over parameters). */
  templateFor(method: string, path: string): string | undefined {
    const m = method.toLowerCase();
    return this.templates.find((t) => t.regex.test(path) && this.spec.paths[t.template]?.[m] !== undefined)?.template;
  }

  hasOperation(method: string, template: string): boolean {
    return this.spec.paths[template]?.[method.toLowerCase()] !== undefined;
  }

  private validatorFor(method: string, template: string, status: number, path: string): ValidateFunction | null | undefined {
    const key = `${method} ${template} ${status} ${template.includes('{key}') ? path : ''}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const op = this.spec.paths[template]?.[method.toLowerCase()];
    const response = op?.responses?.[String(status)];
    if (response === undefined) return undefined;
    let schema = response.content?.['application/json']?.schema;
    if (template === '/System/Configuration/{key}' && /\/livetv$/i.test(path)) schema = { $ref: '#/components/schemas/LiveTvOptions' };
    const isBinary = typeof schema === 'object' && schema !== null && !Array.isArray(schema) && schema['format'] === 'binary';
    const compiled = schema === undefined || isBinary ? null : this.ajv.compile(retarget(schema) as object);
    this.cache.set(key, compiled);
    return compiled;
  }

  /**
   * Validates one response. `body` undefined = no body (204). Fails when the operation or the
   * status is not in the spec, when a body is sent for a body-less response, or on any schema error.
   */
  validate(method: string, path: string, status: number, body: unknown): ValidationResult {
    const template = this.templateFor(method, path);
    if (template === undefined) return { ok: false, errors: `${method} ${path}: no such operation in the ${this.version} spec` };
    const validate = this.validatorFor(method, template, status, path);
    if (validate === undefined) return { ok: false, errors: `${method} ${template}: status ${status} not declared in the ${this.version} spec` };
    if (validate === null) {
      const op = this.spec.paths[template]?.[method.toLowerCase()];
      const declared = op?.responses?.[String(status)]?.content;
      if (declared === undefined && body !== undefined) return { ok: false, errors: `${method} ${template}: ${status} has no body in the spec` };
      return { ok: true, errors: '' };
    }
    if (validate(body)) return { ok: true, errors: '' };
    const errors = (validate.errors ?? []).slice(0, 20).map((e) => `${method} ${template} ${status}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    return { ok: false, errors: errors.join('\n') };
  }

  /**
   * Validates one request: every query parameter is declared for the operation (names compared
   * case-insensitively, as ASP.NET does) and its value fits the declared schema, and a JSON body
   * matches the operation's request body schema.
   */
  validateRequest(method: string, path: string, query: URLSearchParams, body: unknown): ValidationResult {
    const template = this.templateFor(method, path);
    if (template === undefined) return { ok: false, errors: `${method} ${path}: no such operation in the ${this.version} spec` };
    const op = this.spec.paths[template]?.[method.toLowerCase()];
    const errors: string[] = [];
    const declared = (op?.parameters ?? []).filter((p) => p.in === 'query');
    for (const name of new Set(query.keys())) {
      const param = declared.find((p) => p.name.toLowerCase() === name.toLowerCase());
      if (param === undefined) {
        errors.push(`${method} ${template}: query parameter "${name}" is not in the spec`);
        continue;
      }
      const values = query.getAll(name).flatMap((v) => v.split(','));
      const schema = normalise(param.schema ?? {}) as Record<string, Json>;
      const instance = schema['type'] === 'array' ? values.map((v) => coerce(v, schema['items'])) : coerce(values[0] ?? '', schema);
      const validate = this.ajv.compile(retarget(schema) as object);
      if (!validate(instance)) errors.push(`${method} ${template}: query ${name}=${JSON.stringify(instance)} ${JSON.stringify(validate.errors)}`);
    }
    const bodySchema = op?.requestBody?.content?.['application/json']?.schema;
    if (body !== undefined) {
      if (bodySchema === undefined) errors.push(`${method} ${template}: no JSON request body in the spec`);
      else {
        const validate = this.ajv.compile(retarget(normalise(bodySchema)) as object);
        if (!validate(body)) errors.push(...(validate.errors ?? []).slice(0, 20).map((e) => `${method} ${template} body: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
      }
    }
    return { ok: errors.length === 0, errors: errors.join('\n') };
  }
}

/** A query string value as the type its schema declares (ASP.NET binds text to the declared type). */
function coerce(value: string, schema: Json | undefined): Json {
  const type = schema !== null && typeof schema === 'object' && !Array.isArray(schema) ? schema['type'] : undefined;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if (type === 'integer' || type === 'number') return Number.isNaN(Number(value)) ? value : Number(value);
  return value;
}

const shared = new Map<SpecVersion, JellyfinSpecValidator>();

/** One validator per spec version per process (compiling the schemas costs ~1 s). */
export function specValidator(version: SpecVersion): JellyfinSpecValidator {
  let v = shared.get(version);
  if (v === undefined) {
    v = new JellyfinSpecValidator(version);
    shared.set(version, v);
  }
  return v;
}
