/**
 * A TiVo's whole request sequence (protocols/tivo.md §13) against the real sidecar, once backed
 * by the local folder and once by the Jellyfin stand-in (media read over HTTP from
 * `/Videos/{id}/stream?static=true`, no path mapping): browse and page, re-read one item,
 * details and formats, transfer, wait, Range at and past the end, drop-and-resume, and a
 * passthrough file with byte ranges. Output is checked with ffprobe.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness } from '../../support/adapter-harness.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { ffprobeJson, hasBinary, makeClip } from '../../support/media.js';
import { containerOf, findItem, isVideo, TivoBrowser, TSN, type TivoItem } from '../../support/tivo/tivo-browser.js';
import { CLIPS, describeClip, makeLocalLibrary, startTivoHarness } from '../../support/tivo/tivo-harness.js';

interface Backend {
  readonly name: string;
  /** Starts the sidecar for the main sequence; `share` and `title` name the item the TiVo picks. */
  start(): Promise<{ readonly harness: Harness; readonly share: string; readonly title: string; readonly durationSeconds: number; readonly fake?: FakeJellyfin }>;
  /** Starts (or reuses) a sidecar whose `title` in `share` is a TiVo-compatible MPEG-2 PS file. */
  startPassthrough(): Promise<{ readonly harness: Harness; readonly share: string; readonly title: string; readonly fake?: FakeJellyfin }>;
  cleanup(): Promise<void>;
}

function localBackend(): Backend {
  let root: string | undefined;
  return {
    name: 'the local folder',
    async start() {
      root = await makeLocalLibrary();
      const harness = await startTivoHarness({ source: { local: root } });
      return { harness, share: 'Videos', title: 'clip', durationSeconds: CLIPS.clip.duration };
    },
    async startPassthrough() {
      if (!root) throw new Error('start() first');
      const harness = await startTivoHarness({ source: { local: root } });
      return { harness, share: 'Videos', title: 'compat' };
    },
    cleanup() {
      if (root) rmSync(root, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function jellyfinBackend(): Backend {
  const fakes: FakeJellyfin[] = [];
  const startFake = async (clip: string): Promise<FakeJellyfin> => {
    const description = await describeClip(clip);
    const fake = await FakeJellyfin.start({ clip, clipDurationSeconds: description.durationSeconds, clipDescription: description });
    fakes.push(fake);
    return fake;
  };
  return {
    name: 'the Jellyfin stand-in (media over HTTP)',
    async start() {
      const clip = await makeClip({ duration: 8, width: 320, height: 240, fps: 25 });
      const fake = await startFake(clip);
      const harness = await startTivoHarness({ source: { jellyfin: fake } });
      return { harness, share: 'Movies', title: 'Big Buck Test', durationSeconds: 8, fake };
    },
    async startPassthrough() {
      const fake = await startFake(await makeClip(CLIPS.compat));
      const harness = await startTivoHarness({ source: { jellyfin: fake } });
      return { harness, share: 'Movies', title: 'Big Buck Test', fake };
    },
    async cleanup() {
      await Promise.all(fakes.map((f) => f.close()));
    },
  };
}

/** The static-stream reads the sidecar made from the stand-in for one item. */
function staticReads(fake: FakeJellyfin | undefined): number {
  return fake?.requests.filter((r) => /^\/Videos\/[^/]+\/stream$/i.test(r.path) && /static=true/i.test(r.query)).length ?? 0;
}

for (const backend of [localBackend(), jellyfinBackend()]) {
  describe(`tivo request sequence against ${backend.name} (integration)`, function () {
    this.timeout(180_000);
    let harness: Harness | undefined;
    let passthrough: Harness | undefined;
    let fake: FakeJellyfin | undefined;
    let share = '';
    let title = '';
    let duration = 0;
    let shareContainer = '';
    let chosen: TivoItem;
    let full: Buffer;
    let advertised = 0;
    let scratch: string;
    const s2 = new TivoBrowser(() => harness?.adapterPort() ?? 0, TSN.s2);
    const hd = new TivoBrowser(() => harness?.adapterPort() ?? 0, TSN.hd);
    const premiere = new TivoBrowser(() => harness?.adapterPort() ?? 0, TSN.premiere);

    before(async function () {
      if (!(await hasBinary('ffmpeg')) || !(await hasBinary('ffprobe'))) this.skip();
      scratch = mkdtempSync(join(tmpdir(), 'jb-tivo-seq-'));
      const started = await backend.start();
      ({ harness, share, title, fake } = started);
      duration = started.durationSeconds;
    });

    after(async () => {
      await harness?.stop();
      await passthrough?.stop();
      await backend.cleanup();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    it('finds the server with QueryServer and the share in the root container', async () => {
      const server = await s2.xml<{ TiVoServer: Record<string, string> }>('/TiVoConnect?Command=QueryServer');
      assert.ok(server.TiVoServer['InternalName']);
      const shares = await s2.shares();
      const item = findItem(shares, share);
      assert.equal(item.Details['ContentType'], 'x-container/tivo-videos');
      shareContainer = containerOf(item.Links.Content.Url);
      assert.ok(shareContainer);
    });

    it('browses the share in pages of two until ItemStart + ItemCount reaches TotalItems', async () => {
      const all = await s2.listing(shareContainer);
      const seen: string[] = [];
      let anchor = '';
      for (let page = 0; page < 50; page++) {
        const c = await s2.xml(`/TiVoConnect?Command=QueryContainer&Container=${encodeURIComponent(shareContainer)}&SortOrder=Type,Title&ItemCount=2${anchor}`);
        const items = c.TiVoContainer.Item ?? [];
        seen.push(...items.map((i) => i.Details['Title'] ?? ''));
        const last = items[items.length - 1];
        if (!last || Number(c.TiVoContainer.ItemStart) + Number(c.TiVoContainer.ItemCount) >= Number(c.TiVoContainer.Details['TotalItems'])) break;
        anchor = `&AnchorItem=${encodeURIComponent(last.Links.Content.Url)}`;
      }
      assert.deepEqual(
        seen,
        all.map((i) => i.Details['Title']),
      );
      for (const v of all.filter(isVideo)) {
        assert.match(v.Details['SourceSize'] ?? '', /^[1-9]\d*$/);
        assert.match(v.Details['Duration'] ?? '', /^[1-9]\d*$/);
        assert.match(v.Details['CaptureDate'] ?? '', /^0x[0-9a-f]+$/i);
      }
      chosen = findItem(all, title);
    });

    it('re-reads the chosen item alone, then its TvBus details and the formats it may ask for', async () => {
      const self = await s2.listing(shareContainer, `&ItemCount=1&AnchorItem=${encodeURIComponent(chosen.Links.Content.Url)}&AnchorOffset=-1`);
      assert.equal(self.length, 1);
      assert.equal(self[0]?.Details['Title'], title);
      assert.equal(self[0]?.Details['SourceSize'], chosen.Details['SourceSize']);
      const details = await s2.xml<Record<string, Record<string, unknown>>>(chosen.Links.TiVoVideoDetails?.Url.replace(/&amp;/g, '&') ?? '');
      const envelope = details['TvBusMarshalledStruct:TvBusEnvelope'];
      assert.equal(envelope?.['@_xs:type'], 'TvPgdRecording:TvPgdRecording');
      assert.match(String(envelope['recordedDuration']), /^P0DT0H0M\d+S$/);
      const formats = await s2.get('/TiVoConnect?Command=QueryFormats&SourceFormat=video%2Fx-tivo-mpeg');
      assert.ok(formats.body.toString().includes('video/x-tivo-mpeg'));
    });

    it('transfers it to a Series 2: 206 chunked, .TiVo header, MPEG-2/AC-3 PS, terminated, never over the estimate', async () => {
      advertised = Number(chosen.Details['SourceSize']);
      const readsBefore = staticReads(fake);
      const r = await s2.get(chosen.Links.Content.Url);
      assert.equal(r.status, 206);
      assert.equal(r.headers['transfer-encoding'], 'chunked');
      assert.equal(r.headers['content-type'], 'video/x-tivo-mpeg');
      assert.equal(r.terminated, true);
      full = r.body;
      assert.equal(full.toString('ascii', 0, 4), 'TiVo');
      const headerLength = full.readUInt32BE(10);
      assert.deepEqual([...full.subarray(headerLength, headerLength + 4)], [0, 0, 1, 0xba]);
      assert.ok(full.length <= advertised, `delivered ${full.length} > advertised ${advertised}`);
      assert.ok(full.length >= advertised * 0.9, `delivered ${full.length} < 90 % of ${advertised}`);
      const file = join(scratch, 's2.mpg');
      writeFileSync(file, full.subarray(headerLength));
      const probe = await ffprobeJson(file);
      const v = probe.streams.find((x) => x.codec_type === 'video');
      assert.equal(v?.codec_name, 'mpeg2video');
      assert.deepEqual([v?.width, v?.height], [544, 480]);
      assert.equal(probe.streams.find((x) => x.codec_type === 'audio')?.codec_name, 'ac3');
      assert.ok(Math.abs(Number(probe.format.duration) - duration) < 0.6, `duration ${probe.format.duration}`);
      // Without a path mapping, ffmpeg read the stand-in's static stream over HTTP.
      if (fake) assert.ok(staticReads(fake) > readsBefore, 'no static stream read from the stand-in');
    });

    it('after a wait, answers the TiVo asking for more with 206 and an empty chunked body', async () => {
      for (const range of [`bytes=${full.length}-`, `bytes=${advertised - 1}-`, `bytes=${advertised + 1_000_000}-`]) {
        const r = await s2.get(chosen.Links.Content.Url, { Range: range });
        assert.equal(r.status, 206, range);
        assert.equal(r.headers['content-type'], 'video/x-tivo-mpeg');
        assert.equal(r.raw.toString('latin1'), '0\r\n\r\n', range);
      }
    });

    it('resumes a transfer dropped at a quarter byte-exactly', async () => {
      const item = findItem(await hd.listing(shareContainer), title);
      const size = Number(item.Details['SourceSize']);
      const dropped = await hd.get(item.Links.Content.Url, {}, { dropAfter: Math.floor(size / 4) });
      const got = dropped.body.length;
      assert.ok(got > 0 && got < size);
      const rest = await hd.get(item.Links.Content.Url, { Range: `bytes=${got}-` });
      assert.equal(rest.status, 206);
      assert.equal(rest.terminated, true);
      const whole = await hd.get(item.Links.Content.Url);
      assert.equal(whole.terminated, true);
      assert.ok(Buffer.concat([dropped.body, rest.body]).equals(whole.body), 'resumed bytes differ from a whole transfer');
      assert.ok(whole.body.length <= size);
    });

    it('remuxes or transcodes into TS for a Premiere that asks for it', async () => {
      const item = findItem(await premiere.listing(shareContainer), title);
      const r = await premiere.get(`${item.Links.Content.Url}?Format=video%2Fx-tivo-mpeg-ts`);
      assert.equal(r.status, 206);
      assert.equal(r.headers['content-type'], 'video/x-tivo-mpeg-ts');
      assert.equal(r.terminated, true);
      for (let i = 0; i < r.body.length; i += 188 * 41) assert.equal(r.body[i], 0x47);
      assert.ok(r.body.length <= Number(item.Details['SourceSize']));
      const file = join(scratch, 'premiere.ts');
      writeFileSync(file, r.body);
      const probe = await ffprobeJson(file);
      assert.equal(probe.streams.find((x) => x.codec_type === 'video')?.codec_name, 'h264');
      assert.equal(probe.streams.find((x) => x.codec_type === 'audio')?.codec_name, 'ac3');
    });

    describe('a TiVo-compatible MPEG-2 file', () => {
      let item: TivoItem;
      let source: FakeJellyfin | undefined;
      const tivo = new TivoBrowser(() => passthrough?.adapterPort() ?? 0, TSN.s2);

      before(async () => {
        const started = await backend.startPassthrough();
        passthrough = started.harness;
        source = started.fake;
        const shareItem = findItem(await tivo.shares(), started.share);
        item = findItem(await tivo.listing(containerOf(shareItem.Links.Content.Url)), started.title);
      });

      it('goes out unchanged with 200, Content-Length = SourceSize and Content-Range, in ranges too', async () => {
        const size = Number(item.Details['SourceSize']);
        const r = await tivo.get(item.Links.Content.Url);
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-length'], String(size));
        assert.equal(r.headers['content-range'], `bytes 0-${size - 1}/${size}`);
        assert.equal(r.body.length, size);
        assert.equal(r.body.toString('ascii', 0, 4), 'TiVo');
        const headerLength = r.body.readUInt32BE(10);
        for (const at of [100, headerLength, 100_000]) {
          const mid = await tivo.get(item.Links.Content.Url, { Range: `bytes=${at}-` });
          assert.equal(mid.status, 200, `bytes=${at}-`);
          assert.equal(mid.headers['content-length'], String(size - at));
          assert.equal(mid.headers['content-range'], `bytes ${at}-${size - 1}/${size}`);
          assert.ok(mid.body.equals(r.body.subarray(at)), `bytes from ${at} differ`);
        }
        const past = await tivo.get(item.Links.Content.Url, { Range: `bytes=${size}-` });
        assert.equal(past.status, 206);
        assert.equal(past.raw.toString('latin1'), '0\r\n\r\n');
        if (source) {
          // The bytes came from the stand-in with byte ranges (no path mapping, no ffmpeg).
          const ranged = source.requests.filter((q) => /^\/Videos\/[^/]+\/stream$/i.test(q.path));
          assert.ok(ranged.length >= 4, `only ${ranged.length} stream reads`);
        }
      });
    });
  });
}
