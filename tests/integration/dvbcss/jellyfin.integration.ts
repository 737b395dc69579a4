import { strict as assert } from 'node:assert';
import protocols, { type CiiState } from 'dvbcss-protocols';
import { WebSocket } from 'ws';
import { dvbcssAdapter } from '../../../adapters/dvbcss/index.js';
import { parseControlTimestamp } from '../../../adapters/dvbcss/ts-message.js';
import { startAdapterHarness, type Harness } from '../../support/adapter-harness.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { close, eventually, record, type Recorder } from '../../support/dvbcss/ws-helpers.js';

const SELECTOR = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000';

describe('dvbcss against the Jellyfin stand-in', function () {
  this.timeout(60000);
  let fake: FakeJellyfin;
  let harness: Harness;
  const open: WebSocket[] = [];

  before(async () => {
    fake = await FakeJellyfin.start();
    harness = await startAdapterHarness({
      descriptor: dvbcssAdapter,
      config: { bind: '127.0.0.1', wsPort: 0, wcPort: 0 },
      source: { jellyfin: fake },
      devices: [{ id: 'phone', name: 'Phone', match: { cidr: ['127.0.0.1/32'] }, userId: fake.users.alice, adapters: { dvbcss: { enabled: true } } }],
    });
  });
  after(async () => {
    await Promise.all(open.splice(0).map(close));
    await harness.stop();
    await fake.stop();
  });

  const url = (path: string): string => `ws://127.0.0.1:${harness.adapter.health().ports?.['ws'] ?? 0}${path}`;

  it('follows play, pause, seek and stop of a Jellyfin session over CII and TS', async () => {
    const ws = new WebSocket(url('/cii'));
    open.push(ws);
    const cii = protocols.CII.createCIIClient(ws);
    let state: CiiState | undefined;
    cii.on('change', (c) => (state = JSON.parse(JSON.stringify(c)) as CiiState));
    const ts: Recorder = await record(url('/ts'));
    open.push(ts.ws);
    ts.ws.send(JSON.stringify({ contentIdStem: 'jellyfin://', timelineSelector: SELECTOR }));
    assert.equal(parseControlTimestamp(await ts.message(0)).contentTime, null);

    const item = fake.item('Big Buck Test');
    const id = fake.play({ itemId: item.id, positionSeconds: 42 });
    await eventually(() => state?.contentId?.includes(`/items/${item.id}/`) === true, 10000, 'CII contentId from Jellyfin');
    assert.equal(state?.presentationStatus, 'okay');
    const playing = parseControlTimestamp(await ts.message(1, 10000));
    assert.equal(playing.timelineSpeedMultiplier, 1);
    assert.ok(playing.contentTime !== null && playing.contentTime >= 42_000n && playing.contentTime < 45_000n, `contentTime ${playing.contentTime}`);

    fake.pause(id);
    const paused = parseControlTimestamp(await ts.message(2, 10000));
    assert.equal(paused.timelineSpeedMultiplier, 0);

    fake.resume(id);
    fake.seek(id, 600);
    await eventually(() => ts.messages.some((m) => { const c = parseControlTimestamp(m); return c.contentTime !== null && c.contentTime >= 600_000n; }), 10000, 'seek');

    fake.stopPlayback(id);
    await eventually(() => parseControlTimestamp(ts.messages.at(-1)!).contentTime === null, 10000, 'stop');
    await eventually(() => state?.contentId === null, 10000, 'CII cleared');
    cii.stop();
  });

  it('reads transitioning in CII while a seek or the next item settles, then okay', async () => {
    const ws = new WebSocket(url('/cii'));
    open.push(ws);
    const cii = protocols.CII.createCIIClient(ws);
    const statuses: string[] = [];
    let state: CiiState | undefined;
    cii.on('change', (c) => {
      state = JSON.parse(JSON.stringify(c)) as CiiState;
      if (state.presentationStatus !== undefined && state.presentationStatus !== null && statuses.at(-1) !== state.presentationStatus) statuses.push(state.presentationStatus);
    });
    const id = fake.play({ itemId: fake.item('Big Buck Test').id, positionSeconds: 5 });
    await eventually(() => state?.contentId?.includes('/items/') === true, 10000, 'playing');
    assert.equal(state?.presentationStatus, 'okay');

    fake.seek(id, 1200);
    await eventually(() => statuses.includes('transitioning'), 10000, 'transitioning after the seek');
    await eventually(() => statuses.at(-1) === 'okay', 10000, 'okay once settled (settleMs)');
    assert.ok(state?.contentId?.includes('/items/'), 'the content stays loaded while it settles');

    const episode = [...fake.library.items.values()].find((i) => i.kind === 'Episode');
    assert.ok(episode);
    statuses.length = 0;
    fake.stopPlayback(id);
    fake.play({ id, itemId: episode.id, positionSeconds: 0 });
    await eventually(() => state?.contentId?.includes(`/items/${episode.id}/`) === true, 10000, 'next item');
    await eventually(() => statuses.at(-1) === 'okay', 10000, 'okay once the next item settled');
    assert.ok(statuses.includes('transitioning'), `statuses: ${statuses.join(', ')}`);
    fake.stopPlayback(id);
    cii.stop();
  });
});
