// Generated media for the demo content: every picture and sound comes from ffmpeg's own
// sources (lavfi), so seeding needs no download and no account. A clip is a scene (what
// moves on screen) plus a sound, with its title written on it, small enough (<= 720p, under
// 1 Mbit/s) that transcoding a few dozen stays quick.
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ffmpegPath } from './lib.mjs'

const RATE = 25
const run = promisify(execFile)

// One lavfi source per scene: `w`x`h` is the output size, `s` the clip's seconds, `o` the
// scene's options. Each returns a filter chain that ends in a `w`x`h` picture; the heavy
// sources (geq, life, cellauto) run at a fraction of the size and are scaled up.
const SCENES = {
  // A zoom into the Mandelbrot set, colours turning.
  fractal: ({ w, h, s, o }) =>
    `mandelbrot=size=${Math.round(w / (w * h > 500_000 ? 3 : 2))}x${Math.round(h / (w * h > 500_000 ? 3 : 2))}:rate=${RATE}:start_scale=${o.from ?? 3}:end_scale=${o.to ?? 0.02}:end_pts=${s * RATE}:start_x=${o.x ?? -0.743643887037151}:start_y=${o.y ?? 0.13182590420533},scale=${w}:${h},hue=h=${o.hue ?? 0}+t*${o.spin ?? 12}`,
  // Conway's life in two colours, chunky pixels.
  life: ({ w, h, o }) =>
    `life=size=${Math.round(w / 8)}x${Math.round(h / 8)}:rate=${o.rate ?? 12}:ratio=${o.ratio ?? 0.12}:mold=${o.mold ?? 20}:seed=${o.seed ?? 7}:life_color=${o.live ?? '#ffd166'}:death_color=${o.dead ?? '#073b4c'}:mold_color=${o.moldColor ?? '#118ab2'},scale=${w}:${h}:flags=neighbor,fps=${RATE}`,
  // An elementary cellular automaton scrolling up through a gradient.
  cells: ({ w, h, o }) =>
    `cellauto=size=${Math.round(w / 6)}x${Math.round(h / 6)}:rate=${o.rate ?? 15}:rule=${o.rule ?? 30}:random_fill_ratio=0.5:random_seed=${o.seed ?? 3}:scroll=1,scale=${w}:${h}:flags=neighbor,format=rgb24,lutrgb=r='val*${o.r ?? 0.95}':g='val*${o.g ?? 0.45}':b='val*${o.b ?? 0.8}',fps=${RATE}`,
  // Colour fields drifting, with shapes bouncing across them.
  shapes: ({ w, h, o }) => {
    const [c0, c1, c2] = o.colors ?? ['#ff7b54', '#ffb26b', '#ffd56b']
    return `gradients=size=${w}x${h}:rate=${RATE}:c0=${c0}:c1=${c1}:c2=${c2}:nb_colors=3:speed=${o.speed ?? 0.015}:seed=${o.seed ?? 1}[bg];color=c=${o.shape ?? 'white'}:size=${Math.round(w / 6)}x${Math.round(w / 6)}:rate=${RATE}[box];color=c=${o.shape2 ?? '#1d3557'}:size=${Math.round(w / 9)}x${Math.round(w / 9)}:rate=${RATE}[dot];[bg][box]overlay=x='(W-w)/2+(W-w)/2*sin(t*${o.fx ?? 1.3})':y='(H-h)/2+(H-h)/3*cos(t*${o.fy ?? 0.9})':shortest=1[m];[m][dot]overlay=x='(W-w)*abs(mod(t*${o.vx ?? 0.23}\\,2)-1)':y='(H-h)*abs(mod(t*${o.vy ?? 0.31}\\,2)-1)':shortest=1`
  },
  // A slow push into a still pattern (zoompan, one output frame per input frame).
  zoom: ({ w, h, o }) =>
    `${o.source ?? 'sierpinski'}=size=${w}x${h}:rate=${RATE}${o.source === 'gradients' ? `:c0=${o.c0 ?? '#2a9d8f'}:c1=${o.c1 ?? '#e9c46a'}:speed=0.01` : ''},zoompan=z='1+${o.speed ?? 0.004}*in':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=${w}x${h}:fps=${RATE}${o.tint ? `,format=rgb24,lutrgb=r='val*${o.tint[0]}':g='val*${o.tint[1]}':b='val*${o.tint[2]}'` : ''}`,
  // Sine plasma (per-pixel maths at a fifth of the size).
  plasma: ({ w, h, o }) =>
    `nullsrc=size=${Math.round(w / 5)}x${Math.round(h / 5)}:rate=${RATE},format=gbrp,geq=r='128+${o.r ?? 110}*sin(X/${o.k ?? 7}+T*2)':g='128+${o.g ?? 110}*sin(Y/${o.k ?? 7}*1.3-T*1.7)':b='128+${o.b ?? 110}*sin((X+Y)/${(o.k ?? 7) * 1.6}+T*1.1)',scale=${w}:${h}:flags=bicubic`,
  // ffmpeg's test card, tinted and turned, for the tech and retro clips.
  card: ({ w, h, o }) =>
    `${o.source ?? 'testsrc2'}=size=${w}x${h}:rate=${RATE},hue=h=${o.hue ?? 0}+t*${o.spin ?? 0}:s=${o.sat ?? 1},rotate=a='${o.tilt ?? 0}*sin(t)':fillcolor=black`,
  // The clip's own sound drawn as it plays: waves or a spectrum over a colour field.
  waves: ({ w, h, o }) =>
    `gradients=size=${w}x${h}:rate=${RATE}:c0=${o.c0 ?? '#240046'}:c1=${o.c1 ?? '#7b2cbf'}:speed=0.01[bg];[0:a]asplit[keep][draw];[draw]${o.mode === 'spectrum' ? `showspectrum=size=${w}x${Math.round(h / 2)}:slide=scroll:mode=combined:color=${o.color ?? 'fire'}:scale=cbrt` : `showwaves=size=${w}x${Math.round(h / 2)}:mode=${o.mode ?? 'cline'}:rate=${RATE}:colors=${o.line ?? '#f72585'}|${o.line2 ?? '#4cc9f0'}`},format=rgba,colorkey=black:0.1:0.1[fg];[bg][fg]overlay=x=0:y=(H-h)/2:shortest=1`,
}

// Sounds, as lavfi sources: tones, chords, a beat, surf.
const SOUNDS = {
  tone: (o) => `sine=frequency=${o.hz ?? 440}:sample_rate=44100,tremolo=f=${o.wobble ?? 2}:d=0.5`,
  chord: (o) => {
    const root = o.hz ?? 220
    const [a, b] = o.minor ? [1.1892, 1.4983] : [1.2599, 1.4983]
    return `aevalsrc='0.12*(sin(2*PI*${root}*t)+sin(2*PI*${root * a}*t)+sin(2*PI*${root * b}*t))*(0.6+0.4*sin(2*PI*t*${o.pulse ?? 0.5}))':s=44100`
  },
  arpeggio: (o) => {
    const root = o.hz ?? 262
    const speed = o.speed ?? 4
    return `aevalsrc='0.25*sin(2*PI*t*${root}*pow(2\\,floor(mod(t*${speed}\\,4))*${o.step ?? 4}/12))*exp(-3*mod(t*${speed}\\,1))':s=44100`
  },
  beat: (o) => {
    const bpm = o.bpm ?? 120
    const beat = 60 / bpm
    return `aevalsrc='0.7*sin(2*PI*55*t)*exp(-18*mod(t\\,${beat}))+0.08*sin(2*PI*${o.hz ?? 660}*t)*exp(-9*mod(t+${beat / 2}\\,${beat}))':s=44100`
  },
  surf: (o) =>
    `anoisesrc=color=${o.color ?? 'pink'}:amplitude=0.35:sample_rate=44100:seed=${o.seed ?? 5},lowpass=f=${o.cutoff ?? 900},volume='0.5+0.45*sin(2*PI*t*${o.swell ?? 0.15})':eval=frame`,
}

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'

// Breaks a title into lines that fit the frame (drawtext does not wrap).
export function wrapTitle(title, maxChars) {
  const lines = []
  let line = ''
  for (const word of title.split(/\s+/)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.slice(0, 4)
}

// The title near the top, each line centred and fading in; text comes from files so no
// title needs filtergraph escaping. Grid tiles show a landscape clip's poster cropped to
// its middle third, so a landscape title is set smaller in a narrow column that survives
// the crop. The creator's handle is not drawn: the app shows it over the clip.
function textChain(dir, name, { w, h }, title) {
  const font = existsSync(FONT) ? `fontfile=${FONT}` : `font='DejaVu Sans'`
  const portrait = w < h
  const size = Math.round(portrait ? w / 12 : h / 17)
  const lines = wrapTitle(title, portrait ? 16 : 13)
  return lines
    .map((line, i) => {
      const file = join(dir, `${name}-line${i}.txt`)
      writeFileSync(file, line)
      return `drawtext=${font}:textfile=${file}:expansion=none:fontsize=${size}:fontcolor=white:borderw=${Math.max(2, Math.round(size / 12))}:bordercolor=black@0.55:box=1:boxcolor=black@0.3:boxborderw=6:x=(w-tw)/2:y=${Math.round(h * 0.1)}+${i}*${Math.round(size * 1.25)}:alpha='min(1\\,t/0.8)'`
    })
    .join(',')
}

function renderArgs(out, dir, name, clip, withText) {
  const [w, h] = clip.size.split('x').map(Number)
  const s = clip.seconds
  const scene = SCENES[clip.scene]
  const sound = SOUNDS[clip.sound]
  if (!scene || !sound) throw new Error(`unknown scene or sound in "${clip.title}"`)
  const picture = scene({ w, h, s, o: clip.sceneOptions ?? {} })
  const text = withText ? `,${textChain(dir, name, { w, h }, clip.title)}` : ''
  // Scenes that draw the sound read it from the one input (the sound) and pass it on.
  const drawsSound = clip.scene === 'waves'
  const graph = drawsSound
    ? `${picture}${text},format=yuv420p[v];[keep]anull[a]`
    : `${picture}${text},format=yuv420p[v]`
  return [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-t', String(s), '-i', sound(clip.soundOptions ?? {})],
    ...['-filter_complex', graph],
    ...['-map', '[v]', '-map', drawsSound ? '[a]' : '0:a', '-t', String(s)],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-maxrate', '900k'],
    ...['-bufsize', '1800k', '-pix_fmt', 'yuv420p', '-r', String(RATE)],
    ...['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', out],
  ]
}

// Renders one demo clip into `dir`; returns the file. Without drawtext (an ffmpeg built
// without freetype, or no font) the clip is made without its title rather than not at all.
// Asynchronous, so the seeder keeps reporting progress while ffmpeg works.
export async function renderClip(dir, name, clip) {
  const out = join(dir, `${name}.mp4`)
  try {
    await run(ffmpegPath(), renderArgs(out, dir, name, clip, true))
  } catch {
    await run(ffmpegPath(), renderArgs(out, dir, name, clip, false))
  }
  return out
}

// An avatar: the creator's initial on their colour, as a PNG (the app rounds it).
export async function renderAvatar(dir, username, color) {
  const out = join(dir, `${username}-avatar.png`)
  const letter = join(dir, `${username}-initial.txt`)
  writeFileSync(letter, username.slice(0, 1).toUpperCase())
  const font = existsSync(FONT) ? `fontfile=${FONT}` : `font='DejaVu Sans'`
  const base = `color=c=${color}:size=256x256,trim=end_frame=1`
  const args = (withText) => [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', base],
    ...(withText
      ? [
          '-vf',
          `drawtext=${font}:textfile=${letter}:fontsize=150:fontcolor=white:borderw=4:bordercolor=black@0.25:x=(w-tw)/2:y=(h-th)/2`,
        ]
      : []),
    ...['-frames:v', '1', out],
  ]
  try {
    await run(ffmpegPath(), args(true))
  } catch {
    await run(ffmpegPath(), args(false))
  }
  return out
}
