import { Command } from 'commander';
import { verifyStore } from '../../core/verifyStore';
import { CliContext, withStore, writeJson, writeLine } from '../context';

/**
 * Exit 0 when the store is healthy, 1 with one line per problem otherwise. Warnings (risks in how
 * the store is run, not damage) go to stderr and leave the exit code alone.
 */
export function addVerifyCommand(program: Command, context: () => CliContext, setExitCode: (code: number) => void): void {
  program
    .command('verify')
    .description('check the store; exit 1 with one line per problem')
    .option('--repair', 'quarantine what is corrupt (never deleting it) and rebuild derived indexes')
    .option('--json', 'print {healthy, problems, repairs, warnings} as JSON')
    .action(async (options: { repair?: boolean; json?: boolean }) => {
      const ctx = context();
      const report = await withStore(ctx, (store) => verifyStore(store, options.repair), { quiet: true });
      const healthy = report.problems.length === 0;
      if (options.json) {
        await writeJson(ctx.stdout, { healthy, ...report, warnings: report.warnings ?? [] });
      } else {
        for (const warning of report.warnings ?? []) {
          await writeLine(ctx.stderr, `multichat: warning: ${warning.where}: ${warning.what}`);
        }
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
