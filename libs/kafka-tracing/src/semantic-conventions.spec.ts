import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The library must follow the installed semantic conventions: a constant the package
// marks @deprecated is a name dashboards are moving away from. The one exception is the
// file that emits the replaced names on purpose, behind OTEL_SEMCONV_STABILITY_OPT_IN.
const LEGACY_FILE = 'legacy-messaging-attributes.ts';
const SOURCE_DIR = dirname(fileURLToPath(import.meta.url));

/** Names of the constants the installed package documents as deprecated. */
async function deprecatedConstants(): Promise<Set<string>> {
  const dist = dirname(fileURLToPath(import.meta.resolve('@opentelemetry/semantic-conventions/incubating')));
  const deprecated = new Set<string>();
  for (const file of (await readdir(dist)).filter((name) => name.endsWith('.d.mts'))) {
    const text = await readFile(join(dist, file), 'utf8');
    for (const match of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*declare const (\w+)/g)) {
      if (match[1]!.includes('@deprecated')) deprecated.add(match[2]!);
    }
  }
  return deprecated;
}

/** Every name the library's runtime files import from the semantic-conventions package. */
async function importedConstants(): Promise<Map<string, string[]>> {
  const imported = new Map<string, string[]>();
  const files = (await readdir(SOURCE_DIR, { recursive: true })).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.endsWith(LEGACY_FILE));
  for (const file of files) {
    const text = await readFile(join(SOURCE_DIR, file), 'utf8');
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@opentelemetry\/semantic-conventions(?:\/incubating)?'/g)) {
      const names = match[1]!.split(',').map((name) => name.replace(/^\s*type\s+/, '').split(/\s+as\s+/)[0]!.trim()).filter(Boolean);
      imported.set(file, [...(imported.get(file) ?? []), ...names]);
    }
  }
  return imported;
}

describe('semantic conventions', () => {
  it('the library uses no constant the installed package marks deprecated', async () => {
    const deprecated = await deprecatedConstants();
    // Guard against a parser that finds nothing: these are known to be deprecated in 1.45.
    for (const known of ['ATTR_MESSAGING_SYSTEM', 'ATTR_MESSAGING_KAFKA_OFFSET', 'ATTR_MESSAGING_KAFKA_MESSAGE_KEY']) assert.ok(deprecated.has(known), known);
    const imported = await importedConstants();
    assert.ok([...imported.values()].flat().includes('ATTR_MESSAGING_SYSTEM_NAME'), 'the messaging attributes were found');
    const offenders = [...imported].flatMap(([file, names]) => names.filter((name) => deprecated.has(name)).map((name) => `${file}: ${name}`));
    assert.deepEqual(offenders, []);
  });
});
