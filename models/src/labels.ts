// The moderation taxonomy. Order matters: it is the column order of the model's `scores` output.
export const LABELS = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2'] as const

export type Label = (typeof LABELS)[number]

export const LABEL_NAMES: Record<Label, string> = {
  S: 'sexual content',
  H: 'hate',
  V: 'violence or threats',
  HR: 'harassment',
  SH: 'self-harm',
  S3: 'sexual content involving a minor',
  H2: 'hateful threat',
  V2: 'graphic violence',
}

export function labelIndex(label: Label): number {
  return LABELS.indexOf(label)
}
