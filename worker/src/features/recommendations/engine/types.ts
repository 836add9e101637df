// Plain data shared by every engine module. Timestamps are epoch milliseconds so the
// same values flow from D1 rows, queue messages and CSV files without conversion.

export interface CatalogueItem {
  id: string
  categories: string[]
  parentCategories: string[]
  tags: string[]
  // Moderation labels such as `OK` or `V`; they describe content, so they are terms too.
  labels: string[]
  createdAt: number
  // Callers should pass published videos only; the flag is a second line of defence.
  published?: boolean
}

export type InteractionKind = 'view' | 'like' | 'comment' | 'skip'

export interface Interaction {
  userId: string
  itemId: string
  kind: InteractionKind
  // Views only: share of the video watched, 0..1.
  watchFraction?: number
  // Explicit strength from an external log (ratings, counts); overrides the kind's weight.
  weight?: number
  at: number
}

// Why an item was placed in a feed: the signal that contributed most to its score. Shown to
// the viewer ("Why am I seeing this?"), so it names the signal, never a score.
export type FeedReason =
  // Its neighbours include something the user engaged with: "because you watched X".
  | { kind: 'watched'; itemId: string }
  // From a category the user picked at sign-up or keeps engaging with.
  | { kind: 'category'; category: string }
  // A new clip from a creator the user follows.
  | { kind: 'following'; creatorId: string }
  // Popular with everyone (anonymous feed, top-ups).
  | { kind: 'trending' }
  // The exploration arm: something new to try.
  | { kind: 'explore' }

export interface ScoredItem {
  itemId: string
  score: number
  reason?: FeedReason
}

export const DAY_MS = 86_400_000
