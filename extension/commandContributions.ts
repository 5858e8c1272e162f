// package.json's command contributions as the command table (commandTable.ts) implies them: the
// commands with their titles and icons, the Command Palette entries and the menus. The unit test
// compares package.json with this; scripts/gen-commands.ts writes it into package.json.
import { CATEGORY, isContributed, type CommandSpec } from './commandTable';

export interface CommandContribution { command: string; title: string; category: string; icon?: string; enablement?: string }
export interface MenuEntry { command: string; when?: string; group?: string }

export interface CommandContributions {
  commands: CommandContribution[];
  /** By menu id; the Command Palette first, then the menus in the order the table first names them. */
  menus: Record<string, MenuEntry[]>;
}

export function commandContributions(table: Record<string, CommandSpec>): CommandContributions {
  const commands: CommandContribution[] = [];
  const menus: Record<string, MenuEntry[]> = { commandPalette: [] };
  const add = (menu: string, entry: MenuEntry) => (menus[menu] ??= []).push(entry);
  for (const [command, spec] of Object.entries(table)) {
    if (!isContributed(spec)) continue;
    commands.push({
      command, title: spec.title, category: spec.category ?? CATEGORY,
      ...(spec.icon ? { icon: spec.icon } : {}), ...(spec.enablement ? { enablement: spec.enablement } : {}),
    });
    // Shown always: no palette entry; never: when false; else while its clause holds.
    if (spec.palette !== true) add('commandPalette', { command, when: spec.palette === false ? 'false' : spec.palette });
    for (const m of spec.menus ?? []) add(m.menu, { command, when: m.when, group: m.group });
  }
  return { commands, menus };
}
