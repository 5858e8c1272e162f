// Registers every command of the table (commandTable.ts) with VS Code in one loop, and runs them
// with typed arguments. Features give their handlers with `handle` (commandHandlers.ts); VS Code only
// ever sees the table's commands, and activation fails loudly when one of them has no handler.
import * as vscode from 'vscode';
import { CommandHandlers, type CommandHandler } from './commandHandlers';
import { COMMAND_IDS, type CommandArgs, type CommandId, type CommandResult } from './commandTable';

const handlers = new CommandHandlers();

/** Gives command `id` its handler until the returned disposable is disposed. */
export const handle = <K extends CommandId>(id: K, handler: CommandHandler<K>): vscode.Disposable => handlers.handle(id, handler);

/** The table's commands that nothing handles (empty once activation has run every feature). */
export const unhandledCommands = (): CommandId[] => handlers.unhandled();

/** Registers every command of the table; each call goes to the handler its feature gave. */
export function registerCommandTable(): vscode.Disposable {
  return vscode.Disposable.from(...COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => handlers.call(id, args))));
}

/** Runs a Model Lab command with the arguments its signature names. */
export async function runCommand<K extends CommandId>(id: K, ...args: CommandArgs<K>): Promise<Awaited<CommandResult<K>>> {
  return vscode.commands.executeCommand<Awaited<CommandResult<K>>>(id, ...args);
}

/** A command as lenses, tree items, quick fixes and the status bar take it, with checked arguments. */
export function commandLink<K extends CommandId>(id: K, title: string, args: CommandArgs<K>, tooltip?: string): vscode.Command {
  return { title, command: id, arguments: args, ...(tooltip !== undefined ? { tooltip } : {}) };
}
