import { Container } from '@cloudflare/containers'

// Production transport to the transcoder: the image built from
// transcoder/Dockerfile, one container per Durable Object instance. Local dev
// reaches the same service over HTTP at TRANSCODER_URL instead.
export class TranscoderContainer extends Container<Env> {
  override defaultPort = 8788
  override sleepAfter = '10m'
}
