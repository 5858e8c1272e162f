// The live half of "feature maps for an input the user picks": the worker hands picks from the host
// to this channel; its training hook answers at once with the current weights (the loop yields to
// messages between batches, so no step is in flight) and again after every epoch for the same
// pick, so the panel's choice survives new epochs.
import type { ExamplePick, PickedMapsReply } from '../../protocol/pickedMaps';
import type { LoopContext, TrainingHook } from '../train/hooks';
import { convLayersOf, isClassification, PickedMapsComputer } from './pickedMaps';

export class PickedMapsChannel {
  private pick: ExamplePick | undefined;
  private computer: PickedMapsComputer | undefined;
  private ctx: LoopContext | undefined;
  private ended = false;
  /** Why this run has no maps to give (no conv layer; a network whose layers are not the file's). */
  private unavailable: string | undefined;

  constructor(private readonly send: (reply: PickedMapsReply) => void) {}

  /**
   * A pick from the panel: answered now if training is under way, else when it begins. After the
   * end no answer comes: the host asks the saved model once the run has finished.
   */
  request(pick: ExamplePick): void {
    this.pick = pick;
    if (this.ended) return;
    if (this.unavailable) this.send({ pick, error: this.unavailable });
    else this.answer();
  }

  private answer(): void {
    if (!this.pick || !this.computer || !this.ctx) return;
    // A picture the panel asked for must never stop training: a failure is the answer instead.
    try {
      this.send(this.computer.compute(this.pick, this.ctx.step, this.ctx.epoch));
    } catch (e) {
      this.send({ pick: this.pick, error: `Feature maps could not be computed: ${(e as Error).message}` });
    }
  }

  hook(): TrainingHook {
    return {
      begin: (ctx) => {
        const convs = convLayersOf(ctx.spec);
        try {
          if (convs.length === 0) throw new Error('this model has no conv2d layer.');
          this.computer = new PickedMapsComputer(ctx.model, convs, { ...(ctx.trainData ? { train: ctx.trainData } : {}), ...(ctx.val ? { validation: ctx.val } : {}) }, isClassification(ctx.spec));
          this.ctx = ctx;
        } catch (e) {
          this.unavailable = `No feature maps: ${(e as Error).message}`;
          if (this.pick) this.send({ pick: this.pick, error: this.unavailable });
          return;
        }
        this.answer();
      },
      afterEpoch: () => this.answer(),
      end: () => {
        this.ended = true;
        this.computer = undefined;
        this.ctx = undefined;
      },
    };
  }
}
