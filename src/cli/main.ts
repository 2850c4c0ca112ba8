import { runCli } from './program';

// Entry point of `multichat` (dist/cli.js). Exits explicitly once output is written, so that no
// background timer of a store keeps a finished command alive.
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`multichat: ${String(error)}\n`);
    process.exit(5);
  },
);
