// A user batch as the Worker runs it (worker/src/features/recommendations/rebuild.ts,
// `writeUserBatch`), over the bench's stand-ins: its users' histories from the column log
// (D1), its seeds' `similar:` lists from the serialised values the neighbour batches wrote
// (KV: bulk reads of 100 keys, each value parsed as KV's 'json' type does), the batch's
// preferences, each user ranked, each feed serialised as it would go to KV.

import {
  analysePreferences,
  batchRankingSources,
  createSeedLists,
  rankForUser,
  rankingSeeds,
  seedReads,
  type Interaction,
  type RankingFacts,
  type SeedLists,
  type StoredSimilarList,
} from '../../worker/src/features/recommendations/engine'
import { row, type Log } from './columnLog'
import type { ListDigests } from './sameOutput'

export type UserBatchSources = ReturnType<typeof batchRankingSources>

export interface UserBatchRun {
  log: Log
  version: string
  now: number
  // `similar:{id}` -> the list as written.
  kv: Map<string, string>
  digests?: ListDigests
}

export function createUserBatches(run: UserBatchRun) {
  const { log, version, now, kv } = run
  // The lists of the batch being ranked: sources read their neighbours through it.
  let current: SeedLists | undefined
  let feedBytes = 0
  let missingLists = 0
  const listsRead: number[] = []
  const bulkReads: number[] = []
  const bytesRead: number[] = []

  // What an isolate derives once from the facts it parsed.
  const sourcesOf = (facts: RankingFacts): UserBatchSources =>
    batchRankingSources({ arrays: (r) => current?.arrays(facts.items.ids.idAt(r)) }, facts)

  const rank = (users: number[], src: UserBatchSources): void => {
    const histories = new Map<string, Interaction[]>()
    for (const u of users) {
      const history: Interaction[] = []
      for (let p = log.userStart[u] ?? 0; p < (log.userStart[u + 1] ?? 0); p++) {
        history.push(row(log.byUser, p))
      }
      histories.set(log.userIds[u] ?? '', history)
    }
    const seeds = new Map([...histories].map(([id, h]) => [id, rankingSeeds(h, { now })]))
    const seedIds: string[] = []
    for (const list of seeds.values()) {
      for (const seed of list) if (src.rowOf(seed.itemId) !== undefined) seedIds.push(seed.itemId)
    }
    const lists = createSeedLists(version)
    const reads = seedReads(seedIds)
    let bytes = 0
    for (const keys of reads) {
      for (const id of keys) {
        const stored = kv.get(`similar:${id}`)
        bytes += stored?.length ?? 0
        lists.add(id, stored === undefined ? null : (JSON.parse(stored) as StoredSimilarList))
      }
    }
    listsRead.push(lists.size())
    bulkReads.push(reads.length)
    bytesRead.push(bytes)
    current = lists
    const preferences = analysePreferences(
      [...histories.values()].flat(),
      (id) => src.item(id)?.categories,
      { now },
    )
    for (const [userId, history] of histories) {
      const list = rankForUser(
        src,
        { userId, history, preferences: preferences.get(userId), seeds: seeds.get(userId) },
        { now },
      )
      const feed = JSON.stringify({ version, builtAt: now, items: list })
      feedBytes += feed.length
      run.digests?.feed(feed)
    }
    missingLists += lists.missing()
    current = undefined
  }

  // What the batches ranked so far read and wrote.
  const summary = (mb: (bytes: number) => number) => ({
    feedListsMB: mb(feedBytes),
    userBatchReads: {
      listsMean: Math.round(listsRead.reduce((a, b) => a + b, 0) / listsRead.length),
      listsMax: Math.max(0, ...listsRead),
      bulkReadsMax: Math.max(0, ...bulkReads),
      mbMean: mb(bytesRead.reduce((a, b) => a + b, 0) / bytesRead.length),
      mbMax: mb(Math.max(0, ...bytesRead)),
      // Seeds without a list: 0 unless a neighbour batch was lost.
      missingLists,
    },
  })

  return { sourcesOf, rank, summary }
}
