// The recommendation engine: pure functions over plain data, shared by the Worker's cron,
// queue consumers and FeedState Durable Object, and by the offline evaluation CLI.

export * from './types'
export * from './random'
export * from './sparse'
export * from './content'
export * from './collaborative'
export * from './similarity'
export * from './headModel'
export * from './engagement'
export * from './preferences'
export * from './ranking'
export * from './exploration'
export * from './feedPage'
export * from './rebuild'
export * from './batches'
export * from './seedLists'
export * from './shards'
