import { describe, expect, it } from 'vitest'
import { read, RequestError } from './errors'

const answer = (status: number, body: unknown) =>
  Promise.resolve({ ok: status < 400, status, json: () => Promise.resolve(body) })

describe('read', () => {
  it('gives the body of a successful answer', async () => {
    await expect(read(answer(200, { id: 'v1' }))).resolves.toEqual({ id: 'v1' })
  })

  it("carries the API's code, words and the first problem per form field", async () => {
    const error = await read(
      answer(400, {
        error: {
          code: 'invalid',
          message: 'Check the form',
          requestId: 'r',
          details: [
            { path: 'title', message: 'Too long' },
            { path: 'title', message: 'Second problem' },
            { path: 'interests.2', message: 'Unknown category' },
          ],
        },
      }),
    ).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(RequestError)
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid',
      message: 'Check the form',
      fields: {
        title: 'Too long',
        'interests.2': 'Unknown category',
        interests: 'Unknown category',
      },
    })
  })

  it('says what the status was when the body is not our error shape', async () => {
    const res = Promise.resolve({
      ok: false,
      status: 502,
      json: () => Promise.reject(new SyntaxError('not JSON')),
    })
    await expect(read(res)).rejects.toMatchObject({
      code: 'http_error',
      message: 'The server answered 502',
    })
  })

  it('tells a failed connection apart from an answer', async () => {
    await expect(read(Promise.reject(new TypeError('fetch failed')))).rejects.toMatchObject({
      status: 0,
      code: 'network',
    })
  })
})
