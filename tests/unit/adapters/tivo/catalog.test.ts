import { strict as assert } from 'node:assert';
import { Catalog } from '../../../../adapters/tivo/catalog.js';
import { tivoConfigSchema, tivoDeviceDefaults } from '../../../../adapters/tivo/config.js';
import { capabilitiesForTsn } from '../../../../adapters/tivo/models.js';
import { MIME_PS } from '../../../../adapters/tivo/transfer-plan.js';
import { testItem } from '../../../support/library-fixtures.js';
import { SidecarError, type LibraryFacade, type MediaInfo, type MediaInput, type TranscodeService } from '../../../../plugin/index.js';

const settings = tivoDeviceDefaults(tivoConfigSchema.parse({}));
const S2 = capabilitiesForTsn('540000000000001');

const item = testItem('clip', 'Clip');

const probed: MediaInfo = {
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  sizeBytes: 1_000_000,
  durationSeconds: 20,
  streams: [
    { type: 'video', index: 0, codec: 'h264', width: 640, height: 360, frameRate: 30 },
    { type: 'audio', index: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
  ],
};

/** A catalog whose probes answer from `answers` in turn (an Error rejects), recording their signals. */
function catalogWith(answers: (MediaInfo | Error)[], shutdown: AbortSignal): { catalog: Catalog; signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  const input: MediaInput = { kind: 'file', path: '/media/clip.mp4' };
  const library = { getMediaInput: () => Promise.resolve(input) } as unknown as LibraryFacade;
  const transcoder = {
    probe: (_input: MediaInput, signal?: AbortSignal) => {
      signals.push(signal);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('unexpected probe');
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as TranscodeService;
  return { catalog: new Catalog(library, transcoder, () => undefined, shutdown), signals };
}

describe('Catalog', () => {
  describe('#describe', () => {
    it('probes with the adapter shutdown signal, not a request signal, and shares the result', async () => {
      const shutdown = new AbortController().signal;
      const { catalog, signals } = catalogWith([probed], shutdown);
      const [a, b] = await Promise.all([catalog.describe(undefined, item, S2, settings, MIME_PS), catalog.describe(undefined, item, S2, settings, MIME_PS)]);
      assert.deepEqual(signals, [shutdown]);
      assert.equal(a.guessed, false);
      assert.equal(b.key, a.key);
    });

    it('does not keep an aborted probe: the next request gets the probed description', async () => {
      const aborted = new SidecarError('ERR_PROBE_ABORTED', 'aborted', 'probe of clip aborted');
      const { catalog, signals } = catalogWith([aborted, probed], new AbortController().signal);
      const first = await catalog.describe(undefined, item, S2, settings, MIME_PS);
      assert.equal(first.guessed, true);
      const second = await catalog.describe(undefined, item, S2, settings, MIME_PS);
      assert.equal(second.guessed, false);
      assert.deepEqual(second.media, probed);
      assert.notEqual(second.key, first.key);
      assert.equal(signals.length, 2);
      // …and keeps the good one.
      assert.equal((await catalog.describe(undefined, item, S2, settings, MIME_PS)).key, second.key);
      assert.equal(signals.length, 2);
    });
  });
});
