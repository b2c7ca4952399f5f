import React from 'react';

import { DashboardClient } from '../client';

/** The injected back end: every component reaches the server only through it. */
export const ClientContext = React.createContext<DashboardClient | null>(null);

export function useClient(): DashboardClient {
  const client = React.useContext(ClientContext);
  if (client === null) {
    throw new Error('useClient() needs a ClientContext.Provider above it.');
  }
  return client;
}

/** The message of anything thrown, for display. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
