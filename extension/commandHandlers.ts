// The handlers of the table's commands (commandTable.ts), given by the features that own them the way
// they would call vscode.commands.registerCommand. Kept apart from VS Code so its rules are tested
// without an editor: one handler per command, a call to a command nothing handles fails with its
// name, and activation can list what is left unhandled.
import { COMMAND_IDS, type CommandArgs, type CommandId, type CommandResult } from './commandTable';

/** A handler gets the command's arguments; it may return its result or a promise of it. */
export type CommandHandler<K extends CommandId> = (...args: CommandArgs<K>) => CommandResult<K> | PromiseLike<CommandResult<K>>;

/** What VS Code calls a command with is not checked by the compiler: the handlers check what they must. */
type UntypedHandler = (...args: unknown[]) => unknown;

export class CommandHandlers {
  private readonly handlers = new Map<CommandId, UntypedHandler>();

  /** Gives command `id` its handler until the returned disposable is disposed. */
  handle<K extends CommandId>(id: K, handler: CommandHandler<K>): { dispose(): void } {
    if (this.handlers.has(id)) throw new Error(`Model Lab: command ${id} has two handlers.`);
    const untyped = handler as unknown as UntypedHandler;
    this.handlers.set(id, untyped);
    return { dispose: () => void (this.handlers.get(id) === untyped && this.handlers.delete(id)) };
  }

  /** The table's commands that nothing handles (none once activation has started every feature). */
  unhandled(): CommandId[] {
    return COMMAND_IDS.filter((id) => !this.handlers.has(id));
  }

  /** Runs the handler of `id` with what VS Code passed. */
  call(id: CommandId, args: unknown[]): unknown {
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`Model Lab: command ${id} is not available (its feature did not start).`);
    return handler(...args);
  }
}
