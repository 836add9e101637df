// The best items of a ranking kept in a bounded heap (ranking.ts): a user's candidates can
// number thousands, and only the first `limit` are kept, built and sorted.
import type { ScoredItem } from './types'

// Highest score first; ties by id, so every ranking is deterministic.
export function byScore(a: ScoredItem, b: ScoredItem): number {
  return b.score - a.score || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0)
}

// The first `capacity` items in `byScore` order of everything added, in a heap whose root
// is the one that would be dropped next.
export class BestScored {
  private readonly heap: ScoredItem[] = []

  constructor(private readonly capacity: number) {}

  // Whether an item would be kept; asks before the caller builds it.
  admits(itemId: string, score: number): boolean {
    if (this.capacity <= 0) return false
    const root = this.heap[0]
    if (this.heap.length < this.capacity || !root) return true
    return score > root.score || (score === root.score && itemId < root.itemId)
  }

  add(item: ScoredItem): void {
    const heap = this.heap
    if (heap.length < this.capacity) {
      heap.push(item)
      let at = heap.length - 1
      while (at > 0) {
        const parent = (at - 1) >> 1
        if (!this.after(at, parent)) break
        this.swap(at, parent)
        at = parent
      }
      return
    }
    heap[0] = item
    let at = 0
    for (;;) {
      const left = at * 2 + 1
      const right = left + 1
      let last = at
      if (left < heap.length && this.after(left, last)) last = left
      if (right < heap.length && this.after(right, last)) last = right
      if (last === at) return
      this.swap(at, last)
      at = last
    }
  }

  sorted(): ScoredItem[] {
    return [...this.heap].sort(byScore)
  }

  // Whether heap[a] comes after heap[b] in byScore order.
  private after(a: number, b: number): boolean {
    const x = this.heap[a]
    const y = this.heap[b]
    return x !== undefined && y !== undefined && byScore(x, y) > 0
  }

  private swap(a: number, b: number): void {
    const x = this.heap[a]
    const y = this.heap[b]
    if (x === undefined || y === undefined) return
    this.heap[a] = y
    this.heap[b] = x
  }
}
