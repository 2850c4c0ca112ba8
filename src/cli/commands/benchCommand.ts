import { Command } from 'commander';
import { runBench } from '../bench/runBench';
import { probeOpenList, probeSnapshotMemory } from '../bench/probes';
import { parseStoreSpec } from '../../stores/storeSpec';
import { CliContext, writeJson, writeLine } from '../context';
import { positiveInteger } from '../options';

export function addBenchCommand(program: Command, context: () => CliContext): void {
  program
    .command('bench')
    .description('measure append, open + list, search and snapshot memory on temporary stores')
    .option('--sessions <n>', 'sessions to generate', positiveInteger, 10_000)
    .option('--messages <m>', 'messages per session (~1 KB each)', positiveInteger, 20)
    .option('--json', 'print the figures as JSON')
    .action(async (options: { sessions: number; messages: number; json?: boolean }) => {
      const ctx = context();
      const log = (line: string): void => void ctx.stderr.write(`${line}\n`);
      const results = await runBench({ ...options, cliPath: process.argv[1], log });
      if (options.json) {
        await writeJson(ctx.stdout, { sessions: options.sessions, messages: options.messages, results });
        return;
      }
      for (const [backend, figures] of Object.entries(results)) {
        for (const [name, value] of Object.entries(figures)) {
          await writeLine(ctx.stdout, `${backend}\t${name}\t${value}`);
        }
      }
    });

  program
    .command('bench-probe <probe> <spec>', { hidden: true })
    .action(async (probe: string, spec: string) => {
      const ctx = context();
      const parsed = parseStoreSpec(spec);
      const figures = probe === 'open-list' ? await probeOpenList(spec) : await probeSnapshotMemory(spec, parsed.kind === 'sqlite' ? parsed.file : '');
      await writeLine(ctx.stdout, JSON.stringify(figures));
    });
}
