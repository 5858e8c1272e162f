// Many host messages can arrive between two frames: a page draws once per frame, whatever came.

/** A function that asks for `draw` at the next frame, once however often it is called before then. */
export function oncePerFrame(draw: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
}
