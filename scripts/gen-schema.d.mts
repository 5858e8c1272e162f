// Types of scripts/gen-schema.mjs for the TypeScript tests that import it.
export function generateEditorAssets(root: string, dist: string): Promise<{ rules: number }>;
