import { strict as assert } from 'node:assert';
import { buildPlayerSwf, playerScript } from '../../../../../adapters/wii/page/swf/player.js';
import { ifElse, lit, push } from '../../../../../adapters/wii/page/swf/avm1.js';
import { rect } from '../../../../../adapters/wii/page/swf/swf-writer.js';

interface Tag {
  readonly code: number;
  readonly body: Buffer;
}

/** A minimal SWF reader for the test: header fields and the tag list. */
function parseSwf(swf: Buffer): { version: number; length: number; width: number; height: number; tags: Tag[] } {
  const nbits = swf[8]! >> 3;
  const rectBytes = Math.ceil((5 + 4 * nbits) / 8);
  const bits = [...swf.subarray(8, 8 + rectBytes)].map((b) => b.toString(2).padStart(8, '0')).join('');
  const field = (i: number): number => parseInt(bits.slice(5 + i * nbits, 5 + (i + 1) * nbits), 2);
  let pos = 8 + rectBytes + 4;
  const tags: Tag[] = [];
  while (pos < swf.length) {
    const head = swf.readUInt16LE(pos);
    let len = head & 0x3f;
    pos += 2;
    if (len === 0x3f) {
      len = swf.readUInt32LE(pos);
      pos += 4;
    }
    tags.push({ code: head >> 6, body: swf.subarray(pos, pos + len) });
    pos += len;
  }
  return { version: swf[3]!, length: swf.readUInt32LE(4), width: field(1) / 20, height: field(3) / 20, tags };
}

/** Walks AVM1 actions, checking every length and branch target; returns opcodes and pushed strings. */
function walkActions(code: Buffer, start = 0, end = code.length): { ops: number[]; strings: string[] } {
  const ops: number[] = [];
  const strings: string[] = [];
  let pos = start;
  while (pos < end) {
    const op = code[pos]!;
    ops.push(op);
    if (op === 0) {
      pos += 1;
      continue;
    }
    if (op < 0x80) {
      pos += 1;
      continue;
    }
    const len = code.readUInt16LE(pos + 1);
    const payload = code.subarray(pos + 3, pos + 3 + len);
    const next = pos + 3 + len;
    assert.ok(next <= end, `action 0x${op.toString(16)} overruns its block`);
    if (op === 0x96) {
      let i = 0;
      while (i < payload.length) {
        const type = payload[i++]!;
        if (type === 0) {
          const z = payload.indexOf(0, i);
          strings.push(payload.toString('utf8', i, z));
          i = z + 1;
        } else if (type === 7) i += 4;
        else if (type === 6) i += 8;
        else if (type === 5 || type === 4 || type === 8) i += 1;
        else if (type === 9) i += 2;
      }
    } else if (op === 0x99 || op === 0x9d) {
      const target = next + payload.readInt16LE(0);
      assert.ok(target >= start && target <= end, 'branch stays inside its block');
    } else if (op === 0x9b) {
      const size = payload.readUInt16LE(payload.length - 2);
      const inner = walkActions(code, next, next + size);
      ops.push(...inner.ops);
      strings.push(...inner.strings);
      pos = next + size;
      continue;
    }
    pos = next;
  }
  assert.equal(pos, end);
  return { ops, strings };
}

describe('Wii player SWF', () => {
  describe('buildPlayerSwf', () => {
    const swf = buildPlayerSwf();
    const parsed = parseSwf(swf);

    it('is an uncompressed SWF 8 whose header length matches', () => {
      assert.equal(swf.toString('latin1', 0, 3), 'FWS');
      assert.equal(parsed.version, 8);
      assert.equal(parsed.length, swf.length);
      assert.deepEqual([parsed.width, parsed.height], [640, 400]);
    });

    it('has FileAttributes (AVM1, network) → background → DefineVideoStream → PlaceObject2 "vid" → DoAction → ShowFrame → End', () => {
      assert.deepEqual(parsed.tags.map((t) => t.code), [69, 9, 60, 26, 12, 1, 0]);
      assert.equal(parsed.tags[0]!.body.readUInt32LE(0) & 0x08, 0, 'AS3 flag clear');
      assert.equal(parsed.tags[0]!.body.readUInt32LE(0) & 0x01, 1, 'UseNetwork');
      assert.equal(parsed.tags[2]!.body.readUInt16LE(0), 1);
      assert.ok(parsed.tags[3]!.body.includes(Buffer.from('vid\0')));
    });

    it('is deterministic, so it can be cached with an ETag', () => {
      assert.deepEqual(buildPlayerSwf(), swf);
    });

    it('has well-formed actions that use the FlashVars and react to the status codes', () => {
      const script = parsed.tags[4]!.body;
      assert.deepEqual(script, playerScript());
      const { ops, strings } = walkActions(script);
      assert.equal(ops.at(-1), 0, 'ends with ActionEndFlag');
      for (const s of ['rtmp', 'stream', 'start', 'dur', 'buf', 'flv', 'NetConnection', 'NetStream', 'attachVideo', 'seek', 'pause', 'onMetaData', 'Jellyfin.Transcode.Pending', 'NetStream.Buffer.Full', 'NetConnection.Connect.Success', '_xmouse']) {
        assert.ok(strings.includes(s), `pushes "${s}"`);
      }
    });

    it('traces its status line, time display and button presses (what the Ruffle test reads)', () => {
      const { strings } = walkActions(playerScript());
      for (const s of ['msg ', 'tm ', 'ui pause', 'ui play', 'ui seek ', 'ns ', 'nc ']) assert.ok(strings.includes(s), `traces "${s}"`);
    });
  });

  describe('avm1', () => {
    it('pushes integers as type 7 and doubles as two swapped little-endian halves', () => {
      assert.equal(push(5).toString('hex'), '960500' + '0705000000');
      assert.equal(push(2.5).toString('hex'), '960900' + '06' + '00000440' + '00000000');
      assert.equal(lit('a').toString('hex'), '960300' + '006100');
    });

    it('jumps over the then-branch when the condition is false', () => {
      const code = ifElse(push(true), [push(1)]);
      // push true; Not; If +8 (the length of push 1)
      assert.equal(code.toString('hex'), '9602000501' + '12' + '9d02000800' + '960500' + '0701000000');
    });
  });

  describe('rect', () => {
    it('encodes a 550×400 stage as every Flash-authored SWF does (78 00 05 5F 00 00 0F A0 00)', () => {
      assert.equal(rect(0, 11000, 0, 8000).toString('hex'), '7800055f00000fa000');
    });
  });
});
