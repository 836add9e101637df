// Vite hands any file to a test as a string with `?raw` (the team's evaluation
// sets in models/data are read where they are written, not copied).
declare module '*?raw' {
  const text: string
  export default text
}
