import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { CLI_PATH, cliOk, useFreshStore } from './helpers/cli';

// A reader that stops early (`multichat export | head -1`) closes the pipe under the CLI: the
// command ends quietly with 0, as any Unix tool does, instead of a stack trace.

describe('the CLI when its reader goes away', { timeout: 60_000 }, () => {
  const fresh = useFreshStore('json');

  it('ends quietly with exit 0 when stdout is closed early', async () => {
    const id = cliOk(['new', '--title', 'Long'], { store: fresh.spec }).trim();
    const lines = Array.from({ length: 2_000 }, (_, index) => JSON.stringify({ role: 'user', content: `line ${index} ${'x'.repeat(500)}` }));
    cliOk(['append', id, '--jsonl'], { store: fresh.spec, input: `${lines.join('\n')}\n` });
    const child = spawn(process.execPath, [CLI_PATH, '--store', fresh.spec, 'export'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
