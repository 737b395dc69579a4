import { strict as assert } from 'node:assert';
import { anchorId, containerPath, filterAccepts, intParam, pageWindow, parseContainerQuery, parseFilter, parseSortOrder } from '../../../../adapters/tivo/query.js';

describe('pageWindow', () => {
  // pyTivo transcripts 07/08/08b: three entries (Shows, clip, compat), anchor clip = index 1.
  it('returns the first item for ItemCount=1 (transcript 07)', () => {
    assert.deepEqual(pageWindow(3, 1, undefined, 0), { start: 0, count: 1 });
  });
  it('starts after the anchor (transcript 08: ItemStart=2)', () => {
    assert.deepEqual(pageWindow(3, 1, 1, 0), { start: 2, count: 1 });
  });
  it('re-reads the anchor with AnchorOffset=-1 (transcript 08b: ItemStart=1)', () => {
    assert.deepEqual(pageWindow(3, 1, 1, -1), { start: 1, count: 1 });
  });
  it('returns the items before the anchor for a negative count', () => {
    assert.deepEqual(pageWindow(10, -2, 5, 0), { start: 3, count: 2 });
  });
  it('wraps a negative count around the start as pyTivo does', () => {
    assert.deepEqual(pageWindow(10, -3, undefined, 0), { start: 7, count: 3 });
  });
  it('starts at 0 for an unknown anchor', () => {
    assert.deepEqual(pageWindow(10, 4, -1, 0), { start: 0, count: 4 });
  });
  it('returns everything without ItemCount', () => {
    assert.deepEqual(pageWindow(10, undefined, 3, 0), { start: 0, count: 10 });
  });
  it('clamps absurd offsets and counts into the listing', () => {
    assert.deepEqual(pageWindow(10, 10_000, 2, 9_999), { start: 10, count: 0 });
    assert.deepEqual(pageWindow(10, 5, 2, -9_999), { start: 0, count: 5 });
    assert.deepEqual(pageWindow(0, 8, undefined, 0), { start: 0, count: 0 });
  });
});

describe('parseContainerQuery', () => {
  it('reads the real TiVo query Galleon quotes', () => {
    const q = parseContainerQuery(
      new URLSearchParams('Command=QueryContainer&Container=X&Recurse=Yes&SortOrder=!CaptureDate&ItemCount=8&Filter=x-tivo-container%2Ftivo-videos,x-tivo-container%2Ffolder,video%2Fx-tivo-mpeg,video%2F*'),
    );
    assert.equal(q.container, 'X');
    assert.equal(q.recurse, true);
    assert.equal(q.itemCount, 8);
    assert.deepEqual(q.sort, [{ by: 'dateCreated', descending: true }]);
    assert.equal(q.filter.length, 4);
  });
  it('matches parameter names case-insensitively', () => {
    const q = parseContainerQuery(new URLSearchParams('container=A&itemcount=-3&anchoroffset=2'));
    assert.equal(q.container, 'A');
    assert.equal(q.itemCount, -3);
    assert.equal(q.anchorOffset, 2);
  });
  it('drops garbage numbers and clamps huge ones', () => {
    assert.equal(intParam('abc', 100), undefined);
    assert.equal(intParam('1e9', 100), undefined);
    assert.equal(intParam('99999999999', 100), 100);
    assert.equal(intParam('-99999999999', 100), -100);
  });
});

describe('parseSortOrder', () => {
  it('puts folders first for Type and sorts by title', () => {
    assert.deepEqual(parseSortOrder('Type,Title'), { sort: [{ by: 'title', descending: false }], foldersFirst: true });
  });
  it('defaults to title', () => {
    assert.deepEqual(parseSortOrder(undefined), { sort: [{ by: 'title' }], foldersFirst: false });
  });
});

describe('filterAccepts', () => {
  const tivo = parseFilter('x-tivo-container/tivo-videos,x-tivo-container/folder,video/x-tivo-mpeg,video/*');
  it('accepts folders and videos for the TiVo filter', () => {
    assert.equal(filterAccepts(tivo, 'x-tivo-container/folder'), true);
    assert.equal(filterAccepts(tivo, 'video/x-tivo-mpeg-ts'), true);
    assert.equal(filterAccepts(tivo, 'audio/mpeg'), false);
  });
  it('honours negation', () => {
    assert.equal(filterAccepts(parseFilter('!video/x-tivo-mpeg-ts'), 'video/x-tivo-mpeg-ts'), false);
    assert.equal(filterAccepts(parseFilter('!video/x-tivo-mpeg-ts'), 'video/x-tivo-mpeg'), true);
  });
});

describe('containerPath', () => {
  it('refuses to climb', () => {
    assert.equal(containerPath('../etc'), undefined);
    assert.equal(containerPath('a/./b'), undefined);
  });
  it('reads the root and nested paths', () => {
    assert.deepEqual(containerPath('/'), []);
    assert.deepEqual(containerPath('lib/sub'), ['lib', 'sub']);
  });
});

describe('anchorId', () => {
  it('reads content and container URLs, also double-encoded', () => {
    assert.equal(anchorId('/abc123/My-Show.mpg'), 'abc123');
    assert.equal(anchorId('%2Fabc123%2FMy-Show.mpg'), 'abc123');
    assert.equal(anchorId('/TiVoConnect?Command=QueryContainer&Container=lib1%2Ffold2'), 'fold2');
    assert.equal(anchorId('%2FTiVoConnect%3FCommand%3DQueryContainer%26Container%3Dfold2'), 'fold2');
  });
  it('says undefined for junk', () => {
    assert.equal(anchorId('%E0%A4%A'), undefined);
    assert.equal(anchorId(''), undefined);
  });
});
