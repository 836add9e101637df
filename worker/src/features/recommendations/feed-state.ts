import { DurableObject } from 'cloudflare:workers'

// Per-user feed state (what was served, exploration posteriors, short-term
// interests). One instance per user, SQLite-backed.
export class FeedState extends DurableObject<Env> {
  async servedCount(): Promise<number> {
    return (await this.ctx.storage.get<number>('served')) ?? 0
  }
}
