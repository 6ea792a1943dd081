import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runScript } from './support/scripts.js';

// A provision script's stdout is the artifact path and nothing else: stack.sh uses it
// verbatim (as a classpath, as a binary). A build tool that prints to stdout on a cold
// cache once broke Kafka's classpath, so this runs on an empty cache.
describe('provision scripts on an empty cache', () => {
  const scratch = mkdtemp(join(tmpdir(), 'mqtrace-provision-'));
  after(async () => rm(await scratch, { recursive: true, force: true }));

  it('provision-kafka.sh fetches the broker jars and prints only their folder', async () => {
    const cache = join(await scratch, 'cache');
    const result = await runScript('provision-kafka.sh', [], { MQTRACE_CACHE_DIR: cache });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `stdout was: ${JSON.stringify(result.stdout)}`);
    assert.ok(lines[0]?.startsWith(cache));
    const jars = await readdir(lines[0]!);
    assert.ok(jars.some((jar) => /^kafka_2\.13-.*\.jar$/.test(jar)), jars.join(' '));

    const again = await runScript('provision-kafka.sh', [], { MQTRACE_CACHE_DIR: cache });
    assert.equal(again.stdout, result.stdout);
    assert.doesNotMatch(again.stderr, /fetching/, 'a second run reuses the cache');
  });
});
