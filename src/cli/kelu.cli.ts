/* kelu command-line entry: argument parsing and exit codes only. */
import { parseArgs } from 'node:util';
import { runExtract } from './extract.command.js';

const USAGE = `usage: kelu extract [--catalog FILE] [--ref ISO_DATETIME] [--tz ZONE]
  reads JSON Lines {"id","text","ref"?} on stdin, writes {"id","entities"} per line`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'extract') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  }
  let values: { catalog?: string; ref?: string; tz?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { catalog: { type: 'string' }, ref: { type: 'string' }, tz: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    process.stderr.write(`kelu: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await runExtract(values, process.stdin, process.stdout);
    return 0;
  } catch (err) {
    process.stderr.write(`kelu extract: ${(err as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
