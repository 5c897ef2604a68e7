/**
 * Strongly connected components (Tarjan), iterative so that a chain of
 * 10,000 nested splits cannot overflow the call stack. Returns the component
 * id of every node; linear in nodes + edges.
 */
export function stronglyConnected(nodeCount: number, adjacency: readonly (readonly number[])[]): number[] {
  const index = new Array<number>(nodeCount).fill(-1);
  const low = new Array<number>(nodeCount).fill(0);
  const onStack = new Array<boolean>(nodeCount).fill(false);
  const component = new Array<number>(nodeCount).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let start = 0; start < nodeCount; start++) {
    if (index[start] !== -1) continue;
    // Frames: [node, next edge position].
    const frames: [number, number][] = [[start, 0]];
    index[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, pos] = frame;
      const edges = adjacency[v]!;
      if (pos < edges.length) {
        frame[1]++;
        const w = edges[pos]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          frames.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}
