import { Command, CommanderError } from 'commander';
import { describeError, isMultichatError } from '../core/errors';
import { addAppendCommand } from './commands/appendCommand';
import { addBenchCommand } from './commands/benchCommand';
import { addSearchCommand } from './commands/searchCommand';
import { addSessionCommands } from './commands/sessionCommands';
import { addSharingCommands } from './commands/sharingCommands';
import { addImportCommand } from './commands/importCommand';
import { addTransferCommands } from './commands/transferCommands';
import { addVerifyCommand } from './commands/verifyCommand';
import { addWatchCommand } from './commands/watchCommand';
import { CliContext } from './context';
import { resolveStore, strayStoreWarning } from './workspaceStore';

// The `multichat` command line. Exit codes: 0 ok, 1 verify found problems, 2 usage error,
// 3 invalid input data (or a session refused sharing: it holds a credential), 4 no such session,
// 5 store unavailable (or Redis unreachable, for sync). Errors are one line on stderr
// starting `multichat: `.

export interface CliStreams {
  stdout: NodeJS.WritableStream & CliContext['stdout'];
  stderr: CliContext['stderr'];
  stdin: CliContext['stdin'];
}

export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(streams, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, streams);
  }
}

function buildProgram(streams: CliStreams, setExitCode: (code: number) => void): Command {
  const program = new Command('multichat')
    .description('Read and write Multichat Sessions stores: workspace JSON folders, SQLite files and Redis namespaces.')
    .option('--store <spec>', 'json:<dir>, sqlite:<file>, redis://…, rediss://…, redis-sentinel://… or redis-cluster://… (default: $MULTICHAT_STORE, else the store .vscode/settings.json names, else json:.multichat)')
    .option('--remote <spec>', "the team's Redis (redis://…, rediss://…, redis-sentinel://…, redis-cluster://…) that mirrors the local store's shared sessions (default: $MULTICHAT_REMOTE)")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
      outputError: (text, write) => write(`multichat: ${text.replace(/^error: /, '')}`),
    });
  const context = (): CliContext => {
    const flags = program.opts<{ store?: string; remote?: string }>();
    const resolution = resolveStore(flags.store);
    const warning = strayStoreWarning(resolution);
    if (warning) {
      streams.stderr.write(`${warning}\n`);
    }
    return { ...streams, storeSpec: resolution.spec, remoteSpec: flags.remote ?? (process.env.MULTICHAT_REMOTE || undefined) };
  };
  addSessionCommands(program, context);
  addAppendCommand(program, context);
  addSearchCommand(program, context);
  addTransferCommands(program, context);
  addImportCommand(program, context, setExitCode);
  addVerifyCommand(program, context, setExitCode);
  addBenchCommand(program, context);
  addWatchCommand(program, context);
  addSharingCommands(program, context, setExitCode);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

function reportError(error: unknown, streams: CliStreams): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text).
    const ok = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
    return ok ? 0 : 2;
  }
  const code = isMultichatError(error) ? error.exitCode : 5;
  streams.stderr.write(`multichat: ${describeError(error)}\n`);
  return code;
}
