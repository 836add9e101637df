// RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes). Returns rows keyed by header.
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  const [header, ...body] = rows
  if (header === undefined) return []
  return body
    .filter((r) => r.length > 1 || (r[0] ?? '') !== '')
    .map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])))
}

/** Parses a Python list-of-strings literal such as "['a', \"b's\"]" (the Reddit C-SSRS posts). */
export function parsePythonStringList(literal: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < literal.length) {
    const quote = literal[i]
    if (quote !== "'" && quote !== '"') {
      i++
      continue
    }
    let value = ''
    i++
    while (i < literal.length && literal[i] !== quote) {
      if (literal[i] === '\\' && i + 1 < literal.length) {
        const next = literal[i + 1] ?? ''
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next
        i += 2
      } else {
        value += literal[i]
        i++
      }
    }
    out.push(value)
    i++
  }
  return out
}
