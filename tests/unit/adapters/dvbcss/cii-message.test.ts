import { strict as assert } from 'node:assert';
import {
  applyCii,
  diffCii,
  EMPTY_CII,
  fullCii,
  parseCii,
  presentationStatusFromString,
  presentationStatusToString,
  serialiseCii,
  type CiiState,
  type TimelineOption,
} from '../../../../adapters/dvbcss/cii-message.js';
import { readFixture } from './fixtures.js';

interface Vectors {
  pydvbcssFirstMessage: string;
  pydvbcssDiffs: string[];
  timelines: TimelineOption[];
  presentationStatus: { tokens: string[]; string: string }[];
}
const vectors = readFixture('cii-vectors.json') as Vectors;

const state: CiiState = {
  protocolVersion: '1.1',
  mrsUrl: null,
  contentId: 'jellyfin://srv/items/a/sources/a',
  contentIdStatus: 'final',
  presentationStatus: 'okay',
  wcUrl: 'udp://127.0.0.1:6677',
  tsUrl: 'ws://127.0.0.1:7681/ts',
  teUrl: null,
  timelines: [vectors.timelines[0]!],
  private: null,
};

describe('cii-message', () => {
  describe('#fullCii', () => {
    it('carries all ten properties in wire order with explicit nulls', () => {
      const text = serialiseCii(fullCii(state));
      assert.equal(
        text,
        '{"protocolVersion":"1.1","mrsUrl":null,"contentId":"jellyfin://srv/items/a/sources/a","contentIdStatus":"final","presentationStatus":"okay",' +
          '"wcUrl":"udp://127.0.0.1:6677","tsUrl":"ws://127.0.0.1:7681/ts","teUrl":null,' +
          '"timelines":[{"timelineSelector":"urn:dvb:css:timeline:pts","timelineProperties":{"unitsPerTick":1,"unitsPerSecond":1000,"accuracy":0.2}}],"private":null}',
      );
    });
  });

  describe('#diffCii', () => {
    it('returns undefined when nothing changed, so no empty message is sent', () => {
      assert.equal(diffCii(state, { ...state, timelines: JSON.parse(JSON.stringify(state.timelines)) as TimelineOption[] }), undefined);
    });

    it('sends only the changed properties', () => {
      assert.deepEqual(diffCii(state, { ...state, presentationStatus: 'transitioning' }), { presentationStatus: 'transitioning' });
    });

    it('sends contentIdStatus with every contentId change', () => {
      const diff = diffCii(state, { ...state, contentId: 'jellyfin://srv/items/b/sources/b', presentationStatus: 'transitioning' });
      assert.equal(serialiseCii(diff!), '{"contentId":"jellyfin://srv/items/b/sources/b","contentIdStatus":"final","presentationStatus":"transitioning"}');
    });

    it('clears a value with an explicit null', () => {
      assert.equal(serialiseCii(diffCii(state, { ...state, contentId: null })!), '{"contentId":null,"contentIdStatus":"final"}');
    });

    it('notices changes inside timelines and private data', () => {
      const next = { ...state, private: [{ type: 'urn:x', title: 'A' }] };
      assert.deepEqual(diffCii(state, next), { private: [{ type: 'urn:x', title: 'A' }] });
      assert.deepEqual(diffCii(next, { ...next, private: [{ type: 'urn:x', title: 'B' }] }), { private: [{ type: 'urn:x', title: 'B' }] });
    });
  });

  describe('#parseCii', () => {
    it('treats {} as nothing set', () => assert.deepEqual(parseCii('{}'), {}));
    it('ignores unknown properties', () => assert.deepEqual(parseCii('{"flurble":5}'), {}));

    it('round-trips each property alone', () => {
      for (const key of Object.keys(state) as (keyof CiiState)[]) {
        const message = { [key]: state[key] };
        assert.deepEqual(parseCii(serialiseCii(message)), message);
      }
    });

    it('round-trips the timeline examples, private data included', () => {
      const message = { timelines: vectors.timelines };
      assert.deepEqual(parseCii(serialiseCii(message)), message);
    });

    it('mirrors the pydvbcss first message and diffs into the expected state', () => {
      let mirror = applyCii(EMPTY_CII, parseCii(vectors.pydvbcssFirstMessage));
      for (const d of vectors.pydvbcssDiffs) mirror = applyCii(mirror, parseCii(d));
      assert.equal(mirror.contentId, 'dvb://233a.1168');
      assert.equal(mirror.presentationStatus, 'okay');
      assert.equal(mirror.wcUrl, 'udp://127.0.0.1:16677');
      assert.equal(mirror.mrsUrl, null);
    });

    it('throws on text that is not a JSON object', () => {
      assert.throws(() => parseCii('[1]'), TypeError);
      assert.throws(() => parseCii('nope'), SyntaxError);
    });
  });

  describe('#presentationStatusToString', () => {
    for (const v of vectors.presentationStatus) {
      it(`maps ${JSON.stringify(v.tokens)} to "${v.string}" and back`, () => {
        assert.equal(presentationStatusToString(v.tokens), v.string);
        assert.deepEqual(presentationStatusFromString(v.string), v.tokens);
      });
    }
  });
});
