// The rebuild's steps that search the item-to-item index: the head step (EASE on the most
// engaged videos) and the neighbour batches that write `similar:{videoId}`.
//
// Neither merges every planning shard's columns into the whole co-engagement matrix any
// more: each reads the shards one at a time and keeps what it needs, a neighbour batch the
// users of its own rows with their columns (engine/batchCoEngagement.ts: R2 ranged reads of
// the shards' files, only those users' entries), the head step the head videos' users
// (engine/headFromShards.ts: whole files), with the assembling step's totals
// (`walk.bin`: the per-item cap's thresholds, the walk's degrees and the engaged users per
// video, computed over every shard), so the lists are exactly the whole matrix's.

import {
  buildHeadNeighbours,
  createHeadFromShards,
  createNeighbourLists,
  decodeCoEngagementTotals,
  decodeHeadNeighbours,
  decodeShardColumns,
  decodeSimilarityIndex,
  defaultNeighbourOptions,
  encodeHeadNeighbours,
  mergeShardColumns,
  prepareNeighbourSearch,
  readBatchCoEngagement,
  readShardHeads,
  similarList,
  userReadsPerShard,
  versionSearchParts,
  withBatchCoEngagement,
  withCoEngagement,
  type CoEngagementTotals,
  type HeadNeighbours,
  type NeighbourLists,
  type ReadShardRange,
  type ShardHead,
  type VersionSearchParts,
  type ShardColumns,
  type SimilarityIndex,
} from './engine'
import { kvKeys, loadRecsConfig, putJson, r2Keys } from './store'

// The head step: EASE on the most engaged videos (headModel.ts; a fixed number of videos, so
// its cost does not grow with the catalogue). It reads the shards one at a time and keeps
// only the head videos' users (engine/headFromShards.ts); a version without totals merges
// the whole matrix as before. A redelivery rewrites the same object.
export async function writeHeadModel(
  env: Env,
  msg: { version: string; shards: number },
): Promise<void> {
  const { k } = defaultNeighbourOptions
  const totalsObject = await env.MEDIA.get(r2Keys.coEngagementTotals(msg.version))
  let head: HeadNeighbours
  if (totalsObject) {
    const totals = decodeCoEngagementTotals(new Uint8Array(await totalsObject.arrayBuffer()))
    const fit = createHeadFromShards(totals)
    for (let shard = 0; shard < totals.shardOffsets.length; shard++) {
      fit.add(shard, await countedShard(env, msg.version, totals, shard))
    }
    head = fit.finish(k)
  } else {
    const index = await loadMergedIndex(env, msg.version, msg.shards)
    if (!index) {
      console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
      return
    }
    head = buildHeadNeighbours(index.coEngagement, k)
  }
  await env.MEDIA.put(r2Keys.headNeighbours(msg.version), encodeHeadNeighbours(head))
}

// A shard's columns if the totals counted it. One the totals counted but R2 no longer holds
// comes back undefined, which makes the step fail (and retry) rather than leave its users out.
async function countedShard(
  env: Env,
  version: string,
  totals: CoEngagementTotals,
  shard: number,
): Promise<ShardColumns | undefined> {
  if ((totals.shardOffsets[shard] ?? -1) < 0) return undefined
  const object = await env.MEDIA.get(r2Keys.shardColumns(version, shard))
  return object ? decodeShardColumns(new Uint8Array(await object.arrayBuffer())) : undefined
}

// Rows [start, end) of the index -> similar:{videoId}, read by the clip's page and by the user
// batches. A redelivery rewrites the same keys.
export async function writeNeighbourBatch(
  env: Env,
  msg: { version: string; start: number; end: number; shards?: number },
): Promise<void> {
  const model =
    (msg.shards === undefined ? null : await loadBatchSearch(env, msg)) ??
    (await loadSearch(env, msg.version, msg.shards))
  if (!model) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  const end = Math.min(msg.end, model.itemIds.length)
  for (let row = msg.start; row < end; row++) {
    const list = similarList(msg.version, model.builtAt, model.neighbours.of(row))
    await putJson(env.RECS, kvKeys.similar(model.itemIds[row] ?? ''), list)
  }
}

interface LoadedSearch {
  version: string
  builtAt: number
  neighbours: NeighbourLists
  itemIds: string[]
}

// Per isolate, consecutive batches of one version (the common case) keep what depends on the
// version alone: the content side and its search structures, the totals, the shards' heads,
// the popularity damping and the head step's lists. The co-engagement part is each batch's
// own.
interface LoadedVersion {
  version: string
  contentIndex: SimilarityIndex
  // The previous batch's content search and damping, which are the version's.
  reuse?: VersionSearchParts
  totals: CoEngagementTotals
  shardHeads: (ShardHead | undefined)[]
  readShard: ReadShardRange
  head: HeadNeighbours
  collaborativeBlend: number
}
let loadedVersion: LoadedVersion | undefined

// Null when the version has no totals (assembled before they existed): the caller then
// merges the shards as before.
async function loadBatchSearch(
  env: Env,
  msg: { version: string; start: number; end: number },
): Promise<LoadedSearch | null> {
  const loaded = await loadVersion(env, msg.version)
  if (!loaded) return null
  const { totals } = loaded
  const part = await readBatchCoEngagement(
    totals,
    loaded.shardHeads,
    msg,
    loaded.readShard,
    userReadsPerShard(totals.shardOffsets.length),
  ).catch((error: unknown) => {
    // A retry in this isolate reads the heads again.
    loadedVersion = undefined
    throw error
  })
  const search = prepareNeighbourSearch(
    withBatchCoEngagement(loaded.contentIndex, totals, part),
    { collaborativeBlend: loaded.collaborativeBlend },
    loaded.head,
    loaded.reuse,
  )
  loaded.reuse = versionSearchParts(search)
  return {
    version: msg.version,
    builtAt: loaded.contentIndex.builtAt,
    // Only this batch's rows may be asked for: the others' lists would miss users.
    neighbours: createNeighbourLists(search),
    itemIds: loaded.contentIndex.itemIds,
  }
}

async function loadVersion(env: Env, version: string): Promise<LoadedVersion | null> {
  if (loadedVersion?.version === version) return loadedVersion
  const [contentObject, totalsObject] = await Promise.all([
    env.MEDIA.get(r2Keys.content(version)),
    env.MEDIA.get(r2Keys.coEngagementTotals(version)),
  ])
  if (!contentObject || !totalsObject) return null
  const config = await loadRecsConfig(env)
  const totals = decodeCoEngagementTotals(new Uint8Array(await totalsObject.arrayBuffer()))
  const readShard = shardRanges(env, version)
  loadedVersion = {
    version,
    contentIndex: decodeSimilarityIndex(new Uint8Array(await contentObject.arrayBuffer())),
    totals,
    shardHeads: await readShardHeads(totals.shardOffsets, readShard),
    readShard,
    head: await loadHead(env, version),
    collaborativeBlend: config.collaborativeBlend,
  }
  return loadedVersion
}

// Ranged reads of a version's shard files. Every range of a shard must come from the object
// whose head was read first (its etag): a shard rewritten in between fails the batch.
function shardRanges(env: Env, version: string): ReadShardRange {
  const etags = new Map<number, string>()
  return async (shard, range) => {
    const etag = etags.get(shard)
    const object = await env.MEDIA.get(r2Keys.shardColumns(version, shard), {
      range,
      ...(etag === undefined ? {} : { onlyIf: { etagMatches: etag } }),
    })
    if (!object) return undefined
    if (!('arrayBuffer' in object)) {
      throw new Error(`shard ${shard} of ${version} changed after its head was read`)
    }
    if (etag === undefined) etags.set(shard, object.etag)
    return new Uint8Array(await object.arrayBuffer())
  }
}

// Without the head step's object (a dead-lettered head step, or a version planned before
// it) every row takes the walk's neighbours.
async function loadHead(env: Env, version: string): Promise<HeadNeighbours> {
  const headObject = await env.MEDIA.get(r2Keys.headNeighbours(version))
  return headObject
    ? decodeHeadNeighbours(new Uint8Array(await headObject.arrayBuffer()))
    : new Map()
}

// Versions without totals: the whole index, the content side and every
// shard's columns merged (the per-item cap and the walk's weights applied to the merged
// rows), or the one-shot index of a version planned before sharding.
let loadedSearch: LoadedSearch | undefined

async function loadMergedIndex(
  env: Env,
  version: string,
  shards?: number,
): Promise<SimilarityIndex | null> {
  if (shards === undefined) {
    const indexObject = await env.MEDIA.get(r2Keys.index(version))
    if (!indexObject) return null
    return decodeSimilarityIndex(new Uint8Array(await indexObject.arrayBuffer()))
  }
  const contentObject = await env.MEDIA.get(r2Keys.content(version))
  if (!contentObject) return null
  const contentIndex = decodeSimilarityIndex(new Uint8Array(await contentObject.arrayBuffer()))
  const columns: ShardColumns[] = []
  for (let shard = 0; shard < shards; shard++) {
    // A lost shard's users are left out, as the assembling step left them out.
    const object = await env.MEDIA.get(r2Keys.shardColumns(version, shard))
    if (object) columns.push(decodeShardColumns(new Uint8Array(await object.arrayBuffer())))
  }
  return withCoEngagement(contentIndex, mergeShardColumns(contentIndex.itemIds.length, columns))
}

async function loadSearch(
  env: Env,
  version: string,
  shards?: number,
): Promise<LoadedSearch | null> {
  if (loadedSearch?.version === version) return loadedSearch
  const index = await loadMergedIndex(env, version, shards)
  if (!index) return null
  const config = await loadRecsConfig(env)
  const search = prepareNeighbourSearch(
    index,
    { collaborativeBlend: config.collaborativeBlend },
    await loadHead(env, version),
  )
  loadedSearch = {
    version,
    builtAt: index.builtAt,
    neighbours: createNeighbourLists(search),
    itemIds: index.itemIds,
  }
  return loadedSearch
}
