/**
 * A small AVM1 (ActionScript 1/2 bytecode) assembler: expressions leave one value on the stack,
 * statements leave none. Branch offsets are computed from the byte length of the code they
 * jump over, so no labels are needed. Pure. Opcodes from the SWF File Format Specification v19,
 * chapter 5 (SWF 4–7 actions).
 */
export type Code = Buffer;

const op = (code: number, payload?: Buffer): Code => {
  if (code < 0x80) return Buffer.from([code]);
  const p = payload ?? Buffer.alloc(0);
  const h = Buffer.alloc(3);
  h[0] = code;
  h.writeUInt16LE(p.length, 1);
  return Buffer.concat([h, p]);
};

export const Op = {
  end: 0x00,
  subtract: 0x0b,
  multiply: 0x0c,
  divide: 0x0d,
  not: 0x12,
  pop: 0x17,
  getVariable: 0x1c,
  setVariable: 0x1d,
  trace: 0x26,
  callFunction: 0x3d,
  return: 0x3e,
  modulo: 0x3f,
  newObject: 0x40,
  defineLocal: 0x3c,
  add2: 0x47,
  less2: 0x48,
  equals2: 0x49,
  toNumber: 0x4a,
  getMember: 0x4e,
  setMember: 0x4f,
  callMethod: 0x52,
  greater: 0x67,
  push: 0x96,
  jump: 0x99,
  defineFunction: 0x9b,
  if: 0x9d,
} as const;

export type PushValue = string | number | boolean | null | undefined;

/** Push: integers as type 7, other numbers as AVM1 doubles (two LE halves, high half first). */
export function push(...values: readonly PushValue[]): Code {
  const parts: Buffer[] = [];
  for (const v of values) {
    if (v === null) parts.push(Buffer.from([2]));
    else if (v === undefined) parts.push(Buffer.from([3]));
    else if (typeof v === 'boolean') parts.push(Buffer.from([5, v ? 1 : 0]));
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) {
        const b = Buffer.alloc(5);
        b[0] = 7;
        b.writeInt32LE(v, 1);
        parts.push(b);
      } else {
        const d = Buffer.alloc(8);
        d.writeDoubleLE(v);
        parts.push(Buffer.from([6]), d.subarray(4, 8), d.subarray(0, 4));
      }
    } else parts.push(Buffer.from([0]), Buffer.from(`${v}\0`, 'utf8'));
  }
  return op(Op.push, Buffer.concat(parts));
}

const cat = (...codes: readonly Code[]): Code => Buffer.concat(codes);

// ---- expressions ----
export const lit = (value: PushValue): Code => push(value);
export const getVar = (name: string): Code => cat(push(name), op(Op.getVariable));
export const member = (object: Code, prop: string): Code => cat(object, push(prop), op(Op.getMember));
export const path = (name: string, ...props: readonly string[]): Code => props.reduce((code, p) => member(code, p), getVar(name));

function pushArgs(args: readonly Code[]): Code {
  return cat(...[...args].reverse(), push(args.length));
}
export const callMethod = (object: Code, method: string, ...args: readonly Code[]): Code => cat(pushArgs(args), object, push(method), op(Op.callMethod));
export const callFunction = (name: string, ...args: readonly Code[]): Code => cat(pushArgs(args), push(name), op(Op.callFunction));
export const newObject = (className: string, ...args: readonly Code[]): Code => cat(pushArgs(args), push(className), op(Op.newObject));

const binary = (code: number) => (a: Code, b: Code): Code => cat(a, b, op(code));
export const add = binary(Op.add2);
export const sub = binary(Op.subtract);
export const mul = binary(Op.multiply);
export const div = binary(Op.divide);
export const mod = binary(Op.modulo);
export const eq = binary(Op.equals2);
export const lt = binary(Op.less2);
export const gt = binary(Op.greater);
export const not = (a: Code): Code => cat(a, op(Op.not));
export const toNumber = (a: Code): Code => cat(a, op(Op.toNumber));

/** An anonymous function expression. */
export function fn(params: readonly string[], ...body: readonly Code[]): Code {
  const code = cat(...body);
  const head = Buffer.concat([
    Buffer.from([0]), // anonymous
    u16(params.length),
    ...params.map((p) => Buffer.from(`${p}\0`, 'utf8')),
    u16(code.length),
  ]);
  return cat(op(Op.defineFunction, head), code);
}

// ---- statements ----
export const set = (name: string, value: Code): Code => cat(push(name), value, op(Op.setVariable));
/** `var name = value` inside a function. */
export const local = (name: string, value: Code): Code => cat(push(name), value, op(Op.defineLocal));
export const setMember = (object: Code, prop: string, value: Code): Code => cat(object, push(prop), value, op(Op.setMember));
export const stmt = (expression: Code): Code => cat(expression, op(Op.pop));
export const trace = (expression: Code): Code => cat(expression, op(Op.trace));
export const ret = (expression: Code): Code => cat(expression, op(Op.return));

/** A named function statement (defines a variable in the current scope). */
export function defineFunction(name: string, params: readonly string[], ...body: readonly Code[]): Code {
  const code = cat(...body);
  const head = Buffer.concat([Buffer.from(`${name}\0`, 'utf8'), u16(params.length), ...params.map((p) => Buffer.from(`${p}\0`, 'utf8')), u16(code.length)]);
  return cat(op(Op.defineFunction, head), code);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function branch(code: number, offset: number): Code {
  const b = Buffer.alloc(2);
  b.writeInt16LE(offset);
  return op(code, b);
}

/** if (cond) { then } else { otherwise } */
export function ifElse(cond: Code, then: readonly Code[], otherwise: readonly Code[] = []): Code {
  const thenCode = cat(...then);
  const elseCode = cat(...otherwise);
  if (elseCode.length === 0) return cat(cond, op(Op.not), branch(Op.if, thenCode.length), thenCode);
  // cond true → jump over the else part and its trailing jump.
  const jumpOverThen = branch(Op.jump, thenCode.length);
  return cat(cond, branch(Op.if, elseCode.length + jumpOverThen.length), elseCode, jumpOverThen, thenCode);
}

/** A DoAction body: statements plus the end flag. */
export function program(...statements: readonly Code[]): Code {
  return cat(...statements, op(Op.end));
}
