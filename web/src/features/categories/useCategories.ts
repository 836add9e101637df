import { api } from '../../api/client'
import { read } from '../../api/errors'
import { useAsync } from '../../ui/useAsync'

export function useCategories() {
  return useAsync(async () => (await read(api.categories.$get())).categories, 'categories')
}
