import { profileImageFiles, profileImageRoutes } from './features/profile-images/images'
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from './context'
import { createDb } from './db/client'
import { adminRoutes } from './features/admin/routes'
import { appealRoutes } from './features/appeals/routes'
import { sessionMiddleware } from './features/auth/middleware'
import { authRoutes } from './features/auth/routes'
import { categoryRoutes } from './features/categories/routes'
import { commentRoutes } from './features/comments/routes'
import { feedRoutes } from './features/feeds/routes'
import { healthRoutes } from './features/health/routes'
import { bodyLimits, rateLimits } from './features/limits/rate-limits'
import { transcodeCallbackRoutes } from './features/media/callback-routes'
import { playbackRoutes } from './features/media/playback-routes'
import { signedRoutes } from './features/media/signed-routes'
import { reviewRoutes } from './features/moderation/review-routes'
import { recsAdminRoutes } from './features/recommendations/admin-routes'
import { recommendationRoutes } from './features/recommendations/routes'
import { reportRoutes } from './features/reports/routes'
import { uploadRoutes } from './features/uploads/routes'
import { meRoutes, userRoutes } from './features/users/routes'
import { videoRoutes } from './features/videos/routes'
import { ApiError, errorResponse } from './lib/errors'

const api = new Hono<AppEnv>()
  .route('/health', healthRoutes)
  .route('/auth', authRoutes)
  .route('/me', profileImageRoutes)
  .route('/me', meRoutes)
  .route('/users', userRoutes)
  .route('/categories', categoryRoutes)
  .route('/videos', videoRoutes)
  .route('/feeds', feedRoutes)
  .route('/reports', reportRoutes)
  .route('/appeals', appealRoutes)
  .route('/uploads', uploadRoutes)
  .route('/internal', transcodeCallbackRoutes)
  .route('/moderation', reviewRoutes)
  .route('/admin/recs', recsAdminRoutes)
  .route('/admin', adminRoutes)
  .route('/', recommendationRoutes)
  .route('/', commentRoutes)

export const app = new Hono<AppEnv>()
  .use(requestId())
  .use(async (c, next) => {
    // Media (HLS, posters, frames) is embedded by the admin dashboard on its
    // own origin; who may read it is decided by publication or a signed grant.
    const media = c.req.path.startsWith('/media/')
    return secureHeaders(media ? { crossOriginResourcePolicy: 'cross-origin' } : {})(c, next)
  })
  .use('/media/*', async (c, next) => {
    const middleware = cors({
      origin: (origin) => (origin === c.env.ADMIN_ORIGIN ? origin : null),
      credentials: true,
      allowMethods: ['GET', 'HEAD'],
      exposeHeaders: ['Content-Range', 'Content-Length', 'ETag'],
      maxAge: 600,
    })
    return middleware(c, next)
  })
  .use('/api/*', async (c, next) => {
    // The admin dashboard lives on its own origin (Pages); exactly that
    // origin may call the API with credentials.
    const middleware = cors({
      origin: (origin) => (origin === c.env.ADMIN_ORIGIN ? origin : null),
      credentials: true,
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowHeaders: ['Content-Type'],
      maxAge: 600,
    })
    return middleware(c, next)
  })
  .use('*', async (c, next) => {
    c.set('db', createDb(c.env.DB))
    await next()
  })
  .use('/api/*', bodyLimits)
  .use('/api/*', sessionMiddleware)
  .use('/api/*', rateLimits)
  .route('/api', api)
  .route('/signed', signedRoutes)
  .route('/media/profiles', profileImageFiles)
  .route('/media', playbackRoutes)
  .notFound((c) => {
    throw new ApiError(
      404,
      'not_found',
      `No route for ${c.req.method} ${new URL(c.req.url).pathname}`,
    )
  })
  .onError((err, c) => errorResponse(c, err))

export type AppType = typeof app
