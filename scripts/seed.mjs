// Demo data for a local platform: users with known passwords (one admin, one
// moderator, eight creators who also watch, like and comment; their clips come from
// seed-clips.mjs). Categories come with the migrations.
// Idempotent: INSERT OR IGNORE on fixed ids, so a second run adds nothing.
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { log, run } from './lib.mjs'

export const DEMO_USERS = [
  {
    id: 'demo-admin',
    username: 'admin',
    email: 'admin@clipstream.local',
    password: 'clipstream-admin',
    role: 'admin',
    interests: ['learning'],
  },
  {
    id: 'demo-moderator',
    username: 'moderator',
    email: 'moderator@clipstream.local',
    password: 'clipstream-mod',
    role: 'moderator',
    interests: ['comedy'],
  },
  {
    id: 'demo-maya',
    username: 'maya',
    email: 'maya@clipstream.local',
    password: 'clipstream-demo',
    role: 'user',
    interests: ['food', 'travel-nature'],
    bio: 'Cooking short and sweet.',
  },
  {
    id: 'demo-sam',
    username: 'sam',
    email: 'sam@clipstream.local',
    password: 'clipstream-demo',
    role: 'user',
    interests: ['gaming', 'sports'],
    bio: 'Speedruns and skate clips.',
  },
  ...[
    ['lena', 'Synth loops, covers and eight-counts.', ['music-dance', 'learning']],
    ['theo', 'Maths and science you can watch in ten seconds.', ['learning', 'travel-nature']],
    ['priya', 'Colour, fabric and five-minute faces.', ['style', 'music-dance']],
    ['jonas', 'Tiny sketches, bigger puns.', ['comedy', 'gaming']],
    ['kiko', 'Trails, tides and the odd goat.', ['travel-nature', 'sports']],
    ['ravi', 'Intervals, drills and what I eat after.', ['sports', 'food']],
  ].map(([username, bio, interests]) => ({
    id: `demo-${username}`,
    username,
    email: `${username}@clipstream.local`,
    password: 'clipstream-demo',
    role: 'user',
    interests,
    bio,
  })),
]

const b64url = (buf) => buf.toString('base64url')
const sql = (s) => `'${String(s).replace(/'/g, "''")}'`

// Same format as worker/src/features/auth/password.ts.
export function hashPassword(password) {
  const salt = randomBytes(16)
  const hash = pbkdf2Sync(password, salt, 100_000, 32, 'sha256')
  return `pbkdf2-sha256$100000$${b64url(salt)}$${b64url(hash)}`
}

export function seedUsers({ remote = false, persist = [] } = {}) {
  const statements = []
  for (const u of DEMO_USERS) {
    statements.push(
      `INSERT OR IGNORE INTO users (id, username, email, password_hash, role, display_name, bio, verified) VALUES (${sql(u.id)}, ${sql(u.username)}, ${sql(u.email)}, ${sql(hashPassword(u.password))}, ${sql(u.role)}, ${sql(u.username)}, ${sql(u.bio ?? '')}, ${u.role === 'user' ? 0 : 1});`,
    )
    for (const p of u.interests) {
      statements.push(
        `INSERT OR IGNORE INTO user_interests (user_id, parent_category_id) VALUES (${sql(u.id)}, ${sql(p)});`,
      )
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'clipstream-seed-'))
  const file = join(dir, 'seed.sql')
  writeFileSync(file, statements.join('\n'))
  try {
    run(
      'npx',
      [
        'wrangler',
        'd1',
        'execute',
        'DB',
        remote ? '--remote' : '--local',
        ...persist,
        '--file',
        file,
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  log(`demo users ready (${DEMO_USERS.map((u) => u.username).join(', ')})`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  seedUsers({ remote: process.argv.includes('--remote') })
}
