// A minimal Worker around the production comment classifier, so the
// benchmark times classification inside workerd without the API around it.
import { classifyComments } from '../../worker/src/features/comments/classifier'

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/noop') return new Response('ok')
    const text = url.searchParams.get('text') ?? 'hello there'
    const [result] = await classifyComments([text])
    return Response.json(result)
  },
}
