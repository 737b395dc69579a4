/**
 * Transfers that outlive their connection, against the real sidecar with a clock the test
 * moves forward (tests/support/tivo/jump-clock.ts), so "minutes" pass without waiting:
 * - a TiVo that went away for minutes resumes byte-exactly from the spool (kept for the core's
 *   `transcode.spoolMaxAgeMinutes` after its last use), and after the spool expired a fresh
 *   transcode still gives the same bytes;
 * - with every transcode slot busy a transfer sends its header and waits for a slot; when none
 *   frees up in time it closes without the chunked terminator, and the TiVo's Range retry later
 *   completes the file byte-exactly.
 * No wall-clock time is asserted.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscodeSession } from '../../../plugin/index.js';
import { noTranscodesLeft, type Harness } from '../../support/adapter-harness.js';
import { hasBinary, makeClip, place } from '../../support/media.js';
import { JumpClock } from '../../support/tivo/jump-clock.js';
import { findItem, TivoBrowser, TSN, type TivoItem } from '../../support/tivo/tivo-browser.js';
import { tivoGet } from '../../support/tivo/tivo-client.js';
import { CLIPS, startTivoHarness } from '../../support/tivo/tivo-harness.js';

const MINUTE = 60_000;

function ffmpegStarts(harness: Harness): number {
  return harness.logs().filter((r) => r.msg === 'ffmpeg starting').length;
}

function spoolFiles(harness: Harness): number {
  return readdirSync(join(harness.dataDir, 'spool')).filter((f) => f.endsWith('.spool')).length;
}

async function library(names: readonly string[]): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'jb-tivo-resume-'));
  mkdirSync(join(root, 'Videos'));
  const clip = await makeClip(CLIPS.clip);
  for (const name of names) place(clip, join(root, 'Videos', `${name}.mp4`));
  return root;
}

describe('tivo transfers across a long absence and a busy transcoder (integration)', function () {
  this.timeout(120_000);

  before(async function () {
    if (!(await hasBinary('ffmpeg')) || !(await hasBinary('ffprobe'))) this.skip();
  });

  describe('a TiVo that went away for minutes', () => {
    const clock = new JumpClock();
    let root: string;
    let harness: Harness | undefined;
    const tivo = new TivoBrowser(() => harness?.adapterPort() ?? 0, TSN.s2);
    let item: TivoItem;

    before(async () => {
      root = await library(['clip']);
      harness = await startTivoHarness({ source: { local: root }, clock, core: { transcode: { spoolMaxAgeMinutes: 10 } } });
      item = findItem(await tivo.listing(await tivo.shareContainer('Videos')), 'clip');
    });

    after(async () => {
      await harness?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('resumes byte-exactly from the spool after five minutes away, without a second ffmpeg', async () => {
      const h = harness as Harness;
      const dropped = await tivo.get(item.Links.Content.Url, {}, { dropAfter: 300_000 });
      const got = dropped.body.length;
      assert.ok(got > 0);
      await noTranscodesLeft(h, 30_000); // ffmpeg runs to the end without its client
      clock.jump(5 * MINUTE); // the spool cleanup runs: five minutes unused, under the ten allowed
      assert.equal(spoolFiles(h), 1, 'the spool was deleted too early');
      const rest = await tivo.get(item.Links.Content.Url, { Range: `bytes=${got}-` });
      assert.equal(rest.status, 206);
      assert.equal(rest.terminated, true);
      const whole = await tivo.get(item.Links.Content.Url);
      assert.ok(Buffer.concat([dropped.body, rest.body]).equals(whole.body), 'resumed bytes differ');
      assert.equal(ffmpegStarts(h), 1);
    });

    it('deletes the spool once it has been unused longer than spoolMaxAgeMinutes, and a resume still matches', async () => {
      const h = harness as Harness;
      const whole = await tivo.get(item.Links.Content.Url);
      // The server may still hold the finished reader for a moment after the client has read the
      // last byte (a spool being read is never deleted): let it go before jumping past the limit.
      for (let i = 0; i < 50; i++) {
        clock.jump(11 * MINUTE);
        if (spoolFiles(h) === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(spoolFiles(h), 0, 'the spool outlived its age limit');
      const at = Math.floor(whole.body.length / 2);
      const rest = await tivo.get(item.Links.Content.Url, { Range: `bytes=${at}-` });
      assert.equal(rest.status, 206);
      assert.equal(rest.terminated, true);
      // A fresh transcode with the same arguments: ffmpeg's output is the same, byte for byte.
      assert.equal(ffmpegStarts(h), 2);
      assert.ok(rest.body.equals(whole.body.subarray(at)), 'a fresh transcode gave other bytes');
    });
  });

  describe('every transcode slot busy', () => {
    const clock = new JumpClock();
    let root: string;
    let harness: Harness | undefined;
    let holder: TranscodeSession | undefined;
    const tivo = new TivoBrowser(() => harness?.adapterPort() ?? 0, TSN.s2);
    let items: readonly TivoItem[];

    /** Takes the only slot with a slow transcode of the test's own. */
    function occupySlot(): TranscodeSession {
      const h = harness as Harness;
      const session = h.composed.transcoder.open({
        input: { kind: 'file', path: join(root, 'Videos', 'filler.mp4') },
        profile: { id: 'test-slot-holder', format: 'mpegts', video: 'none', audio: { codec: 'mp2' }, realtime: true },
        label: { adapter: 'test' },
      });
      session.output.resume();
      return session;
    }

    before(async () => {
      root = await library(['first', 'second', 'filler']);
      harness = await startTivoHarness({ source: { local: root }, clock, config: { busyWaitSeconds: 20 }, core: { transcode: { maxConcurrent: 1 } } });
      items = await tivo.listing(await tivo.shareContainer('Videos'));
    });

    afterEach(async () => {
      await holder?.stop();
      holder = undefined;
    });

    after(async () => {
      await harness?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('sends the .TiVo header at once and continues when a slot frees up', async () => {
      const h = harness as Harness;
      const url = findItem(items, 'first').Links.Content.Url;
      holder = occupySlot();
      let started: () => void = () => undefined;
      const headerArrived = new Promise<void>((r) => (started = r));
      const transfer = tivoGet(h.adapterPort(), url, tivo.headers(), { onBody: () => started() });
      await headerArrived;
      assert.equal(h.adapter.health().counters['busyWaits'], 1);
      assert.equal(h.composed.transcoder.active().length, 1, 'only the slot holder runs');
      await holder.stop();
      const r = await transfer;
      assert.equal(r.status, 206);
      assert.equal(r.terminated, true);
      assert.equal(r.body.toString('ascii', 0, 4), 'TiVo');
      const again = await tivo.get(url);
      assert.ok(r.body.equals(again.body), 'the waiting transfer differs from a normal one');
    });

    it('closes without the terminator when no slot frees up in time; the TiVo’s Range retry completes it', async () => {
      const h = harness as Harness;
      const url = findItem(items, 'second').Links.Content.Url;
      holder = occupySlot();
      let started: () => void = () => undefined;
      const headerArrived = new Promise<void>((r) => (started = r));
      const transfer = tivoGet(h.adapterPort(), url, tivo.headers(), { onBody: () => started() });
      await headerArrived;
      clock.jump(21_000); // past busyWaitSeconds
      const cut = await transfer;
      assert.equal(cut.status, 206);
      assert.equal(cut.terminated, false, 'a busy transfer must not look complete');
      const headerLength = cut.body.readUInt32BE(10);
      assert.equal(cut.body.length, headerLength, 'only the .TiVo header was sent');
      assert.ok(h.logs().some((l) => l['code'] === 'ERR_TIVO_BUSY'));
      await holder.stop();
      // The TiVo waits, then asks for the rest.
      const rest = await tivo.get(url, { Range: `bytes=${cut.body.length}-` });
      assert.equal(rest.status, 206);
      assert.equal(rest.terminated, true);
      const whole = await tivo.get(url);
      assert.ok(Buffer.concat([cut.body, rest.body]).equals(whole.body), 'the retried transfer differs');
    });
  });
});
