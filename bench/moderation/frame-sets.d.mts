export const FRAME_SETS_DIR: string
export const SET_NAMES: string[]
/** Renders the set's clips that are not on disk yet; returns { clip: [frame paths] }. */
export function ensureFrameSet(set: string): Record<string, string[]>
