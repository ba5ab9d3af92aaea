/**
 * `nails data get` against a local HTTP server on loopback (no internet in tests): a fixture zip
 * archive built here, a registry file naming it with SHA-256 sums computed independently
 * (node:crypto over the bytes served), the files unpacked byte for byte and the citation printed;
 * a tampered archive, a 404, a refused connection and a file already there with other content
 * each end in one line, a non-zero exit and nothing written.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
/** Runs the CLI without blocking this process's event loop (the server must answer it). */
const cli = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [CLI, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const record = Buffer.from(
  `u,y\n${Array.from({ length: 300 }, (_, k) => `${Math.sin(k / 9).toFixed(6)},${Math.cos(k / 13).toFixed(6)}`).join('\n')}\n`,
);
const notes = Buffer.from('Lab record 7, Ts = 0.01 s\n');
const archive = zipSync({ 'LabFiles/record.csv': record, 'LabFiles/notes.txt': notes });
const tampered = zipSync({
  'LabFiles/record.csv': Buffer.concat([record, Buffer.from('1,2\n')]),
  'LabFiles/notes.txt': notes,
});

describe('nails data get (local HTTP server on loopback)', () => {
  let server: Server;
  let base = '';
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-get-'));
  const registry = path.join(dir, 'registry.json');
  before(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/lab.zip' ? archive : req.url === '/bad.zip' ? tampered : undefined;
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length })
        .end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const entry = (url: string) => ({
      title: 'Lab record 7',
      urls: [url],
      kind: 'zip',
      sha256: sha(archive),
      files: [
        { name: 'record.csv', dest: 'lab7/record.csv', sha256: sha(record) },
        { name: 'notes.txt', dest: 'lab7/notes.txt', sha256: sha(notes) },
      ],
      citation: 'A. Tester, "Lab record 7", 2026.',
    });
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    writeFileSync(
      registry,
      JSON.stringify({
        lab7closed: entry(`http://127.0.0.1:${closed}/x.zip`),
        lab7: entry(`${base}/lab.zip`),
        lab7bad: entry(`${base}/bad.zip`),
        lab7gone: entry(`${base}/gone.zip`),
      }),
    );
  });
  after(() => server.close());

  it('downloads, checks the SHA-256 of the archive and of each file, unpacks and cites', async () => {
    const data = path.join(dir, 'data1');
    const r = await cli('data', 'get', 'lab7', '--registry', registry, '--data-dir', data);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(path.join(data, 'lab7', 'record.csv')), record);
    assert.deepEqual(readFileSync(path.join(data, 'lab7', 'notes.txt')), notes);
    assert.match(r.stdout, new RegExp(`^downloaded lab7 from ${base}/lab\\.zip$`, 'm'));
    assert.match(r.stdout, /wrote .*lab7\/record\.csv \(SHA-256 checked\)/);
    assert.match(r.stdout, /^please cite: A\. Tester, "Lab record 7", 2026\.$/m);
    // The unpacked record is data nails can read.
    const s = await cli(
      'check',
      '--data-dir',
      data,
      path.join(ROOT, 'examples', 'binary-output.nails'),
    );
    assert.equal(s.code, 0, s.stdout + s.stderr);
    const again = await cli('data', 'get', 'lab7', '--registry', registry, '--data-dir', data);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /record\.csv was already there \(SHA-256 checked\)/);
  });

  for (const [name, args, re] of [
    [
      'a tampered archive',
      ['lab7bad'],
      /SHA-256 [0-9a-f]{64} does not match the expected [0-9a-f]{64}; nothing written/,
    ],
    ['a 404', ['lab7gone'], /cannot download http:\/\/127\.0\.0\.1:\d+\/gone\.zip: HTTP 404/],
    [
      'a refused connection',
      ['lab7closed'],
      /cannot download http:\/\/127\.0\.0\.1:\d+\/x\.zip: ECONNREFUSED \(is the machine online\?\)/,
    ],
    [
      'an unknown name',
      ['lab8'],
      /no download known for 'lab8' \(did you mean 'lab7'\?\); known: cascaded_tanks, silverbox, wiener_hammerstein_2009, lab7closed, lab7,/,
    ],
  ] as const)
    it(`${name}: one line, non-zero exit, nothing written`, async () => {
      const data = path.join(dir, `data-${name.replace(/\W/g, '')}`);
      const r = await cli('data', 'get', ...args, '--registry', registry, '--data-dir', data);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(existsSync(path.join(data, 'lab7')), false);
    });

  it('a file already there with other content is kept, not overwritten', async () => {
    const data = path.join(dir, 'data-mine');
    await cli('data', 'get', 'lab7', '--registry', registry, '--data-dir', data);
    const mine = Buffer.from('my own edits\n');
    writeFileSync(path.join(data, 'lab7', 'record.csv'), mine);
    const r = await cli('data', 'get', 'lab7', '--registry', registry, '--data-dir', data);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /record\.csv exists with other content; move it away/);
    assert.deepEqual(readFileSync(path.join(data, 'lab7', 'record.csv')), mine);
  });

  it('a registry with a bad entry is named with its field', async () => {
    const bad = path.join(dir, 'bad-registry.json');
    writeFileSync(
      bad,
      JSON.stringify({
        x: {
          urls: [`${base}/lab.zip`],
          kind: 'zip',
          files: [{ name: 'a', dest: '../a', sha256: sha(notes) }],
        },
      }),
    );
    const r = await cli('data', 'get', 'x', '--registry', bad, '--data-dir', dir);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr.trim(),
      /^nails: .*bad-registry\.json: data set 'x': files 'a' dest must be a path inside the data directory$/,
    );
  });
});
