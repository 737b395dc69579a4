import assert from 'node:assert/strict';
import { buildIdsQuery, buildItemsQuery, ITEM_FIELDS, sortParams } from '../../../../plugin/jellyfin/query.js';

describe('sortParams', () => {
  it('maps each model sort field to Jellyfin sort keys with a SortName tie-break', () => {
    assert.deepEqual(sortParams([{ by: 'dateCreated', descending: true }]), { sortBy: ['DateCreated', 'SortName'], sortOrder: ['Descending', 'Ascending'] });
    assert.deepEqual(sortParams([{ by: 'episode' }]), { sortBy: ['ParentIndexNumber', 'IndexNumber', 'SortName'], sortOrder: ['Ascending', 'Ascending', 'Ascending'] });
    assert.deepEqual(sortParams([{ by: 'premiereDate' }]), { sortBy: ['PremiereDate', 'SortName'], sortOrder: ['Ascending', 'Ascending'] });
    assert.deepEqual(sortParams([{ by: 'random' }]), { sortBy: ['Random'], sortOrder: ['Ascending'] });
  });
  it('sorts folders first for "type" ascending', () => {
    assert.deepEqual(sortParams([{ by: 'type' }, { by: 'title' }]), { sortBy: ['IsFolder', 'SortName'], sortOrder: ['Descending', 'Ascending'] });
  });
  it('defaults to title', () => {
    assert.deepEqual(sortParams(undefined), { sortBy: ['SortName'], sortOrder: ['Ascending'] });
  });
});

describe('buildItemsQuery', () => {
  it('pages with startIndex/limit, always passes userId and asks for the model fields', () => {
    const q = buildItemsQuery('u1', 'p1', { offset: 50, limit: 25 });
    assert.equal(q.userId, 'u1');
    assert.equal(q.parentId, 'p1');
    assert.equal(q.startIndex, 50);
    assert.equal(q.limit, 25);
    assert.equal(q.recursive, false);
    assert.deepEqual(q.fields, ITEM_FIELDS);
    for (const f of ['MediaSources', 'Overview', 'Genres', 'People', 'ProviderIds', 'DateCreated', 'Path', 'Studios']) assert.ok(q.fields.includes(f), f);
    assert.deepEqual(q.includeItemTypes, ['Folder', 'CollectionFolder', 'Series', 'Season', 'BoxSet', 'Movie', 'Episode', 'Video', 'MusicVideo', 'Recording', 'Audio']);
  });
  it('returns only media items of the asked types when recursive', () => {
    const q = buildItemsQuery('u1', 'p1', { recursive: true, mediaTypes: ['movie', 'episode'] });
    assert.equal(q.recursive, true);
    assert.deepEqual(q.includeItemTypes, ['Movie', 'Episode']);
    assert.deepEqual(q.filters, ['IsNotFolder']);
  });
  it('turns a search without a parent into a recursive searchTerm query', () => {
    const q = buildItemsQuery('u1', undefined, { search: ' bunny ' });
    assert.equal(q.searchTerm, 'bunny');
    assert.equal(q.recursive, true);
    assert.equal(q.parentId, undefined);
  });
  it('restricts to folders', () => {
    const q = buildItemsQuery('u1', 'p', { only: 'folders' });
    assert.deepEqual(q.filters, ['IsFolder']);
    assert.deepEqual(q.includeItemTypes, ['Folder', 'CollectionFolder', 'Series', 'Season', 'BoxSet']);
  });
});

describe('buildIdsQuery', () => {
  it('looks items up by id for a user with the model fields', () => {
    assert.deepEqual(buildIdsQuery('u', ['a']), { userId: 'u', ids: ['a'], fields: ITEM_FIELDS });
  });
});
