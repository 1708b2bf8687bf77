// The height of the tallest lane heading (title and state line) in the lanes under `ref`, kept up to date as they
// wrap: every lane's heading takes that much, so the diagrams side by side start level ("Selective Repeat, W = 8
// ★ Winner" wraps on a 1024-px projector, and its diagram started a line lower than the others'). Measured from the
// title's top to the state line's bottom, which the reserved height does not change. null while there are no lanes.
import { useLayoutEffect, useState, type RefObject } from 'react';

export function useLaneHeads(ref: RefObject<HTMLElement | null>, lanes: number): number | null {
  const [tallest, setTallest] = useState<number | null>(null);
  useLayoutEffect(() => {
    const container = ref.current;
    if (lanes === 0 || container === null) {
      setTallest(null);
      return;
    }
    const heads = [...container.querySelectorAll<HTMLElement>('.compare-lane-head')];
    const measure = (): void => {
      const heights = heads.map((head) => {
        const first = head.firstElementChild!.getBoundingClientRect();
        const last = head.lastElementChild!.getBoundingClientRect();
        return last.bottom - first.top;
      });
      // Whole pixels: a fraction must not re-render the view for nothing.
      setTallest(Math.ceil(Math.max(...heights)));
    };
    measure();
    // A title or state line wraps, or unwraps, as the lanes narrow or widen and as the state's text changes.
    const observer = new ResizeObserver(measure);
    for (const head of heads) for (const line of head.children) observer.observe(line);
    return () => observer.disconnect();
  }, [ref, lanes]);
  return tallest;
}
