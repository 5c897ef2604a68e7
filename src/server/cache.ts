/**
 * The snapshot cache: holds the snapshot being served and tells subscribers
 * when it is replaced. Streams depend only on the SnapshotSource interface
 * (as go-control-plane's server depends on its cache interface), so tests and
 * embedders can drive the server with snapshots from anywhere.
 */
import type { NodeSnapshot, Snapshot } from './snapshot.ts';

export type SnapshotListener = (next: Snapshot, previous: Snapshot) => void;

export interface SnapshotSource {
  current(): Snapshot;
  node(id: string): NodeSnapshot | undefined;
  /** Returns the unsubscribe function. */
  subscribe(listener: SnapshotListener): () => void;
}

export class SnapshotCache implements SnapshotSource {
  private snapshot: Snapshot;
  private readonly listeners = new Set<SnapshotListener>();

  constructor(initial: Snapshot) {
    this.snapshot = initial;
  }

  current(): Snapshot {
    return this.snapshot;
  }

  node(id: string): NodeSnapshot | undefined {
    return this.snapshot.nodes.get(id);
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Swaps in a new snapshot (one assignment: streams never see a mix) and notifies; false when the content is unchanged. */
  set(next: Snapshot): boolean {
    const previous = this.snapshot;
    this.snapshot = next;
    if (next.fingerprint === previous.fingerprint) return false;
    for (const listener of [...this.listeners]) listener(next, previous);
    return true;
  }
}
