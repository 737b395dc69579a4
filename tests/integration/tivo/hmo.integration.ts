/**
 * Listings, transfers and bad input against the real sidecar (the CLI's compose(): device
 * registry, local-folder library, transcode service with spool, real listeners) with the TiVo
 * adapter on 127.0.0.1: paging, sorting, Recurse, details, formats, estimates on easy and hard
 * clips, resume offsets, passthrough, TS remux, garbage Range headers and a source that breaks.
 * Media is validated with ffprobe. (The same sequence against the Jellyfin stand-in is in
 * sequence.integration.ts; device access in access.integration.ts.)
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from '../../support/adapter-harness.js';
import { ffprobeJson, hasBinary } from '../../support/media.js';
import { tivoGet } from '../../support/tivo/tivo-client.js';
import { XMLValidator } from 'fast-xml-parser';
import { tivoXmlParser, TSN, type TivoContainer, type TivoItem } from '../../support/tivo/tivo-browser.js';
import { makeLocalLibrary, startTivoHarness } from '../../support/tivo/tivo-harness.js';

// XMLValidator is marked deprecated (moved to fast-xml-validator); same code, and fast-xml-parser is the allowed package.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const validateXml = (xml: string): true | object => XMLValidator.validate(xml);

const S2 = { tsn: TSN.s2 };
const HD = { tsn: TSN.hd };
const PREMIERE = { tsn: TSN.premiere };
const parser = tivoXmlParser;
type Item = TivoItem;
type Container = TivoContainer;

describe('tivo adapter (integration)', function () {
  this.timeout(180_000);
  let root: string;
  let harness: Harness | undefined;
  let port: number;
  let share: string;

  async function xml(path: string, headers: Record<string, string> = S2): Promise<Container> {
    const r = await tivoGet(port, path, headers);
    assert.equal(r.status, 200, `${path} → ${r.status}`);
    assert.match(r.headers['content-type'] ?? '', /^text\/xml/);
    const text = r.body.toString('utf8');
    assert.equal(validateXml(text), true);
    return parser.parse(text) as Container;
  }

  async function listing(headers: Record<string, string> = S2, extra = ''): Promise<readonly Item[]> {
    const c = await xml(`/TiVoConnect?Command=QueryContainer&Container=${encodeURIComponent(share)}&SortOrder=Type,Title${extra}`, headers);
    return c.TiVoContainer.Item ?? [];
  }

  function find(items: readonly Item[], title: string): Item {
    const it = items.find((i) => i.Details['Title'] === title);
    assert.ok(it, `no item ${title} in ${items.map((i) => i.Details['Title']).join(', ')}`);
    return it;
  }

  before(async function () {
    if (!(await hasBinary('ffmpeg')) || !(await hasBinary('ffprobe'))) this.skip();
    root = await makeLocalLibrary();
    harness = await startTivoHarness({ source: { local: root } });
    port = harness.adapterPort();
  });

  after(async () => {
    await harness?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe('listings', () => {
    it('answers QueryServer with the TiVoServer fields', async () => {
      const r = await tivoGet(port, '/TiVoConnect?Command=QueryServer', S2);
      const doc = parser.parse(r.body.toString()) as { TiVoServer: Record<string, string> };
      assert.deepEqual(Object.keys(doc.TiVoServer), ['Version', 'InternalName', 'InternalVersion', 'Organization', 'Comment']);
    });

    it('lists one share per library at the root, with and without Container', async () => {
      for (const path of ['/TiVoConnect?Command=QueryContainer&Container=%2F', '/TiVoConnect?Command=QueryContainer']) {
        const c = await xml(path);
        assert.equal(c.TiVoContainer.Details['ContentType'], 'x-container/tivo-server');
        const items = c.TiVoContainer.Item ?? [];
        assert.equal(String(items.length), c.TiVoContainer.Details['TotalItems']);
        const videos = find(items, 'Videos');
        assert.match(videos.Links.Content.Url, /^\/TiVoConnect\?Command=QueryContainer&Container=/);
        share = decodeURIComponent(new URLSearchParams(videos.Links.Content.Url.split('?')[1]).get('Container') ?? '');
      }
    });

    it('fills SourceSize, Duration and CaptureDate for every video, folders first', async () => {
      const items = await listing();
      assert.equal(items[0]?.Details['ContentType'], 'x-tivo-container/tivo-videos');
      const videos = items.filter((i) => i.Details['ContentType']?.startsWith('video/'));
      assert.equal(videos.length, 3);
      for (const v of videos) {
        assert.match(v.Details['SourceSize'] ?? '', /^[1-9]\d*$/);
        assert.match(v.Details['Duration'] ?? '', /^[1-9]\d*$/);
        assert.match(v.Details['CaptureDate'] ?? '', /^0x[0-9a-f]+$/);
        assert.ok(v.Links.TiVoVideoDetails?.Url.startsWith('/TiVoConnect?Command=TVBusQuery'));
      }
    });

    it('keeps UniqueIds stable and titles with & < and non-ASCII intact', async () => {
      const a = await listing();
      const b = await listing();
      assert.deepEqual(
        a.map((i) => i.Details['UniqueId']),
        b.map((i) => i.Details['UniqueId']),
      );
      const folder = find(a, 'Shows');
      const sub = await xml(folder.Links.Content.Url.replace(/&amp;/g, '&'));
      const item = find(sub.TiVoContainer.Item ?? [], 'Tom & Jerry <1> Ünï');
      const r = await tivoGet(port, item.Links.Content.Url, { ...S2, Range: 'bytes=999999999999-' });
      assert.equal(r.status, 206);
    });

    it('pages with ItemCount, AnchorItem and AnchorOffset like pyTivo', async () => {
      const all = await listing();
      const first = await listing(S2, '&ItemCount=1');
      assert.deepEqual(first.map((i) => i.Details['Title']), [all[0]?.Details['Title']]);
      const anchor = encodeURIComponent(all[1]!.Links.Content.Url);
      const next = await xml(`/TiVoConnect?Command=QueryContainer&Container=${encodeURIComponent(share)}&SortOrder=Type,Title&ItemCount=1&AnchorItem=${anchor}`);
      assert.equal(next.TiVoContainer.ItemStart, '2');
      assert.equal(next.TiVoContainer.Item?.[0]?.Details['Title'], all[2]?.Details['Title']);
      const self = await listing(S2, `&ItemCount=1&AnchorItem=${anchor}&AnchorOffset=-1`);
      assert.equal(self[0]?.Details['Title'], all[1]?.Details['Title']);
      const before = await listing(S2, `&ItemCount=-2&AnchorItem=${encodeURIComponent(all[3]!.Links.Content.Url)}`);
      assert.deepEqual(
        before.map((i) => i.Details['Title']),
        [all[1]?.Details['Title'], all[2]?.Details['Title']],
      );
      const unknown = await xml(`/TiVoConnect?Command=QueryContainer&Container=${encodeURIComponent(share)}&ItemCount=2&AnchorItem=%2Fnope%2Fx.mpg`);
      assert.equal(unknown.TiVoContainer.ItemStart, '0');
    });

    it('flattens with Recurse=Yes and sorts newest first with !CaptureDate', async () => {
      const c = await xml(`/TiVoConnect?Command=QueryContainer&Container=${encodeURIComponent(share)}&Recurse=Yes&SortOrder=!CaptureDate&ItemCount=8`);
      const items = c.TiVoContainer.Item ?? [];
      assert.ok(items.every((i) => i.Details['ContentType']?.startsWith('video/')));
      assert.equal(c.TiVoContainer.Details['TotalItems'], '5');
      const dates = items.map((i) => parseInt(i.Details['CaptureDate'] ?? '0', 16));
      assert.deepEqual(dates, [...dates].sort((x, y) => y - x));
    });

    it('returns TvBus details with program and series fields', async () => {
      const item = find(await listing(), 'clip');
      const r = await tivoGet(port, item.Links.TiVoVideoDetails!.Url.replace(/&amp;/g, '&'), S2);
      assert.equal(r.status, 200);
      const doc = parser.parse(r.body.toString()) as Record<string, Record<string, unknown>>;
      const env = doc['TvBusMarshalledStruct:TvBusEnvelope']!;
      assert.equal(env['@_xs:type'], 'TvPgdRecording:TvPgdRecording');
      assert.equal(env['recordedDuration'], 'P0DT0H0M10S');
      const program = (env['showing'] as Record<string, Record<string, unknown>>)['program']!;
      assert.equal(program['title'], 'clip');
      assert.ok(env['startTime'] && env['stopTime']);
    });

    it('offers TS in QueryFormats only to TS-capable TiVos', async () => {
      const s2 = await tivoGet(port, '/TiVoConnect?Command=QueryFormats&SourceFormat=video%2Fx-tivo-mpeg', S2);
      const ts = await tivoGet(port, '/TiVoConnect?Command=QueryFormats&SourceFormat=video%2Fx-tivo-mpeg', PREMIERE);
      assert.ok(!s2.body.toString().includes('mpeg-ts'));
      assert.ok(ts.body.toString().includes('video/x-tivo-mpeg-ts'));
    });

    it('answers unknown commands with 404, Flush/Reset with an empty 200, bad containers with 404', async () => {
      assert.equal((await tivoGet(port, '/TiVoConnect?Command=QueryItem', S2)).status, 404);
      for (const c of ['FlushServer', 'ResetServer']) {
        const r = await tivoGet(port, `/TiVoConnect?Command=${c}`, S2);
        assert.equal(r.status, 200);
        assert.equal(r.body.length, 0);
      }
      for (const c of ['..%2Fx', 'nope', `${encodeURIComponent(share)}%2F..%2F..`]) {
        assert.equal((await tivoGet(port, `/TiVoConnect?Command=QueryContainer&Container=${c}`, S2)).status, 404);
      }
    });

    it('survives malformed queries and absurd numbers', async () => {
      for (const q of ['Command=QueryContainer&Container=%E0%A4%A&ItemCount=abc', `Command=QueryContainer&Container=${encodeURIComponent(share)}&ItemCount=-99999999999999&AnchorOffset=99999999999999`, 'Command=%%%&&&=', '']) {
        const r = await tivoGet(port, `/TiVoConnect?${q}`, S2);
        assert.ok(r.status < 500, `${q} → ${r.status}`);
      }
    });
  });

  describe('transfers', () => {
    let full: Buffer;
    let advertised: number;
    let clipUrl: string;

    it('transcodes for a Series 2: 206 chunked, TiVo header, MPEG-2/AC-3 at 544x480, within the estimate', async () => {
      const item = find(await listing(), 'clip');
      clipUrl = item.Links.Content.Url;
      advertised = Number(item.Details['SourceSize']);
      const r = await tivoGet(port, clipUrl, S2);
      assert.equal(r.status, 206);
      assert.equal(r.headers['transfer-encoding'], 'chunked');
      assert.equal(r.headers['content-type'], 'video/x-tivo-mpeg');
      assert.equal(r.headers['content-length'], undefined);
      assert.equal(r.terminated, true);
      full = r.body;
      assert.equal(full.toString('ascii', 0, 4), 'TiVo');
      const headerLength = full.readUInt32BE(10);
      assert.deepEqual([...full.subarray(headerLength, headerLength + 4)], [0, 0, 1, 0xba]);
      assert.ok(full.length <= advertised, `delivered ${full.length} > advertised ${advertised}`);
      assert.ok(advertised <= full.length * 1.03, `advertised ${advertised} > 1.03 × ${full.length}`);
      const file = join(root, 's2.mpg');
      writeFileSync(file, full.subarray(headerLength));
      const probe = await ffprobeJson(file);
      const v = probe.streams.find((s) => s.codec_type === 'video');
      const a = probe.streams.find((s) => s.codec_type === 'audio');
      assert.equal(v?.codec_name, 'mpeg2video');
      assert.deepEqual([v?.width, v?.height, v?.display_aspect_ratio], [544, 480, '4:3']);
      assert.equal(a?.codec_name, 'ac3');
      assert.ok(Math.abs(Number(probe.format.duration) - 10) < 0.5);
    });

    it('treats Range: bytes=0- like no Range', async () => {
      const r = await tivoGet(port, clipUrl, { ...S2, Range: 'bytes=0-' });
      assert.equal(r.status, 206);
      assert.ok(r.body.equals(full));
    });

    it('answers a Range at or past the end with 206 and an empty chunked body, never 404/416', async () => {
      for (const range of [`bytes=${full.length}-`, `bytes=${advertised - 1}-`, 'bytes=99999999999-']) {
        const r = await tivoGet(port, clipUrl, { ...S2, Range: range });
        assert.equal(r.status, 206, range);
        assert.equal(r.headers['content-type'], 'video/x-tivo-mpeg');
        assert.equal(r.raw.toString('latin1'), '0\r\n\r\n', range);
      }
    });

    it('resumes byte-exactly after a dropped connection, header offset included', async () => {
      for (const at of [100, 1_000_003]) {
        const r = await tivoGet(port, clipUrl, { ...S2, Range: `bytes=${at}-` });
        assert.equal(r.status, 206);
        assert.equal(r.terminated, true);
        assert.ok(r.body.equals(full.subarray(at)), `resume at ${at} differs`);
      }
    });

    it('resumes a transfer the client dropped mid-transcode (hard clip), then ends properly', async () => {
      const item = find(await listing(HD), 'hard');
      const dropped = await tivoGet(port, item.Links.Content.Url, HD, { dropAfter: 200_000 });
      const got = dropped.body.length;
      assert.ok(got > 0);
      const rest = await tivoGet(port, item.Links.Content.Url, { ...HD, Range: `bytes=${got}-` });
      assert.equal(rest.status, 206);
      assert.equal(rest.terminated, true);
      const whole = await tivoGet(port, item.Links.Content.Url, HD);
      assert.ok(Buffer.concat([dropped.body, rest.body]).equals(whole.body));
      const advertisedHd = Number(item.Details['SourceSize']);
      assert.ok(whole.body.length <= advertisedHd && advertisedHd <= whole.body.length * 1.03, `${advertisedHd} vs ${whole.body.length}`);
    });

    it('passes a compatible MPEG-2 file through with 200, exact Content-Length = SourceSize and Content-Range', async () => {
      const item = find(await listing(), 'compat');
      const size = Number(item.Details['SourceSize']);
      const r = await tivoGet(port, item.Links.Content.Url, S2);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-length'], String(size));
      assert.equal(r.headers['content-range'], `bytes 0-${size - 1}/${size}`);
      assert.equal(r.body.length, size);
      assert.equal(r.body.toString('ascii', 0, 4), 'TiVo');
      const mid = await tivoGet(port, item.Links.Content.Url, { ...S2, Range: 'bytes=100000-' });
      assert.equal(mid.status, 200);
      assert.equal(mid.headers['content-range'], `bytes 100000-${size - 1}/${size}`);
      assert.ok(mid.body.equals(r.body.subarray(100_000)));
      const past = await tivoGet(port, item.Links.Content.Url, { ...S2, Range: `bytes=${size}-` });
      assert.equal(past.status, 206);
      assert.equal(past.raw.toString('latin1'), '0\r\n\r\n');
    });

    it('remuxes H.264 into TS for a Premiere: sync bytes, no header, video copied, AC-3, within the estimate', async () => {
      const item = find(await listing(PREMIERE), 'clip');
      assert.equal(item.Details['ContentType'], 'video/x-tivo-mpeg-ts');
      const r = await tivoGet(port, `${item.Links.Content.Url}?Format=video%2Fx-tivo-mpeg-ts`, PREMIERE);
      assert.equal(r.status, 206);
      assert.equal(r.headers['content-type'], 'video/x-tivo-mpeg-ts');
      assert.equal(r.terminated, true);
      for (let i = 0; i < r.body.length; i += 188 * 97) assert.equal(r.body[i], 0x47);
      const size = Number(item.Details['SourceSize']);
      assert.ok(r.body.length <= size && size <= r.body.length * 1.03, `${size} vs ${r.body.length}`);
      const file = join(root, 'p.ts');
      writeFileSync(file, r.body);
      const probe = await ffprobeJson(file);
      assert.equal(probe.streams.find((s) => s.codec_type === 'video')?.codec_name, 'h264');
      assert.equal(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name, 'ac3');
    });

    it('answers garbage Range headers with a valid reply', async () => {
      for (const range of ['bytes=a-b', 'bytes=5-1', 'bytes=0-1,5-9', 'items=0-', 'bytes=-', '']) {
        const r = await tivoGet(port, clipUrl, { ...S2, Range: range });
        assert.equal(r.status, 206, range);
        assert.equal(r.terminated, true, range);
      }
    });

    it('ends the stream with the chunked terminator when ffmpeg fails on the source', async () => {
      const shows = find(await listing(), 'Shows');
      const sub = await xml(shows.Links.Content.Url.replace(/&amp;/g, '&'));
      const broken = (sub.TiVoContainer.Item ?? []).find((i) => i.Details['Title'] === 'broken');
      assert.ok(broken);
      writeFileSync(join(root, 'Videos', 'Shows', 'broken.mp4'), Buffer.alloc(4096, 0x42));
      const r = await tivoGet(port, broken.Links.Content.Url, S2);
      assert.equal(r.status, 206);
      assert.equal(r.terminated, true);
      assert.ok(r.body.length <= r.body.readUInt32BE(10), 'nothing but the header was sent');
    });

    it('answers 404 for an unknown item and a path that climbs', async () => {
      assert.equal((await tivoGet(port, '/nope/x.mpg', S2)).status, 404);
      assert.equal((await tivoGet(port, '/..%2F..%2Fetc/passwd', S2)).status, 404);
    });
  });
});
