/**
 * Server state through TanStack Query (decision 081): one QueryClient, and the queries more than one
 * screen reads, each with its key in one place so a write can invalidate exactly what it changed.
 * A refusal (4xx) is an answer, not a blip: it is not retried; a network failure is tried once more.
 */
import { QueryClient, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './api.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && failures < 1,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

export const keys = {
  config: ['config'] as const,
  me: ['me'] as const,
  /** Per language: the server writes their names, labels and hints in the one asked for (decision 104). */
  generationTypes: (language: string) => ['generation-types', language] as const,
  assets: (favorite: boolean) => ['assets', { favorite }] as const,
  billing: (audience: 'user' | 'vendor') => ['billing', audience] as const,
};

/** What this installation offers (GET /config): read once, it does not change while the app runs. */
export const configQuery = queryOptions({ queryKey: keys.config, queryFn: api.config, staleTime: Infinity });

/** The generation types with their words in the screen's language (the request says it in Accept-Language). */
export const generationTypesQuery = (language: string) => queryOptions({ queryKey: keys.generationTypes(language), queryFn: api.generationTypes });

/** The signed-in account; read fresh when a screen opens, because balances move. */
export const meQuery = queryOptions({ queryKey: keys.me, queryFn: api.me, staleTime: 0 });

/** The installation's config; only below the root route, which shows nothing until it has it. */
export function useConfig() {
  const { data } = useQuery(configQuery);
  if (!data) throw new Error('useConfig() outside the root route');
  return data;
}

/** Reads the account again (after a payment, a verification, a finished generation). */
export function useReloadMe(): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.me });
}
