import { act, render, screen, within } from '@testing-library/react'
import { MemoryRouter } from 'react-router-dom'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import type { VideoCard } from '../../api/types'
import { videoCard } from '../../test/fixtures'
import { pipelineSteps, stageHeading } from './pipeline'
import { ProcessingStatus } from './ProcessingStatus'

const steps = (status: Parameters<typeof pipelineSteps>[0], checking = false) =>
  pipelineSteps(status, checking).map((step) => `${step.label}:${step.state}`)

describe('pipeline steps', () => {
  it('names every stage from upload to the result', () => {
    expect(steps('uploading')).toEqual([
      'Uploading:current',
      'Processing:upcoming',
      'Check:upcoming',
      'Publish:upcoming',
    ])
    expect(steps('processing')).toEqual([
      'Uploaded:done',
      'Processing:current',
      'Check:upcoming',
      'Publish:upcoming',
    ])
    // The transcoder's frame check: still `processing` on the server, but the Check step.
    expect(steps('processing', true)).toEqual([
      'Uploaded:done',
      'Processed:done',
      'Checking:current',
      'Publish:upcoming',
    ])
    expect(steps('moderating')).toEqual([
      'Uploaded:done',
      'Processed:done',
      'Checking:current',
      'Publish:upcoming',
    ])
    // A check shorter than the polling interval still shows as a step the clip went through.
    expect(steps('published')).toEqual([
      'Uploaded:done',
      'Processed:done',
      'Checked:done',
      'Published:done',
    ])
    expect(steps('in_review').at(-1)).toBe('Held for review:waiting')
    expect(steps('rejected').slice(2)).toEqual(['Checked:done', 'Not published:stopped'])
    expect(steps('failed').slice(1)).toEqual([
      'Failed:stopped',
      'Check:upcoming',
      'Publish:upcoming',
    ])
  })

  it('heads each stage in the creator’s words', () => {
    expect(stageHeading('processing')).toBe('Processing your clip')
    expect(stageHeading('processing', true)).toBe('Checking your clip')
    expect(stageHeading('moderating')).toBe('Checking your clip')
    // The platform's end-to-end run waits for these exact headings.
    expect(stageHeading('published')).toBe('Published')
    expect(stageHeading('rejected')).toBe('Not published')
    expect(stageHeading('failed')).toBe('Processing failed')
  })
})

describe('ProcessingStatus', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const poll = () => act(() => vi.advanceTimersByTimeAsync(2000))

  it('follows the clip through processing, checking and publishing without going backwards', async () => {
    const answers: Array<Partial<VideoCard>> = [
      { status: 'processing', progress: 40, statusReason: 'Preparing playback versions' },
      // A retried transcode starts again from 0 on the server.
      { status: 'processing', progress: 12, statusReason: 'Preparing playback versions' },
      { status: 'processing', progress: 55, statusReason: 'Preparing playback versions' },
      // The transcoder's frame check (81-89%) and its upload (90-99%), still `processing`.
      { status: 'processing', progress: 85, statusReason: 'Checking frames' },
      { status: 'processing', progress: 95, statusReason: 'Saving the results' },
      { status: 'moderating', progress: 100, statusReason: 'Checking your video' },
      { status: 'published', progress: 100, statusReason: undefined },
    ]
    let i = 0
    const { calls } = mockFetch({
      'GET /api/videos/vid1': () => ({
        body: { video: videoCard('vid1', answers[Math.min(i++, answers.length - 1)]) },
      }),
    })
    render(
      <MemoryRouter>
        <ProcessingStatus videoId="vid1" />
      </MemoryRouter>,
    )
    const status = screen.getByTestId('processing-status')
    const current = () =>
      within(status)
        .getAllByRole('listitem')
        .filter((item) => item.getAttribute('aria-current') === 'step')
        .map((item) => item.querySelector('.pipeline-label')?.textContent)

    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(within(status).getByRole('heading').textContent).toBe('Processing your clip')
    expect(screen.getByTestId('processing-percent').textContent).toBe('40%')
    expect(screen.getByLabelText('Processing progress')).toHaveProperty('value', 40)
    expect(screen.getByTestId('status-reason').textContent).toBe('Preparing playback versions')
    expect(current()).toEqual(['Processing'])

    await poll()
    expect(screen.getByTestId('processing-percent').textContent).toBe('40%')
    await poll()
    expect(screen.getByTestId('processing-percent').textContent).toBe('55%')
    expect(current()).toEqual(['Processing'])

    // The frame check belongs to Check, not Processing; the bar keeps counting.
    await poll()
    expect(within(status).getByRole('heading').textContent).toBe('Checking your clip')
    expect(current()).toEqual(['Checking'])
    expect(screen.getByTestId('processing-percent').textContent).toBe('85%')
    expect(screen.getByTestId('status-reason').textContent).toBe('Checking frames')
    // Saving what the check produced does not send the clip back to Processing.
    await poll()
    expect(current()).toEqual(['Checking'])
    expect(screen.getByTestId('processing-percent').textContent).toBe('95%')

    await poll()
    expect(within(status).getByRole('heading').textContent).toBe('Checking your clip')
    expect(current()).toEqual(['Checking'])
    expect(screen.queryByTestId('processing-percent')).toBeNull()
    expect(screen.getByTestId('status-reason').textContent).toBe(
      'Checking it against the community guidelines',
    )

    await poll()
    expect(within(status).getByRole('heading').textContent).toBe('Published')
    expect(
      within(screen.getByTestId('pipeline-steps'))
        .getAllByRole('listitem')
        .map((item) => item.getAttribute('data-state')),
    ).toEqual(['done', 'done', 'done', 'done'])
    expect(screen.getByRole('link', { name: 'Watch it' }).getAttribute('href')).toBe('/v/vid1')

    // Published is final: no more requests.
    const made = calls.length
    await poll()
    await poll()
    expect(calls.length).toBe(made)
  })
})
