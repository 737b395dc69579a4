import assert from 'node:assert/strict';
import { mapPath, unmapPath } from '../../../../plugin/jellyfin/path-mapping.js';

describe('mapPath', () => {
  const mappings = [
    { from: '/media', to: '/mnt/nas' },
    { from: '/media/tv', to: '/srv/tv/' },
    { from: 'D:\\Media', to: '/mnt/d' },
  ];
  it('uses the longest matching prefix', () => {
    assert.equal(mapPath('/media/tv/Show/S01E01.mkv', mappings), '/srv/tv/Show/S01E01.mkv');
    assert.equal(mapPath('/media/movies/A.mp4', mappings), '/mnt/nas/movies/A.mp4');
  });
  it('matches only at a path-segment boundary', () => {
    assert.equal(mapPath('/media2/x.mkv', mappings), undefined);
  });
  it('maps Windows paths case-insensitively with forward slashes', () => {
    assert.equal(mapPath('d:\\media\\Films\\B.mkv', mappings), '/mnt/d/Films/B.mkv');
  });
  it('returns undefined when nothing applies', () => {
    assert.equal(mapPath('/other/x', mappings), undefined);
    assert.equal(mapPath('/media/x', []), undefined);
  });
});

describe('unmapPath', () => {
  const mappings = [
    { from: '/media', to: '/mnt/nas' },
    { from: '/media/tv', to: '/srv/tv/' },
    { from: 'D:\\Media', to: '/mnt/d' },
  ];
  it('gives the path as Jellyfin sees it, by the longest matching local prefix', () => {
    assert.equal(unmapPath('/mnt/nas/cameras', mappings), '/media/cameras');
    assert.equal(unmapPath('/srv/tv/Show/', mappings), '/media/tv/Show');
    assert.equal(unmapPath('/mnt/nas', mappings), '/media');
  });
  it('matches only at a path-segment boundary', () => {
    assert.equal(unmapPath('/mnt/nas2/x', mappings), undefined);
  });
  it('writes backslashes for a Windows Jellyfin', () => {
    assert.equal(unmapPath('/mnt/d/Cameras/Porch', mappings), 'D:\\Media\\Cameras\\Porch');
  });
  it('inverts mapPath', () => {
    for (const p of ['/media/movies/A.mp4', '/media/tv/Show/S01E01.mkv']) assert.equal(unmapPath(mapPath(p, mappings) ?? '', mappings), p);
  });
  it('returns undefined when nothing applies', () => {
    assert.equal(unmapPath('/other/x', mappings), undefined);
    assert.equal(unmapPath('/x', [{ from: '/a', to: '' }]), undefined);
  });
});
