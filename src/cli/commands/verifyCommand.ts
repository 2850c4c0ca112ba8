import { Command } from 'commander';
import { verifyStore } from '../../core/verifyStore';
import { CliContext, withStore, writeJson, writeLine } from '../context';

/** Exit 0 when the store is healthy, 1 with one line per problem otherwise. */
export function addVerifyCommand(program: Command, context: () => CliContext, setExitCode: (code: number) => void): void {
  program
    .command('verify')
    .description('check the store; exit 1 with one line per problem')
    .option('--repair', 'quarantine what is corrupt (never deleting it) and rebuild derived indexes')
    .option('--json', 'print {healthy, problems, repairs} as JSON')
    .action(async (options: { repair?: boolean; json?: boolean }) => {
      const ctx = context();
      const report = await withStore(ctx, (store) => verifyStore(store, options.repair), { quiet: true });
      const healthy = report.problems.length === 0;
      if (options.json) {
        await writeJson(ctx.stdout, { healthy, ...report });
      } else {
        for (const repair of report.repairs) {
          await writeLine(ctx.stdout, `repaired: ${repair}`);
        }
        for (const problem of report.problems) {
          await writeLine(ctx.stdout, `${problem.where}: ${problem.what}`);
        }
      }
      setExitCode(healthy ? 0 : 1);
    });
}
