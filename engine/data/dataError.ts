// An error in the user's data, tied to the `data` key it comes from so that the message can name
// the model file's line (engine/data/loadTraining.ts formats it as file:line: message).
export class DataError extends Error {
  constructor(message: string, readonly key: string) {
    super(message);
    this.name = 'DataError';
  }
}
