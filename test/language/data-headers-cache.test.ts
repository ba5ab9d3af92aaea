/**
 * The language server reads a data file's header once per version (size, modification time):
 * a read error is cached like a header, so a damaged file is not parsed again on every keystroke
 * (a damaged v7.3 file can take the HDF5 library seconds to reject), and a new version is read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readHeader } from '../../src/language/data-headers';

describe('data header cache', () => {
  it('caches a read error until the file changes', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nails-hdr-')), 'd.csv');
    writeFileSync(file, 'u,y\n1,2\n3,x\n'); // a non-numeric cell
    const mtime = new Date(1_700_000_000_000); // whole seconds: restorable exactly
    utimesSync(file, mtime, mtime);
    assert.throws(() => readHeader(file), /'x' in column 'y' is not a number/);
    // Same size and time stamp, valid content: still the cached error (not read again).
    writeFileSync(file, 'u,y\n1,2\n3,4\n');
    utimesSync(file, mtime, mtime);
    assert.throws(() => readHeader(file), /'x' in column 'y' is not a number/);
    // A new version is read.
    utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
    assert.deepEqual([...readHeader(file).signals.keys()], ['u', 'y']);
  });
});
