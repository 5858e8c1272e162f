// Writes the command table's contributions (extension/commandContributions.ts) into package.json:
// contributes.commands and contributes.menus. Run it after changing extension/commandTable.ts:
//   node --import tsx scripts/gen-commands.ts
// Nothing else in package.json changes; test/unit/commandTable.test.ts fails until they agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandContributions } from '../extension/commandContributions';
import { COMMAND_TABLE } from '../extension/commandTable';

const file = join(__dirname, '..', 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8')) as { contributes: Record<string, unknown> };
const { commands, menus } = commandContributions(COMMAND_TABLE);
pkg.contributes.commands = commands;
pkg.contributes.menus = menus;
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${commands.length} commands, ${Object.values(menus).flat().length} menu entries.`);
