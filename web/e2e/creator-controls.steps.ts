// Issue 15's creator checks, run by platform.e2e.ts at its very end on its platform and
// accounts (the clip is deleted here): the creator hides the viewer's comment from the
// clip's ⋯ menu on a phone (its author still sees it, a visitor does not), edits the title
// (the clip goes back to the check); the viewer appeals their refused comment once and
// reads the demo moderator's answer under it; the creator deletes the clip after
// confirming: it leaves My videos and answers "not found" to the viewer.
import type { Browser, Page } from 'playwright-core'
import { OPEN } from './phone-safety.steps'

export type CreatorControlsContext = {
  base: string
  browser: Browser
  creator: Page
  viewer: Page
  // The viewer logged out in the phone steps; they sign in again to read their comment.
  viewerLogin: { email: string; password: string }
  videoId: string
  title: string
  comment: string
  // The viewer's comment the classifier held or rejected: appealed, then answered.
  refusedComment: string
  step: (message: string) => void
  shoot: (page: Page, name: string) => Promise<void>
  failures: string[]
}

const PHONE = { width: 390, height: 844 }

export async function runCreatorControlSteps(ctx: CreatorControlsContext) {
  const { base, browser, creator, viewer, viewerLogin, videoId, title, comment, refusedComment } =
    ctx
  const { step, shoot, failures } = ctx
  const started = Date.now()
  await creator.setViewportSize(PHONE)

  // 1. Hide the viewer's comment under the creator's own clip.
  await creator.goto(`${base}/v/${videoId}`, OPEN)
  const item = creator.getByTestId('comment').filter({ hasText: comment })
  await item.getByRole('button', { name: 'More options for this comment' }).click()
  const hidden = creator.waitForResponse((r) => r.url().endsWith('/hide'))
  await item.getByRole('button', { name: 'Hide comment' }).click()
  if ((await hidden).status() !== 200) failures.push('hiding a comment was refused')
  await item.getByText('only its author and you can see it').waitFor()
  await shoot(creator, 'creator-hid-comment')
  const login = await viewer.evaluate(
    (body) =>
      fetch('/api/auth/login', {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.status),
    viewerLogin,
  )
  if (login !== 200) failures.push(`the viewer could not log in again: ${login}`)
  await viewer.goto(`${base}/v/${videoId}`, OPEN)
  await viewer.getByTestId('comment').filter({ hasText: comment }).waitFor()
  if (await viewer.locator('.comment-hidden').count())
    failures.push('the author was told of the hiding')
  const visitor = await (await browser.newContext({ viewport: PHONE })).newPage()
  await visitor.goto(`${base}/v/${videoId}`, OPEN)
  await visitor.getByRole('heading', { name: 'Comments' }).waitFor()
  await visitor.waitForLoadState('networkidle')
  if (await visitor.getByText(comment).count()) failures.push('a visitor sees the hidden comment')
  await visitor.context().close()
  step('hid the viewer’s comment: its author still sees it, a visitor does not')

  // 2. Edit the title: new words go back through the check.
  await creator.getByRole('button', { name: 'Manage this clip' }).click()
  await creator.getByRole('button', { name: 'Edit details' }).click()
  await creator.getByLabel('Title').fill(`${title} (edited)`)
  const saved = creator.waitForResponse(
    (r) => r.url().endsWith(`/api/videos/${videoId}`) && r.request().method() === 'PATCH',
  )
  await creator.getByRole('button', { name: 'Save' }).click()
  if ((await saved).status() !== 200) failures.push('editing the title was refused')
  await creator.getByRole('heading', { name: `${title} (edited)` }).waitFor()
  step('edited the title; the clip is being checked again')
  // Others see the clip again only once the check has read the new words (a few seconds
  // through the moderation queue); the viewer's steps below open its page.
  let status = 'moderating'
  for (let waited = 0; status === 'moderating' && waited < 60_000; waited += 1000) {
    await creator.waitForTimeout(1000)
    status = await creator.evaluate(
      (id) =>
        fetch(`/api/videos/${id}`, { credentials: 'include' })
          .then((r) => r.json() as Promise<{ video?: { status?: string } }>)
          .then((body) => body.video?.status ?? 'unknown'),
      videoId,
    )
  }
  if (status !== 'published') failures.push(`the edited clip ended ${status}, not published`)
  step(`the edited title was checked: ${status}`)

  // 3. The viewer appeals their refused comment; a moderator upholds the decision with a
  // reason, which the viewer reads under the comment.
  const refused = viewer.getByTestId('comment').filter({ hasText: refusedComment })
  await refused.getByRole('button', { name: 'Appeal this decision' }).click()
  await refused
    .getByLabel('Why should a moderator look again?')
    .fill('It was a quote from a film, not aimed at anyone.')
  const filed = viewer.waitForResponse((r) => r.url().endsWith('/api/appeals'))
  await refused.getByRole('button', { name: 'Send appeal' }).click()
  if ((await filed).status() !== 201) failures.push('the appeal was refused')
  await refused.getByText('Appeal sent.').waitFor()
  // The demo moderator of scripts/seed.mjs, answering through the API (no dashboard here).
  const moderator = await (await browser.newContext()).newPage()
  await moderator.goto(`${base}/explore`, OPEN)
  // Plain fetches only: tsx names inner functions with a helper the page does not have.
  const answered = await moderator.evaluate(async (text) => {
    const json = { 'Content-Type': 'application/json' }
    await fetch('/api/auth/login', {
      method: 'POST',
      credentials: 'include',
      headers: json,
      body: JSON.stringify({ email: 'moderator@clipstream.local', password: 'clipstream-mod' }),
    })
    const queue = (await (
      await fetch('/api/moderation/comments?status=appealed&limit=100', { credentials: 'include' })
    ).json()) as { comments: { body: string; appeal: { id: string } | null }[] }
    const appeal = queue.comments.find((c) => c.body === text)?.appeal
    if (!appeal) return 'not in the Appealed queue'
    const res = await fetch(`/api/moderation/appeals/${appeal.id}/decision`, {
      method: 'POST',
      credentials: 'include',
      headers: json,
      body: JSON.stringify({ outcome: 'uphold', reason: 'Insults are not allowed, quoted or not' }),
    })
    return String(res.status)
  }, refusedComment)
  await moderator.context().close()
  if (answered !== '200') failures.push(`the moderator's answer: ${answered}`)
  await viewer.reload(OPEN)
  await refused.getByText('Appeal declined:').waitFor()
  await refused.getByText('Insults are not allowed, quoted or not', { exact: false }).waitFor()
  await refused.scrollIntoViewIfNeeded()
  await shoot(viewer, 'appeal-answered')
  step('appealed the refused comment; the moderator upheld it and the author reads why')

  // 4. Delete it, confirmed.
  await creator.getByRole('button', { name: 'Manage this clip' }).click()
  await creator.getByRole('button', { name: 'Delete clip' }).click()
  // The open menu and its question fit the phone: nothing scrolls sideways.
  const sideways = await creator.evaluate(() =>
    [document.scrollingElement, document.querySelector('.content')]
      .filter((b): b is Element => b !== null)
      .map((b) => b.scrollWidth - b.clientWidth)
      .filter((extra) => extra > 0),
  )
  if (sideways.length) failures.push(`the delete question scrolls sideways: ${sideways.join()}`)
  await shoot(creator, 'creator-delete-confirm')
  await creator.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
  await creator.getByText(/^Deleted “/).waitFor()
  await creator.getByRole('heading', { name: 'My videos' }).waitFor()
  await creator.waitForLoadState('networkidle')
  if (await creator.locator(`a[href="/v/${videoId}"]`).count())
    failures.push('the deleted clip is still in My videos')
  await viewer.goto(`${base}/v/${videoId}`, OPEN)
  await viewer.getByText('Video not found').waitFor()
  step(`deleted the clip: gone from My videos and for the viewer (${Date.now() - started} ms)`)
}
