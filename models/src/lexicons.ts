// Hand-kept word lists for the dense "signal" features. Pure data, no runtime dependencies, so the
// Worker can import it through featurize.ts. Patterns run on normalised text (see featurize.ts).
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity'

// The obscenity package's English terms, grouped by what they say about our categories.
const SEXUAL_TERMS = new Set([
  'anal',
  'anus',
  'bestiality',
  'blowjob',
  'boob',
  'buttplug',
  'cock',
  'cum',
  'deepthroat',
  'dick',
  'dildo',
  'doggystyle',
  'double penetration',
  'ejaculate',
  'felch',
  'fellatio',
  'finger bang',
  'fisting',
  'gangbang',
  'handjob',
  'hentai',
  'hooker',
  'incest',
  'jerk off',
  'jizz',
  'lubejob',
  'masturbate',
  'orgasm',
  'orgy',
  'penis',
  'porn',
  'pussy',
  'rape',
  'semen',
  'sex',
  'slut',
  'tit',
  'vagina',
  'wank',
  'whore',
])

const IDENTITY_SLURS = new Set([
  'abo',
  'abeed',
  'africoon',
  'arabush',
  'boonga',
  'chingchong',
  'chink',
  'dyke',
  'fag',
  'kike',
  'negro',
  'nigger',
  'retard',
  'spastic',
  'tranny',
])

export interface WordListHits {
  profanity: number
  sexual: number
  slurs: number
}

let matcher: RegExpMatcher | undefined

// Built on first use: compiling the English dataset costs a few milliseconds we do not want to pay
// at import time in the Worker.
function obscenityMatcher(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers })
  return matcher
}

export function wordListHits(text: string): WordListHits {
  const hits: WordListHits = { profanity: 0, sexual: 0, slurs: 0 }
  for (const match of obscenityMatcher().getAllMatches(text)) {
    const word = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord
    if (word === undefined) continue
    if (SEXUAL_TERMS.has(word)) hits.sexual++
    else if (IDENTITY_SLURS.has(word)) hits.slurs++
    else hits.profanity++
  }
  return hits
}

export const SECOND_PERSON = /\b(you|your|youre|yours|yourself|yourselves|u|ur|ya|thou|urself)\b/g

export const FIRST_PERSON = /\b(i|im|me|my|myself|ive|id|mine)\b/g

export const SELF_HARM =
  /\b(kill(ing)? myself|end(ing)? (my|it all)|end my (own )?life|suicid\w*|self ?harm\w*|cut(ting)? myself|hurt(ing)? myself|overdos\w*|(want|wanna|wanted|going) to die|wanna die|(want|wish) i (was|were) dead|better off dead|take my (own )?life|hang myself|slit my wrists?|not (want to|wanna) (live|be alive|wake up))\b/g

export const THREAT =
  /\b((i('| wi)ll|im (going|gonna)|gonna|going to|i will|we will|ill) (kill|shoot|stab|hurt|beat|murder|find|hunt|burn|strangle|choke|break|end)|kill (you|u|him|her|them|all)|shoot (you|u|him|her|them|up)|stab (you|u|him|her|them)|(you|u)('?re| are| r) (dead|gonna die|going to die)|watch your back|slit (your|ur|his|her|their) throat|burn (your|ur|his|her|their) house|bomb (the|this|your)|murder (you|u|him|her|them)|beat (you|u|him|her|them) (up|to death))\b/g

// Signals that a minor is mentioned. Used only to derive S3 from S by rule (see decide.ts); never a
// training target on its own.
export const MINOR =
  /\b(child|children|kid|kids|kiddie|minor|minors|underage|under age|preteen|pre teen|toddler|little (girl|boy)s?|school ?girls?|school ?boys?|middle school|elementary school|junior high|(1[0-7]|[1-9]) ?(yo|y o|yrs? old|years? old|year old))\b/

export function countMatches(text: string, pattern: RegExp): number {
  pattern.lastIndex = 0
  let n = 0
  while (pattern.exec(text) !== null) n++
  pattern.lastIndex = 0
  return n
}
