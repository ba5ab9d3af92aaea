/**
 * The distributed executor against a real Redis (Debian's redis-server on loopback, a random port,
 * a temporary folder, a password): a sweep queued on it, one `nails worker` SIGKILLed as soon as it
 * has picked a fit, a second worker that takes every fit including the stalled one. Every fit ends
 * exactly once, with the same results as the local pool, and the password is never printed.
 * Skipped visibly when redis-server is not installed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CLI, nails, smallSpec, sweepFile } from './sweep-helpers';

const REDIS = spawnSync('sh', ['-c', 'command -v redis-server'], {
  encoding: 'utf8',
}).stdout.trim();
const SKIP = REDIS
  ? false
  : 'redis-server not installed (Debian package redis-server; `make test` installs it where apt can)';
const PASSWORD = 'n41ls-s3cret';
const OPENSSL = spawnSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).stdout.trim();
const OPENSSL_SKIP = OPENSSL ? false : 'openssl not installed (needed for a test certificate)';

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ port, host: '127.0.0.1' }, () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() - t0 > ms) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A child process whose output is collected; `waitFor` resolves when stderr matches. */
function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(c);
  const out = { stdout: '', stderr: '' };
  c.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  c.stderr.on('data', (d: Buffer) => {
    out.stderr += d.toString();
    for (const w of waiters.splice(0)) {
      const m = w.re.exec(out.stderr);
      if (m) w.resolve(m);
      else waiters.push(w);
    }
  });
  const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
  return {
    child: c,
    out,
    exited,
    waitFor: (re: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const m = re.exec(out.stderr);
        if (m) resolve(m);
        else waiters.push({ re, resolve });
      }),
  };
}

describe('nails sweep --queue (BullMQ on a real redis-server)', () => {
  it(
    'a worker killed mid-fit: every fit done exactly once, as on the local pool',
    { skip: SKIP, timeout: 180_000 },
    async () => {
      const { dir, spec } = smallSpec();
      const port = await freePort();
      const redisDir = mkdtempSync(path.join(tmpdir(), 'nails-redis-'));
      const redis = start(REDIS, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        redisDir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--requirepass',
        PASSWORD,
      ]);
      try {
        await waitForPort(port);
        const url = `redis://:${PASSWORD}@127.0.0.1:${port}`;
        const grid = ['--set', 'model.states=1,2', '--seeds', '1..3', '--iterations', '6'];
        const sweep = start(process.execPath, [
          CLI,
          'sweep',
          spec,
          ...grid,
          '--queue',
          url,
          '--out',
          path.join(dir, 'dist'),
        ]);
        await sweep.waitFor(/^queued 6 fit/m);
        // Deterministic: the first worker runs alone until it has picked a fit, then dies mid-fit.
        const w1 = start(process.execPath, [CLI, 'worker', '--queue', url]);
        const picked = (await w1.waitFor(/^picked (\S+)$/m))[1]!;
        w1.child.kill('SIGKILL');
        await w1.exited;
        const w2 = start(process.execPath, [CLI, 'worker', '--queue', url]);
        const code = await sweep.exited;
        assert.equal(code, 0, sweep.out.stdout + sweep.out.stderr);
        w2.child.kill('SIGTERM');
        assert.equal(await w2.exited, 0, w2.out.stderr);

        const dist = sweepFile(sweep.out.stdout).file;
        assert.equal(dist.rows.length, 6);
        assert.equal(new Set(dist.rows.map((r) => r.id)).size, 6);
        assert.ok(
          dist.rows.every((r) => r.status === 'done'),
          JSON.stringify(dist.rows),
        );
        // The killed worker's fit was put back by the stalled-job check and done by the other.
        assert.ok(picked.endsWith(dist.rows.find((r) => picked.endsWith(`/${r.id}`))!.id), picked);
        const finished = [...w2.out.stderr.matchAll(/^done (\S+)/gm)].map((m) => m[1]!);
        assert.equal(finished.length, 6, w2.out.stderr);
        assert.equal(new Set(finished).size, 6, 'each job once');
        assert.ok(finished.includes(picked), `${picked} retried on the second worker`);
        assert.doesNotMatch(w1.out.stderr, /^done /m);

        const local = nails(
          'sweep',
          spec,
          ...grid,
          '--workers',
          '2',
          '--out',
          path.join(dir, 'local'),
          '--quiet',
        );
        assert.equal(local.status, 0, local.stderr);
        const loc = sweepFile(local.stdout);
        const theta = (f: { dir: string }, run: string) =>
          (
            JSON.parse(readFileSync(path.join(f.dir, run, 'model.json'), 'utf8')) as {
              theta: number[];
            }
          ).theta;
        const distDir = sweepFile(sweep.out.stdout);
        for (const r of dist.rows) {
          const l = loc.file.rows.find((x) => x.id === r.id)!;
          assert.deepEqual(r.metrics, l.metrics, r.id);
          assert.deepEqual(theta(distDir, r.run!), theta(loc, l.run!), `${r.id}: same θ`);
        }
        for (const text of [
          sweep.out.stdout,
          sweep.out.stderr,
          w1.out.stderr,
          w2.out.stderr,
          JSON.stringify(dist),
        ])
          assert.ok(!text.includes(PASSWORD), 'the password is never printed');
        assert.match(sweep.out.stderr, /redis:\/\/\*\*\*@127\.0\.0\.1:/);
      } finally {
        redis.child.kill('SIGTERM');
        await redis.exited;
      }
    },
  );

  it(
    'rediss:// (TLS) with a password; a data file reaches the worker through Redis',
    { skip: SKIP || OPENSSL_SKIP, timeout: 60_000 },
    async () => {
      const { dir } = smallSpec();
      // The spec reads a CSV beside it: the worker (another folder, no --data-dir) gets it from Redis.
      const rows = Array.from(
        { length: 300 },
        (_, k) => `${Math.sin(k / 5).toFixed(5)},${Math.cos(k / 7).toFixed(5)}`,
      );
      mkdirSync(path.join(dir, 'sub'));
      writeFileSync(path.join(dir, 'sub', 'rec.csv'), `u,y\n${rows.join('\n')}\n`);
      const spec = path.join(dir, 'csv.nails');
      writeFileSync(
        spec,
        'experiment csv\ndata {\n  file "sub/rec.csv"\n  train 0..200 { input u output y }\n  test 200..300 { input u output y init 10 }\n}\nmodel linear { states 2 }\nsolver nails { iterations 3 }\n',
      );
      const port = await freePort();
      const cert = path.join(dir, 'cert.pem');
      const key = path.join(dir, 'key.pem');
      const made = spawnSync(
        OPENSSL,
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(made.status, 0, made.stderr);
      const redis = start(REDIS, [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--tls-cert-file',
        cert,
        '--tls-key-file',
        key,
        '--tls-ca-cert-file',
        cert,
        '--tls-auth-clients',
        'no',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--requirepass',
        PASSWORD,
      ]);
      try {
        await waitForPort(port);
        const url = `rediss://:${PASSWORD}@127.0.0.1:${port}`;
        const env = { ...process.env, NODE_EXTRA_CA_CERTS: cert, NAILS_DATA_DIR: '' };
        const w = start(process.execPath, [CLI, 'worker', '--queue', url], env);
        const r = spawnSync(
          process.execPath,
          [
            CLI,
            'sweep',
            spec,
            '--seeds',
            '1..2',
            '--iterations',
            '2',
            '--queue',
            url,
            '--out',
            path.join(dir, 'tls'),
          ],
          { encoding: 'utf8', env },
        );
        w.child.kill('SIGTERM');
        await w.exited;
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.equal(sweepFile(r.stdout).file.rows.filter((x) => x.status === 'done').length, 2);
        assert.match(r.stderr, /on rediss:\/\/\*\*\*@127\.0\.0\.1:/);
        for (const t of [r.stdout, r.stderr, w.out.stderr]) assert.ok(!t.includes(PASSWORD));
      } finally {
        redis.child.kill('SIGTERM');
        await redis.exited;
      }
    },
  );

  it(
    'an unreachable queue is one line, without the password',
    { skip: SKIP, timeout: 30_000 },
    async () => {
      const port = await freePort();
      const r = nails('worker', '--queue', `redis://:${PASSWORD}@127.0.0.1:${port}`);
      assert.equal(r.status, 1);
      // one line, naming the cause (not ioredis's retries, nor its "Connection is closed")
      assert.match(
        r.stderr,
        /^nails: cannot reach the queue at redis:\/\/\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/,
      );
      assert.ok(!r.stderr.includes(PASSWORD));
    },
  );
});
