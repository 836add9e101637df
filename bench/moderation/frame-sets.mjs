// Ordinary-frame sets for measuring the frame check's false positives (issue 15: an abstract
// fractal clip was held as sexual on every upload). Every clip is rendered locally by ffmpeg from
// lavfi sources (no network, no downloaded data) and cut into frames the way the transcoder cuts
// moderation frames: one a second, JPEG q4, 320 px on the short side (portrait, as most uploads).
//
// Two sets with different sources and seeds: `calibration` is the one thresholds are chosen on,
// `check` is rendered from other sources/parameters and is the figure that counts. Two more are
// only reported: `fractals` (more Mandelbrot zooms, the content that misfired) and `found` (stills
// this machine happens to have; see foundStills).
//
//   node bench/moderation/frame-sets.mjs [calibration|check|fractals|found ...]
//     -> .tmp/frame-sets/<set>/<clip>/0001.jpg ...
//
// Frames are written on demand (not by npm ci, not committed); a set already on disk is reused.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ffmpegPath, ROOT } from '../../scripts/lib.mjs'

export const FRAME_SETS_DIR = join(ROOT, '.tmp', 'frame-sets')
const W = 320
const H = 568
const SIZE = `${W}x${H}`

const FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
]
const font = (i) => FONTS.filter((f) => existsSync(f))[i]

// drawtext's own escaping: the text goes inside '...' in the filter graph.
const text = (words, fontfile, { size = 42, colour = 'white', y = '(h-text_h)/2' } = {}) =>
  `drawtext=fontfile=${fontfile}:text='${words.replaceAll(':', '\\:').replaceAll("'", '')}'` +
  `:fontsize=${size}:fontcolor=${colour}:x=(w-text_w)/2+20*sin(t):y=${y}`

// Each clip: a lavfi graph, how long, and (optionally) a filter applied after it. Sizes are forced
// afterwards, so sources render at whatever size suits them.
const SETS = {
  calibration: [
    // The clip: a 22 s zoom into the Mandelbrot set.
    { name: 'mandelbrot-zoom', src: `mandelbrot=s=${SIZE}:rate=25`, seconds: 22 },
    {
      name: 'mandelbrot-seahorse',
      src: `mandelbrot=s=${SIZE}:rate=25:start_x=-0.743643887037151:start_y=0.13182590420533:start_scale=0.5:end_scale=0.0005:end_pts=400`,
      seconds: 16,
    },
    { name: 'life-seed1', src: `life=s=160x284:rate=25:seed=1:ratio=0.2:mold=10`, seconds: 12 },
    {
      name: 'life-seed2-colour',
      src: `life=s=160x284:rate=25:seed=2:life_color=#e0a070:death_color=#402010:mold_color=#a05030:mold=20`,
      seconds: 12,
    },
    { name: 'cellauto-rule30', src: `cellauto=s=${SIZE}:rate=25:rule=30:seed=3`, seconds: 10 },
    { name: 'cellauto-rule110', src: `cellauto=s=${SIZE}:rate=25:rule=110:seed=4`, seconds: 10 },
    { name: 'testsrc2', src: `testsrc2=s=${SIZE}:rate=25`, seconds: 10 },
    { name: 'smptebars', src: `smptebars=s=${SIZE}:rate=25`, seconds: 5 },
    { name: 'gradients-seed5', src: `gradients=s=${SIZE}:rate=25:seed=5:speed=0.05`, seconds: 12 },
    {
      name: 'gradients-warm',
      src: `gradients=s=${SIZE}:rate=25:c0=#f0c8a0:c1=#c08060:c2=#ffe0c0:n=3:seed=6:speed=0.04`,
      seconds: 12,
    },
    // Plain colour fields, including skin-like beige and tan (a wall, a desk, sand).
    {
      name: 'colour-fields',
      src: `color=c=#e8c4a0:s=${SIZE}:rate=25:d=3,format=rgb24[a];color=c=#c68642:s=${SIZE}:d=3[b];color=c=#3060c0:s=${SIZE}:d=3[c];color=c=#f5f5f0:s=${SIZE}:d=3[d];[a][b][c][d]concat=n=4`,
      seconds: 12,
    },
    {
      name: 'noise-grey',
      src: `color=c=gray:s=${SIZE}:rate=25`,
      filter: 'noise=alls=60:allf=t+u:all_seed=7',
      seconds: 8,
    },
    {
      name: 'noise-colour-geq',
      src: `nullsrc=s=${SIZE}:rate=25`,
      filter: `geq=r='random(1)*255':g='random(2)*200':b='random(3)*160',format=yuv420p`,
      seconds: 8,
    },
    {
      name: 'text-title-card',
      src: `color=c=#202040:s=${SIZE}:rate=25`,
      filter: text('My trip to the coast', font(0)),
      seconds: 8,
    },
    {
      name: 'text-on-gradient',
      src: `gradients=s=${SIZE}:rate=25:seed=8`,
      filter: text('Recipe - step 3', font(1), { colour: 'black' }),
      seconds: 8,
    },
  ],
  check: [
    {
      name: 'mandelbrot-spiral',
      src: `mandelbrot=s=${SIZE}:rate=25:start_x=-0.7453:start_y=0.1127:start_scale=0.2:end_scale=0.0002:end_pts=500:outer=normalized_iteration_count:inner=period`,
      seconds: 20,
    },
    {
      name: 'mandelbrot-elephant',
      src: `mandelbrot=s=${SIZE}:rate=25:start_x=0.275:start_y=0.0:start_scale=0.3:end_scale=0.001:end_pts=500:outer=iteration_count:inner=mincol`,
      seconds: 16,
    },
    {
      name: 'sierpinski-carpet',
      src: `sierpinski=s=${SIZE}:rate=25:seed=11:type=carpet`,
      seconds: 10,
    },
    {
      name: 'sierpinski-triangle',
      src: `sierpinski=s=${SIZE}:rate=25:seed=12:type=triangle`,
      seconds: 10,
    },
    {
      name: 'life-highlife',
      src: `life=s=160x284:rate=25:seed=13:rule=B36/S23:ratio=0.35:life_color=#ffcc99:death_color=#331a00`,
      seconds: 12,
    },
    { name: 'cellauto-rule90', src: `cellauto=s=${SIZE}:rate=25:rule=90:seed=14`, seconds: 10 },
    {
      name: 'cellauto-rule150-random',
      src: `cellauto=s=${SIZE}:rate=25:rule=150:seed=15:random_fill_ratio=0.5`,
      seconds: 10,
    },
    { name: 'rgbtestsrc', src: `rgbtestsrc=s=${SIZE}:rate=25`, seconds: 5 },
    { name: 'smptehdbars', src: `smptehdbars=s=${SIZE}:rate=25`, seconds: 5 },
    { name: 'pal75bars', src: `pal75bars=s=${SIZE}:rate=25`, seconds: 5 },
    { name: 'mptestsrc', src: `mptestsrc=rate=25`, seconds: 10 },
    {
      name: 'gradients-radial-skin',
      src: `gradients=s=${SIZE}:rate=25:c0=#d9a07a:c1=#8d5524:c2=#ffdbac:c3=#c68642:n=4:type=radial:seed=16:speed=0.03`,
      seconds: 12,
    },
    {
      name: 'gradients-circular',
      src: `gradients=s=${SIZE}:rate=25:type=circular:seed=17`,
      seconds: 10,
    },
    {
      name: 'plasma-geq',
      src: `nullsrc=s=${SIZE}:rate=25`,
      filter: `geq=r='128+127*sin(X/23+T)':g='128+127*sin(Y/31-T*0.7)':b='128+127*sin((X+Y)/40+T*1.3)',format=yuv420p`,
      seconds: 10,
    },
    {
      name: 'noise-peach',
      src: `color=c=#f0b890:s=${SIZE}:rate=25`,
      filter: 'noise=alls=40:allf=t:all_seed=18',
      seconds: 8,
    },
    {
      name: 'text-lecture',
      src: `color=c=white:s=${SIZE}:rate=25`,
      filter: text('Lesson 4 - fractions', font(2), { colour: 'black', size: 36 }),
      seconds: 8,
    },
    {
      name: 'text-mono-on-testsrc',
      src: `testsrc=s=${SIZE}:rate=25`,
      filter: text('00:12 sunset timelapse', font(3), { size: 28, y: 'h-80' }),
      seconds: 8,
    },
  ],
}

// A stress set for the content that misfired: Mandelbrot zooms into twelve other regions of the
// boundary, each with its own colouring. Not used to choose thresholds.
const REGIONS = [
  [-0.088, 0.654],
  [-1.25066, 0.02012],
  [-0.16, 1.0405],
  [-1.768778833, -0.001738996],
  [0.001643721971153, -0.822467633298876],
  [-0.1011, 0.9563],
  [0.3245046418497685, 0.04855101129280834],
  [-1.62917, -0.0203],
  [-0.722, 0.246],
  [-0.235125, 0.827215],
  [-0.7269, 0.1889],
  [0.2549870375144766, -0.0005679790528465],
]
const OUTER = ['iteration_count', 'normalized_iteration_count', 'white', 'outz']
const INNER = ['black', 'period', 'convergence', 'mincol']
SETS.fractals = REGIONS.map(([x, y], i) => ({
  name: `mandelbrot-region${i + 1}`,
  src:
    `mandelbrot=s=${SIZE}:rate=25:start_x=${x}:start_y=${y}:start_scale=${0.5 / (1 + (i % 3))}` +
    `:end_scale=0.0003:end_pts=375:outer=${OUTER[i % 4]}:inner=${INNER[Math.floor(i / 3) % 4]}`,
  seconds: 15,
}))

// Real-looking stills, where this machine has any (none ship with the repo): photos of boards in
// the Rust embedded book, screenshots in the Rust book, and the app's own screenshots that earlier
// sessions kept in /work/notes/shots (a creator's screen recording looks like these). Each is shown
// as a creator's slideshow would: fitted into the portrait frame, on black. Machine-dependent, so
// reported on its own and not used to choose thresholds.
const RUST_DOCS = '/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html'
function foundStills() {
  const dirs = [
    [`${RUST_DOCS}/embedded-book/assets`, /\.(jpe?g|png)$/],
    [`${RUST_DOCS}/book/img`, /\.png$/],
    ['/work/notes/shots', /\.png$/],
  ]
  const out = []
  for (const [dir, pattern] of dirs) {
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir).sort()) {
      if (!pattern.test(file)) continue
      out.push({
        name: `still-${file.replace(/\.[a-z]+$/, '')}`,
        input: join(dir, file),
        filter: `scale=${W}:${H}:force_original_aspect_ratio=decrease,pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2`,
        seconds: 1,
      })
    }
  }
  return out
}
SETS.found = foundStills()

export const SET_NAMES = Object.keys(SETS)

function renderClip(clip, dir) {
  const tmp = `${dir}.partial`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  // The transcoder's frame cut: fps=1 from t=0, scaled to the frame size, mjpeg q4.
  const vf = [clip.filter, `scale=${W}:${H}:flags=bicubic`, 'setsar=1', 'fps=1']
    .filter(Boolean)
    .join(',')
  execFileSync(
    ffmpegPath(),
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...(clip.input ? ['-loop', '1', '-i', clip.input] : ['-f', 'lavfi', '-i', clip.src]),
      ...['-t', String(clip.seconds), '-vf', vf],
      ...['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '4'],
      join(tmp, '%04d.jpg'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  renameSync(tmp, dir)
}

/** Renders the set's clips that are not on disk yet; returns { clip: [frame paths] }. */
export function ensureFrameSet(set) {
  const clips = SETS[set]
  if (!clips) throw new Error(`unknown frame set ${set} (${SET_NAMES.join(', ')})`)
  const out = {}
  for (const clip of clips) {
    const dir = join(FRAME_SETS_DIR, set, clip.name)
    if (!existsSync(dir)) renderClip(clip, dir)
    out[clip.name] = readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .map((f) => join(dir, f))
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const set of process.argv.slice(2).length ? process.argv.slice(2) : SET_NAMES) {
    const clips = ensureFrameSet(set)
    const frames = Object.values(clips).reduce((n, f) => n + f.length, 0)
    console.log(
      `${set}: ${Object.keys(clips).length} clips, ${frames} frames in ${FRAME_SETS_DIR}/${set}`,
    )
  }
}
