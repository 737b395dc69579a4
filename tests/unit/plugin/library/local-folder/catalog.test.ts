import { strict as assert } from 'node:assert';
import { Catalog } from '../../../../../plugin/library/local-folder/catalog.js';
import type { EntryRow } from '../../../../../plugin/library/local-folder/entry-store.js';
import { entryIdOf } from '../../../../../plugin/library/local-folder/ids.js';
import type { ItemMetadata } from '../../../../../plugin/library/metadata/item-metadata.js';

function row(relPath: string, kind: 'folder' | 'item', metadata: ItemMetadata = {}, extra: Partial<EntryRow> = {}): EntryRow {
  const slash = relPath.lastIndexOf('/');
  return {
    relPath,
    id: entryIdOf(relPath),
    ...(slash >= 0 ? { parentPath: relPath.slice(0, slash) } : {}),
    kind,
    size: 1,
    mtimeMs: 1,
    sidecarSig: '',
    dateCreated: '2026-01-01T00:00:00.000Z',
    metadata,
    probeStatus: kind === 'item' ? 'ok' : 'none',
    ...(kind === 'item' && extra.probeStatus !== 'failed' ? { media: { container: 'mp4', sizeBytes: 1, durationSeconds: 10, streams: [] } } : {}),
    ...extra,
  };
}

describe('Catalog', () => {
  const catalog = new Catalog([
    row('TV', 'folder', { title: 'TV' }),
    row('TV/Demo Show', 'folder', { title: 'Demo Show' }),
    row('TV/Demo Show/Season 1', 'folder', { title: 'Season 1', seasonNumber: 1 }),
    row('TV/Demo Show/Season 1/Demo Show - S01E02.mp4', 'item', { kind: 'episode', seriesName: 'Demo Show', seasonNumber: 1, episodeNumber: 2 }),
    row('TV/Demo Show/Season 1/ep.mp4', 'item', { title: 'Untitled' }),
    row('TV/Other Show', 'folder', { kind: 'series', title: 'Other Show' }),
    row('Stuff', 'folder', { title: 'Stuff' }),
    row('Stuff/Season 3', 'folder', { title: 'Season 3', seasonNumber: 3 }),
    row('Stuff/clip.mp4', 'item', {}),
    row('Stuff/broken.mkv', 'item', {}, { probeStatus: 'failed', unplayableReason: 'cannot probe: Invalid data' }),
    row('Movies', 'folder', { title: 'Movies' }),
    row('Movies/Film (1999).mp4', 'item', { title: 'Film', productionYear: 1999 }),
  ]);

  it('makes top-level folders libraries with a guessed collection type', () => {
    assert.deepEqual(
      catalog.roots.map((r) => [r.title, r.folderType, r.collectionType]),
      [
        ['TV', 'library', 'tvshows'],
        ['Stuff', 'library', undefined],
        ['Movies', 'library', 'movies'],
      ],
    );
  });

  it('recognises series (season folders or tvshow.nfo) and seasons', () => {
    const show = catalog.get(entryIdOf('TV/Demo Show'));
    assert.equal(show?.kind === 'folder' ? show.folderType : undefined, 'series');
    assert.deepEqual(catalog.get(entryIdOf('TV/Demo Show/Season 1')), {
      kind: 'folder',
      id: entryIdOf('TV/Demo Show/Season 1'),
      parentId: entryIdOf('TV/Demo Show'),
      title: 'Season 1',
      sortTitle: 'Season 1',
      dateCreated: '2026-01-01T00:00:00.000Z',
      folderType: 'season',
      childCount: 2,
      seasonNumber: 1,
    });
    const other = catalog.get(entryIdOf('TV/Other Show'));
    assert.equal(other?.kind === 'folder' ? other.folderType : undefined, 'series');
  });

  it('makes items inside a series episodes with series and season from the folders', () => {
    const ep = catalog.get(entryIdOf('TV/Demo Show/Season 1/ep.mp4'));
    assert.ok(ep?.kind === 'item');
    assert.equal(ep.type, 'episode');
    assert.equal(ep.seriesName, 'Demo Show');
    assert.equal(ep.seriesId, entryIdOf('TV/Demo Show'));
    assert.equal(ep.seasonNumber, 1);
    assert.equal(ep.title, 'Untitled');
  });

  it('makes items of a movies library movies and others plain videos with a title from the file name', () => {
    const film = catalog.get(entryIdOf('Movies/Film (1999).mp4'));
    assert.ok(film?.kind === 'item');
    assert.equal(film.type, 'movie');
    const clip = catalog.get(entryIdOf('Stuff/clip.mp4'));
    assert.ok(clip?.kind === 'item');
    assert.equal(clip.type, 'video');
    assert.equal(clip.title, 'clip');
    assert.equal(clip.durationSeconds, 10);
  });

  it('lists an unprobeable file as unplayable with its reason and counts it', () => {
    const broken = catalog.get(entryIdOf('Stuff/broken.mkv'));
    assert.ok(broken?.kind === 'item');
    assert.equal(broken.playable, false);
    assert.equal(broken.unplayableReason, 'cannot probe: Invalid data');
    assert.equal(broken.media, undefined);
    assert.equal(catalog.unplayableCount, 1);
    assert.equal(catalog.itemCount, 5);
    assert.equal(catalog.folderCount, 7);
  });

  it('lists children, recursive items and refuses unknown or item parents', () => {
    assert.deepEqual(catalog.list(entryIdOf('Stuff'))?.items.map((e) => e.title), ['broken', 'clip', 'Season 3']);
    assert.equal(catalog.list(undefined, { recursive: true })?.total, 5);
    assert.deepEqual(catalog.list(entryIdOf('TV'), { recursive: true, sort: [{ by: 'episode' }] })?.items.map((e) => e.title), ['Untitled', 'Demo Show - S01E02']);
    assert.equal(catalog.list('nope'), undefined);
    assert.equal(catalog.list(entryIdOf('Stuff/clip.mp4')), undefined);
    assert.equal(catalog.list(entryIdOf('Stuff/clip.mp4'), { recursive: true }), undefined);
  });
});

describe('Catalog rebuilt from a previous one', () => {
  const rows = [row('A', 'folder', { title: 'A' }), row('A/one.mp4', 'item'), row('A/two.mp4', 'item'), row('B', 'folder', { title: 'B' }), row('B/x.mp4', 'item')];
  const first = new Catalog(rows);
  const before = first.list(entryIdOf('A'))?.items;
  const firstRecursive = first.list(undefined, { recursive: true })?.total;

  it('reuses unchanged entries and keeps listings of unchanged folders', () => {
    const second = new Catalog([...rows, row('B/y.mp4', 'item')], first);
    assert.equal(second.get(entryIdOf('A/one.mp4')), first.get(entryIdOf('A/one.mp4')));
    assert.deepEqual(second.list(entryIdOf('A'))?.items, before);
    assert.equal(second.list(undefined, { recursive: true })?.total, (firstRecursive ?? 0) + 1);
  });

  it('lists changed folders afresh', () => {
    const changed = new Catalog([...rows, row('A/three.mp4', 'item')], first);
    assert.deepEqual(changed.list(entryIdOf('A'))?.items.map((e) => e.title), ['one', 'three', 'two']);
    const renamed = new Catalog([rows[0]!, row('A/one.mp4', 'item', { title: 'zzz' }), rows[2]!, rows[3]!, rows[4]!], first);
    assert.notEqual(renamed.get(entryIdOf('A/one.mp4')), first.get(entryIdOf('A/one.mp4')));
    assert.deepEqual(renamed.list(entryIdOf('A'))?.items.map((e) => e.title), ['two', 'zzz']);
  });
});
