/**
 * Hostile input for every operation of the served OpenAPI document (issue 22). For each path parameter,
 * query parameter and body or form field, values are derived from its JSON schema: valid ones (enums,
 * patterns, ranges, the fixture's ids and codes) and boundary and hostile ones (NUL, C0/C1 controls, bidi
 * overrides, zero-width-only text, lone surrogates, 100 kB strings, ids past int4 and 2^53, years
 * 0000/0100/9999, wrong types, extra and missing fields, broken JSON and percent-encoding). Each request is a
 * valid one with one or two fields made hostile, so the hostile value reaches as deep as validation lets it.
 * Sent as every role, national (100000) and provincial (320000), on every engine.
 *
 * An upload whose hostile file still validates is committed by the same caller, so its cells reach the tables.
 * Sign-out and password changes get sessions (and accounts) of their own; sign-in attempts name an account
 * no caller uses, so the throttle locks none of theirs.
 *
 * Asserted: no answer is a 5xx (each is reported with the operation, the request and the answer), no answer
 * grows past MAX_ANSWER_BYTES, and a provincial user's requests leave another province's rows as they were
 * (every table with a region_code, and the scenarios' batches). The test walks the document, so a new route
 * is attacked without a line here. Deterministic: the seed is printed; ATTACK_SEED replays another, and
 * ATTACK_RUNS sends more.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Permission, type Role } from '@vbp/contracts/roles';
import { selectRows } from '@vbp/db';
import { createBatchWithVarieties, createImplementation, createRegion, createSelectedProduct, createTarget } from '@vbp/db/factories';
import { createAgreedVolume, createInstitution, createPurchases } from '@vbp/db/execution-factories';
import { followUps, regionSettings, scenarioBatches, scenarios, uploads } from '@vbp/db/schema';
import { TEST_ENGINES, type TestEngine } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, TEST_PASSWORD, type Client, type TestApp, type TestUser } from './helpers';

const OWN = '320000';
const OTHER = '110000';
const NATION = '100000';
const SEED = Number(process.env.ATTACK_SEED ?? 22);
/** Requests per operation for each of the two phases (provincial callers, then national and anonymous ones). */
const RUNS: Record<TestEngine, number> = { pglite: 18, postgres: 18, citus: 3 };
const runsOn = (engine: TestEngine) => Number(process.env.ATTACK_RUNS) || RUNS[engine];
/** An answer larger than this grows with a parameter (the fixture is a handful of rows: real answers are a few kB). */
const MAX_ANSWER_BYTES = 256 * 1024;

// ---- the document ----

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  example?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

interface Operation {
  key: string;
  method: string;
  path: string;
  permission: Permission | 'authenticated' | 'public' | undefined;
  params: Parameter[];
  body?: { type: 'json' | 'form'; schema: Schema; required: boolean };
}

interface Document {
  paths: Record<string, Record<string, { 'x-permission'?: Operation['permission']; parameters?: Parameter[]; requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

function operationsOf(doc: Document): Operation[] {
  const resolve = (s: Schema): Schema => {
    if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {});
    const out: Schema = { ...s };
    if (s.allOf) for (const part of s.allOf) Object.assign(out, resolve(part));
    if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, resolve(v)]));
    if (out.items) out.items = resolve(out.items);
    if (out.anyOf) out.anyOf = out.anyOf.map(resolve);
    if (out.oneOf) out.oneOf = out.oneOf.map(resolve);
    if (typeof out.additionalProperties === 'object') out.additionalProperties = resolve(out.additionalProperties);
    return out;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const content = op.requestBody?.content ?? {};
      const json = content['application/json'];
      const form = content['multipart/form-data'];
      const body = json ? { type: 'json' as const, schema: resolve(json.schema) } : form ? { type: 'form' as const, schema: resolve(form.schema) } : undefined;
      return {
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        permission: op['x-permission'],
        params: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
        ...(body ? { body: { ...body, required: op.requestBody?.required ?? false } } : {}),
      };
    }),
  );
}

function typesOf(s: Schema): string[] {
  if (s.type) return Array.isArray(s.type) ? s.type : [s.type];
  if (s.anyOf || s.oneOf) return [...new Set((s.anyOf ?? s.oneOf)!.flatMap(typesOf))];
  if (s.properties) return ['object'];
  if (s.items) return ['array'];
  if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return ['string'];
}

const DATE_EXAMPLE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: Schema) => s.format === 'date' || (typeof s.example === 'string' && DATE_EXAMPLE.test(s.example));

// ---- values ----

/** A value resolved when the request is sent: a row of the fixture (or one the run created), or the caller's region. */
class Pick {
  constructor(
    readonly pool: string,
    readonly n: number,
  ) {}
}

/** Text put into a URL as it is (broken percent-encoding). */
class Raw {
  constructor(readonly text: string) {}
}

const HUGE = 'x'.repeat(100_000);
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0003',
  '\t',
  'a\nb',
  '\r\n',
  '\u001b[31m红\u001b[0m',
  '\u001b]0;title\u0007',
  '\u007f',
  '\u0085',
  '\u009b2J',
  '\u202eevil',
  'a\u2066b\u2069',
  '\u200b',
  '\u200b\u200c\u200d\u2060\ufeff',
  '\ufeff',
  '\ud800',
  'a\udfffb',
  '\uffff',
  '\u2028',
  '😀',
  "' or 1=1 --",
  '%',
  '_',
  '\\',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "=cmd|'/c calc'!A1",
  '2147483648',
  '-1',
  'null',
  HUGE,
  '中'.repeat(100_000),
];
const HOSTILE_DATES = [
  '0000-01-01',
  '0001-01-01',
  '0099-12-31',
  '0100-01-01',
  '1899-12-31',
  '1969-12-31',
  '1989-12-31',
  '1990-01-01',
  '2100-12-31',
  '2101-01-01',
  '9999-12-31',
  '10000-01-01',
  '+275760-09-13',
  '-000001-01-01',
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-6-30',
  '2024-06-30T00:00:00Z',
  '2024-06-30\u0000',
];
const HOSTILE_NUMBERS = [0, -1, 1.5, -0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 31), -(2 ** 31) - 1, 1e21, 1e308, Number.MIN_VALUE];
const HOSTILE_NUMBER_TEXT = ['1e3', '1e400', '0x10', ' 1', '1 ', 'Infinity', 'NaN', '-0', '1_000', '١٢', '9007199254740993', '2147483648', '-2147483649', '1.0000000000000001'];
const WRONG_TYPES: unknown[] = [null, true, false, 0, 'x', [], {}, [1], { a: 1 }];
const RAW_URL = ['%ED%A0%80', '%C0%80', '%FF', '%E4%B8', '%', '%%00', '%00'];

const VALID_DATES = ['2024-06-30', '2023-01-01', '2025-12-31', '2026-03-01'];

function validValue(s: Schema, name: string, op: Operation): fc.Arbitrary<unknown> {
  const types = typesOf(s).filter((t) => t !== 'null');
  const nullable = typesOf(s).includes('null');
  const base = validNonNull(s, types, name, op);
  return nullable ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function validNonNull(s: Schema, types: string[], name: string, op: Operation): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum.filter((v) => v !== null));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.anyOf || s.oneOf) {
    const variants = (s.anyOf ?? s.oneOf)!.filter((v) => !typesOf(v).every((t) => t === 'null'));
    if (variants.length > 0) return fc.oneof(...variants.map((v) => validValue(v, name, op)));
  }
  const type = types[0] ?? 'string';
  const pick = (pool: string) => fc.nat().map((n) => new Pick(pool, n));
  if (type === 'integer' || type === 'number') {
    if (['id', 'institutionId', 'varietyId', 'uploadId'].includes(name)) return pick(name === 'id' ? resourceOf(op.path) : name.replace(/Id$/, 's'));
    const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (type === 'integer' ? 1 : 0.001) : 0);
    const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : lo + 100);
    if (type === 'integer') return fc.integer({ min: lo, max: Math.min(hi, lo + 100) });
    // fractions with 3 decimals (thresholds, shares)
    return fc.integer({ min: Math.ceil(lo * 1000), max: Math.floor(Math.min(hi, lo + 100) * 1000) }).map((n) => n / 1000);
  }
  if (type === 'boolean') return fc.boolean();
  if (type === 'array') {
    const item = s.items ?? {};
    return fc.array(validValue(item, name, op), { minLength: Math.max(1, s.minItems ?? 0), maxLength: Math.min(s.maxItems ?? 3, 3) });
  }
  if (type === 'object') {
    if (s.properties) {
      const required = new Set(s.required ?? []);
      const model = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, validValue(v, k, op)]));
      return fc.record(model, { requiredKeys: Object.keys(model).filter((k) => required.has(k)) });
    }
    if (typeof s.additionalProperties === 'object') return fc.dictionary(fc.constantFrom('医保编码', '采购数量', 'x'), validValue(s.additionalProperties, name, op), { maxKeys: 2 });
    return fc.constant({});
  }
  // strings
  if (s.format === 'binary') return fc.constant(new Pick('files', 0));
  if (isDate(s)) return fc.constantFrom(...VALID_DATES);
  if (['region', 'regionCode'].includes(name)) return pick('regions');
  if (['code', 'batch', 'batchCode'].includes(name)) return pick('batches');
  if (name === 'username') return op.key === 'POST /api/auth/login' ? fc.constant(new Pick('loginUser', 0)) : fc.nat().map((n) => `atk${n}`);
  if (name === 'password' || name === 'currentPassword') return fc.constant(TEST_PASSWORD);
  if (name === 'newPassword') return fc.constant('another long password');
  if (name === 'city') return fc.constantFrom('320100', '110100');
  if (name === 'mapping') return fc.constantFrom('', '{}', '{"医保编码":"nhsaCode"}');
  if (name === 'file') return fc.constantFrom('purchases.csv', 'purchases.xlsx', 'implementations.csv');
  if (name === 'name') return fc.nat().map((n) => `攻击${n}`);
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 64));
  const texts = ['x', '测试', '阿托伐他汀钙片', 'D3', typeof s.example === 'string' ? s.example : 'y'];
  return fc.constantFrom(...texts.filter((t) => t.length >= (s.minLength ?? 0) && t.length <= (s.maxLength ?? Infinity)));
}

/** The collection a path's `{id}` names: the segment before it (`/api/targets/{id}` → targets). */
function resourceOf(path: string): string {
  const parts = path.split('/');
  const at = parts.indexOf('{id}');
  return at > 0 ? parts[at - 1]! : 'ids';
}

type Where = 'path' | 'query' | 'json' | 'form';

function hostileValue(s: Schema, name: string, op: Operation, where: Where): fc.Arbitrary<unknown> {
  const types = typesOf(s).filter((t) => t !== 'null');
  const options: { weight: number; arbitrary: fc.Arbitrary<unknown> }[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<unknown>) => options.push({ weight, arbitrary });
  const inUrl = where === 'path' || where === 'query';
  for (const type of types.length ? types : ['string']) {
    if (type === 'string') {
      add(4, fc.constantFrom(...HOSTILE_TEXT));
      if (isDate(s)) add(8, fc.constantFrom(...HOSTILE_DATES));
      if (s.maxLength !== undefined) add(1, fc.constantFrom('x'.repeat(s.maxLength), 'x'.repeat(s.maxLength + 1), '中'.repeat(s.maxLength), `\u200b${'x'.repeat(s.maxLength - 1)}`));
      // a valid value with something hostile around it: passes a loose pattern, reaches the database
      add(
        2,
        fc
          .tuple(validValue(s, name, op), fc.constantFrom('\u0000', '\u202e', '\u200b', '\u001b[0m', '\u0085', '\ud800', ' ', '\n'), fc.boolean())
          .map(([v, bad, before]) => (v instanceof Pick || typeof v !== 'string' ? v : before ? `${bad}${v}` : `${v}${bad}`)),
      );
    }
    if (type === 'integer' || type === 'number') {
      const bounds = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter((b): b is number => b !== undefined).flatMap((b) => [b - 1, b, b + 1, b + 0.5]);
      add(4, fc.constantFrom(...HOSTILE_NUMBERS, ...bounds));
      if (inUrl || where === 'form') add(2, fc.constantFrom(...HOSTILE_NUMBER_TEXT));
      else add(1, fc.constantFrom('1', '2147483648', '1.5', ''));
    }
    if (type === 'boolean') add(1, fc.constantFrom('true', 1, 0, 'yes', ''));
    if (type === 'array') {
      const item = s.items ?? {};
      add(1, fc.constant([]));
      add(2, fc.array(hostileValue(item, name, op, where), { minLength: 1, maxLength: 3 }));
      add(1, validValue(item, name, op).map((v) => Array.from({ length: (s.maxItems ?? 1000) + 1 }, () => v)));
    }
    if (type === 'object') {
      add(1, fc.constantFrom({}, { extra: 'x' }, { ['__proto__']: { polluted: true } }, { constructor: { prototype: { polluted: true } } }));
      if (typeof s.additionalProperties === 'object' || s.additionalProperties === undefined)
        add(2, fc.dictionary(fc.constantFrom(...HOSTILE_TEXT.slice(0, 22)), fc.constantFrom(...HOSTILE_TEXT.slice(0, 22)), { minKeys: 1, maxKeys: 3 }));
    }
  }
  if (where === 'json') add(2, fc.constantFrom(...WRONG_TYPES));
  if (inUrl) add(1, fc.constantFrom(...RAW_URL.map((r) => new Raw(r))));
  return fc.oneof(...options);
}

// ---- requests ----

type Key = string | number;

interface Leaf {
  where: Where;
  path: Key[];
  schema: Schema;
  name: string;
  required: boolean;
}

type Mutation =
  | { kind: 'set'; where: Where; path: Key[]; value: unknown }
  | { kind: 'drop'; where: Where; path: Key[] }
  | { kind: 'extra'; where: Where; name: string; value: unknown }
  | { kind: 'body'; value: unknown }
  | { kind: 'rawBody'; text: string }
  | { kind: 'file'; file: HostileFile };

interface HostileFile {
  name: string;
  content: string | Uint8Array;
  /** The upload kind the file is shaped for (its headers): sent with it. */
  kind?: string;
}

interface Request {
  caller: number;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  mutations: Mutation[];
}

function leavesOf(s: Schema, where: Where, path: Key[], name: string, required: boolean): Leaf[] {
  const here: Leaf = { where, path, schema: s, name, required };
  const types = typesOf(s);
  if (types.includes('object') && s.properties) {
    const req = new Set(s.required ?? []);
    return [here, ...Object.entries(s.properties).flatMap(([k, v]) => leavesOf(v, where, [...path, k], k, req.has(k)))];
  }
  if (types.includes('array') && s.items) return [here, ...leavesOf(s.items, where, [...path, 0], name, true)];
  return [here];
}

const HOSTILE_FILES: HostileFile[] = [
  { name: 'p\u0000.csv', content: '医疗机构编码,采购月份,医保编码,采购数量\nH1,2024-01,X1,1\n' },
  { name: '\u202evsc.exe', content: '医疗机构编码,采购月份,医保编码,采购数量\nH1,2024-01,X1,1\n' },
  { name: '\u200b', content: 'a,b\n1,2\n' },
  { name: `${'长'.repeat(5000)}.csv`, content: 'a,b\n1,2\n' },
  { name: '../../escape.csv', content: 'a,b\n1,2\n' },
  { name: 'empty.csv', content: '' },
  { name: 'nul.csv', content: new Uint8Array([0, 0, 0, 0, 10, 0]) },
  { name: 'cells.csv', content: '医疗机构编码,采购月份,医保编码,采购数量\nH\u00001,2024-01,X\u202e1,1\nH2,0000-01,X1,1e400\nH3,9999-12,X1,-1\nH4,0100-01,\u200b,2147483648\n' },
  { name: 'dates.csv', content: '批次编号,省份,执行日期,协议期满日期\nD3,江苏,0000-01-01,9999-12-31\nD3,江苏,0099-02-30,\nD3\u0000,江苏\u202e,2024-01-01,2024-01-01\n' },
  { name: 'fake.xlsx', content: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9]) },
  { name: 'gbk.csv', content: new Uint8Array([0xd2, 0xbd, 0xc1, 0xc6, 0x2c, 0x0a, 0xff, 0xfe, 0x00]) },
  // shaped for their kind, naming the fixture's batches, varieties and institutions ({batch} …), so they
  // validate as far as their hostile cells let them and are committed (see `send`)
  { kind: 'implementations', name: 'i.csv', content: '批次编号,省份,执行日期,协议期满日期\n{batch},江苏,0000-01-01,\n' },
  { kind: 'implementations', name: 'i.csv', content: '批次编号,省份,执行日期,协议期满日期\n{batch},江苏,9999-12-31,\n' },
  { kind: 'implementations', name: 'i.csv', content: '批次编号,省份,执行日期,协议期满日期\n{batch},江苏,1989-12-31,9999-12-31\n' },
  { kind: 'implementations', name: 'i.csv', content: '批次编号,省份,执行日期,协议期满日期\n{batch},北京,2024-01-01,\n' },
  { kind: 'implementations', name: 'i.csv', content: '批次编号,省份,执行日期,协议期满日期,备注\n{batch},江苏,2024-01-01,,a\u0000b\u202e\n' },
  { kind: 'agreed-volumes', name: 'a.csv', content: '医疗机构编码,批次编号,通用名,协议年度,约定采购量\n{institution},{batch},{variety},2147483648,100\n{institution},{batch},{variety},1,1e400\n' },
  { kind: 'agreed-volumes', name: 'a.csv', content: '医疗机构编码,医疗机构名称,批次编号,通用名,协议年度,约定采购量\nNEW\u0000,\u202e新医院,{batch},{variety},1,100\nNEW2,\u200b,{batch},{variety},9999,100\n' },
  { kind: 'agreed-volumes', name: 'a.csv', content: '医疗机构编码,批次编号,通用名,协议年度,约定采购量\n{institution},{batch},{variety},1,100\n' },
  { kind: 'purchases', name: 'p.csv', content: '医疗机构编码,采购月份,医保编码,采购数量\n{institution},9999-12,ATK0001,1\n{institution},0000-01,ATK0001,99999999999999999999999\n' },
  { kind: 'purchases', name: 'p.csv', content: '医疗机构编码,采购月份,医保编码,采购数量\n{institution},2023-03,ATK0001,5\n' },
  { kind: 'province-volumes', name: 'v.csv', content: '地区,品种,首年约定采购量,协议年度\n北京,{variety},100,1\n江苏,{variety},1e400,2147483648\n' },
  { kind: 'batch-results', name: 'b.csv', content: '通用名,规格,企业,中选价格,最高有效申报价\n新药\u0000,10mg,企业\u202e,0.0000001,99999999999999999\n' },
];

function requestArbitrary(op: Operation, callers: number[]): fc.Arbitrary<Request> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const record = (params: Parameter[]) =>
    fc.record(Object.fromEntries(params.map((p) => [p.name, validValue(p.schema, p.name, op)])), {
      requiredKeys: params.filter((p) => p.required || p.in === 'path').map((p) => p.name),
    });
  const bodyWhere: Where = op.body?.type === 'form' ? 'form' : 'json';
  const leaves: Leaf[] = [
    ...pathParams.map((p) => ({ where: 'path' as const, path: [p.name], schema: p.schema, name: p.name, required: true })),
    ...queryParams.map((p) => ({ where: 'query' as const, path: [p.name], schema: p.schema, name: p.name, required: p.required ?? false })),
    ...(op.body ? leavesOf(op.body.schema, bodyWhere, [], 'body', true).filter((l) => l.path.length > 0 || bodyWhere === 'json') : []),
  ];
  const mutations: { weight: number; arbitrary: fc.Arbitrary<Mutation> }[] = leaves.map((leaf) => ({
    weight: 1,
    arbitrary: fc.oneof(
      { weight: 6, arbitrary: hostileValue(leaf.schema, leaf.name, op, leaf.where).map((value): Mutation => ({ kind: 'set', where: leaf.where, path: leaf.path, value })) },
      { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'drop', where: leaf.where, path: leaf.path }) },
    ),
  }));
  const where: Where = op.body ? bodyWhere : 'query';
  mutations.push({ weight: 1, arbitrary: fc.constantFrom(...HOSTILE_TEXT.slice(0, 24)).map((value): Mutation => ({ kind: 'extra', where, name: 'extra', value })) });
  if (op.body?.type === 'json' || (!op.body && op.method !== 'GET')) {
    mutations.push({ weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES, HUGE).map((value): Mutation => ({ kind: 'body', value })) });
    mutations.push({ weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '\u0000', '['.repeat(5000), '{"a":1}{"b":2}', '\ud800', '{"__proto__":{"admin":true}}').map((text): Mutation => ({ kind: 'rawBody', text })) });
  }
  // the file is what an upload is about: as likely as all its fields together
  if (op.body?.type === 'form') mutations.push({ weight: mutations.length, arbitrary: fc.constantFrom(...HOSTILE_FILES).map((file): Mutation => ({ kind: 'file', file })) });
  return fc.record({
    caller: fc.constantFrom(...callers),
    path: record(pathParams),
    query: record(queryParams),
    body: op.body ? validValue(op.body.schema, 'body', op) : fc.constant(undefined),
    mutations: fc.oneof({ weight: 1, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 8, arbitrary: fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 2 }) }),
  });
}

function setIn(target: unknown, path: Key[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container: any = target !== null && typeof target === 'object' ? target : typeof head === 'number' ? [] : {};
  container[head!] = setIn(container[head!], rest, value);
  return container;
}

function dropIn(target: unknown, path: Key[]): void {
  if (target === null || typeof target !== 'object' || path.length === 0) return;
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (Array.isArray(target) && typeof head === 'number') target.splice(head, 1);
    else delete (target as Record<Key, unknown>)[head!];
  } else dropIn((target as Record<Key, unknown>)[head!], rest);
}

/** Percent-encodes text, lone surrogates included (as their three-byte forms: a server must refuse them). */
function encodeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

// ---- the run ----

interface Caller {
  label: string;
  person: TestUser | null;
  region: string;
  client: Client | null;
}

interface Sent {
  op: string;
  caller: string;
  description: string;
  status: number;
  answer: string;
  bytes: number;
}

describe.each(TEST_ENGINES)('attack on %s', (engine) => {
  let t: TestApp;
  let doc: Document;
  let operations: Operation[];
  let uploadDir: string;
  const callers: Caller[] = [];
  const pools = new Map<string, (string | number)[]>();
  const pool = (name: string) => {
    if (!pools.has(name)) pools.set(name, []);
    return pools.get(name)!;
  };
  const files = { valid: { name: 'purchases.csv', content: '医疗机构编码,采购月份,医保编码,采购数量\nH1,2024-01,X1,1\n' } };

  beforeAll(async () => {
    uploadDir = await mkdtemp(join(tmpdir(), 'vbp-attack-'));
    t = await openTestApp(engine, { uploads: { dir: uploadDir } });
    const db = t.database.db;
    await createRegion(db, { code: OWN, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: OTHER, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    const national = await createBatchWithVarieties(db, 2, { level: 'national', implementedOn: '2023-01-01', contractYears: '2' });
    const product = await createSelectedProduct(db, { batchId: national.batch.id, varietyId: national.varieties[0]!.id, referencePrice: '10.00', selectedPrice: '4.00', nhsaCode: 'ATK0001' });
    pool('batches').push(national.batch.code);
    pool('varieties').push(...national.varieties.map((v) => v.id));
    pool('varietyNames').push(...national.varieties.map((v) => v.nameZh));
    for (const region of [OWN, OTHER]) {
      const own = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: region, implementedOn: '2023-01-01' });
      pool('batches').push(own.batch.code);
      pool('varieties').push(...own.varieties.map((v) => v.id));
      await createImplementation(db, { batchId: own.batch.id, regionCode: region, startOn: '2023-01-01', contractEndOn: '2024-12-31' });
      await createImplementation(db, { batchId: national.batch.id, regionCode: region, startOn: '2023-01-01', contractEndOn: '2024-12-31' });
      for (let i = 0; i < 3; i++) pool('targets').push((await createTarget(db, { regionCode: region, count: 5 + i, setOn: '2023-01-01', dueOn: '2025-12-31' })).id);
      for (let i = 0; i < 3; i++) {
        const [row] = await db.insert(scenarios).values({ regionCode: region, name: `规划${region}-${i}`, createdBy: 'fixture' }).returning({ id: scenarios.id });
        await db.insert(scenarioBatches).values({ scenarioId: row!.id, position: 0, name: '省级', level: 'provincial', productType: 'drug', implementationDate: '2025-01-01', varietyCount: 5 });
        pool('scenarios').push(row!.id);
      }
      const institution = await createInstitution(db, { regionCode: region, cityCode: region === OWN ? '320100' : '110100', cityName: '市' });
      pool('institutions').push(institution.id);
      pool(`institutionCodes:${region}`).push(institution.code);
      await createAgreedVolume(db, {
        regionCode: region,
        institutionId: institution.id,
        batchId: national.batch.id,
        varietyId: national.varieties[0]!.id,
        periodStart: '2023-01-01',
        periodEnd: '2023-12-31',
        quantity: '1000',
      });
      await createPurchases(db, { regionCode: region, institutionId: institution.id, productId: product.product.id, months: { '2023-01-01': '100', '2023-06-01': '200' } });
      for (let i = 0; i < 2; i++) {
        const [f] = await db
          .insert(followUps)
          .values({ regionCode: region, institutionId: institution.id, reason: 'other', dueOn: '2024-12-31', createdBy: 'fixture', updatedBy: 'fixture' })
          .returning({ id: followUps.id });
        pool('follow-ups').push(f!.id);
      }
      for (let i = 0; i < 2; i++) {
        const [u] = await db.insert(uploads).values({ kind: 'purchases', regionCode: region, status: 'invalid', fileName: 'x.csv', createdBy: 'fixture' }).returning({ id: uploads.id });
        pool('uploads').push(u!.id);
      }
      await db.insert(regionSettings).values({ regionCode: region, progressWarningThreshold: '0.750', updatedBy: 'fixture' });
      // accounts the run may rename, disable or reset (never the callers)
      for (let i = 0; i < 2; i++) pool('users').push((await createTestUser(db, 'leader', region)).id);
    }
    pool('loginUser').push((await createTestUser(db, 'leader', OWN)).username);
    for (const region of [OWN, NATION])
      for (const role of ROLES) {
        const person = await createTestUser(db, role, region);
        callers.push({ label: `${role}@${region}`, person, region, client: await signIn(t.app, person) });
      }
    callers.push({ label: 'anonymous', person: null, region: OWN, client: null });
    doc = (await t.get('/api/openapi.json')).body as Document;
    operations = operationsOf(doc);
  });

  afterAll(async () => {
    await t?.database.close();
    if (uploadDir) await rm(uploadDir, { recursive: true, force: true });
  });

  function resolve(value: unknown, caller: Caller): unknown {
    if (value instanceof Pick) {
      if (value.pool === 'files') return value;
      if (value.pool === 'regions') return value.n % 10 < 7 ? caller.region : [OWN, OTHER, NATION][value.n % 3];
      const rows = pool(value.pool);
      return rows.length ? rows[value.n % rows.length] : value.n + 1;
    }
    if (Array.isArray(value)) return value.map((v) => resolve(v, caller));
    if (value !== null && typeof value === 'object' && !(value instanceof Raw)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, caller)]));
    return value;
  }

  const inUrl = (v: unknown) => (v instanceof Raw ? v.text : encodeText(typeof v === 'string' ? v : JSON.stringify(v) ?? ''));

  /** A session of the caller's own for operations that end or change it (sign-out, password change). */
  async function sessionFor(op: Operation, caller: Caller): Promise<Client | null> {
    if (!caller.person) return null;
    if (op.key === 'POST /api/auth/logout') return signIn(t.app, caller.person);
    if (op.key === 'POST /api/auth/password') return signIn(t.app, await createTestUser(t.database.db, caller.person.role, caller.person.regionCode));
    return caller.client;
  }

  async function send(op: Operation, req: Request): Promise<Sent> {
    const caller = callers[req.caller]!;
    const path = resolve(req.path, caller) as Record<string, unknown>;
    const query = resolve(req.query, caller) as Record<string, unknown>;
    let body = resolve(req.body, caller);
    const extra: [string, unknown][] = [];
    let rawBody: string | undefined;
    let file: HostileFile = files.valid;
    // values are copied (resolve makes new objects): the samples share their constants
    for (const m of req.mutations.map((m) => ('value' in m ? { ...m, value: resolve(m.value, caller) } : m))) {
      if (m.kind === 'set' && (m.where === 'path' || m.where === 'query')) (m.where === 'path' ? path : query)[m.path[0] as string] = m.value;
      else if (m.kind === 'set') body = setIn(body, m.path, m.value);
      else if (m.kind === 'drop' && m.where === 'path') path[m.path[0] as string] = '';
      else if (m.kind === 'drop' && m.where === 'query') delete query[m.path[0] as string];
      else if (m.kind === 'drop') dropIn(body, m.path);
      else if (m.kind === 'extra' && (m.where === 'query' || m.where === 'path')) extra.push([m.name, m.value]);
      else if (m.kind === 'extra') body = setIn(body ?? {}, [m.name], m.value);
      else if (m.kind === 'body') body = m.value;
      else if (m.kind === 'rawBody') rawBody = m.text;
      else if (m.kind === 'file') file = m.file;
    }
    const url =
      op.path.replace(/\{(\w+)\}/g, (_, name: string) => inUrl(path[name])) +
      (() => {
        const pairs = [...Object.entries(query), ...extra].filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${inUrl(v)}`);
        return pairs.length ? `?${pairs.join('&')}` : '';
      })();
    const session = await sessionFor(op, caller);
    const headers: Record<string, string> = {};
    if (session?.cookie) headers.cookie = session.cookie;
    if (session?.csrfToken) headers['x-csrf-token'] = session.csrfToken;
    let init: RequestInit = { method: op.method, headers };
    let description: string;
    if (op.body?.type === 'form') {
      const form = new FormData();
      const fields = (body ?? {}) as Record<string, unknown>;
      if (file.kind) {
        // the file's own kind, for the caller's province, with what it detects by itself: it is the hostile part
        fields.kind = file.kind;
        fields.region = caller.region === NATION ? OWN : caller.region;
        for (const k of ['sheet', 'encoding', 'mapping']) delete fields[k];
      }
      if (typeof file.content === 'string') {
        const of = (name: string) => pool(name)[req.caller % Math.max(1, pool(name).length)] ?? '';
        const batch = typeof fields.batch === 'string' && fields.batch ? fields.batch : of('batches');
        file = { ...file, content: file.content.replaceAll('{batch}', String(batch)).replaceAll('{variety}', String(of('varietyNames'))).replaceAll('{institution}', String(of(`institutionCodes:${caller.region}`) || of(`institutionCodes:${OWN}`))) };
      }
      for (const [k, v] of Object.entries(fields)) {
        if (v instanceof Pick) form.append(k, new Blob([file.content]), file.name);
        else form.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
      }
      init = { ...init, body: form };
      description = `form ${JSON.stringify(fields, (k, v) => (v instanceof Pick ? `(file ${file.name})` : typeof v === 'string' && v.length > 200 ? `${v.slice(0, 20)}…(${v.length})` : v))}`;
    } else if (rawBody !== undefined || body !== undefined) {
      const text = rawBody ?? JSON.stringify(body);
      init = { ...init, headers: { ...headers, 'content-type': 'application/json' }, body: text };
      description = `json ${text}`;
    } else description = '';
    const res = await t.app.request(url, init);
    let answer: string;
    let bytes: number;
    try {
      const buffer = new Uint8Array(await res.arrayBuffer());
      bytes = buffer.byteLength;
      answer = (res.headers.get('content-type') ?? '').includes('json') || (res.headers.get('content-type') ?? '').startsWith('text/') ? new TextDecoder().decode(buffer) : `(${bytes} bytes)`;
    } catch (err) {
      return { op: op.key, caller: caller.label, description: `${op.method} ${url} ${description}`, status: 599, answer: `the body failed while streaming: ${String(err)}`, bytes: 0 };
    }
    if (res.status === 201 || (res.status === 202 && op.method === 'POST')) {
      const id = (() => {
        try {
          return (JSON.parse(answer) as { id?: unknown }).id;
        } catch {
          return undefined;
        }
      })();
      const collection = op.path.split('/')[2];
      if (typeof id === 'number' && collection) pool(collection).push(id);
    }
    return { op: op.key, caller: caller.label, description: `${op.method} ${url} ${description}`, status: res.status, answer, bytes };
  }

  /** A hostile file that validated is committed too, by the same caller: its cells then reach the tables. */
  async function commitIfValidated(upload: Sent, req: Request): Promise<Sent | null> {
    const view = (() => {
      try {
        return JSON.parse(upload.answer) as { id?: number; status?: string };
      } catch {
        return {};
      }
    })();
    if (upload.status !== 201 || view.status !== 'validated' || typeof view.id !== 'number') return null;
    const commit = operations.find((o) => o.key === 'POST /api/uploads/{id}/commit');
    if (!commit) return null;
    return send(commit, { caller: req.caller, path: { id: view.id }, query: {}, body: { acknowledgeWarnings: true }, mutations: [] });
  }

  async function otherProvinceRows(): Promise<Record<string, string[]>> {
    const db = t.database.db;
    const tables = await selectRows<{ name: string }>(
      db,
      sql`select c.table_name as name from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
          where c.table_schema = 'public' and c.column_name = 'region_code' and t.table_type = 'BASE TABLE' order by 1`,
    );
    const out: Record<string, string[]> = {};
    for (const { name } of tables)
      out[name] = (await selectRows<{ row: string }>(db, sql.raw(`select to_jsonb(t)::text as row from "${name}" t where region_code = '${OTHER}' order by 1`))).map((r) => r.row);
    out.scenario_batches = (
      await selectRows<{ row: string }>(db, sql`select to_jsonb(b)::text as row from scenario_batches b join scenarios s on s.id = b.scenario_id where s.region_code = ${OTHER} order by 1`)
    ).map((r) => r.row);
    return out;
  }

  it(
    'answers every hostile request without a server error, and a provincial user changes no other province’s rows',
    async () => {
      const provincial = callers.map((c, i) => (c.region === OWN && c.person ? i : -1)).filter((i) => i >= 0);
      const national = callers.map((c, i) => (c.region === NATION || !c.person ? i : -1)).filter((i) => i >= 0);
      const allowedFor = (op: Operation, among: number[]) => {
        if (op.permission === 'public') return among.filter((i) => !callers[i]!.person).length ? among.filter((i) => !callers[i]!.person) : among;
        const ok = among.filter((i) => {
          const p = callers[i]!.person;
          const permission = op.permission;
          return p && (permission === 'authenticated' || (permission !== undefined && permission !== 'public' && can(p.role, permission)));
        });
        return ok.length ? ok : among;
      };
      const plan = (among: number[], seed: number) =>
        operations.map((op) => {
          const allowed = allowedFor(op, among);
          // mostly callers the operation allows (so the input reaches the verb), some it refuses
          const chosen = [...allowed, ...allowed, ...allowed, ...among];
          return { op, requests: fc.sample(requestArbitrary(op, chosen), { seed, numRuns: runsOn(engine) }) };
        });
      const sent: Sent[] = [];
      const failures: Sent[] = [];
      const run = async (batches: { op: Operation; requests: Request[] }[]) => {
        // one request of each operation in turn, so deletions early in the list do not starve later operations
        for (let i = 0; i < runsOn(engine); i++)
          for (const { op, requests } of batches) {
            const req = requests[i];
            if (!req) continue;
            const result = await send(op, req);
            const followUp = op.key === 'POST /api/uploads' ? await commitIfValidated(result, req) : null;
            for (const r of followUp ? [result, followUp] : [result]) {
              sent.push(r);
              if (r.status >= 500 || r.bytes > MAX_ANSWER_BYTES) failures.push(r);
            }
          }
      };

      const before = await otherProvinceRows();
      await run(plan(provincial, SEED));
      const after = await otherProvinceRows();
      await run(plan(national, SEED + 1));

      const perOp = new Map<string, number>();
      for (const s of sent) perOp.set(s.op, (perOp.get(s.op) ?? 0) + 1);
      const min = Math.min(...perOp.values());
      const fmt = (n: number) => n.toLocaleString('en-US');
      const largest = sent.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      console.log(
        `attack on ${engine}: ${fmt(sent.length)} requests over ${perOp.size} operations (min ${min} each), ${failures.length} server errors (seed ${SEED}); largest answer ${fmt(Math.ceil(largest.bytes / 1024))} kB (${largest.op})`,
      );

      const report = failures.map((f) => `${f.op} as ${f.caller}: ${f.description.slice(0, 400)}\n  → ${f.status} ${f.answer.slice(0, 300)}`);
      expect.soft(report, `server errors or oversized answers (ATTACK_SEED=${SEED} replays)`).toEqual([]);
      expect.soft(perOp.size).toBe(operations.length);
      for (const table of Object.keys(before)) expect.soft(after[table], `${table}: rows of ${OTHER} changed by ${OWN}'s users`).toEqual(before[table]);
    },
    900_000,
  );
});
