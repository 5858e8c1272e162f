// One way to say no in Restricted Mode (an untrusted workspace): what is refused and why, how to
// trust, the button that does it, and what still works untrusted.
import * as vscode from 'vscode';

export const MANAGE_TRUST = 'Manage Workspace Trust';

export async function refuseInRestrictedMode(why: string): Promise<void> {
  const pick = await vscode.window.showWarningMessage(
    `${why} Trust this folder with "${MANAGE_TRUST}" to allow it. (Untrusted, "Model Lab: Train Model" still trains declarative model files on data inside the workspace.)`,
    MANAGE_TRUST);
  if (pick === MANAGE_TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
}
