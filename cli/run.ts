// Entry of the bundled CLI (dist/cli.js).
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`model-lab: ${e.stack ?? e.message}\n`);
    process.exitCode = 3;
  },
);
