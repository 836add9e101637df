import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { useAsync } from '@clipstream/frontend-kit/useAsync'

export function useCategories() {
  return useAsync(async () => (await read(api.categories.$get())).categories, 'categories')
}
