import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import { validate } from '../../lib/validate'
import { appealAnswerInput } from '../appeals/schema'
import { answerAppeal } from '../appeals/service'
import { requireRole, userOf } from '../auth/middleware'
import { commentReviewRoutes } from './comment-review-routes'
import { policyRoutes } from './policy-routes'
import { profileReviewRoutes } from './profile-review-routes'
import { appealOf } from './review-queue'
import { videoReviewRoutes } from './video-review-routes'

// Human review: queues, decisions (one or many at once), appeal answers; clips in
// video-review-routes.ts, comments in comment-review-routes.ts, profile texts in
// profile-review-routes.ts, thresholds in policy-routes.ts. Every action is a
// moderation_events row with the moderator; the machine's original decision stays in the
// log untouched.

export const reviewRoutes = new Hono<AppEnv>()
  .use(requireRole('moderator'))
  .route('/profiles', profileReviewRoutes)
  .route('/policies', policyRoutes)
  .route('/', videoReviewRoutes)
  .route('/', commentReviewRoutes)
  // The answer to a creator's appeal: overturn publishes, uphold keeps it down; the reason
  // is shown to the creator.
  .post('/appeals/:id/decision', validate('json', appealAnswerInput), async (c) => {
    const appeal = await answerAppeal(
      c.var.db,
      userOf(c).id,
      c.req.param('id'),
      c.req.valid('json'),
    )
    return c.json({ appeal: appealOf(appeal) })
  })
