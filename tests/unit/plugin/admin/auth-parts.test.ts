import { strict as assert } from 'node:assert';
import { Script } from 'node:vm';
import { adminMigrations } from '../../../../plugin/admin/admin-migrations.js';
import { Credentials } from '../../../../plugin/admin/credentials.js';
import { LoginLimiter } from '../../../../plugin/admin/login-limiter.js';
import { hashPassword, verifyPassword } from '../../../../plugin/admin/password-hash.js';
import { SessionStore } from '../../../../plugin/admin/sessions.js';
import { APP_JS } from '../../../../plugin/admin/ui/app-js.js';
import { LOGIN_JS } from '../../../../plugin/admin/ui/login-js.js';
import { UI_ASSETS, appPage, loginPage, setupPage } from '../../../../plugin/admin/ui/pages.js';
import { openDatabase } from '../../../../plugin/state/db.js';
import { isSidecarError } from '../../../../plugin/util/errors.js';
import { manualClock } from '../devices/registry-fixture.js';

describe('admin auth parts', () => {
  describe('password hashes', () => {
    it('verifies the right password and rejects a wrong one', async () => {
      const hash = await hashPassword('correct horse');
      assert.match(hash, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      assert.equal(hash.includes('correct horse'), false);
      assert.equal(await verifyPassword('correct horse', hash), true);
      assert.equal(await verifyPassword('correct horsE', hash), false);
    });
    it('salts every hash differently', async () => {
      assert.notEqual(await hashPassword('same password'), await hashPassword('same password'));
    });
    it('rejects a malformed stored hash instead of throwing', async () => {
      assert.equal(await verifyPassword('x', 'plain'), false);
      assert.equal(await verifyPassword('x', 'scrypt$0$8$1$AAAA$AAAA'), false);
    });
  });

  describe('Credentials', () => {
    it('is unset until the first password is set, then stores only a hash', async () => {
      const db = openDatabase(':memory:');
      db.migrate('admin', adminMigrations);
      const credentials = new Credentials(db, manualClock(), undefined);
      assert.equal(credentials.mode(), 'unset');
      assert.equal(await credentials.verify('anything'), false);
      await credentials.setInitial('first password');
      assert.equal(credentials.mode(), 'stored');
      assert.equal(await credentials.verify('first password'), true);
      const row = db.get<{ password_hash: string }>('SELECT password_hash FROM admin_credentials');
      assert.ok(row?.password_hash.startsWith('scrypt$'));
      await assert.rejects(credentials.setInitial('second password'), (e: unknown) => isSidecarError(e) && e.code === 'ERR_ADMIN_SETUP_CLOSED');
    });
    it('uses the config password and refuses to change it', async () => {
      const db = openDatabase(':memory:');
      db.migrate('admin', adminMigrations);
      const credentials = new Credentials(db, manualClock(), 'from the config');
      assert.equal(credentials.mode(), 'config');
      assert.equal(await credentials.verify('from the config'), true);
      assert.equal(await credentials.verify('from the confi'), false);
      await assert.rejects(credentials.change('new password'), (e: unknown) => isSidecarError(e) && e.code === 'ERR_ADMIN_PASSWORD_FROM_CONFIG');
    });
    it('rejects a too-short first password naming the field', async () => {
      const db = openDatabase(':memory:');
      db.migrate('admin', adminMigrations);
      await assert.rejects(new Credentials(db, manualClock(), undefined).setInitial('short'), (e: unknown) => isSidecarError(e) && e.detail['field'] === 'password');
    });
  });

  describe('SessionStore', () => {
    it('creates random ids and CSRF tokens', () => {
      const sessions = new SessionStore(manualClock(), 1000, 10_000);
      const a = sessions.create();
      const b = sessions.create();
      assert.notEqual(a.id, b.id);
      assert.notEqual(a.id, a.csrfToken);
      assert.ok(a.id.length >= 43);
    });
    it('expires a session left idle, and any session after the maximum age', () => {
      const clock = manualClock();
      const sessions = new SessionStore(clock, 1000, 2500);
      const s = sessions.create();
      clock.advance(900);
      assert.ok(sessions.touch(s.id));
      clock.advance(900);
      assert.ok(sessions.touch(s.id));
      clock.advance(900);
      assert.equal(sessions.touch(s.id), undefined, 'past the maximum age');
      const idle = sessions.create();
      clock.advance(1000);
      assert.equal(sessions.touch(idle.id), undefined, 'idle too long');
      assert.equal(sessions.size(), 0);
    });
    it('ends every other session', () => {
      const sessions = new SessionStore(manualClock(), 1000, 2000);
      const keep = sessions.create();
      const other = sessions.create();
      sessions.deleteAllExcept(keep.id);
      assert.ok(sessions.touch(keep.id));
      assert.equal(sessions.touch(other.id), undefined);
    });
  });

  describe('LoginLimiter', () => {
    it('refuses an address over the limit until the window ends, others unaffected', () => {
      const clock = manualClock();
      const limiter = new LoginLimiter(clock, 2, 60_000);
      assert.equal(limiter.attempt('10.0.0.1').allowed, true);
      assert.equal(limiter.attempt('10.0.0.1').allowed, true);
      assert.deepEqual(limiter.attempt('10.0.0.1'), { allowed: false, retryAfterSeconds: 60 });
      assert.equal(limiter.attempt('10.0.0.2').allowed, true);
      clock.advance(60_000);
      assert.equal(limiter.attempt('10.0.0.1').allowed, true);
    });
    it('clears an address after a success', () => {
      const limiter = new LoginLimiter(manualClock(), 1, 60_000);
      limiter.attempt('10.0.0.1');
      limiter.succeeded('10.0.0.1');
      assert.equal(limiter.attempt('10.0.0.1').allowed, true);
    });
  });

  describe('UI assets', () => {
    it('embeds scripts that parse as JavaScript', () => {
      assert.doesNotThrow(() => new Script(APP_JS, { filename: 'app.js' }));
      assert.doesNotThrow(() => new Script(LOGIN_JS, { filename: 'login.js' }));
    });
    it('references only assets the handler serves, and no external URL', () => {
      for (const html of [appPage(), loginPage(), setupPage()]) {
        const refs = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1] ?? '');
        assert.ok(refs.length > 0);
        for (const ref of refs) assert.ok(UI_ASSETS.has(ref), `${ref} is served`);
        assert.doesNotMatch(html, /https?:\/\//);
        assert.doesNotMatch(html, /<script>(?!<)/, 'no inline scripts (the CSP forbids them)');
      }
    });
  });
});
