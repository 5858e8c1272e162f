// Where a run keeps its trained model (engine/export/finalModel.ts writes it). A module of its own so
// the extension host can name the folder without bundling tfjs.
export const MODEL_DIR = 'model';
