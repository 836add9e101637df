// The D1 schema. migrations/ is generated from this file by drizzle-kit
// (`npm run db:generate`); never edit generated SQL by hand.
import { sql } from 'drizzle-orm'
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'

const now = sql`(unixepoch('subsec') * 1000)`
const createdAt = () => integer('created_at').notNull().default(now)
const updatedAt = () => integer('updated_at').notNull().default(now)

export const ROLES = ['user', 'moderator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull().default('user'),
    displayName: text('display_name').notNull().default(''),
    bio: text('bio').notNull().default(''),
    avatarUrl: text('avatar_url'),
    bannerUrl: text('banner_url'),
    website: text('website'),
    location: text('location'),
    verified: integer('verified', { mode: 'boolean' }).notNull().default(false),
    banned: integer('banned', { mode: 'boolean' }).notNull().default(false),
    bannedReason: text('banned_reason'),
    // Last time the account hit a rate limit; its reports weigh nothing for a while.
    rateLimitedAt: integer('rate_limited_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_username_unique').on(t.username),
    uniqueIndex('users_email_unique').on(t.email),
  ],
)

export const sessions = sqliteTable(
  'sessions',
  {
    // SHA-256 of the cookie token: a leaked table does not leak sessions.
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

// Failed logins per (email, client IP), counted in one atomic upsert. Keyed by
// a hash, so unknown emails are counted exactly like known ones.
export const loginFailures = sqliteTable('login_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  firstAt: integer('first_at').notNull(),
})

export const parentCategories = sqliteTable('parent_categories', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  icon: text('icon').notNull().default(''),
  position: integer('position').notNull().default(0),
})

export const categories = sqliteTable(
  'categories',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id')
      .notNull()
      .references(() => parentCategories.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    icon: text('icon').notNull().default(''),
  },
  (t) => [index('categories_parent_idx').on(t.parentId)],
)

export const userInterests = sqliteTable(
  'user_interests',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    parentCategoryId: text('parent_category_id')
      .notNull()
      .references(() => parentCategories.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.parentCategoryId] })],
)

export const VIDEO_STATUSES = [
  'uploading',
  'processing',
  'moderating',
  'published',
  'in_review',
  'rejected',
  'failed',
  'removed',
] as const
export type VideoStatus = (typeof VIDEO_STATUSES)[number]
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const
export type Visibility = (typeof VISIBILITIES)[number]

export const videos = sqliteTable(
  'videos',
  {
    id: text('id').primaryKey(),
    creatorId: text('creator_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    durationSeconds: real('duration_seconds'),
    width: integer('width'),
    height: integer('height'),
    status: text('status', { enum: VIDEO_STATUSES }).notNull().default('uploading'),
    statusReason: text('status_reason'),
    // 0-100 while uploading/processing, shown to the creator.
    progress: integer('progress').notNull().default(0),
    visibility: text('visibility', { enum: VISIBILITIES }).notNull().default('public'),
    viewCount: integer('view_count').notNull().default(0),
    likeCount: integer('like_count').notNull().default(0),
    commentCount: integer('comment_count').notNull().default(0),
    // Upload bookkeeping: declared size/type, R2 key and multipart id.
    sourceKey: text('source_key'),
    sizeBytes: integer('size_bytes'),
    contentType: text('content_type'),
    multipartUploadId: text('multipart_upload_id'),
    // Media pipeline: the current job and how often it was attempted.
    jobId: text('job_id'),
    jobAttempts: integer('job_attempts').notNull().default(0),
    // Machine-made content labels (JSON array of strings) used by recommendations.
    labels: text('labels').notNull().default('[]'),
    // Transcoder result (renditions, frames, probe) as JSON.
    media: text('media'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    statusChangedAt: integer('status_changed_at').notNull().default(now),
    publishedAt: integer('published_at'),
  },
  (t) => [
    index('videos_feed_idx').on(t.status, t.visibility, t.publishedAt, t.id),
    index('videos_creator_idx').on(t.creatorId, t.createdAt),
    index('videos_status_changed_idx').on(t.status, t.statusChangedAt),
  ],
)

export const videoCategories = sqliteTable(
  'video_categories',
  {
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    categoryId: text('category_id')
      .notNull()
      .references(() => categories.id),
  },
  (t) => [
    primaryKey({ columns: [t.videoId, t.categoryId] }),
    index('video_categories_category_idx').on(t.categoryId, t.videoId),
  ],
)

export const videoTags = sqliteTable(
  'video_tags',
  {
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.tag] }), index('video_tags_tag_idx').on(t.tag)],
)

// One row per viewer and video: the best watch fraction and the seconds
// watched in total. `counted` makes a view count once.
export const watches = sqliteTable(
  'watches',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    watchFraction: real('watch_fraction').notNull().default(0),
    watchedSeconds: real('watched_seconds').notNull().default(0),
    counted: integer('counted', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.videoId] }),
    index('watches_video_idx').on(t.videoId),
    index('watches_updated_idx').on(t.updatedAt),
  ],
)

export const likes = sqliteTable(
  'likes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.videoId] }),
    index('likes_video_idx').on(t.videoId),
    index('likes_created_idx').on(t.createdAt),
  ],
)

export const COMMENT_STATUSES = ['published', 'held', 'rejected', 'removed'] as const
export type CommentStatus = (typeof COMMENT_STATUSES)[number]

export const comments = sqliteTable(
  'comments',
  {
    id: text('id').primaryKey(),
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    parentId: text('parent_id'),
    body: text('body').notNull(),
    status: text('status', { enum: COMMENT_STATUSES }).notNull(),
    // JSON object of per-category scores from the classifier.
    scores: text('scores'),
    reason: text('reason'),
    modelVersion: text('model_version'),
    // Set when the clip's creator hid it: then only its author (who sees it as before) and
    // moderators see it. Not a moderation status, so an appeal or a review does not undo it.
    hiddenAt: integer('hidden_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('comments_video_idx').on(t.videoId, t.parentId, t.createdAt, t.id),
    index('comments_author_idx').on(t.authorId, t.createdAt),
    index('comments_status_idx').on(t.status, t.createdAt),
  ],
)

export const follows = sqliteTable(
  'follows',
  {
    followerId: text('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    followeeId: text('followee_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.followeeId] }),
    index('follows_followee_idx').on(t.followeeId),
  ],
)

// Creators a user blocked: never recommended to that user again (feed, similar videos,
// exploration). Blocking is one row per pair, so repeating it changes nothing.
export const userBlocks = sqliteTable(
  'user_blocks',
  {
    blockerId: text('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: text('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.blockerId, t.blockedId] }),
    index('user_blocks_blocked_idx').on(t.blockedId),
  ],
)

// "Not interested" on a clip: that user is never shown it again, and the nightly ranking
// reads it as strong negative feedback. The FeedState Durable Object hears it at once.
export const notInterested = sqliteTable(
  'not_interested',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.videoId] }),
    index('not_interested_video_idx').on(t.videoId),
  ],
)

export const userCategoryInterest = sqliteTable(
  'user_category_interest',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    categoryId: text('category_id')
      .notNull()
      .references(() => categories.id),
    score: real('score').notNull(),
    interactionCount: integer('interaction_count').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.categoryId] })],
)

export const SUBJECT_TYPES = ['video', 'comment', 'user'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]

export const moderationEvents = sqliteTable(
  'moderation_events',
  {
    id: text('id').primaryKey(),
    subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
    subjectId: text('subject_id').notNull(),
    source: text('source', { enum: ['machine', 'human'] }).notNull(),
    actorId: text('actor_id'),
    decision: text('decision').notNull(),
    // JSON: per-category scores (and aggregates, per-frame timeline for videos).
    scores: text('scores'),
    explanation: text('explanation'),
    model: text('model'),
    modelVersion: text('model_version'),
    policyVersion: integer('policy_version'),
    // A moderator's decision: the policy category they chose (S, H, V, HR, ...), when they
    // named one. Machine events keep theirs in the scores.
    category: text('category'),
    createdAt: createdAt(),
  },
  (t) => [
    index('moderation_events_subject_idx').on(t.subjectType, t.subjectId, t.createdAt),
    index('moderation_events_created_idx').on(t.createdAt),
    index('moderation_events_actor_idx').on(t.actorId, t.createdAt),
  ],
)

// Display names and bios the text classifier held or rejected. The profile
// keeps showing the old text to others until a moderator approves the new
// one; a change the classifier lets through goes straight to `users` and is
// only logged in moderation_events.
export const PROFILE_FIELDS = ['displayName', 'bio'] as const
export type ProfileField = (typeof PROFILE_FIELDS)[number]
export const PROFILE_CHANGE_STATUSES = ['held', 'rejected', 'approved', 'superseded'] as const
export type ProfileChangeStatus = (typeof PROFILE_CHANGE_STATUSES)[number]

export const profileChanges = sqliteTable(
  'profile_changes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    field: text('field', { enum: PROFILE_FIELDS }).notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: PROFILE_CHANGE_STATUSES }).notNull(),
    // What the author reads: the decision and the category in words, never scores.
    reason: text('reason').notNull(),
    // JSON per-category scores, for moderators only.
    scores: text('scores'),
    modelVersion: text('model_version'),
    decidedBy: text('decided_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('profile_changes_user_idx').on(t.userId, t.field, t.createdAt),
    index('profile_changes_status_idx').on(t.status, t.createdAt, t.id),
  ],
)

export const REPORT_STATES = ['open', 'resolved', 'dismissed'] as const

export const reports = sqliteTable(
  'reports',
  {
    id: text('id').primaryKey(),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
    subjectId: text('subject_id').notNull(),
    reason: text('reason').notNull(),
    details: text('details').notNull().default(''),
    state: text('state', { enum: REPORT_STATES }).notNull().default('open'),
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
    createdAt: createdAt(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [
    // One open report per reporter and subject: repeated clicks are not extra reports.
    uniqueIndex('reports_reporter_subject_unique').on(t.reporterId, t.subjectType, t.subjectId),
    index('reports_state_idx').on(t.state, t.createdAt),
    index('reports_subject_idx').on(t.subjectType, t.subjectId),
  ],
)

// A creator's appeal against a moderation decision on their clip or comment (rejected or
// held): one per subject, ever. A moderator answers it with a reason; the answer is also a
// moderation_events row, like every decision.
export const APPEAL_SUBJECTS = ['video', 'comment'] as const
export type AppealSubject = (typeof APPEAL_SUBJECTS)[number]
export const APPEAL_STATUSES = ['pending', 'upheld', 'overturned'] as const
export type AppealStatus = (typeof APPEAL_STATUSES)[number]

export const appeals = sqliteTable(
  'appeals',
  {
    id: text('id').primaryKey(),
    subjectType: text('subject_type', { enum: APPEAL_SUBJECTS }).notNull(),
    subjectId: text('subject_id').notNull(),
    appellantId: text('appellant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    // The text classifier's word on the message, for the moderator who reads it: null when
    // it passed, else JSON {status: 'held' | 'unchecked', categories}. A message it rejects is
    // refused and never stored (appeals/service.ts).
    messageCheck: text('message_check'),
    // The subject's status when it was appealed (what the creator disagreed with).
    appealedStatus: text('appealed_status').notNull(),
    status: text('status', { enum: APPEAL_STATUSES }).notNull().default('pending'),
    // The moderator's reason, shown to the creator.
    response: text('response'),
    decidedBy: text('decided_by'),
    createdAt: createdAt(),
    decidedAt: integer('decided_at'),
  },
  (t) => [
    uniqueIndex('appeals_subject_unique').on(t.subjectType, t.subjectId),
    index('appeals_status_idx').on(t.status, t.subjectType, t.createdAt),
    index('appeals_appellant_idx').on(t.appellantId, t.createdAt),
  ],
)

// Versioned moderation thresholds; the newest row per kind is in force.
export const moderationPolicies = sqliteTable(
  'moderation_policies',
  {
    version: integer('version').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['video', 'comment'] }).notNull(),
    thresholds: text('thresholds').notNull(),
    note: text('note').notNull().default(''),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('moderation_policies_kind_idx').on(t.kind, t.version)],
)

// Parts of a multipart upload that reached R2, with their ETags. The R2
// binding cannot list parts, so we keep the list: it is what lets a broken
// upload resume where it stopped.
export const uploadParts = sqliteTable(
  'upload_parts',
  {
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    partNumber: integer('part_number').notNull(),
    etag: text('etag').notNull(),
    size: integer('size').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.partNumber] })],
)

// One row per recommendation rebuild (and per preference run). The queue batches it fans out
// into tick off rows in recs_rebuild_batches; the batch that completes the count stamps
// finished_at, so completion is exact under redelivery and concurrent consumers.
export const recsRebuilds = sqliteTable('recs_rebuilds', {
  version: text('version').primaryKey(),
  kind: text('kind', { enum: ['recommendations', 'preferences'] }).notNull(),
  trigger: text('trigger').notNull(),
  startedAt: integer('started_at').notNull(),
  plannedAt: integer('planned_at'),
  finishedAt: integer('finished_at'),
  items: integer('items').notNull().default(0),
  users: integer('users').notNull().default(0),
  batches: integer('batches').notNull().default(0),
})

export const recsRebuildBatches = sqliteTable(
  'recs_rebuild_batches',
  {
    version: text('version')
      .notNull()
      .references(() => recsRebuilds.version, { onDelete: 'cascade' }),
    batchId: text('batch_id').notNull(),
    // A batch that exhausted its retries still counts as done, so the rebuild finishes.
    failed: integer('failed', { mode: 'boolean' }).notNull().default(false),
    doneAt: integer('done_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.version, t.batchId] })],
)

// Daily totals of served feed pages, for the exploration share on the ops status.
export const recsFeedStats = sqliteTable('recs_feed_stats', {
  day: text('day').primaryKey(),
  pages: integer('pages').notNull().default(0),
  items: integer('items').notNull().default(0),
  exploratory: integer('exploratory').notNull().default(0),
})
