// Registers every command of the table (commandTable.ts) with VS Code in one loop, and runs them
// with typed arguments. The features that own a command hand in its handler with `handle`, the way
// they would call vscode.commands.registerCommand; VS Code only ever sees the table's commands, and
// activation fails loudly when one of them has no handler.
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandArgs, type CommandId, type CommandResult } from './commandTable';

/** A handler gets the command's arguments; it may return its result or a promise of it. */
export type CommandHandler<K extends CommandId> = (...args: CommandArgs<K>) => CommandResult<K> | Thenable<CommandResult<K>>;

/** What VS Code calls a command with is not checked by the compiler: the handlers check what they must. */
type UntypedHandler = (...args: unknown[]) => unknown;
const handlers = new Map<CommandId, UntypedHandler>();

/** Gives command `id` its handler until the returned disposable is disposed. */
export function handle<K extends CommandId>(id: K, handler: CommandHandler<K>): vscode.Disposable {
  if (handlers.has(id)) throw new Error(`Model Lab: command ${id} has two handlers.`);
  handlers.set(id, handler as unknown as UntypedHandler);
  return new vscode.Disposable(() => {
    if (handlers.get(id) === handler) handlers.delete(id);
  });
}

/** The table's commands that nothing handles (empty once activation has run every feature). */
export const unhandledCommands = (): CommandId[] => COMMAND_IDS.filter((id) => !handlers.has(id));

/** Registers every command of the table; each call goes to the handler its feature gave. */
export function registerCommandTable(): vscode.Disposable {
  return vscode.Disposable.from(...COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => {
    const handler = handlers.get(id);
    if (!handler) throw new Error(`Model Lab: command ${id} is not available (its feature did not start).`);
    return handler(...args);
  })));
}

/** Runs a Model Lab command with the arguments its signature names. */
export async function runCommand<K extends CommandId>(id: K, ...args: CommandArgs<K>): Promise<Awaited<CommandResult<K>>> {
  return vscode.commands.executeCommand<Awaited<CommandResult<K>>>(id, ...args);
}

/** A command as lenses, tree items, quick fixes and the status bar take it, with checked arguments. */
export function commandLink<K extends CommandId>(id: K, title: string, args: CommandArgs<K>, tooltip?: string): vscode.Command {
  return { title, command: id, arguments: args, ...(tooltip !== undefined ? { tooltip } : {}) };
}
