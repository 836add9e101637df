import type { TestUser } from './helpers'

// The expected answer of every API route to each kind of caller, as data;
// authorization.test.ts walks it. A new route must be added here.

export type Who = 'anonymous' | 'other' | 'owner' | 'moderator' | 'admin'
export const WHO: Who[] = ['anonymous', 'other', 'owner', 'moderator', 'admin']

export type Fixture = {
  owner: TestUser
  video: string
  hiddenVideo: string
  comment: string
  // Someone else's comment on the owner's clip (the owner may hide or delete it).
  visitorComment: string
  upload: string
}
export type Case = {
  method: string
  route: string
  path: (f: Fixture) => string
  body?: unknown
  // A body that names the fixture's rows.
  bodyOf?: (f: Fixture) => unknown
  expect: Record<Who, number>
  // Build fresh fixtures per caller (the call changes or destroys them).
  fresh?: boolean
}

const all = (status: number): Record<Who, number> => ({
  anonymous: status,
  other: status,
  owner: status,
  moderator: status,
  admin: status,
})
const signedIn = (status: number): Record<Who, number> => ({ ...all(status), anonymous: 401 })
const staff = (status: number): Record<Who, number> => ({
  anonymous: 401,
  other: 403,
  owner: 403,
  moderator: status,
  admin: status,
})
const adminOnly = (status: number): Record<Who, number> => ({ ...staff(403), admin: status })

export const cases: Case[] = [
  { method: 'GET', route: '/api/health', path: () => '/api/health', expect: all(200) },
  { method: 'GET', route: '/api/health/live', path: () => '/api/health/live', expect: all(200) },
  { method: 'GET', route: '/api/categories', path: () => '/api/categories', expect: all(200) },
  {
    method: 'POST',
    route: '/api/auth/register',
    path: () => '/api/auth/register',
    body: {},
    expect: all(400),
  },
  {
    method: 'POST',
    route: '/api/auth/login',
    path: () => '/api/auth/login',
    body: { email: 'x@y.z', password: 'nope' },
    expect: all(401),
  },
  {
    method: 'POST',
    route: '/api/auth/logout',
    path: () => '/api/auth/logout',
    expect: all(200),
    fresh: true,
  },
  { method: 'GET', route: '/api/auth/me', path: () => '/api/auth/me', expect: signedIn(200) },
  // Signed out is an answer here ({ user: null }), not an error.
  { method: 'GET', route: '/api/auth/session', path: () => '/api/auth/session', expect: all(200) },
  { method: 'GET', route: '/api/me', path: () => '/api/me', expect: signedIn(200) },
  {
    method: 'PATCH',
    route: '/api/me',
    path: () => '/api/me',
    body: { bio: 'hi' },
    expect: signedIn(200),
  },
  {
    method: 'PUT',
    route: '/api/me/interests',
    path: () => '/api/me/interests',
    body: { interests: ['food'] },
    expect: signedIn(200),
  },
  { method: 'GET', route: '/api/me/videos', path: () => '/api/me/videos', expect: signedIn(200) },
  // Not an image: refused after the caller is known.
  {
    method: 'PUT',
    route: '/api/me/:kind{avatar|banner}',
    path: () => '/api/me/avatar',
    body: { not: 'an image' },
    expect: signedIn(415),
  },
  {
    method: 'DELETE',
    route: '/api/me/:kind{avatar|banner}',
    path: () => '/api/me/banner',
    expect: signedIn(200),
  },
  {
    method: 'GET',
    route: '/api/users/:username',
    path: (f) => `/api/users/${f.owner.username}`,
    expect: all(200),
  },
  {
    method: 'GET',
    route: '/api/users/:username/videos',
    path: (f) => `/api/users/${f.owner.username}/videos`,
    expect: all(200),
  },
  {
    method: 'POST',
    route: '/api/users/:username/follow',
    path: (f) => `/api/users/${f.owner.username}/follow`,
    expect: { ...signedIn(200), owner: 400 },
  },
  {
    method: 'DELETE',
    route: '/api/users/:username/follow',
    path: (f) => `/api/users/${f.owner.username}/follow`,
    expect: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/users/:username/block',
    path: (f) => `/api/users/${f.owner.username}/block`,
    expect: { ...signedIn(200), owner: 400 },
  },
  {
    method: 'DELETE',
    route: '/api/users/:username/block',
    path: (f) => `/api/users/${f.owner.username}/block`,
    expect: signedIn(200),
  },
  {
    method: 'GET',
    route: '/api/videos/:id',
    path: (f) => `/api/videos/${f.video}`,
    expect: all(200),
  },
  {
    method: 'GET',
    route: '/api/videos/:id',
    path: (f) => `/api/videos/${f.hiddenVideo}`,
    expect: { anonymous: 404, other: 404, owner: 200, moderator: 200, admin: 200 },
  },
  {
    method: 'PATCH',
    route: '/api/videos/:id',
    path: (f) => `/api/videos/${f.video}`,
    body: { visibility: 'unlisted' },
    expect: { anonymous: 401, other: 403, owner: 200, moderator: 403, admin: 403 },
  },
  {
    method: 'DELETE',
    route: '/api/videos/:id',
    path: (f) => `/api/videos/${f.video}`,
    expect: { anonymous: 401, other: 403, owner: 200, moderator: 200, admin: 200 },
    fresh: true,
  },
  {
    method: 'POST',
    route: '/api/videos/:id/like',
    path: (f) => `/api/videos/${f.video}/like`,
    expect: signedIn(200),
  },
  {
    method: 'DELETE',
    route: '/api/videos/:id/like',
    path: (f) => `/api/videos/${f.video}/like`,
    expect: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/videos/:id/watch',
    path: (f) => `/api/videos/${f.video}/watch`,
    body: { fraction: 0.5, seconds: 2 },
    expect: signedIn(200),
  },
  {
    method: 'GET',
    route: '/api/videos/:id/comments',
    path: (f) => `/api/videos/${f.video}/comments`,
    expect: all(200),
  },
  {
    method: 'POST',
    route: '/api/videos/:id/comments',
    path: (f) => `/api/videos/${f.video}/comments`,
    body: { body: 'hello there' },
    expect: signedIn(201),
  },
  {
    method: 'DELETE',
    route: '/api/comments/:id',
    path: (f) => `/api/comments/${f.comment}`,
    expect: { anonymous: 401, other: 403, owner: 200, moderator: 200, admin: 200 },
    fresh: true,
  },
  {
    method: 'DELETE',
    route: '/api/comments/:id',
    path: (f) => `/api/comments/${f.visitorComment}`,
    expect: { anonymous: 401, other: 403, owner: 200, moderator: 200, admin: 200 },
    fresh: true,
  },
  // Hiding comments on a clip is its creator's; moderators have their own decisions.
  {
    method: 'POST',
    route: '/api/comments/:id/hide',
    path: (f) => `/api/comments/${f.visitorComment}/hide`,
    expect: { anonymous: 401, other: 403, owner: 200, moderator: 403, admin: 403 },
  },
  {
    method: 'DELETE',
    route: '/api/comments/:id/hide',
    path: (f) => `/api/comments/${f.visitorComment}/hide`,
    // The owner hid it just above: to other viewers a hidden comment does not exist.
    expect: { anonymous: 401, other: 404, owner: 200, moderator: 403, admin: 403 },
  },
  // Appeals: the creator of a held clip, once; others do not learn it exists.
  { method: 'GET', route: '/api/appeals', path: () => '/api/appeals', expect: signedIn(200) },
  {
    method: 'POST',
    route: '/api/appeals',
    path: () => '/api/appeals',
    bodyOf: (f) => ({
      subjectType: 'video',
      subjectId: f.hiddenVideo,
      message: 'This is a cooking clip, nothing else',
    }),
    expect: { anonymous: 401, other: 404, owner: 201, moderator: 404, admin: 404 },
    fresh: true,
  },
  { method: 'GET', route: '/api/feeds/latest', path: () => '/api/feeds/latest', expect: all(200) },
  {
    method: 'GET',
    route: '/api/feeds/following',
    path: () => '/api/feeds/following',
    expect: signedIn(200),
  },
  {
    method: 'GET',
    route: '/api/feeds/category/:id',
    path: () => '/api/feeds/category/food',
    expect: all(200),
  },
  // Recommendations (features/recommendations): personalised or trending feed for everyone,
  // similar videos wherever the video itself is visible, rebuild ops for staff.
  { method: 'GET', route: '/api/feed', path: () => '/api/feed', expect: all(200) },
  {
    method: 'GET',
    route: '/api/videos/:id/similar',
    path: (f) => `/api/videos/${f.video}/similar`,
    expect: all(200),
  },
  {
    method: 'GET',
    route: '/api/videos/:id/similar',
    path: (f) => `/api/videos/${f.hiddenVideo}/similar`,
    expect: { anonymous: 404, other: 404, owner: 200, moderator: 200, admin: 200 },
  },
  // Not interested: any signed-in viewer of the clip; a hidden clip stays a 404 to others.
  {
    method: 'POST',
    route: '/api/videos/:id/not-interested',
    path: (f) => `/api/videos/${f.video}/not-interested`,
    expect: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/videos/:id/not-interested',
    path: (f) => `/api/videos/${f.hiddenVideo}/not-interested`,
    expect: { anonymous: 401, other: 404, owner: 200, moderator: 200, admin: 200 },
  },
  {
    method: 'POST',
    route: '/api/admin/recs/rebuild',
    path: () => '/api/admin/recs/rebuild',
    expect: adminOnly(202),
  },
  {
    method: 'GET',
    route: '/api/admin/recs/status',
    path: () => '/api/admin/recs/status',
    expect: staff(200),
  },
  {
    method: 'GET',
    route: '/api/videos/:id/playback',
    path: (f) => `/api/videos/${f.video}/playback`,
    expect: all(200),
  },
  {
    method: 'GET',
    route: '/api/videos/:id/playback',
    path: (f) => `/api/videos/${f.hiddenVideo}/playback`,
    expect: { anonymous: 404, other: 404, owner: 200, moderator: 200, admin: 200 },
  },
  {
    method: 'POST',
    route: '/api/uploads',
    path: () => '/api/uploads',
    body: { title: 't', fileName: 'a.mp4', sizeBytes: 100, contentType: 'video/mp4' },
    expect: signedIn(201),
  },
  {
    method: 'GET',
    route: '/api/uploads/:id',
    path: (f) => `/api/uploads/${f.upload}`,
    expect: { anonymous: 401, other: 403, owner: 200, moderator: 403, admin: 403 },
  },
  // The owner's upload has no bytes yet: 409 "not complete".
  {
    method: 'POST',
    route: '/api/uploads/:id/complete',
    path: (f) => `/api/uploads/${f.upload}/complete`,
    expect: { anonymous: 401, other: 403, owner: 409, moderator: 403, admin: 403 },
  },
  {
    method: 'DELETE',
    route: '/api/uploads/:id',
    path: (f) => `/api/uploads/${f.upload}`,
    expect: { anonymous: 401, other: 403, owner: 200, moderator: 403, admin: 403 },
    fresh: true,
  },
  // Only the transcoder, with its per-job token, may report; cookies do not count.
  {
    method: 'POST',
    route: '/api/internal/transcode/:videoId',
    path: (f) => `/api/internal/transcode/${f.hiddenVideo}`,
    body: { type: 'progress', jobId: 'x', percent: 5 },
    expect: all(401),
  },
  {
    method: 'PUT',
    route: '/signed/upload/:videoId/:partNumber',
    path: (f) => `/signed/upload/${f.upload}/1`,
    expect: all(403),
  },
  {
    method: 'GET',
    route: '/signed/source/:videoId',
    path: (f) => `/signed/source/${f.upload}`,
    expect: all(403),
  },
  {
    method: 'PUT',
    route: '/signed/output/:videoId/:path{.+}',
    path: (f) => `/signed/output/${f.hiddenVideo}/poster.jpg`,
    expect: all(403),
  },
  {
    method: 'GET',
    route: '/media/videos/:videoId/:path{.+}',
    path: (f) => `/media/videos/${f.video}/poster.jpg`,
    expect: all(200),
  },
  {
    method: 'GET',
    route: '/media/videos/:videoId/:path{.+}',
    path: (f) => `/media/videos/${f.hiddenVideo}/poster.jpg`,
    expect: { anonymous: 404, other: 404, owner: 200, moderator: 200, admin: 200 },
  },
  // Profile pictures are public; this name was never uploaded (images.test.ts serves real ones).
  {
    method: 'GET',
    route: '/media/profiles/:userId/:file',
    path: (f) =>
      `/media/profiles/${f.owner.id}/avatar-${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.png`,
    expect: all(404),
  },
  // Human review: moderators and admins; thresholds are changed by admins only.
  {
    method: 'GET',
    route: '/api/moderation/videos',
    path: () => '/api/moderation/videos',
    expect: staff(200),
  },
  {
    method: 'POST',
    route: '/api/moderation/videos/decisions',
    path: () => '/api/moderation/videos/decisions',
    body: { videoIds: ['nope'], action: 'approve', reason: 'checked it' },
    expect: staff(200),
  },
  {
    method: 'GET',
    route: '/api/moderation/comments',
    path: () => '/api/moderation/comments',
    expect: staff(200),
  },
  {
    method: 'POST',
    route: '/api/moderation/comments/decisions',
    path: () => '/api/moderation/comments/decisions',
    body: { commentIds: ['nope'], action: 'approve', reason: 'checked it' },
    expect: staff(200),
  },
  {
    method: 'POST',
    route: '/api/moderation/appeals/:id/decision',
    path: () => '/api/moderation/appeals/nope/decision',
    body: { outcome: 'uphold', reason: 'checked it' },
    expect: staff(404),
  },
  {
    method: 'GET',
    route: '/api/moderation/profiles',
    path: () => '/api/moderation/profiles',
    expect: staff(200),
  },
  {
    method: 'POST',
    route: '/api/moderation/profiles/decisions',
    path: () => '/api/moderation/profiles/decisions',
    body: { changeIds: ['nope'], action: 'approve', reason: 'checked it' },
    expect: staff(200),
  },
  {
    method: 'GET',
    route: '/api/moderation/policies',
    path: () => '/api/moderation/policies',
    expect: staff(200),
  },
  {
    method: 'PUT',
    route: '/api/moderation/policies/:kind{video|comment}',
    path: () => '/api/moderation/policies/comment',
    body: { thresholds: 'not thresholds' },
    expect: { ...staff(400), moderator: 403 },
  },
  {
    method: 'POST',
    route: '/api/moderation/policies/:kind{video|comment}/preview',
    path: () => '/api/moderation/policies/comment/preview',
    body: { thresholds: 'not thresholds' },
    expect: staff(400),
  },
  {
    method: 'POST',
    route: '/api/reports',
    path: () => '/api/reports',
    body: { subjectType: 'video', subjectId: 'set-below', reason: 'spam' },
    expect: signedIn(201),
    fresh: true,
  },
  // Only one's own reports (mine.test.ts checks whose).
  {
    method: 'GET',
    route: '/api/reports/mine',
    path: () => '/api/reports/mine',
    expect: signedIn(200),
  },
  // Moderator dashboard (features/admin): moderators and admins; users only for admins.
  {
    method: 'GET',
    route: '/api/admin/overview',
    path: () => '/api/admin/overview',
    expect: staff(200),
  },
  {
    method: 'GET',
    route: '/api/admin/history',
    path: () => '/api/admin/history?source=human',
    expect: staff(200),
  },
  {
    method: 'GET',
    route: '/api/admin/subjects/:type/:id/timeline',
    path: (f) => `/api/admin/subjects/video/${f.hiddenVideo}/timeline`,
    expect: staff(200),
  },
  {
    method: 'GET',
    route: '/api/admin/reports',
    path: () => '/api/admin/reports',
    expect: staff(200),
  },
  // Nothing is reported in the fixture: staff get past the role check to "no open reports".
  {
    method: 'POST',
    route: '/api/admin/reports/resolve',
    path: () => '/api/admin/reports/resolve',
    body: { subjectType: 'video', subjectId: 'nothing-open', action: 'dismiss', reason: 'fine' },
    expect: staff(404),
  },
  {
    method: 'GET',
    route: '/api/admin/creators/:id/history',
    path: (f) => `/api/admin/creators/${f.owner.id}/history`,
    expect: staff(200),
  },
  {
    method: 'GET',
    route: '/api/admin/users',
    path: () => '/api/admin/users?q=u_',
    expect: adminOnly(200),
  },
  {
    method: 'GET',
    route: '/api/admin/users/:id',
    path: (f) => `/api/admin/users/${f.owner.id}`,
    expect: adminOnly(200),
  },
  // Banning the shared owner would change every later case: an unknown user instead.
  {
    method: 'POST',
    route: '/api/admin/users/:id/ban',
    path: () => '/api/admin/users/no-such-user/ban',
    body: { reason: 'spam account' },
    expect: adminOnly(404),
  },
  {
    method: 'POST',
    route: '/api/admin/users/:id/unban',
    path: (f) => `/api/admin/users/${f.owner.id}/unban`,
    body: { reason: 'appeal accepted' },
    expect: adminOnly(200),
  },
  {
    method: 'POST',
    route: '/api/admin/users/:id/role',
    path: (f) => `/api/admin/users/${f.owner.id}/role`,
    body: { role: 'user', reason: 'stays a user' },
    expect: adminOnly(200),
  },
]
