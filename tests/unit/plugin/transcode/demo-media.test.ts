import { strict as assert } from 'node:assert';
import { buildDemoGuide, DEMO_CLIPS, demoClipArgs, demoPosterArgs, DEMO_POSTERS } from '../../../../plugin/transcode/demo-media.js';
import { parseXmltv } from '../../../../plugin/library/metadata/xmltv.js';
import { parseFileName } from '../../../../plugin/library/metadata/file-name.js';

describe('buildDemoGuide', () => {
  const from = Date.parse('2026-11-21T05:17:00Z');
  const guide = parseXmltv(buildDemoGuide(from, 48));

  it('has three channels with numbers and call signs', () => {
    assert.deepEqual(guide.channels.map((c) => [c.number, c.callSign, c.name]), [
      ['2', 'DEMO', 'Demo One'],
      ['5', 'BARS', 'Bars Network'],
      ['7.1', 'KNWS', 'Signal News'],
    ]);
  });

  it('covers 48 hours from the hour of generation on every channel without gaps', () => {
    for (const channel of guide.channels) {
      const programmes = guide.programmes.filter((p) => p.channel === channel.xmltvId);
      assert.equal(programmes[0]?.start, Date.parse('2026-11-21T05:00:00Z'));
      for (let i = 1; i < programmes.length; i++) assert.equal(programmes[i]?.start, programmes[i - 1]?.stop);
      assert.ok((programmes[programmes.length - 1]?.stop ?? 0) >= Date.parse('2026-11-23T05:00:00Z'));
    }
  });

  it('numbers series episodes and marks movies', () => {
    const show = guide.programmes.filter((p) => p.title === 'Demo Show');
    assert.deepEqual([show[0]?.seasonNumber, show[0]?.episodeNumber, show[1]?.episodeNumber], [1, 1, 2]);
    assert.deepEqual(guide.programmes.find((p) => p.title === 'Colour Bars')?.categories, ['Movie']);
  });
});

describe('demoClipArgs', () => {
  it('encodes the MPEG-2/AC-3 clip for Matroska (golden)', () => {
    const bars = DEMO_CLIPS.find((c) => c.videoCodec === 'mpeg2video');
    assert.ok(bars);
    assert.deepEqual(demoClipArgs(bars, '/x/.bars.mkv.partial'), [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-f', 'lavfi', '-i', 'smptebars=s=720x480:r=30000/1001:d=15',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=15',
      '-c:v', 'mpeg2video', '-b:v', '4000k', '-maxrate', '6000k', '-bufsize', '1835k', '-g', '15', '-aspect', '16:9',
      '-c:a', 'ac3', '-b:a', '192k', '-ac', '2',
      '-metadata', 'title=Colour Bars', '-t', '15',
      '-f', 'matroska', '/x/.bars.mkv.partial',
    ]);
  });

  it('picks the muxer from the final name, since the temporary name has no media extension', () => {
    for (const clip of DEMO_CLIPS) {
      const args = demoClipArgs(clip, '/x/.tmp');
      assert.equal(args[args.length - 2], clip.path.endsWith('.mp4') ? 'mp4' : 'matroska', clip.path);
    }
    for (const poster of DEMO_POSTERS) assert.deepEqual(demoPosterArgs(poster, 'o').slice(-5), ['-f', 'image2', '-c:v', 'mjpeg', 'o']);
  });

  it('uses file names the library reads back as the intended metadata', () => {
    const pilot = DEMO_CLIPS.find((c) => c.title === 'Pilot');
    assert.deepEqual(parseFileName(pilot?.path.split('/').pop() ?? ''), { kind: 'episode', seriesName: 'Demo Show', seasonNumber: 1, episodeNumber: 1, title: 'Pilot' });
  });
});
