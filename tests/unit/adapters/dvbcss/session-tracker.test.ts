import { strict as assert } from 'node:assert';
import type { Presentation } from '../../../../adapters/dvbcss/presentation.js';
import { SessionTracker } from '../../../../adapters/dvbcss/session-tracker.js';
import { ManualClock, PlaybackDouble, session } from '../../../support/dvbcss/playback-double.js';

const everyone = (): boolean => true;

describe('SessionTracker', () => {
  let clock: ManualClock;
  let playback: PlaybackDouble;
  let tracker: SessionTracker;

  beforeEach(() => {
    clock = new ManualClock();
    playback = new PlaybackDouble();
    tracker = new SessionTracker(playback, clock, { serverId: 'srv', transitionMs: 3000 });
    tracker.start();
  });
  afterEach(() => tracker.stop());

  const playing = (id: string, itemId: string, positionSeconds: number, extra: { isPaused?: boolean; userId?: string; at?: bigint } = {}) =>
    session({
      id,
      ...(extra.userId === undefined ? {} : { userId: extra.userId }),
      playing: { itemId, positionSeconds, receivedMonotonicNs: extra.at ?? clock.monotonicNs(), ...(extra.isPaused === undefined ? {} : { isPaused: extra.isPaused }) },
    });

  describe('#follow', () => {
    it('presents a playing session with contentId, okay status and an anchor at the report time', () => {
      const f = tracker.follow({ kind: 'session', sessionId: 's1' }, everyone);
      const at = clock.monotonicNs();
      playback.publish([playing('s1', 'item1', 12.5, { at })]);
      const p = f.current();
      assert.equal(p.contentId, 'jellyfin://srv/items/item1/sources/item1');
      assert.equal(p.presentationStatus, 'okay');
      assert.deepEqual(p.anchor, { positionNs: 12_500_000_000n, wallClockNs: at, speed: 1 });
      assert.equal(p.nowPlaying?.title, 'Item item1');
    });

    it('reports a paused session with speed 0', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      playback.publish([playing('s1', 'item1', 30, { isPaused: true })]);
      assert.equal(f.current().anchor?.speed, 0);
    });

    it('notifies listeners synchronously, only when something changed', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      const seen: Presentation[] = [];
      f.onChange((p) => seen.push(p));
      const s = playing('s1', 'item1', 1);
      playback.publish([s]);
      playback.publish([s]);
      assert.equal(seen.length, 1);
    });

    it('goes transitioning on stop and okay after the grace period, with contentId null', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      playback.publish([playing('s1', 'item1', 1)]);
      playback.publish([session({ id: 's1' })]);
      assert.equal(f.current().contentId, null);
      assert.equal(f.current().presentationStatus, 'transitioning');
      clock.advanceMs(3001);
      assert.equal(f.current().presentationStatus, 'okay');
      assert.equal(f.current().sessionId, 's1');
    });

    it('reports fault when a followed session disappears, and when the source disconnects', () => {
      const f = tracker.follow({ kind: 'session', sessionId: 's1' }, everyone);
      playback.publish([playing('s1', 'item1', 1)]);
      playback.publish([]);
      assert.equal(f.current().presentationStatus, 'fault');
      const g = tracker.follow({ kind: 'any' }, everyone);
      playback.publish([playing('s2', 'item2', 1)]);
      assert.equal(g.current().presentationStatus, 'okay');
      playback.connection('disconnected');
      assert.equal(g.current().presentationStatus, 'fault');
      assert.equal(g.current().contentId, null);
      playback.connection('connected');
      assert.equal(g.current().presentationStatus, 'okay');
    });

    it('follows the session whose playback started most recently, not the one that reported last', () => {
      const f = tracker.follow({ kind: 'user', userId: 'u1' }, everyone);
      playback.publish([playing('a', 'item1', 1, { userId: 'u1' })]);
      clock.advanceMs(1000);
      playback.publish([playing('a', 'item1', 1, { userId: 'u1' }), playing('b', 'item2', 5, { userId: 'u1' })]);
      assert.equal(f.current().sessionId, 'b');
      clock.advanceMs(1000);
      // a reports progress later than b: b keeps the follow.
      playback.publish([playing('b', 'item2', 6, { userId: 'u1' }), playing('a', 'item1', 2, { userId: 'u1' })]);
      assert.equal(f.current().sessionId, 'b');
      // a pauses: an event, so a is now the most recently active.
      clock.advanceMs(1000);
      playback.publish([playing('b', 'item2', 7, { userId: 'u1' }), playing('a', 'item1', 3, { userId: 'u1', isPaused: true })]);
      assert.equal(f.current().sessionId, 'a');
    });

    it('follows only sessions of the given user or playing device', () => {
      const byUser = tracker.follow({ kind: 'user', userId: 'u2' }, everyone);
      const byDevice = tracker.follow({ kind: 'device', deviceId: 'dev-x' }, everyone);
      playback.publish([playing('x', 'item1', 1, { userId: 'u1' }), playing('y', 'item2', 1, { userId: 'u2' })]);
      assert.equal(byUser.current().sessionId, 'y');
      assert.equal(byDevice.current().sessionId, 'x');
    });

    it('hides sessions the device may not see', () => {
      const f = tracker.follow({ kind: 'any' }, (s) => s.userId === 'u1');
      playback.publish([playing('x', 'item1', 1, { userId: 'u2' })]);
      assert.equal(f.current().contentId, null);
      const g = tracker.follow({ kind: 'session', sessionId: 'x' }, (s) => s.userId === 'u1');
      assert.equal(g.current().presentationStatus, 'fault');
    });

    it('takes the sessions the facade already has at start', () => {
      const p2 = new PlaybackDouble();
      p2.publish([playing('s1', 'item1', 1)]);
      const t2 = new SessionTracker(p2, clock, { serverId: 'srv', transitionMs: 0 });
      t2.start();
      assert.equal(t2.follow({ kind: 'any' }, everyone).current().sessionId, 's1');
      t2.stop();
      assert.equal(p2.listenerCount(), 0);
    });

    it('stops notifying a closed follower', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      let calls = 0;
      f.onChange(() => calls++);
      f.close();
      playback.publish([playing('s1', 'item1', 1)]);
      assert.equal(calls, 0);
    });
  });

  describe('settling after a seek or an item change', () => {
    it('reads transitioning after a seek until a later report lands on the new line', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      playback.publish([playing('s1', 'item1', 10)]);
      clock.advanceMs(500);
      playback.publish([playing('s1', 'item1', 600)]);
      assert.equal(f.current().presentationStatus, 'transitioning');
      assert.equal(f.current().anchor?.positionNs, 600_000_000_000n, 'the timeline follows the seek at once');
      clock.advanceMs(400);
      playback.publish([playing('s1', 'item1', 600.4)]);
      assert.equal(f.current().presentationStatus, 'okay');
    });

    it('reads okay again after the settle window when no report confirms the seek', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      const seen: string[] = [];
      f.onChange((p) => seen.push(p.presentationStatus));
      playback.publish([playing('s1', 'item1', 10)]);
      clock.advanceMs(100);
      playback.publish([playing('s1', 'item1', 0)]);
      assert.equal(f.current().presentationStatus, 'transitioning');
      clock.advanceMs(1499);
      assert.equal(f.current().presentationStatus, 'transitioning');
      clock.advanceMs(2);
      assert.equal(f.current().presentationStatus, 'okay');
      assert.deepEqual(seen, ['okay', 'transitioning', 'okay']);
    });

    it('treats reports within the seek tolerance, pauses and resumes as no seek', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      playback.publish([playing('s1', 'item1', 10)]);
      clock.advanceMs(1000);
      playback.publish([playing('s1', 'item1', 11.05)]);
      assert.equal(f.current().presentationStatus, 'okay');
      clock.advanceMs(1000);
      playback.publish([playing('s1', 'item1', 12.05, { isPaused: true })]);
      clock.advanceMs(5000);
      playback.publish([playing('s1', 'item1', 12.05)]);
      assert.equal(f.current().presentationStatus, 'okay');
    });

    it('reads transitioning when the item changes while playing, and when playback starts again soon after a stop', () => {
      const f = tracker.follow({ kind: 'any' }, everyone);
      playback.publish([playing('s1', 'episode1', 1300)]);
      playback.publish([playing('s1', 'episode2', 0)]);
      assert.equal(f.current().presentationStatus, 'transitioning');
      assert.match(f.current().contentId ?? '', /episode2/);
      clock.advanceMs(2000);
      assert.equal(f.current().presentationStatus, 'okay');
      playback.publish([session({ id: 's1' })]);
      clock.advanceMs(500);
      playback.publish([playing('s1', 'episode3', 0)]);
      assert.equal(f.current().presentationStatus, 'transitioning');
      clock.advanceMs(1501);
      assert.equal(f.current().presentationStatus, 'okay');
    });

    it('reads okay for a first start and never settles when settleMs is 0', () => {
      const t2 = new SessionTracker(playback, clock, { serverId: 'srv', transitionMs: 3000, settleMs: 0 });
      t2.start();
      const f = t2.follow({ kind: 'any' }, everyone);
      playback.publish([playing('s1', 'item1', 10)]);
      assert.equal(f.current().presentationStatus, 'okay');
      playback.publish([playing('s1', 'item1', 900)]);
      assert.equal(f.current().presentationStatus, 'okay');
      t2.stop();
    });
  });
});
