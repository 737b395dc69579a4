/**
 * Which TiVos may use the server, decided by the real device registry (config rules matching
 * `devices[].match.tsn`, the new-device policy, admin approval) and answered the way pyTivo
 * does: `403 text/plain Unauthorized.` for anything not allowed.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness } from '../../support/adapter-harness.js';
import { hasBinary } from '../../support/media.js';
import { TivoBrowser } from '../../support/tivo/tivo-browser.js';
import { startTivoHarness } from '../../support/tivo/tivo-harness.js';

const DEN = '540000000000001';
const KIDS = '652000000000009';
const WAITING = '652000000000010';
const NO_TS = '746000000000002';
const STRANGER = '746000000000001';

describe('tivo access through the device registry (integration)', function () {
  this.timeout(60_000);
  let root: string;
  let harness: Harness | undefined;
  const port = (): number => harness?.adapterPort() ?? 0;
  const query = '/TiVoConnect?Command=QueryContainer&Container=%2F';

  before(async function () {
    if (!(await hasBinary('ffprobe'))) this.skip();
    root = mkdtempSync(join(tmpdir(), 'jb-tivo-access-'));
    mkdirSync(join(root, 'Videos'));
    harness = await startTivoHarness({
      source: { local: root },
      policy: 'hold',
      devices: [
        { id: 'den-tivo', name: 'Den TiVo', match: { tsn: [DEN] }, adapters: { tivo: { enabled: true } } },
        { id: 'kids-tivo', name: 'Kids TiVo', match: { tsn: [KIDS] }, adapters: { tivo: { enabled: false } } },
        { id: 'waiting-tivo', name: 'Waiting TiVo', match: { tsn: [WAITING] }, approved: false, adapters: { tivo: { enabled: true } } },
        { id: 'no-ts-tivo', name: 'Premiere without TS', match: { tsn: [NO_TS] }, adapters: { tivo: { enabled: true, allowTs: false } } },
      ],
    });
  });

  after(async () => {
    await harness?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('serves a TiVo whose TSN a rule allows, from the tsn or the TiVo_TCD_ID header', async () => {
    assert.equal((await new TivoBrowser(port, DEN).get(query)).status, 200);
    const viaTcdId = await new TivoBrowser(port, '').get(query, { TiVo_TCD_ID: DEN });
    assert.equal(viaTcdId.status, 200);
  });

  it('refuses a TiVo whose rule has the tivo adapter off with 403 Unauthorized.', async () => {
    const r = await new TivoBrowser(port, KIDS).get(query);
    assert.equal(r.status, 403);
    assert.match(r.headers['content-type'] ?? '', /^text\/plain/);
    assert.equal(r.body.toString(), 'Unauthorized.');
  });

  it('refuses a TiVo whose rule is not approved yet', async () => {
    assert.equal((await new TivoBrowser(port, WAITING).get(query)).status, 403);
  });

  it('holds an unknown TSN with 403 until the admin approves it for tivo, then serves it', async () => {
    const stranger = new TivoBrowser(port, STRANGER);
    assert.equal((await stranger.get(query)).status, 403);
    const device = harness?.composed.registry.list().find((d) => d.tsn === STRANGER);
    assert.ok(device, 'the unknown TiVo was not recorded');
    assert.equal(device.approval, 'held');
    assert.equal(device.foundBy, 'tivo');
    harness?.composed.registry.approve(device.id, ['tivo']);
    assert.equal((await stranger.get(query)).status, 200);
    // Its TSN says Premiere: TS is offered.
    const formats = await stranger.get('/TiVoConnect?Command=QueryFormats&SourceFormat=video%2Fx-tivo-mpeg');
    assert.ok(formats.body.toString().includes('video/x-tivo-mpeg-ts'));
  });

  it('applies per-device settings from the rule (allowTs off for one Premiere)', async () => {
    const formats = await new TivoBrowser(port, NO_TS).get('/TiVoConnect?Command=QueryFormats&SourceFormat=video%2Fx-tivo-mpeg');
    assert.equal(formats.status, 200);
    assert.ok(!formats.body.toString().includes('video/x-tivo-mpeg-ts'));
  });
});
