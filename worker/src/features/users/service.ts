import { ownImageUrl } from '../profile-images/images'
import { and, count, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import {
  follows,
  parentCategories,
  userBlocks,
  userInterests,
  users,
  videos,
} from '../../db/schema'
import { notFound } from '../../lib/errors'
import { loadProfileReview } from './profile-text'

export async function loadInterests(db: Db, userId: string) {
  return db
    .select({ id: parentCategories.id, name: parentCategories.name, icon: parentCategories.icon })
    .from(userInterests)
    .innerJoin(parentCategories, eq(parentCategories.id, userInterests.parentCategoryId))
    .where(eq(userInterests.userId, userId))
    .orderBy(parentCategories.position)
}

// The signed-in user's own view of their account.
export async function loadMe(db: Db, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1)
  if (!user) throw notFound('User')
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    displayName: user.displayName,
    bio: user.bio,
    avatarUrl: ownImageUrl(user.avatarUrl),
    bannerUrl: ownImageUrl(user.bannerUrl),
    website: user.website,
    location: user.location,
    verified: user.verified,
    banned: user.banned,
    createdAt: user.createdAt,
    interests: await loadInterests(db, userId),
    // Display names and bios the classifier held or rejected: only their author sees them.
    profileReview: await loadProfileReview(db, userId),
  }
}

export async function loadProfile(db: Db, username: string, viewerId: string | null) {
  const [user] = await db.select().from(users).where(eq(users.username, username.toLowerCase()))
  // A banned creator's page is gone for everyone but themselves.
  if (!user || (user.banned && user.id !== viewerId)) throw notFound('User')
  const [[followers], [following], [published], [likesReceived], viewerFollows, viewerBlocks] =
    await Promise.all([
      db.select({ n: count() }).from(follows).where(eq(follows.followeeId, user.id)),
      db.select({ n: count() }).from(follows).where(eq(follows.followerId, user.id)),
      db
        .select({ n: count() })
        .from(videos)
        .where(
          and(
            eq(videos.creatorId, user.id),
            eq(videos.status, 'published'),
            eq(videos.visibility, 'public'),
          ),
        ),
      db
        .select({ n: sql<number>`coalesce(sum(${videos.likeCount}), 0)` })
        .from(videos)
        .where(and(eq(videos.creatorId, user.id), eq(videos.status, 'published'))),
      viewerId
        ? db
            .select({ n: count() })
            .from(follows)
            .where(and(eq(follows.followerId, viewerId), eq(follows.followeeId, user.id)))
        : Promise.resolve([{ n: 0 }]),
      // So the profile can offer Unblock to whoever blocked this creator.
      viewerId
        ? db
            .select({ n: count() })
            .from(userBlocks)
            .where(and(eq(userBlocks.blockerId, viewerId), eq(userBlocks.blockedId, user.id)))
        : Promise.resolve([{ n: 0 }]),
    ])

  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    avatarUrl: ownImageUrl(user.avatarUrl),
    bannerUrl: ownImageUrl(user.bannerUrl),
    website: user.website,
    location: user.location,
    verified: user.verified,
    createdAt: user.createdAt,
    interests: await loadInterests(db, user.id),
    counts: {
      followers: followers?.n ?? 0,
      following: following?.n ?? 0,
      videos: published?.n ?? 0,
      likes: Number(likesReceived?.n ?? 0),
    },
    isFollowing: (viewerFollows[0]?.n ?? 0) > 0,
    blockedByMe: (viewerBlocks[0]?.n ?? 0) > 0,
    isMe: viewerId === user.id,
  }
}
