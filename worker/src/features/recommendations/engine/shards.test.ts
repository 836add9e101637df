import { describe, expect, it } from 'vitest'
import { createRebuildAssembler } from './assembly'
import { createRebuildPlanner } from './batches'
import {
  createCataloguePlanner,
  createPlanShard,
  inUserRange,
  mergeShardColumns,
  planCatalogue,
  planUserRanges,
  withCoEngagement,
  type CatalogueFacts,
  type ShardColumns,
  type ShardSums,
} from './shards'
import { decodeItemColumns, encodeItemColumns } from './itemColumns'
import {
  createCoEngagementTotals,
  decodeCoEngagementTotals,
  encodeCoEngagementTotals,
  type CoEngagementTotals,
} from './coEngagementTotals'
import {
  createBatchCoEngagement,
  readBatchCoEngagement,
  withBatchCoEngagement,
} from './batchCoEngagement'
import { decodeShardColumns, encodeShardColumns, type ByteRange } from './shardFile'
import { readShardHeads, type ReadShardRange } from './shardReads'
import { createHeadFromShards } from './headFromShards'
import { buildHeadNeighbours } from './headModel'
import {
  buildSimilarityIndex,
  neighboursOfRow,
  planNeighbourBatches,
  prepareNeighbourSearch,
  versionSearchParts,
  type NeighbourOptions,
  type VersionSearchParts,
} from './similarity'
import { transpose } from './sparse'
import { randomCatalogue, randomInteractions } from './testCatalogue'
import type { Interaction, InteractionKind } from './types'

const now = 1000
const items = randomCatalogue(11, 150)
// Views with repeated watch fractions and times (ties for the caps to break), plus likes,
// comments and skips, in an order that interleaves users as D1's tables do.
const kinds: InteractionKind[] = ['view', 'view', 'like', 'comment', 'skip']
const interactions: Interaction[] = randomInteractions(12, items, 60, 2500).map((i, n) => {
  const kind = kinds[n % kinds.length] ?? 'view'
  return kind === 'view' ? i : { userId: i.userId, itemId: i.itemId, kind, at: i.at }
})
// Tight caps so that both bind: the per-item one only after the shards are merged.
const caps = { maxItemsPerUser: 12, maxUsersPerItem: 6 }
const sizes = { trendingSize: 30, categoryListSize: 8 }

// As the Worker does it: the item columns through bytes, shards one by one.
const columnsOf = (facts: CatalogueFacts) => decodeItemColumns(encodeItemColumns(facts))

function assemble(facts: CatalogueFacts, sums: ShardSums[]) {
  const assembler = createRebuildAssembler(columnsOf(facts), sizes)
  for (const shard of sums) assembler.add(shard)
  const assembled = assembler.finish()
  return { ...assembled, facts: { ...facts, ...assembled.engagement } }
}

// `blockRows`: the neighbour batch size the shards' files are written for.
function shardedPlan(usersPerShard: number, pageSize = 17, blockRows = 5) {
  // The catalogue in pages, as the cron reads it from D1.
  const cataloguePlanner = createCataloguePlanner({ now, version: 'v' })
  for (let i = 0; i < items.length; i += 13) cataloguePlanner.add(items.slice(i, i + 13))
  const catalogue = cataloguePlanner.finish()
  const active = [...new Set(interactions.map((i) => i.userId))].sort()
  const ranges = planUserRanges(active, usersPerShard)
  const columns: ShardColumns[] = []
  const files: Uint8Array[] = []
  const sums: ShardSums[] = []
  for (const range of ranges) {
    // Each shard sees only its users' rows (as its D1 reads return them), through bytes.
    const shard = createPlanShard(columnsOf(catalogue.facts).ids, { now, ...caps })
    const mine = interactions.filter((i) => inUserRange(i.userId, range))
    for (let i = 0; i < mine.length; i += pageSize) shard.add(mine.slice(i, i + pageSize))
    const out = shard.finish()
    const file = encodeShardColumns(out.columns, blockRows)
    files.push(file)
    columns.push(decodeShardColumns(file))
    expect(columns[columns.length - 1]).toEqual(out.columns)
    sums.push(JSON.parse(JSON.stringify(out.sums)) as ShardSums)
  }
  const merged = mergeShardColumns(catalogue.facts.itemIds.length, columns, caps)
  return {
    ranges,
    catalogue,
    columns,
    files,
    index: withCoEngagement(catalogue.contentIndex, merged),
    assembled: assemble(catalogue.facts, sums),
    active,
  }
}

// As the assembling step does it: two passes over the shards' columns, then through bytes.
function totalsOf(columns: (ShardColumns | undefined)[]): CoEngagementTotals {
  const builder = createCoEngagementTotals(items.length, columns.length, caps)
  columns.forEach((c, k) => builder.count(k, c))
  columns.forEach((c, k) => builder.keep(k, c))
  return decodeCoEngagementTotals(encodeCoEngagementTotals(builder.finish()))
}

// R2's ranged get over the shards' files; `reads` records every range asked for.
function rangesOf(files: (Uint8Array | undefined)[], reads: ByteRange[] = []): ReadShardRange {
  return (shard, range) => {
    reads.push(range)
    const file = files[shard]
    return Promise.resolve(file?.slice(range.offset, range.offset + range.length))
  }
}

describe('sharded planning step', () => {
  it('cuts user ranges that cover every id exactly once', () => {
    const ranges = planUserRanges(['a', 'b', 'c', 'd', 'e'], 2)
    expect(ranges).toEqual([
      { after: '', upto: 'b' },
      { after: 'b', upto: 'd' },
      { after: 'd', upto: null },
    ])
    for (const id of ['a', 'b', 'bb', 'c', 'e', 'zz']) {
      expect(ranges.filter((r) => inUserRange(id, r))).toHaveLength(1)
    }
    expect(planUserRanges([], 10)).toEqual([{ after: '', upto: null }])
    expect(planUserRanges(['a', 'b'], 2)).toEqual([{ after: '', upto: null }])
  })

  it('builds the same index and neighbours as the one-shot build, whatever the shards', () => {
    const whole = buildSimilarityIndex(items, interactions, { now, version: 'v', ...caps })
    const wholeSearch = prepareNeighbourSearch(whole)
    const wholeNeighbours = whole.itemIds.map((_, r) => neighboursOfRow(wholeSearch, r))
    // The caps bind, and the per-item one needs the merged rows.
    const perItem = whole.itemIds.map(
      (_, r) => (whole.coEngagement.rowStart[r + 1] ?? 0) - (whole.coEngagement.rowStart[r] ?? 0),
    )
    expect(Math.max(...perItem)).toBe(caps.maxUsersPerItem)
    for (const usersPerShard of [1000, 7, 1]) {
      const { index, ranges } = shardedPlan(usersPerShard)
      if (usersPerShard === 7) expect(ranges.length).toBe(9)
      expect(index.itemIds).toEqual(whole.itemIds)
      expect(index.content).toEqual(whole.content)
      expect(index.coEngagement.columnCount).toBe(whole.coEngagement.columnCount)
      expect(Array.from(index.coEngagement.rowStart)).toEqual(
        Array.from(whole.coEngagement.rowStart),
      )
      expect(Array.from(index.coEngagement.columns)).toEqual(Array.from(whole.coEngagement.columns))
      // Bit for bit: users are numbered in id order by both, so every sum runs in one order.
      expect(Array.from(index.coEngagement.values)).toEqual(Array.from(whole.coEngagement.values))
      expect(Array.from(index.coEngagementDegree)).toEqual(Array.from(whole.coEngagementDegree))
      const search = prepareNeighbourSearch(index)
      expect(index.itemIds.map((_, r) => neighboursOfRow(search, r))).toEqual(wholeNeighbours)
    }
  })

  it('assembles the same facts, lists and user batches as the one-shot planner', () => {
    const planner = createRebuildPlanner(items, { now, version: 'v', ...sizes })
    for (let i = 0; i < interactions.length; i += 100) planner.add(interactions.slice(i, i + 100))
    const planned = planner.finish()
    for (const usersPerShard of [1000, 5]) {
      const { assembled, active } = shardedPlan(usersPerShard)
      const { facts } = assembled
      expect(facts.itemIds).toEqual(planned.facts.itemIds)
      expect(facts.categories).toEqual(planned.facts.categories)
      expect(facts.createdAt).toEqual(planned.facts.createdAt)
      // Engagement is summed per shard instead of per page: equal up to rounding.
      facts.engagement.forEach((e, i) =>
        expect(e).toBeCloseTo(planned.facts.engagement[i] ?? Number.NaN, 12),
      )
      expect(facts.trending.map((t) => t.itemId)).toEqual(
        planned.facts.trending.map((t) => t.itemId),
      )
      expect(assembled.categoryLists).toEqual(planned.categoryLists)
      expect(assembled.parentCategoryLists).toEqual(planned.parentCategoryLists)
      expect(assembled.batchUsers(active, 9)).toEqual(planned.batchUsers(active, 9))
    }
  })

  it('a lost shard leaves its users out instead of failing the assembly', () => {
    const catalogue = planCatalogue(items, { now, version: 'v' })
    const shard = createPlanShard(columnsOf(catalogue.facts).ids, { now })
    shard.add(interactions.filter((i) => i.userId < 'u3'))
    const { columns, sums } = shard.finish()
    const merged = mergeShardColumns(catalogue.facts.itemIds.length, [columns])
    expect(merged.matrix.columnCount).toBe(columns.userCount)
    const assembled = assemble(catalogue.facts, [sums])
    expect(assembled.facts.itemIds).toHaveLength(items.length)
    expect(assembled.batchUsers(['u0', 'zz'], 1)).toHaveLength(2)
  })

  // Posting lists so short that users are dropped (more items than 5% of the catalogue) and
  // cut (more than 3), so scores are rescored exactly: the paths the defaults reach at scale.
  const tightPostings: Partial<NeighbourOptions> = {
    coEngagement: { maxPostingLength: 3, maxDocumentFrequency: 0.05 },
  }
  // Only the longest users' lists are cut: a one-row batch whose users are all shorter must
  // still score as the whole matrix does (inexactly).
  const longestCut: Partial<NeighbourOptions> = {
    coEngagement: { maxPostingLength: caps.maxItemsPerUser - 1, maxDocumentFrequency: 1 },
  }

  it('a neighbour batch reading only its rows and their users finds the one-shot lists', async () => {
    const whole = buildSimilarityIndex(items, interactions, { now, version: 'v', ...caps })
    // Blocks of the batch's size and not (a batch then reads its blocks' users and keeps its
    // rows'), with enough ranged reads for every run of users and with a single one.
    const cases = [
      { options: {}, rows: 16, blockRows: 16, maxReads: 64 },
      { options: tightPostings, rows: 16, blockRows: 5, maxReads: 1 },
      { options: longestCut, rows: 1, blockRows: 5, maxReads: 3 },
    ]
    for (const { options, rows, blockRows, maxReads } of cases) {
      const wholeSearch = prepareNeighbourSearch(whole, options)
      const expected = whole.itemIds.map((_, r) => neighboursOfRow(wholeSearch, r))
      for (const usersPerShard of [1000, 7, 1]) {
        const { catalogue, columns, files, ranges } = shardedPlan(usersPerShard, 17, blockRows)
        if (usersPerShard === 1) expect(ranges.length).toBe(60)
        const totals = totalsOf(columns)
        expect(totals.cappedRows.length).toBeGreaterThan(0)
        expect(Array.from(totals.itemDegree)).toEqual(Array.from(whole.coEngagementDegree))
        const heads = await readShardHeads(totals.shardOffsets, rangesOf(files))
        const fileBytes = files.reduce((sum, f) => sum + f.byteLength, 0)
        let reuse: VersionSearchParts | undefined
        for (const batch of planNeighbourBatches(items.length, rows)) {
          const reads: ByteRange[] = []
          const read = await readBatchCoEngagement(
            totals,
            heads,
            batch,
            rangesOf(files, reads),
            maxReads,
          )
          const part = read.matrix
          // The entries as read by user are the part's transpose, which the search needs.
          expect(read.byUser).toEqual(transpose(part))
          // At most one read of block lists and `maxReads` of entries per shard, and less
          // than the whole files (with one shard and one read, all of its users' entries).
          expect(reads.length).toBeLessThanOrEqual(files.length * (1 + maxReads))
          const readBytes = reads.reduce((sum, r) => sum + r.length, 0)
          if (usersPerShard < 1000 || maxReads > 1) expect(readBytes).toBeLessThan(fileBytes)
          // It holds less than the whole matrix, and every entry it holds is the whole's.
          expect(part.columns.length).toBeLessThan(whole.coEngagement.columns.length)
          for (let r = 0; r < part.rowCount; r++) {
            const wholeRow = new Map<number, number>()
            const start = whole.coEngagement.rowStart[r] ?? 0
            for (let i = start; i < (whole.coEngagement.rowStart[r + 1] ?? 0); i++) {
              wholeRow.set(whole.coEngagement.columns[i] ?? 0, whole.coEngagement.values[i] ?? 0)
            }
            const length = (part.rowStart[r + 1] ?? 0) - (part.rowStart[r] ?? 0)
            if (r >= batch.start && r < batch.end) expect(length).toBe(wholeRow.size)
            for (let i = part.rowStart[r] ?? 0; i < (part.rowStart[r + 1] ?? 0); i++) {
              expect(part.values[i]).toBe(wholeRow.get(part.columns[i] ?? 0))
            }
          }
          const search = prepareNeighbourSearch(
            withBatchCoEngagement(catalogue.contentIndex, totals, read),
            options,
            undefined,
            reuse,
          )
          reuse = versionSearchParts(search)
          expect(search.coEngagement.exact).toBe(wholeSearch.coEngagement.exact)
          for (let r = batch.start; r < batch.end; r++) {
            expect(neighboursOfRow(search, r)).toEqual(expected[r])
          }
        }
      }
    }
    // The tight options do reach the inexact path, and the lists differ from the defaults'.
    expect(prepareNeighbourSearch(whole, tightPostings).coEngagement.exact).toBe(false)
    expect(prepareNeighbourSearch(whole, longestCut).coEngagement.exact).toBe(false)
  })

  it('a neighbour batch refuses shards the totals did not count, and ranges not asked for', async () => {
    const { columns, files } = shardedPlan(7)
    const totals = totalsOf(columns)
    const batch = { start: 0, end: 16 }
    const read = async (shardFiles: (Uint8Array | undefined)[], reader = rangesOf(shardFiles)) =>
      readBatchCoEngagement(
        totals,
        await readShardHeads(totals.shardOffsets, reader),
        batch,
        reader,
        4,
      )
    await expect(read(files)).resolves.toBeDefined()
    // A shard left out, two shards swapped, one cut short, one never read.
    await expect(read(files.map((f, k) => (k === 3 ? undefined : f)))).rejects.toThrow(/missing/)
    await expect(read([files[1], files[0], ...files.slice(2)])).rejects.toThrow(/not the ones/)
    const short = files.map((f, k) => (k === 2 ? f.subarray(0, f.byteLength - 8) : f))
    await expect(read(short)).rejects.toThrow(/cut short/)
    const builder = createBatchCoEngagement(totals, batch)
    expect(() => builder.finish()).toThrow(/read 0 of 9/)
    // Entries read from the wrong place (ranges one entry early) are refused, not used.
    const heads = await readShardHeads(totals.shardOffsets, rangesOf(files))
    const shifted: ReadShardRange = (shard, range) =>
      rangesOf(files)(
        shard,
        range.offset < (heads[shard]?.entriesAt ?? 0)
          ? range
          : { ...range, offset: range.offset - 8 },
      )
    await expect(read(files, shifted)).rejects.toThrow(/not where the head puts them/)
    // A lost shard (never counted) is left out by the totals and the batch alike.
    const lost = totalsOf(columns.map((c, k) => (k === 4 ? undefined : c)))
    expect(lost.shardOffsets[4]).toBe(-1)
    const reader = rangesOf(files)
    const part = await readBatchCoEngagement(
      lost,
      await readShardHeads(lost.shardOffsets, reader),
      batch,
      reader,
      4,
    )
    expect(part.matrix.columnCount).toBe(lost.userCount)
  })

  it('the head step reading the shards fits the same EASE lists as on the merged matrix', () => {
    const whole = buildSimilarityIndex(items, interactions, { now, version: 'v', ...caps })
    // A head small enough for the test's catalogue, its counts cut by the per-item cap.
    const options = { items: 40, minUsers: 2, lambda: 1 }
    const expected = buildHeadNeighbours(whole.coEngagement, 10, options)
    expect(expected.size).toBeGreaterThan(20)
    for (const usersPerShard of [1000, 7, 1]) {
      const { columns } = shardedPlan(usersPerShard)
      const totals = totalsOf(columns)
      const head = createHeadFromShards(totals, options)
      columns.forEach((c, k) => head.add(k, c))
      expect(head.finish(10)).toEqual(expected)
      const partial = createHeadFromShards(totals, options)
      expect(() => partial.finish(10)).toThrow(/read 0 of/)
    }
  })
})
