/**
 * The signed-in part of the app: what the signed-in layout hands its screens (through the router's
 * outlet context), and the moves between signed in and signed out, which keep the query cache and
 * the address in step: the account is put in the cache on sign-in and everything is dropped on the
 * way out, so nothing of one account is shown to the next.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useNavigate, useOutletContext } from 'react-router';
import type { User } from './api.ts';
import type { SignInNotice, SignInState } from './paths.ts';
import { keys } from './queries.ts';

export interface SignedInContext {
  user: User;
  /** Reads the account again (balances move after payments and generations). */
  reload: () => Promise<void>;
}

export const useSignedIn = (): SignedInContext => useOutletContext<SignedInContext>();

export function useSessionMoves() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMemo(
    () => ({
    signedIn(user: User): void {
      client.setQueryData(keys.me, user);
      void navigate('/dashboard');
    },
    /** To sign-in with a notice; the cache goes after the signed-in screens are gone. */
    async signedOut(notice: SignInNotice, replace = false): Promise<void> {
      const state: SignInState = { notice };
      await navigate('/signin', { replace, state });
      client.clear();
    },
    }),
    [client, navigate],
  );
}
