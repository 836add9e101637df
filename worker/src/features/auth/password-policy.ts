import { dictionary } from '@zxcvbn-ts/language-common'

// The ~49,000 most common passwords from zxcvbn-ts's maintained list (leaked
// password corpora), built into a set on first use.
let common: Set<string> | null = null
function commonPasswords() {
  common ??= new Set(dictionary['passwords-common'])
  return common
}

// Why a password is refused, in words for the person choosing it, or null.
export function passwordProblem(
  password: string,
  account: { email: string; username: string },
): string | null {
  const lowered = password.trim().toLowerCase()
  if (!lowered) return 'Choose a password that is not only spaces'
  if (new Set(lowered).size < 3) return 'Choose a password with more than one or two characters'
  const email = account.email.toLowerCase()
  const localPart = email.slice(0, email.lastIndexOf('@'))
  if ([email, localPart, account.username.toLowerCase()].includes(lowered)) {
    return 'Choose a password that is not your email or username'
  }
  if (commonPasswords().has(lowered) || commonPasswords().has(password)) {
    return 'This password is one of the most common ones; choose another'
  }
  return null
}
