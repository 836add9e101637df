// Queue consumer for the recommendation queue and its dead-letter queue.

import { writePreferenceBatch } from './preferences'
import {
  assembleWhenReady,
  batchIdOf,
  rebuildRecommendations,
  recsMessage,
  sendNeighbourBatchesWhenReady,
  sendUserBatchesWhenReady,
  writePlanShard,
  writeUserBatch,
} from './rebuild'
import { writeHeadModel, writeNeighbourBatch } from './neighbour-batches'
import { markBatchDone } from './runs'

export async function handleRecsMessage(body: unknown, env: Env): Promise<void> {
  const msg = recsMessage.parse(body)
  switch (msg.type) {
    case 'recs.rebuild':
      await rebuildRecommendations(env, msg.trigger)
      return
    case 'recs.plan-shard':
      await writePlanShard(env, msg)
      break
    case 'recs.head':
      await writeHeadModel(env, msg)
      break
    case 'recs.neighbours':
      await writeNeighbourBatch(env, msg)
      break
    case 'recs.users':
      await writeUserBatch(env, msg)
      break
    case 'recs.preferences':
      await writePreferenceBatch(env, msg.userIds)
      break
  }
  await markBatchDone(env, msg.version, batchIdOf(msg))
  if (msg.type === 'recs.plan-shard') await assembleWhenReady(env, msg)
  if (msg.type === 'recs.head') await sendNeighbourBatchesWhenReady(env, msg)
  if (msg.type === 'recs.neighbours') await sendUserBatchesWhenReady(env, msg)
}

// A batch that exhausted its retries still closes its slot (marked failed), so the run
// finishes and the status shows how many batches were lost.
export async function handleRecsDeadLetter(body: unknown, env: Env): Promise<void> {
  const msg = recsMessage.safeParse(body)
  console.error(JSON.stringify({ level: 'error', event: 'recs-dead-letter', body }))
  if (msg.success && msg.data.type !== 'recs.rebuild') {
    await markBatchDone(env, msg.data.version, batchIdOf(msg.data), true)
    if (msg.data.type === 'recs.plan-shard') await assembleWhenReady(env, msg.data)
    if (msg.data.type === 'recs.head') await sendNeighbourBatchesWhenReady(env, msg.data)
    if (msg.data.type === 'recs.neighbours') await sendUserBatchesWhenReady(env, msg.data)
  }
}
