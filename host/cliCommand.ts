// The command line that trains a model file with the CLI shipped inside the installed extension,
// so `model-lab` can be used outside this repository (in a terminal, a script or CI) without a
// separate install.

/** Quotes an argument for a POSIX shell or for PowerShell/cmd when it holds anything but safe characters. */
export function shellQuote(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (platform === 'win32') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `node <extension>/bin/model-lab.js train <file>`; `file` omitted gives the bare command. */
export function cliCommandLine(extensionPath: string, file: string | undefined, platform: NodeJS.Platform = process.platform): string {
  const sep = platform === 'win32' ? '\\' : '/';
  const bin = [extensionPath.replace(/[\\/]+$/, ''), 'bin', 'model-lab.js'].join(sep);
  const parts = ['node', shellQuote(bin, platform)];
  if (file) parts.push('train', shellQuote(file, platform));
  return parts.join(' ');
}
