import { runCli } from './program';

// Entry point of `multichat` (dist/cli.js). Exits explicitly once output is written, so that no
// background timer of a store keeps a finished command alive. A reader that stops early
// (`multichat export | head`) closes the pipe: that ends the command quietly, as for any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') {
    process.exit(0);
  }
  throw error;
});
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`multichat: ${String(error)}\n`);
    process.exit(5);
  },
);
