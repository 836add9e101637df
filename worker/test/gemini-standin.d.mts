export declare const SAFE_VERDICT: {
  categories: Record<string, { score: number; timestamps: number[]; explanation: string }>
  labels: string[]
  suggestedCategories: string[]
  summary: string
}
