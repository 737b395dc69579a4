import { strict as assert } from 'node:assert';
import type { LibraryEntry, ListOptions, MediaItem, Page } from '../../../../plugin/library/model.js';
import { testFolder, testItem } from '../../../support/library-fixtures.js';
import { matchesFilter, orderKey, pageOf, sortEntries, titleSortKey } from '../../../../plugin/library/paging.js';

const item = (id: string, title: string, extra: Partial<MediaItem> = {}): MediaItem => testItem(id, title, { type: 'video', ...extra });
const folder = testFolder;

const ids = (entries: readonly LibraryEntry[]): string[] => entries.map((e) => e.id);

describe('titleSortKey', () => {
  it('sorts numbers naturally and ignores case and accents', () => {
    const titles = ['Episode 10', 'episode 9', 'Émile', 'Emil', 'Episode 009b'];
    assert.deepEqual([...titles].sort((a, b) => (titleSortKey(a) < titleSortKey(b) ? -1 : 1)), ['Emil', 'Émile', 'episode 9', 'Episode 009b', 'Episode 10']);
  });
});

describe('sortEntries and pageOf', () => {
  const entries: readonly LibraryEntry[] = [
    item('c', 'Charlie', { dateCreated: '2026-01-03T00:00:00.000Z', type: 'episode', seasonNumber: 1, episodeNumber: 2, premiereDate: '2020-01-02T00:00:00.000Z' }),
    item('a', 'alpha', { dateCreated: '2026-01-02T00:00:00.000Z', type: 'movie' }),
    folder('f', 'Folder', { dateCreated: '2026-01-05T00:00:00.000Z' }),
    item('b', 'Bravo', { dateCreated: '2026-01-04T00:00:00.000Z', type: 'episode', seasonNumber: 1, episodeNumber: 1, premiereDate: '2020-01-01T00:00:00.000Z' }),
    item('d', 'Delta', { dateCreated: '2026-01-01T00:00:00.000Z', type: 'episode', seasonNumber: 2, episodeNumber: 1 }),
  ];
  const sortedPage = (options: ListOptions, random?: () => number): Page<LibraryEntry> => pageOf(sortEntries(entries, options, random), options);

  it('sorts by title by default and pages with offset and limit', () => {
    const page = sortedPage({ offset: 1, limit: 2 });
    assert.deepEqual(ids(page.items), ['b', 'c']);
    assert.equal(page.total, 5);
    assert.equal(page.offset, 1);
  });

  it('sorts by date created, descending', () => {
    assert.deepEqual(ids(sortedPage({ sort: [{ by: 'dateCreated', descending: true }] }).items), ['f', 'b', 'c', 'a', 'd']);
  });

  it('sorts by episode with unknown numbers last', () => {
    assert.deepEqual(ids(sortedPage({ sort: [{ by: 'episode' }] }).items), ['b', 'c', 'd', 'a', 'f']);
  });

  it('keeps unknown premiere dates last even when descending', () => {
    assert.deepEqual(ids(sortedPage({ sort: [{ by: 'premiereDate', descending: true }] }).items), ['c', 'b', 'a', 'd', 'f']);
  });

  it('sorts by type with folders first, then by the next key', () => {
    assert.deepEqual(ids(sortedPage({ sort: [{ by: 'type' }, { by: 'title' }] }).items), ['f', 'b', 'c', 'd', 'a']);
  });

  it('filters by only, media types and search', () => {
    assert.deepEqual(ids(sortedPage({ only: 'folders' }).items), ['f']);
    assert.deepEqual(ids(sortedPage({ only: 'items', mediaTypes: ['movie'] }).items), ['a']);
    assert.deepEqual(ids(sortedPage({ search: 'RAV' }).items), ['b']);
    assert.equal(matchesFilter(entries[2]!, { mediaTypes: ['movie'] }), false);
  });

  it('shuffles with the injected random source for random sort', () => {
    const page = sortedPage({ sort: [{ by: 'random' }] }, () => 0);
    assert.deepEqual(ids(page.items).sort(), ['a', 'b', 'c', 'd', 'f']);
    assert.deepEqual(ids(page.items), ['a', 'f', 'b', 'd', 'c']);
  });

  it('clamps negative offsets and limits, and pages past the end are empty', () => {
    assert.deepEqual(pageOf([1, 2, 3], { offset: -5, limit: -1 }), { items: [], total: 3, offset: 0 });
    assert.deepEqual(pageOf([1, 2, 3], { offset: 10, limit: 5 }), { items: [], total: 3, offset: 10 });
    assert.deepEqual(pageOf([1, 2, 3], {}), { items: [1, 2, 3], total: 3, offset: 0 });
  });

  it('is a total order: equal titles fall back to the id so pages never overlap', () => {
    const same = [item('z', 'Same'), item('y', 'Same'), item('x', 'Same')];
    assert.deepEqual(ids(sortEntries(same, { sort: [{ by: 'title' }] })), ['x', 'y', 'z']);
  });
});

describe('orderKey', () => {
  it('differs when order or membership differs and ignores paging', () => {
    assert.equal(orderKey({ offset: 0, limit: 5 }), orderKey({ offset: 50, limit: 10 }));
    assert.notEqual(orderKey({}), orderKey({ sort: [{ by: 'title', descending: true }] }));
    assert.notEqual(orderKey({}), orderKey({ recursive: true }));
  });
});
