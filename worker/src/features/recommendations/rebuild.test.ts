import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import worker from '../../index'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import {
  comments,
  likes,
  userCategoryInterest,
  users,
  videoTags,
  videos,
  watches,
} from '../../db/schema'
import { pageInteractions } from './catalogue'
import {
  buildHeadNeighbours,
  createNeighbourLists,
  decodeHeadNeighbours,
  encodeHeadNeighbours,
  decodeShardColumns,
  decodeSimilarityIndex,
  mergeShardColumns,
  prepareNeighbourSearch,
  similarItems,
  similarList,
  withCoEngagement,
  type Interaction,
  type ShardColumns,
  type SimilarList,
} from './engine'
import { recsMessage, type RecsMessage } from './rebuild'
import { loadRun } from './runs'
import { kvKeys, r2Keys, type IdList, type RebuildRecord, type ScoredList } from './store'

// The rebuild's queue is captured so the test delivers each batch itself (and twice).
function capturingEnv(): { env: Env; sent: RecsMessage[] } {
  const sent: RecsMessage[] = []
  const queue = {
    async send(body: unknown) {
      sent.push(recsMessage.parse(body))
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      for (const m of messages) sent.push(recsMessage.parse(m.body))
    },
  }
  return { env: { ...env, RECS_QUEUE: queue as unknown as Queue }, sent }
}

async function runCron(cron: string, target: Env) {
  const ctx = createExecutionContext()
  await worker.scheduled(
    createScheduledController({ cron, scheduledTime: Date.now() }),
    target,
    ctx,
  )
  await waitOnExecutionContext(ctx)
}

async function deliver(target: Env, body: unknown, queue = 'clipstream-recs') {
  const batch = createMessageBatch(queue, [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body },
  ])
  const ctx = createExecutionContext()
  await worker.queue(batch, target)
  return getQueueResult(batch, ctx)
}

async function tag(videoId: string, ...tags: string[]) {
  for (const t of tags) await db().insert(videoTags).values({ videoId, tag: t })
}

async function seedCatalogue() {
  const creator = await makeUser()
  const banned = await makeUser({ banned: true })
  const recipes: string[] = []
  const football: string[] = []
  for (let i = 0; i < 8; i++) {
    const r = await makeVideo(creator.id, { categories: ['recipes'] })
    await tag(r, 'pasta', `dish${i % 3}`)
    recipes.push(r)
    const f = await makeVideo(creator.id, { categories: ['football'] })
    await tag(f, 'goal', `club${i % 3}`)
    football.push(f)
  }
  const hidden = [
    await makeVideo(creator.id, { categories: ['recipes'], visibility: 'private' }),
    await makeVideo(creator.id, { categories: ['recipes'], status: 'removed' }),
    await makeVideo(creator.id, { categories: ['recipes'], status: 'in_review' }),
    await makeVideo(creator.id, { categories: ['recipes'], visibility: 'unlisted' }),
    await makeVideo(banned.id, { categories: ['recipes'] }),
  ]
  for (const h of hidden) await tag(h, 'pasta')
  const cook = await makeUser()
  const fan = await makeUser()
  for (const r of recipes.slice(0, 3)) {
    await db().insert(watches).values({ userId: cook.id, videoId: r, watchFraction: 0.9 })
  }
  await db()
    .insert(likes)
    .values({ userId: cook.id, videoId: recipes[3] ?? '' })
  for (const f of football.slice(0, 3)) {
    await db().insert(watches).values({ userId: fan.id, videoId: f, watchFraction: 0.8 })
    await db().insert(comments).values({
      id: crypto.randomUUID(),
      videoId: f,
      authorId: fan.id,
      body: 'goal!',
      status: 'published',
    })
  }
  // Held comments do not count for anything.
  await db()
    .insert(comments)
    .values({
      id: crypto.randomUUID(),
      videoId: recipes[7] ?? '',
      authorId: fan.id,
      body: 'hm',
      status: 'held',
    })
  return { creator, recipes, football, hidden, cook, fan }
}

const kvJson = <T>(key: string) => env.RECS.get<T>(key, 'json')
// A video's stored neighbours, read back as scored items.
const similarOf = async (videoId: string) => {
  const list = await kvJson<SimilarList>(kvKeys.similar(videoId))
  return list ? { version: list.version, items: similarItems(list) ?? [] } : null
}

describe('nightly rebuild', () => {
  it('plans on the 03:00 cron, fans out batches, and the last batch finishes the run', async () => {
    const seeded = await seedCatalogue()
    const { env: target, sent } = capturingEnv()
    await runCron('0 3 * * *', target)

    const versions = new Set(sent.map((m) => ('version' in m ? m.version : '')))
    expect(versions.size).toBe(1)
    const version = [...versions][0] ?? ''
    // The cron reads the catalogue only: interactions are read by the planning shards, and
    // neighbour and user batches wait for them (and user batches for the neighbour blocks).
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.every((m) => m.type === 'recs.plan-shard')).toBe(true)
    expect((await loadRun(env.DB, version))?.finishedAt).toBeNull()
    expect(await env.MEDIA.head(`recs/${version}/content.bin`)).not.toBeNull()

    // `sent` grows as the last shard and the last neighbour batch send the next phase.
    for (const [i, message] of sent.entries()) {
      const result = await deliver(target, message)
      expect(result.explicitAcks).toHaveLength(1)
      const run = await loadRun(env.DB, version)
      if (i < sent.length - 1) expect(run?.finishedAt).toBeNull()
      else expect(run?.finishedAt).not.toBeNull()
    }
    const run = await loadRun(env.DB, version)
    expect(sent.filter((m) => m.type === 'recs.head')).toHaveLength(1)
    expect(sent.some((m) => m.type === 'recs.neighbours')).toBe(true)
    expect(sent.some((m) => m.type === 'recs.users')).toBe(true)
    // The head step stored its EASE lists for the neighbour batches.
    const headObject = await env.MEDIA.get(`recs/${version}/head.bin`)
    expect(headObject).not.toBeNull()
    decodeHeadNeighbours(new Uint8Array((await headObject?.arrayBuffer()) ?? new ArrayBuffer(0)))
    expect(run?.batches).toBe(sent.length)
    const record = await kvJson<RebuildRecord>(kvKeys.lastRebuild)
    expect(record?.finishedAt).not.toBeNull()
    expect(record?.durationMs).toBeGreaterThanOrEqual(0)

    const hidden = new Set(seeded.hidden)
    const similar = await similarOf(seeded.recipes[0] ?? '')
    expect(similar?.version).toBe(version)
    expect(similar?.items.length).toBeGreaterThan(0)
    // Same category and tags: the closest neighbour is another recipe.
    expect(seeded.recipes).toContain(similar?.items[0]?.itemId)
    const feed = await kvJson<ScoredList>(kvKeys.feed(seeded.cook.id))
    expect(feed?.version).toBe(version)
    expect(feed?.builtAt).toBeGreaterThan(0)
    const feedIds = feed?.items.map((s) => s.itemId) ?? []
    expect(feedIds.length).toBeGreaterThan(0)
    // Watched items are not recommended again; the cook's taste leads.
    for (const r of seeded.recipes.slice(0, 3)) expect(feedIds).not.toContain(r)
    expect(seeded.recipes).toContain(feedIds[0])
    const trending = await kvJson<ScoredList>(kvKeys.trending)
    const recipesList = await kvJson<IdList>(kvKeys.category('recipes'))
    const foodList = await kvJson<IdList>(kvKeys.parentCategory('food'))
    expect(recipesList?.items).toEqual(expect.arrayContaining(seeded.recipes))
    expect(foodList?.items).toEqual(expect.arrayContaining(seeded.recipes))
    const everything = [
      ...(similar?.items.map((s) => s.itemId) ?? []),
      ...feedIds,
      ...(trending?.items.map((s) => s.itemId) ?? []),
      ...(recipesList?.items ?? []),
      ...(foodList?.items ?? []),
    ]
    expect(everything.filter((id) => hidden.has(id))).toEqual([])
    for (const h of seeded.hidden) expect(await env.RECS.get(kvKeys.similar(h))).toBeNull()

    // Redelivery changes nothing twice: same acks, same record, same batch count.
    const before = await loadRun(env.DB, version)
    for (const message of sent.slice(0, 3)) {
      expect((await deliver(target, message)).explicitAcks).toHaveLength(1)
    }
    expect(await loadRun(env.DB, version)).toEqual(before)
    expect((await similarOf(seeded.recipes[0] ?? ''))?.items).toEqual(similar?.items)
  })

  it('sends user batches only once every neighbour batch has stored its lists', async () => {
    const seeded = await seedCatalogue()
    await env.RECS.put(kvKeys.config, JSON.stringify({ neighbourBatchSize: 5 }))
    const { env: target, sent } = capturingEnv()
    await runCron('0 3 * * *', target)
    await env.RECS.delete(kvKeys.config)
    for (const m of sent.filter((m) => m.type === 'recs.plan-shard')) await deliver(target, m)
    // Neighbour batches wait for the head step's lists.
    expect(sent.filter((m) => m.type === 'recs.neighbours')).toEqual([])
    const head = sent.filter((m) => m.type === 'recs.head')
    expect(head).toHaveLength(1)
    await deliver(target, head[0])
    const neighbours = sent.filter((m) => m.type === 'recs.neighbours')
    expect(neighbours.length).toBeGreaterThan(2)
    // A redelivered head step does not send them again.
    await deliver(target, head[0])
    expect(sent.filter((m) => m.type === 'recs.neighbours')).toHaveLength(neighbours.length)
    expect(sent.filter((m) => m.type === 'recs.users')).toEqual([])
    const version = neighbours[0]?.version ?? ''
    for (const m of neighbours.slice(0, -1)) await deliver(target, m)
    expect(sent.filter((m) => m.type === 'recs.users')).toEqual([])
    // Neighbour batches store lists only in KV (the clip's page and user batches read them).
    expect((await env.MEDIA.list({ prefix: `recs/${version}/neighbours/` })).objects).toEqual([])

    const last = neighbours[neighbours.length - 1]
    await deliver(target, last)
    const users = sent.filter((m) => m.type === 'recs.users')
    expect(users.length).toBeGreaterThan(0)
    // A redelivered last batch does not send them again.
    await deliver(target, last)
    expect(sent.filter((m) => m.type === 'recs.users')).toHaveLength(users.length)

    // Ranked from the seeds' stored lists, and the cook's taste leads.
    for (const m of users) await deliver(target, m)
    expect((await loadRun(env.DB, version))?.finishedAt).not.toBeNull()
    const feed = await kvJson<ScoredList>(kvKeys.feed(seeded.cook.id))
    expect(feed?.version).toBe(version)
    // (Earlier tests' clips share the catalogue, so the check is on the reason.)
    const top = feed?.items[0]?.reason
    expect(top?.kind).toBe('watched')
    expect(seeded.recipes.slice(0, 4)).toContain(top?.kind === 'watched' ? top.itemId : '')
  })

  it("a user batch ranks from its seeds' lists as KV holds them, and says when one is old or absent", async () => {
    const seeded = await seedCatalogue()
    const { env: target, sent } = capturingEnv()
    await runCron('0 3 * * *', target)
    for (const m of sent.filter((m) => m.type === 'recs.plan-shard')) await deliver(target, m)
    for (const m of sent.filter((m) => m.type === 'recs.head')) await deliver(target, m)
    for (const m of sent.filter((m) => m.type === 'recs.neighbours')) await deliver(target, m)
    const users = sent.filter((m) => m.type === 'recs.users')
    // The cook's seeds are the four recipes they watched or liked. As if KV still showed the
    // last version's list for three of them (pointing at a football clip) and nothing for the
    // fourth: the batch reads those, not the index.
    const [goal] = seeded.football.slice(5)
    const [first, ...others] = seeded.recipes.slice(0, 4)
    for (const id of others) {
      await env.RECS.put(
        kvKeys.similar(id),
        JSON.stringify(similarList('older', 0, [{ itemId: goal ?? '', score: 1 }])),
      )
    }
    await env.RECS.delete(kvKeys.similar(first ?? ''))
    const warnings: string[] = []
    const warn = console.warn
    console.warn = (line: string) => void warnings.push(line)
    try {
      for (const m of users) await deliver(target, m)
    } finally {
      console.warn = warn
    }
    const feed = await kvJson<ScoredList>(kvKeys.feed(seeded.cook.id))
    const top = feed?.items[0]
    expect(top?.itemId).toBe(goal)
    expect(top?.reason?.kind).toBe('watched')
    const said = warnings.map((w) => JSON.parse(w) as Record<string, unknown>)
    expect(said).toContainEqual(
      expect.objectContaining({ event: 'recs-neighbours-missing', missing: 1, stale: 3 }),
    )
  })

  it('a batch that died in the dead-letter queue still lets the run finish', async () => {
    const creator = await makeUser()
    await makeVideo(creator.id, { categories: ['baking'] })
    const { env: target, sent } = capturingEnv()
    await runCron('0 3 * * *', target)
    for (const m of sent.filter((m) => m.type === 'recs.plan-shard')) await deliver(target, m)
    for (const m of sent.filter((m) => m.type === 'recs.head')) await deliver(target, m)
    const [first, ...rest] = sent.filter((m) => m.type === 'recs.neighbours')
    expect(first?.type).toBe('recs.neighbours')
    for (const m of rest) await deliver(target, m)
    await deliver(target, first, 'clipstream-recs-dlq')
    // The lost neighbour batch still completes its phase, so the user batches go out.
    const users = sent.filter((m) => m.type === 'recs.users')
    expect(users.length).toBeGreaterThan(0)
    for (const m of users) await deliver(target, m)
    const version = first && 'version' in first ? first.version : ''
    const run = await loadRun(env.DB, version)
    expect(run?.finishedAt).not.toBeNull()
    expect(run?.failedBatches).toBe(1)
  })

  it('a head step lost to the dead-letter queue sends the neighbour batches, which use the walk', async () => {
    const seeded = await seedCatalogue()
    const { env: target, sent } = capturingEnv()
    await runCron('0 3 * * *', target)
    for (const m of sent.filter((m) => m.type === 'recs.plan-shard')) await deliver(target, m)
    const [head] = sent.filter((m) => m.type === 'recs.head')
    expect(head).toBeDefined()
    expect(sent.some((m) => m.type === 'recs.neighbours')).toBe(false)
    await deliver(target, head, 'clipstream-recs-dlq')
    const version = head?.version ?? ''
    expect(await env.MEDIA.head(`recs/${version}/head.bin`)).toBeNull()
    // (`sent` grows: the last neighbour batch sends the user batches.)
    for (const m of sent) {
      if (m.type === 'recs.neighbours' || m.type === 'recs.users') await deliver(target, m)
    }
    const run = await loadRun(env.DB, version)
    expect(run?.finishedAt).not.toBeNull()
    expect(run?.failedBatches).toBe(1)
    const similar = await similarOf(seeded.recipes[0] ?? '')
    expect(similar?.version).toBe(version)
    expect(similar?.items.length).toBeGreaterThan(0)
  })

  it('a rebuild planned in several shards completes, shrugs off redelivery and serves feeds', async () => {
    const seeded = await seedCatalogue()
    await env.RECS.put(kvKeys.config, JSON.stringify({ planShardUsers: 1 }))
    const { env: target, sent } = capturingEnv()
    await runCron('0 3 * * *', target)
    await env.RECS.delete(kvKeys.config)
    const shards = sent.filter((m) => m.type === 'recs.plan-shard')
    // One shard per active user (earlier tests' users share the database).
    expect(shards.length).toBeGreaterThanOrEqual(2)
    const version = shards[0]?.version ?? ''
    // A shard delivered twice before the others is counted once, and nothing is assembled
    // until the last one is in.
    await deliver(target, shards[0])
    await deliver(target, shards[0])
    for (const m of shards.slice(1, -1)) await deliver(target, m)
    expect(sent.filter((m) => m.type === 'recs.neighbours')).toEqual([])
    expect(await env.MEDIA.head(r2Keys.engagement(version))).toBeNull()
    const last = shards[shards.length - 1]
    await deliver(target, last)
    expect(await env.MEDIA.head(r2Keys.engagement(version))).not.toBeNull()
    expect(await env.MEDIA.head(r2Keys.lists(version))).not.toBeNull()
    const head = sent.filter((m) => m.type === 'recs.head')
    expect(head).toHaveLength(1)
    expect(head[0]?.shards).toBe(shards.length)
    // A redelivered shard after the assembly sends nothing again.
    await deliver(target, last)
    await deliver(target, shards[0])
    expect(sent.filter((m) => m.type === 'recs.head')).toHaveLength(1)
    await deliver(target, head[0])
    const neighbours = sent.filter((m) => m.type === 'recs.neighbours')
    expect(neighbours.length).toBeGreaterThan(0)
    expect(neighbours.every((m) => m.shards === shards.length)).toBe(true)
    // (`sent` grows: the last neighbour batch sends the user batches.)
    for (const m of sent) {
      if (m.type !== 'recs.plan-shard' && m.type !== 'recs.head') await deliver(target, m)
    }
    const run = await loadRun(env.DB, version)
    expect(run?.finishedAt).not.toBeNull()
    expect(run?.batches).toBe(sent.length)
    expect(run?.failedBatches).toBe(0)
    const record = await kvJson<RebuildRecord>(kvKeys.lastRebuild)
    expect(record?.version).toBe(version)
    expect(record?.finishedAt).not.toBeNull()

    // Each neighbour batch read only its rows' users from the shards, with the assembling
    // step's totals: every list is the one the merged index gives.
    expect(await env.MEDIA.head(r2Keys.coEngagementTotals(version))).not.toBeNull()
    const bytes = async (key: string) =>
      new Uint8Array((await (await env.MEDIA.get(key))?.arrayBuffer()) ?? new ArrayBuffer(0))
    const content = decodeSimilarityIndex(await bytes(r2Keys.content(version)))
    const columns: ShardColumns[] = []
    for (let k = 0; k < shards.length; k++) {
      columns.push(decodeShardColumns(await bytes(r2Keys.shardColumns(version, k))))
    }
    const merged = withCoEngagement(content, mergeShardColumns(content.itemIds.length, columns))
    // The head step read the shards too: its lists are the merged matrix's, byte for byte
    // (this catalogue's videos have too few users for a head; shards.test.ts fits one).
    const headBytes = await bytes(r2Keys.headNeighbours(version))
    expect(Array.from(headBytes)).toEqual(
      Array.from(encodeHeadNeighbours(buildHeadNeighbours(merged.coEngagement, 100))),
    )
    const lists = createNeighbourLists(
      prepareNeighbourSearch(merged, {}, decodeHeadNeighbours(headBytes)),
    )
    expect(merged.coEngagement.columns.length).toBeGreaterThan(0)
    for (const [row, id] of merged.itemIds.entries()) {
      const stored = await kvJson<SimilarList>(kvKeys.similar(id))
      expect(stored).toEqual(similarList(version, content.builtAt, lists.of(row)))
    }

    const feed = await kvJson<ScoredList>(kvKeys.feed(seeded.cook.id))
    expect(feed?.version).toBe(version)
    const top = feed?.items[0]?.reason
    expect(top?.kind).toBe('watched')
    expect(seeded.recipes.slice(0, 4)).toContain(top?.kind === 'watched' ? top.itemId : '')
    const similar = await similarOf(seeded.football[0] ?? '')
    expect(similar?.version).toBe(version)
    // (Earlier tests' clips share the catalogue: the closest is some football clip.)
    const footballList = await kvJson<IdList>(kvKeys.category('football'))
    expect(footballList?.items).toContain(similar?.items[0]?.itemId)
    // The served page follows the nightly list: the cook's recipes, placed by what they watched.
    const page = await call('GET', '/api/feed', { user: seeded.cook })
    expect(page.status).toBe(200)
    const cards = (page.json as { videos: { id: string; reason: { kind: string } }[] }).videos
    const placed = cards.filter((c) => c.reason.kind === 'watched').map((c) => c.id)
    expect(placed.length).toBeGreaterThan(0)
    const recipesList = await kvJson<IdList>(kvKeys.category('recipes'))
    expect(placed.filter((id) => !recipesList?.items.includes(id))).toEqual([])
    for (const r of seeded.recipes.slice(0, 3)) expect(cards.map((c) => c.id)).not.toContain(r)
  })

  it('a planning shard lost to the dead-letter queue still lets the run finish', async () => {
    await seedCatalogue()
    await env.RECS.put(kvKeys.config, JSON.stringify({ planShardUsers: 1 }))
    const { env: target, sent } = capturingEnv()
    await runCron('0 3 * * *', target)
    await env.RECS.delete(kvKeys.config)
    const [lost, ...shards] = sent.filter((m) => m.type === 'recs.plan-shard')
    expect(shards.length).toBeGreaterThan(0)
    for (const m of shards) await deliver(target, m)
    expect(sent.some((m) => m.type === 'recs.head')).toBe(false)
    await deliver(target, lost, 'clipstream-recs-dlq')
    expect(sent.some((m) => m.type === 'recs.head')).toBe(true)
    // (`sent` grows: the last neighbour batch sends the user batches.)
    for (const m of sent) if (m.type !== 'recs.plan-shard') await deliver(target, m)
    const run = await loadRun(env.DB, lost?.version ?? '')
    expect(run?.finishedAt).not.toBeNull()
    expect(run?.failedBatches).toBe(1)
  })

  it('a planning shard reads exactly its range of users, every table, page by page', async () => {
    const seeded = await seedCatalogue()
    const all: Interaction[] = []
    for await (const page of pageInteractions(env.DB, 0, 1000)) all.push(...page)
    const userIds = [...new Set(all.map((i) => i.userId))].sort()
    expect(userIds.length).toBeGreaterThanOrEqual(2)
    const key = (i: Interaction) => `${i.userId} ${i.itemId} ${i.kind} ${i.at}`
    // Three ranges that cover every id, read in pages of 2 rows.
    const cuts = [
      { after: '', upto: userIds[0] ?? '' },
      {
        after: userIds[0] ?? '',
        upto: seeded.fan.id < seeded.cook.id ? seeded.fan.id : seeded.cook.id,
      },
      { after: seeded.fan.id < seeded.cook.id ? seeded.fan.id : seeded.cook.id, upto: null },
    ]
    const parts: Interaction[][] = []
    for (const range of cuts) {
      const part: Interaction[] = []
      for await (const page of pageInteractions(env.DB, 0, 2, range)) {
        expect(page.length).toBeLessThanOrEqual(2)
        part.push(...page)
      }
      for (const i of part) {
        expect(i.userId > range.after && (range.upto === null || i.userId <= range.upto)).toBe(true)
      }
      parts.push(part)
    }
    expect(parts.flat().map(key).sort()).toEqual(all.map(key).sort())
    // The fan's published comments are read by the fan's shard (the held one is not).
    const fanComments = parts
      .flat()
      .filter((i) => i.userId === seeded.fan.id && i.kind === 'comment')
    expect(fanComments.map((i) => i.itemId).sort()).toEqual(seeded.football.slice(0, 3).sort())
  })

  it('reading D1 in tiny pages and batches gives the same lists', async () => {
    const seeded = await seedCatalogue()
    const rebuild = async () => {
      const { env: target, sent } = capturingEnv()
      await runCron('0 3 * * *', target)
      for (const m of sent) await deliver(target, m)
      const version = sent[0] && 'version' in sent[0] ? sent[0].version : ''
      const ids = async (key: string) =>
        new Set((await kvJson<ScoredList>(key))?.items.map((s) => s.itemId))
      return {
        run: await loadRun(env.DB, version),
        batches: sent.length,
        shards: sent.filter((m) => m.type === 'recs.plan-shard').length,
        similar: new Set((await similarOf(seeded.football[0] ?? ''))?.items.map((s) => s.itemId)),
        feed: await ids(kvKeys.feed(seeded.fan.id)),
      }
    }
    const whole = await rebuild()
    await env.RECS.put(
      kvKeys.config,
      JSON.stringify({ pageSize: 2, neighbourBatchSize: 7, userBatchSize: 1, planShardUsers: 1 }),
    )
    const paged = await rebuild()
    await env.RECS.delete(kvKeys.config)
    expect(paged.shards).toBeGreaterThan(whole.shards)
    expect(paged.run?.items).toBe(whole.run?.items)
    expect(paged.run?.users).toBe(whole.run?.users)
    expect(paged.batches).toBeGreaterThan(whole.batches)
    expect(paged.run?.finishedAt).not.toBeNull()
    expect(paged.similar).toEqual(whole.similar)
    expect(paged.feed).toEqual(whole.feed)
    expect(paged.feed.size).toBeGreaterThan(0)
  })

  it('the 04:00 job writes the top categories to user_category_interest', async () => {
    const creator = await makeUser()
    const viewer = await makeUser()
    const baking = [
      await makeVideo(creator.id, { categories: ['baking'] }),
      await makeVideo(creator.id, { categories: ['baking'] }),
      await makeVideo(creator.id, { categories: ['baking'] }),
    ]
    const running = await makeVideo(creator.id, { categories: ['running'] })
    for (const v of baking) {
      await db().insert(watches).values({ userId: viewer.id, videoId: v, watchFraction: 1 })
    }
    await db().insert(likes).values({ userId: viewer.id, videoId: running })
    // A stale preference from an older run is replaced.
    await db()
      .insert(userCategoryInterest)
      .values({ userId: viewer.id, categoryId: 'memes', score: 1, interactionCount: 9 })
    const { env: target, sent } = capturingEnv()
    await runCron('0 4 * * *', target)
    expect(sent.every((m) => m.type === 'recs.preferences')).toBe(true)
    for (const m of sent) await deliver(target, m)
    for (const m of sent) await deliver(target, m)
    const rows = await db()
      .select()
      .from(userCategoryInterest)
      .where(eq(userCategoryInterest.userId, viewer.id))
    const sorted = rows.sort((a, b) => b.score - a.score)
    expect(sorted.map((r) => r.categoryId)).toEqual(['baking', 'running'])
    expect(sorted[0]?.interactionCount).toBe(3)
    expect(rows.length).toBeLessThanOrEqual(3)
  })
})

describe('admin rebuild routes', () => {
  it('only admins trigger a rebuild; moderators and admins read the status', async () => {
    const user = await makeUser()
    const moderator = await makeUser({ role: 'moderator' })
    const admin = await makeUser({ role: 'admin' })
    expect((await call('POST', '/api/admin/recs/rebuild')).status).toBe(401)
    expect((await call('POST', '/api/admin/recs/rebuild', { user })).status).toBe(403)
    expect((await call('POST', '/api/admin/recs/rebuild', { user: moderator })).status).toBe(403)
    expect((await call('GET', '/api/admin/recs/status')).status).toBe(401)
    expect((await call('GET', '/api/admin/recs/status', { user })).status).toBe(403)
    const status = await call('GET', '/api/admin/recs/status', { user: moderator })
    expect(status.status).toBe(200)
    expect(status.json.catalogueSize).toBeGreaterThan(0)
    expect(status.json).toHaveProperty('lastRebuild')
    expect(status.json.feed).toHaveProperty('explorationShare')
    const triggered = await call('POST', '/api/admin/recs/rebuild', { user: admin })
    expect(triggered.status).toBe(202)
  })

  it('the queued manual trigger runs the same plan', async () => {
    const { env: target, sent } = capturingEnv()
    const result = await deliver(target, { type: 'recs.rebuild', trigger: 'manual:test' })
    expect(result.explicitAcks).toHaveLength(1)
    expect(sent.length).toBeGreaterThan(0)
    const version = sent[0] && 'version' in sent[0] ? sent[0].version : ''
    expect((await loadRun(env.DB, version))?.trigger).toBe('manual:test')
    // Old versions' artifacts are cleaned up: the last finished one and the new one remain.
    const stored = await env.MEDIA.list({ prefix: 'recs/', delimiter: '/' })
    expect(stored.delimitedPrefixes.length).toBeLessThanOrEqual(2)
    expect(stored.delimitedPrefixes).toContain(`recs/${version}/`)
    // Banned users are not ranked.
    const bannedIds = new Set(
      (await db().select({ id: users.id }).from(users).where(eq(users.banned, true))).map(
        (u) => u.id,
      ),
    )
    for (const m of sent) {
      if (m.type === 'recs.users') expect(m.userIds.filter((id) => bannedIds.has(id))).toEqual([])
    }
    expect(await db().select().from(videos).limit(1)).toHaveLength(1)
  })
})
