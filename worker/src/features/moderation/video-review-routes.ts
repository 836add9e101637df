import { and, asc, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../context'
import { appeals, users, videos } from '../../db/schema'
import { decodeCursor, encodeCursor } from '../../lib/cursor'
import { validate } from '../../lib/validate'
import { appealsFor } from '../appeals/service'
import { userOf } from '../auth/middleware'
import {
  actions,
  appealOf,
  applyDecisions,
  category,
  categoryGoesWithReject,
  keyset,
  latestMachineEvents,
  pendingAppealOn,
  queueQuery,
  reason,
} from './review-queue'

// The video review queue (held, rejected, appealed) and moderators' decisions on clips,
// behind the moderator check in review-routes.ts.

type VideoStatusChange = { from: string[]; to: 'published' | 'rejected' | 'in_review' }
const VIDEO_ACTIONS: Record<z.infer<typeof actions>, VideoStatusChange> = {
  approve: { from: ['in_review', 'rejected'], to: 'published' },
  reject: { from: ['in_review', 'published'], to: 'rejected' },
  restore: { from: ['rejected', 'removed'], to: 'in_review' },
}

export const videoReviewRoutes = new Hono<AppEnv>()
  .get(
    '/videos',
    validate(
      'query',
      queueQuery.extend({
        status: z.enum(['in_review', 'rejected', 'appealed']).default('in_review'),
      }),
    ),
    async (c) => {
      const db = c.var.db
      const { status, cursor, limit } = c.req.valid('query')
      const after = decodeCursor(cursor)
      const base = db
        .select({ video: videos, creator: { id: users.id, username: users.username } })
        .from(videos)
        .innerJoin(users, eq(users.id, videos.creatorId))
      const rows = await (
        status === 'appealed' ? base.innerJoin(appeals, pendingAppealOn('video', videos.id)) : base
      )
        .where(
          and(
            status === 'appealed' ? undefined : eq(videos.status, status),
            keyset(after, videos.statusChangedAt, videos.id),
          ),
        )
        .orderBy(asc(videos.statusChangedAt), asc(videos.id))
        .limit(limit + 1)
      const page = rows.slice(0, limit)
      const events = await latestMachineEvents(
        db,
        'video',
        page.map((r) => r.video.id),
      )
      const appealRows = await appealsFor(
        db,
        'video',
        page.map((r) => r.video.id),
      )
      // The dashboard lives on another origin: absolute links to this Worker,
      // from configuration (never the request's Host header). They need the
      // moderator's session cookie; there is no link that works without it.
      const origin = c.env.APP_ORIGIN
      const out = []
      for (const { video, creator } of page) {
        const base = `${origin}/media/videos/${video.id}`
        const media = JSON.parse(video.media ?? 'null') as {
          frames?: { path: string; timeSeconds: number; scores: Record<string, number> | null }[]
        } | null
        const event = events.get(video.id)
        out.push({
          id: video.id,
          title: video.title,
          description: video.description,
          status: video.status,
          statusReason: video.statusReason,
          createdAt: video.createdAt,
          statusChangedAt: video.statusChangedAt,
          durationSeconds: video.durationSeconds,
          creator,
          posterUrl: media ? `${base}/poster.jpg` : null,
          playlistUrl: media ? `${base}/hls/master.m3u8` : null,
          frames: (media?.frames ?? []).map((f) => ({
            url: `${base}/${f.path}`,
            timeSeconds: f.timeSeconds,
            scores: f.scores,
          })),
          appeal: appealOf(appealRows.get(video.id)),
          decision: event
            ? {
                source: event.source,
                decision: event.decision,
                scores: JSON.parse(event.scores ?? 'null') as unknown,
                explanation: event.explanation,
                model: event.model,
                modelVersion: event.modelVersion,
                policyVersion: event.policyVersion,
                createdAt: event.createdAt,
              }
            : null,
        })
      }
      const last = page[page.length - 1]
      return c.json({
        videos: out,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ at: last.video.statusChangedAt, id: last.video.id })
            : null,
      })
    },
  )
  .post(
    '/videos/decisions',
    validate(
      'json',
      z
        .object({
          videoIds: z.array(z.string().max(64)).min(1).max(100),
          action: actions,
          reason,
          category,
        })
        .refine(categoryGoesWithReject.check, categoryGoesWithReject.message),
    ),
    async (c) => {
      const db = c.var.db
      const { videoIds, action, reason: why, category: chosen } = c.req.valid('json')
      const change = VIDEO_ACTIONS[action]
      const rows = await db
        .select()
        .from(videos)
        .where(inArray(videos.id, [...new Set(videoIds)]))
      const now = Date.now()
      const { results } = await applyDecisions(
        db,
        videoIds,
        { action, why, category: chosen, moderatorId: userOf(c).id },
        {
          subjectType: 'video',
          deleter: 'owner',
          change,
          inReview: 'in_review',
          rows,
          statusChange: (video) =>
            db
              .update(videos)
              .set({
                status: change.to,
                statusReason:
                  change.to === 'published'
                    ? null
                    : change.to === 'rejected'
                      ? `Rejected by a moderator: ${why}`
                      : `Back in review: ${why}`,
                publishedAt:
                  change.to === 'published' ? (video.publishedAt ?? now) : video.publishedAt,
                statusChangedAt: now,
                updatedAt: now,
              })
              .where(eq(videos.id, video.id)),
        },
      )
      return c.json({ results })
    },
  )
