import { strict as assert } from 'node:assert';
import { rsstvMigrations } from '../../../../../adapters/rsstv/store/migrations.js';
import { RsstvStore, inviteState, type ItemRow } from '../../../../../adapters/rsstv/store/rsstv-store.js';
import { openDatabase, type StateDatabase } from '../../../../../plugin/state/db.js';

const T0 = Date.parse('2026-11-21T18:00:00Z');

describe('RSSTV store', () => {
  let db: StateDatabase;
  let store: RsstvStore;

  beforeEach(() => {
    db = openDatabase(':memory:');
    db.migrate('rsstv', rsstvMigrations);
    store = new RsstvStore(db);
  });

  afterEach(() => db.close());

  describe('inviteState', () => {
    it('tells active, expired and revoked invites apart; revoked wins', () => {
      const { invite } = store.createInvite('Ann', T0, T0 + 1000);
      assert.equal(inviteState(invite, T0 + 999), 'active');
      assert.equal(inviteState(invite, T0 + 1000), 'expired');
      assert.equal(inviteState({ ...invite, expires_at: null }, T0 + 1e9), 'active');
      store.revokeInvite(invite.id, T0 + 1);
      const revoked = store.invite(invite.id);
      assert.ok(revoked !== undefined);
      assert.equal(inviteState(revoked, T0 + 2), 'revoked');
      assert.equal(inviteState(revoked, T0 + 5000), 'revoked');
    });
  });

  describe('#latestForGuids', () => {
    function save(subscription: string, guid: string, status: ItemRow['status'], at: number): void {
      store.saveItem({ subscription_id: subscription, guid, title: '', channel: '', start_at: null, end_at: null, status, detail: '', timer_id: null, attempts: 0, next_attempt_at: null, updated_at: at });
    }

    it('gives the latest status any reader recorded for each guid, as latestForGuid does', () => {
      save('self', 'g1', 'Error', T0);
      save('friend', 'g1', 'OK', T0 + 10);
      save('self', 'g2', 'Conflict', T0 + 5);
      save('self', 'g3', 'OK', T0);
      const latest = store.latestForGuids(['g1', 'g2', 'missing']);
      assert.deepEqual([...latest.keys()].sort(), ['g1', 'g2']);
      for (const guid of ['g1', 'g2']) assert.deepEqual(latest.get(guid), store.latestForGuid(guid));
      assert.equal(latest.get('g1')?.status, 'OK');
      assert.equal(store.latestForGuids([]).size, 0);
    });
  });
});
